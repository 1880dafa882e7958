package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Spark aggregation on the sample logs: mergeable by day, balanced, and complete. */
class UsagePipelineTest {

  private static final Path SAMPLES = Path.of(System.getProperty("trailtrim.project.dir", "."), "sample-logs/cloudtrail");

  private static List<PlannedFile> files(String dayFolder) throws IOException {
    try (Stream<Path> walk = Files.walk(SAMPLES)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("/CloudTrail/"))
          .filter(p -> p.toString().contains(dayFolder))
          .map(p -> new PlannedFile(p.toUri().toString(), p.toFile().length())).sorted().toList();
    }
  }

  private static UsagePipeline.Result run(List<PlannedFile> files, LocalDate from, LocalDate to) {
    return UsagePipeline.run(SparkTestSession.get(), files,
        new UsagePipeline.Settings(new ObservationWindow(from, to), 1 << 26, 4, 5, 2));
  }

  /** Usage merged across several results, as nightly per-day states are merged into a window. */
  private static Map<String, Map<String, ActionUsage>> merge(List<UsagePipeline.Result> results) {
    Map<String, Map<String, ActionUsage>> merged = new TreeMap<>();
    for (UsagePipeline.Result result : results) {
      for (RoleUsage role : result.usageByRole().values()) {
        Map<String, ActionUsage> byKey = merged.computeIfAbsent(role.roleArn(), r -> new TreeMap<>());
        for (ActionUsage usage : role.usages()) {
          String key = usage.access() + " " + usage.errorCode();
          byKey.merge(key, usage, (a, b) -> new ActionUsage(a.access(), a.errorCode(), a.count() + b.count(),
              Math.min(a.firstSeenMillis(), b.firstSeenMillis()), Math.max(a.lastSeenMillis(), b.lastSeenMillis())));
        }
      }
    }
    return merged;
  }

  @Test
  void mergingTwoDaysStatesEqualsAggregatingBothDaysAtOnce() throws IOException {
    LocalDate nov2 = LocalDate.of(2026, 11, 2);
    LocalDate nov3 = LocalDate.of(2026, 11, 3);
    List<PlannedFile> both = new ArrayList<>(files("/2026/11/02/"));
    both.addAll(files("/2026/11/03/"));
    both.addAll(files("/2026/11/04/"));
    // Each day's state reads the folders its records may be in (late delivery), filtered by eventTime.
    UsagePipeline.Result day2 = run(both, nov2, nov2);
    UsagePipeline.Result day3 = run(both, nov3, nov3);
    UsagePipeline.Result together = run(both, nov2, nov3);
    Map<String, Map<String, ActionUsage>> merged = merge(List.of(day2, day3));
    assertTrue(merged.size() >= 5, "roles: " + merged.keySet());
    assertEquals(merge(List.of(together)), merged);
  }

  @Test
  void countsEveryFileAndRecordOnceWhateverThePartitioning() throws IOException {
    List<PlannedFile> all = files("/20");
    LocalDate from = LocalDate.of(2026, 11, 1);
    LocalDate to = LocalDate.of(2026, 11, 5);
    UsagePipeline.Result few = UsagePipeline.run(SparkTestSession.get(), all,
        new UsagePipeline.Settings(new ObservationWindow(from, to), 1 << 26, 1, 5, 1));
    UsagePipeline.Result many = UsagePipeline.run(SparkTestSession.get(), all,
        new UsagePipeline.Settings(new ObservationWindow(from, to), 1 << 26, 16, 5, 20));
    IngestStats a = few.stats();
    IngestStats b = many.stats();
    assertEquals(all.size(), a.counter("files.read"));
    assertEquals(a.counters(), b.counters());
    assertEquals(a.roles(), b.roles());
    assertEquals(few.usageByRole(), many.usageByRole());
  }

  @Test
  void balancesFilesIntoGroupsOfSimilarSize() {
    List<PlannedFile> files = new ArrayList<>();
    Map<Long, Integer> sizes = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      long size = (i % 10 + 1) * 1000L;
      files.add(new PlannedFile("file:/f" + i, size));
      sizes.merge(size, 1, Integer::sum);
    }
    List<List<PlannedFile>> groups = UsagePipeline.balance(files, 7);
    assertEquals(7, groups.size());
    long[] totals = groups.stream().mapToLong(g -> g.stream().mapToLong(PlannedFile::length).sum()).toArray();
    long max = java.util.Arrays.stream(totals).max().orElseThrow();
    long min = java.util.Arrays.stream(totals).min().orElseThrow();
    assertTrue(max - min <= 10_000, "group sizes " + java.util.Arrays.toString(totals));
    assertEquals(100, groups.stream().mapToInt(List::size).sum());
  }
}
