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

  private static final UsagePipeline.Settings SETTINGS = new UsagePipeline.Settings(1 << 26, 4, 5, 2);

  private static UsagePipeline.Result read(List<PlannedFile> files) {
    return UsagePipeline.run(SparkTestSession.get(), files, SETTINGS);
  }

  /** States of several reads side by side, as the nightly state stores them. */
  private static UsagePipeline.Result combine(UsagePipeline.Result... reads) {
    UsagePipeline.Result all = UsagePipeline.Result.empty(SparkTestSession.get());
    for (UsagePipeline.Result read : reads) {
      all = all.union(read);
    }
    return all;
  }

  private static UsageWindow.View view(UsagePipeline.Result state, LocalDate from, LocalDate to) {
    ObservationWindow window = new ObservationWindow(from, to);
    return UsageWindow.of(WindowAggregation.compute(state.usage(), window, Map.of(), 1000), state.stats(), window, 5);
  }

  /** Usage of several views merged, as the usage of adjacent windows adds up. */
  private static Map<String, Map<String, ActionUsage>> merge(List<UsageWindow.View> views) {
    Map<String, Map<String, ActionUsage>> merged = new TreeMap<>();
    for (UsageWindow.View view : views) {
      for (RoleUsage role : view.usageByRole().values()) {
        Map<String, ActionUsage> byKey = merged.computeIfAbsent(role.roleArn(), r -> new TreeMap<>());
        for (ActionUsage usage : role.usages()) {
          byKey.merge(usage.access() + " " + usage.errorCode(), usage, (a, b) -> new ActionUsage(a.access(),
              a.errorCode(), a.count() + b.count(), Math.min(a.firstSeenMillis(), b.firstSeenMillis()),
              Math.max(a.lastSeenMillis(), b.lastSeenMillis())));
        }
      }
    }
    return merged;
  }

  @Test
  void mergingTwoDaysStatesEqualsAggregatingBothDaysAtOnce() throws IOException {
    LocalDate nov2 = LocalDate.of(2026, 11, 2);
    LocalDate nov3 = LocalDate.of(2026, 11, 3);
    // Each delivery folder read on its own night, stored side by side...
    UsagePipeline.Result nightly = combine(read(files("/2026/11/02/")), read(files("/2026/11/03/")),
        read(files("/2026/11/04/")));
    // ...against all of them read at once.
    List<PlannedFile> all = new ArrayList<>(files("/2026/11/02/"));
    all.addAll(files("/2026/11/03/"));
    all.addAll(files("/2026/11/04/"));
    UsagePipeline.Result atOnce = read(all);
    UsageWindow.View together = view(atOnce, nov2, nov3);
    assertTrue(together.usageByRole().size() >= 5, "roles: " + together.usageByRole().keySet());
    assertEquals(together.usageByRole(), view(nightly, nov2, nov3).usageByRole());
    assertEquals(together.stats().counters(), view(nightly, nov2, nov3).stats().counters());
    // And days add up to the window: day 2's view plus day 3's equals the two-day view.
    assertEquals(merge(List.of(together)), merge(List.of(view(atOnce, nov2, nov2), view(atOnce, nov3, nov3))));
  }

  @Test
  void countsEveryFileAndRecordOnceWhateverThePartitioning() throws IOException {
    List<PlannedFile> all = files("/20");
    LocalDate from = LocalDate.of(2026, 11, 1);
    LocalDate to = LocalDate.of(2026, 11, 5);
    UsagePipeline.Result few = UsagePipeline.run(SparkTestSession.get(), all, new UsagePipeline.Settings(1 << 26, 1, 5, 1));
    UsagePipeline.Result many = UsagePipeline.run(SparkTestSession.get(), all,
        new UsagePipeline.Settings(1 << 26, 16, 5, 20));
    UsageWindow.View a = view(few, from, to);
    UsageWindow.View b = view(many, from, to);
    assertEquals(all.size(), a.stats().counter("files.read"));
    assertEquals(a.stats().counters(), b.stats().counters());
    assertEquals(a.stats().roles(), b.stats().roles());
    assertEquals(a.usageByRole(), b.usageByRole());
  }

  @Test
  void recordsOfOtherDaysAreCountedAsOutsideTheWindow() throws IOException {
    UsagePipeline.Result state = read(files("/2026/11/03/"));
    UsageWindow.View nov3 = view(state, LocalDate.of(2026, 11, 3), LocalDate.of(2026, 11, 3));
    UsageWindow.View nov2 = view(state, LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 2));
    long read = nov3.stats().counter("records.read");
    assertEquals(read, nov2.stats().counter("records.read"), "the same files hold the same records");
    // The folder of 11-03 holds a file delivered after midnight with 11-02's calls.
    long late = nov2.stats().counter("records.read") - nov2.stats().counter("records.skipped.record-outside-window");
    assertTrue(late > 0 && late < read, "late records " + late + " of " + read);
    long onTime = read - nov3.stats().counter("records.skipped.record-outside-window");
    assertEquals(read, late + onTime, "every record of the folder belongs to exactly one of the two days");
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
