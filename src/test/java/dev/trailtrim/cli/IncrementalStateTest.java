package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nightly runs: each reads only the delivery days it has not stored yet, and the result equals
 * reading the whole window again.
 */
class IncrementalStateTest {

  private static final Clock NOV_4_NOON = Clock.fixed(Instant.parse("2026-11-04T12:00:00Z"), ZoneOffset.UTC);
  private static final Clock NOV_6_NOON = Clock.fixed(Instant.parse("2026-11-06T12:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path out;

  private static long filesIn(String... days) throws IOException {
    long count = 0;
    try (Stream<Path> walk = Files.walk(JobRuns.sampleLogs().resolve("cloudtrail"))) {
      for (Path file : walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("/CloudTrail/")).toList()) {
        for (String day : days) {
          count += file.toString().contains("/2026/11/" + day + "/") ? 1 : 0;
        }
      }
    }
    return count;
  }

  /**
   * The run's reports: everything but _SUCCESS (timing) and what depends on the run before it
   * (changes.json and its parts): the nights compared here follow different runs.
   */
  private static Map<String, String> reports(Path output, String runId) {
    Map<String, String> files = new TreeMap<>(JobRuns.files(output.resolve("runs/" + runId)));
    files.remove("_SUCCESS");
    return JobRuns.withoutChanges(files);
  }

  private static Map<String, String> perFunction(Map<String, String> reports) {
    Map<String, String> files = new TreeMap<>(reports);
    files.keySet().removeIf(path -> !path.startsWith("per-function/"));
    return files;
  }

  @Test
  void eachNightReadsOnlyNewDaysAndEqualsAFullRead() throws IOException {
    Path nightly = out.resolve("nightly");
    // Night of Nov 4: window Nov 1-3 plus the late-arrival day; Nov 4's folder is not complete yet.
    TrailtrimJob.Outcome first = JobRuns.runOnSamples(nightly, "n1", "2026-11-01", "2026-11-03", false, NOV_4_NOON);
    assertEquals(filesIn("01", "02", "03", "04"), first.filesReadNow());
    assertTrue(Files.exists(nightly.resolve("state/days/2026-11-03.json")));
    assertTrue(Files.notExists(nightly.resolve("state/days/2026-11-04.json")), "an incomplete day is not stored");

    // Night of Nov 6: window Nov 1-5; only Nov 4 and 5 are read.
    TrailtrimJob.Outcome second = JobRuns.runOnSamples(nightly, "n2", "2026-11-01", "2026-11-05", false, NOV_6_NOON);
    assertEquals(filesIn("04", "05"), second.filesReadNow());

    // The same night again: nothing new to read, and nothing changes.
    TrailtrimJob.Outcome again = JobRuns.runOnSamples(nightly, "n3", "2026-11-01", "2026-11-05", false, NOV_6_NOON);
    assertEquals(0, again.filesReadNow());
    Map<String, String> incremental = reports(nightly, "n2");
    assertEquals(incremental, reports(nightly, "n3"));
    // The stored days keep which function made each call: the shared role's split is the same from the state.
    Map<String, String> perFunction = perFunction(reports(nightly, "n3"));
    assertEquals(2, perFunction.size(), "invoice-renderer-role's two functions: " + perFunction.keySet());
    assertTrue(perFunction.values().stream().distinct().count() == 2, "two functions of different needs");
    assertTrue(perFunction.values().stream().noneMatch(policy -> policy.equals(reports(nightly, "n3")
        .get("policies/111122223333/invoice-renderer-role.json"))), "each narrower than the role's suggestion");

    // A full read of the same window, from scratch and with --rebuild, gives the same reports.
    Path full = out.resolve("full");
    TrailtrimJob.Outcome scratch = JobRuns.runOnSamples(full, "f1", "2026-11-01", "2026-11-05", false, NOV_6_NOON);
    assertEquals(filesIn("01", "02", "03", "04", "05"), scratch.filesReadNow());
    assertEquals(incremental, reports(full, "f1"));
    assertEquals(perFunction, perFunction(reports(full, "f1")));
    TrailtrimJob.Outcome rebuilt = JobRuns.runOnSamples(nightly, "n4", "2026-11-01", "2026-11-05", true, NOV_6_NOON);
    assertEquals(scratch.filesReadNow(), rebuilt.filesReadNow());
    assertEquals(incremental, reports(nightly, "n4"));
  }

  private static TrailtrimJob.Outcome runOn(Path logs, Path output, String runId, String from, String to, Clock clock)
      throws IOException {
    var config = dev.trailtrim.config.JobConfigLoader.load(new dev.trailtrim.config.JobConfigLoader.Flags(
        java.util.List.of(logs.toString()), java.util.List.of(JobRuns.sampleLogs().resolve("iam").toString()), false,
        output.toString(), from, to, null, runId, null, false, JobRuns.sampleTrails(), false), JobRuns.sampleConfig(),
        clock);
    return new TrailtrimJob(dev.trailtrim.testing.SparkTestSession.get(), config, System.out::println, clock).run();
  }

  /**
   * Days that an account trail and an organization trail both deliver are stored deduplicated:
   * summed from the state with the days read tonight, they give the reports of a fresh read of the
   * whole window, duplicates counted the same.
   */
  @Test
  void aStoredDayOfTwoTrailsGivesTheWindowOfAFreshRead() throws IOException {
    Path logs = out.resolve("two-trails");
    dev.trailtrim.testing.SecondDeliveries.copyTree(JobRuns.sampleLogs().resolve("cloudtrail"), logs);
    long copied = dev.trailtrim.testing.SecondDeliveries.deliverAgainAsOrganizationTrail(logs.resolve("AWSLogs"),
        "111122223333", "o-a1b2c3d4e5", (path, records) -> records);
    Path nightly = out.resolve("nightly");
    TrailtrimJob.Outcome first = runOn(logs, nightly, "n1", "2026-11-01", "2026-11-03", NOV_4_NOON);
    TrailtrimJob.Outcome second = runOn(logs, nightly, "n2", "2026-11-01", "2026-11-05", NOV_6_NOON);
    assertTrue(second.filesReadNow() < first.filesReadNow(),
        "days 1 to 3 come from the state: " + second.filesReadNow());
    assertTrue(Files.readString(nightly.resolve("state/days/2026-11-02.json")).contains("\"records.duplicate\""),
        "the stored day keeps its duplicate count");
    TrailtrimJob.Outcome fresh = runOn(logs, out.resolve("fresh"), "f1", "2026-11-01", "2026-11-05", NOV_6_NOON);
    assertEquals(reports(out.resolve("fresh"), "f1"), reports(nightly, "n2"));
    assertEquals(copied, fresh.summary().path("records").path("duplicate").asLong());
    assertEquals(copied, second.summary().path("records").path("duplicate").asLong());
  }

  @Test
  void aStoredDayWhoseFoldersGainedAFileIsReadAgain() throws IOException {
    Path logs = out.resolve("logs");
    try (Stream<Path> walk = Files.walk(JobRuns.sampleLogs().resolve("cloudtrail"))) {
      for (Path source : walk.sorted().toList()) {
        Path target = logs.resolve(JobRuns.sampleLogs().resolve("cloudtrail").relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    Path output = out.resolve("out");
    var config = dev.trailtrim.config.JobConfigLoader.load(new dev.trailtrim.config.JobConfigLoader.Flags(
        java.util.List.of(logs.toString()), java.util.List.of(JobRuns.sampleLogs().resolve("iam").toString()), false,
        output.toString(), "2026-11-01", "2026-11-02", null, "a", null, false), null, NOV_6_NOON);
    new TrailtrimJob(dev.trailtrim.testing.SparkTestSession.get(), config, System.out::println, NOV_6_NOON).run();
    Path day = logs.resolve("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02");
    Path someFile;
    try (Stream<Path> files = Files.list(day)) {
      someFile = files.sorted().findFirst().orElseThrow();
    }
    Files.copy(someFile, day.resolve("111122223333_CloudTrail_us-east-1_20261102T2359Z_latedelivery0001.json.gz"));
    var again = dev.trailtrim.config.JobConfigLoader.load(new dev.trailtrim.config.JobConfigLoader.Flags(
        java.util.List.of(logs.toString()), java.util.List.of(JobRuns.sampleLogs().resolve("iam").toString()), false,
        output.toString(), "2026-11-01", "2026-11-02", null, "b", null, false), null, NOV_6_NOON);
    TrailtrimJob.Outcome second = new TrailtrimJob(dev.trailtrim.testing.SparkTestSession.get(), again,
        System.out::println, NOV_6_NOON).run();
    assertEquals(filesIn("02") + 1, second.filesReadNow(), "only the changed day is read again");
  }
}
