package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.testing.SecondDeliveries;
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
import org.junit.jupiter.api.io.TempDir;

/** The Spark aggregation on the sample logs: mergeable by day, balanced, and complete. */
class UsagePipelineTest {

  private static final Path SAMPLES =
      Path.of(System.getProperty("trailtrim.project.dir", "."), "sample-logs/cloudtrail");

  private static List<PlannedFile> files(String dayFolder) throws IOException {
    return files(SAMPLES, dayFolder);
  }

  private static List<PlannedFile> files(Path logs, String dayFolder) throws IOException {
    try (Stream<Path> walk = Files.walk(logs)) {
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
    UsagePipeline.Result few =
        UsagePipeline.run(SparkTestSession.get(), all, new UsagePipeline.Settings(1 << 26, 1, 5, 1));
    UsagePipeline.Result many = UsagePipeline.run(SparkTestSession.get(), all,
        new UsagePipeline.Settings(1 << 26, 16, 5, 20));
    UsageWindow.View a = view(few, from, to);
    UsageWindow.View b = view(many, from, to);
    assertEquals(all.size(), a.stats().counter("files.read"));
    assertEquals(a.stats().counters(), b.stats().counters());
    assertEquals(a.stats().roles(), b.stats().roles());
    assertEquals(a.usageByRole(), b.usageByRole());
    // Tasks that hand on their usage after every entry (as with far more resources than memory) agree too.
    UsagePipeline.Result flushing = UsagePipeline.run(SparkTestSession.get(), all,
        new UsagePipeline.Settings(1 << 26, 4, 5, 1, 1));
    UsageWindow.View c = view(flushing, from, to);
    assertEquals(a.stats().counters(), c.stats().counters());
    assertEquals(a.usageByRole(), c.usageByRole());
  }

  @Test
  void aTaskHandsOnItsUsageWhenItsMapIsFull() throws IOException {
    List<PlannedFile> files = files("/2026/11/03/");
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    Map<String, Long> emitted = new TreeMap<>();
    for (int maxEntries : new int[] {1_000_000, 10}) {
      long usage = 0;
      long counters = 0;
      UsagePipeline.TaskRead task = new UsagePipeline.TaskRead(UsagePipeline.readUnits(files), hadoop,
          new UsagePipeline.Settings(1 << 26, 4, 5, 1, maxEntries));
      while (task.hasNext()) {
        if (task.next()._1() instanceof UsageKey) {
          usage++;
        } else {
          counters++;
        }
      }
      assertTrue(counters > 0);
      emitted.put("max " + maxEntries, usage);
    }
    // The same usage key is emitted once per batch it occurs in: more entries, each a partial state.
    assertTrue(emitted.get("max 10") > emitted.get("max 1000000"), emitted.toString());
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

  /**
   * The account 111122223333's files delivered again by an organization trail (same records, other
   * file names): however the files are spread over tasks, each event counts once, the repeats are
   * counted as duplicates, and the read stays partitioned by window key.
   */
  @Test
  void eventsASecondTrailDeliversAgainCountOnce(@TempDir Path logs) throws IOException {
    SecondDeliveries.copyTree(SAMPLES, logs);
    List<PlannedFile> plain = files(logs, "/20");
    long copied = SecondDeliveries.deliverAgainAsOrganizationTrail(logs.resolve("AWSLogs"), "111122223333",
        "o-a1b2c3d4e5", (path, records) -> records);
    List<PlannedFile> both = files(logs, "/20");
    assertTrue(copied > 1000 && both.size() > plain.size() + 40, copied + " records, " + both.size() + " files");
    LocalDate from = LocalDate.of(2026, 11, 1);
    LocalDate to = LocalDate.of(2026, 11, 5);
    UsageWindow.View expected = view(read(plain), from, to);
    for (UsagePipeline.Settings settings : List.of(new UsagePipeline.Settings(1 << 26, 4, 5, 20),
        new UsagePipeline.Settings(1 << 26, 1, 5, 1), new UsagePipeline.Settings(1 << 26, 4, 5, 3, 1))) {
      UsagePipeline.Result read = UsagePipeline.run(SparkTestSession.get(), both, settings);
      assertTrue(read.usage().partitioner().orElse(null) instanceof UsagePartitioner,
          "no second shuffle for the window");
      UsageWindow.View actual = view(read, from, to);
      IngestStats stats = actual.stats();
      assertEquals(copied, stats.counter("records.duplicate"), settings.toString());
      assertEquals(expected.usageByRole(), actual.usageByRole(), settings.toString());
      assertEquals(expected.stats().counter("records.read") + copied, stats.counter("records.read"));
      assertEquals(both.size(), stats.counter("files.read"));
      assertEquals(expected.stats().roles(), stats.roles());
      assertEquals(expected.stats().unmapped(), stats.unmapped());
      assertEquals(expected.stats().dataEventResources(), stats.dataEventResources());
      assertEquals(expected.stats().trailChanges(), stats.trailChanges());
      assertEquals(withoutReadCounts(expected.stats()), withoutReadCounts(stats));
    }
  }

  /** The counters that do not count what was read (files, bytes, records, repeats). */
  private static Map<String, Long> withoutReadCounts(IngestStats stats) {
    Map<String, Long> counters = new TreeMap<>(stats.counters());
    counters.keySet().removeAll(List.of("files.read", "bytes.read", "records.read", "records.duplicate"));
    return counters;
  }

  /** An overlap's files are one read unit, whole in one task; every other file is a unit of its own. */
  @Test
  void theFilesOfAnOverlapAreReadByOneTask() {
    PlannedFile account = new PlannedFile("file:/l/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/a.json.gz", 10);
    PlannedFile organization = new PlannedFile(
        "file:/l/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/02/b.json.gz", 10);
    PlannedFile otherDay =
        new PlannedFile("file:/l/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/c.json.gz", 10);
    List<UsagePipeline.ReadUnit> units = UsagePipeline.readUnits(List.of(account, organization, otherDay));
    assertEquals(List.of(new UsagePipeline.ReadUnit(List.of(account, organization), true),
        new UsagePipeline.ReadUnit(List.of(otherDay), false)), units);
    List<List<UsagePipeline.ReadUnit>> tasks = UsagePipeline.balanceUnits(units, 8);
    assertEquals(2, tasks.size(), "as many tasks as units at most");
    assertEquals(List.of(units.get(0)), tasks.get(0), "the heavier unit first");
  }

  /** A read's tasks are filled as Spark's file sources fill theirs, between one and tasks.per.core per core. */
  @Test
  void aSmallReadRunsAsOneTaskPerCoreAndALargeOneAsTasksPerCore() {
    List<UsagePipeline.ReadUnit> sample = units(63, 5_000);
    assertEquals(2, UsagePipeline.readTasks(sample, 2, 3), "63 small files (252 MB with their opening) on 2 cores");
    assertEquals(64, UsagePipeline.readTasks(sample, 64, 3), "never fewer tasks than cores");
    assertEquals(1, UsagePipeline.readTasks(List.of(), 0, 3));
    // 96 files of 4 MB weigh 768 MB: 6 tasks of 128 MB, within 2 cores x 3.
    assertEquals(6, UsagePipeline.readTasks(units(96, 4L << 20), 2, 3));
    assertEquals(5, UsagePipeline.readTasks(units(65, 4L << 20), 2, 3), "520 MB: 4 full tasks and part of a fifth");
    assertEquals(3, UsagePipeline.readTasks(units(17_544, 40_000), 1, 3), "a month of small files on one core");
    assertEquals(192, UsagePipeline.readTasks(units(20_000, 50_000), 64, 3), "at most tasks.per.core per core");
    // An overlap's files all count.
    PlannedFile big = new PlannedFile("file:/big", 300L << 20);
    assertEquals(3, UsagePipeline.readTasks(List.of(new UsagePipeline.ReadUnit(List.of(big, big), true)), 1, 3));
  }

  private static List<UsagePipeline.ReadUnit> units(int files, long length) {
    List<UsagePipeline.ReadUnit> units = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      units.add(new UsagePipeline.ReadUnit(List.of(new PlannedFile("file:/f" + i, length)), false));
    }
    return units;
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
