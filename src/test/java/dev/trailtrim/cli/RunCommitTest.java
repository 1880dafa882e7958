package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** latest.json only ever names a complete run; old runs are deleted beyond the configured number. */
class RunCommitTest {

  @TempDir
  Path out;

  private JobConfig config(String runId, String configText) {
    return JobConfigLoader.load(new JobConfigLoader.Flags(
        List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString()),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()),
        false, out.toString(), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO, null, runId),
        JobRuns.sampleConfig() + "\n" + (configText == null ? "" : configText), Clock.systemUTC());
  }

  private String latestRunId() throws IOException {
    return new ObjectMapper().readTree(out.resolve("latest.json").toFile()).path("runId").asText();
  }

  /** The run's last line says where its time went, step by step, and the steps add up to the whole. */
  private static void assertStepTimes(String last) {
    Matcher line = Pattern.compile("trailtrim: run first complete in (\\d+\\.\\d) s \\((.*)\\): \\d+ roles, \\d+ files"
        + " written").matcher(last);
    assertTrue(line.matches(), last);
    Matcher step = Pattern.compile("([a-zA-Z ]+) (\\d+\\.\\d) s(, |$)").matcher(line.group(2));
    List<String> names = new ArrayList<>();
    double sum = 0;
    while (step.find()) {
      names.add(step.group(1));
      sum += Double.parseDouble(step.group(2));
    }
    assertEquals(List.of("catalog and IAM", "plan", "read", "evidence", "roles", "reports", "commit"), names, last);
    // Each figure is rounded to a tenth.
    assertEquals(Double.parseDouble(line.group(1)), sum, 0.05 * (names.size() + 1), last);
  }

  @Test
  void anInterruptedRunLeavesLatestOnThePreviousCompleteRun() throws IOException {
    List<String> lines = new ArrayList<>();
    new TrailtrimJob(SparkTestSession.get(), config("first", null), lines::add).run();
    assertEquals("first", latestRunId());
    assertStepTimes(lines.get(lines.size() - 1));

    // The job dies while writing role reports (simulated where it logs its third role).
    int[] roles = {0};
    RuntimeException crash = assertThrows(RuntimeException.class, () -> new TrailtrimJob(SparkTestSession.get(),
        config("second", null), line -> {
          if (line.startsWith("  ") && ++roles[0] == 3) {
            throw new RuntimeException("executor lost");
          }
        }).run());
    assertEquals("executor lost", crash.getMessage());
    assertTrue(Files.exists(out.resolve("runs/second/roles")), "the interrupted run had written some files");
    assertTrue(Files.notExists(out.resolve("runs/second/_SUCCESS")));
    assertEquals("first", latestRunId());

    // Running it again under the same id starts clean and completes.
    new TrailtrimJob(SparkTestSession.get(), config("second", null), line -> {}).run();
    assertEquals("second", latestRunId());
    assertTrue(Files.exists(out.resolve("runs/second/_SUCCESS")));
  }

  @Test
  void keepsOnlyTheNewestCompleteRuns() throws IOException {
    for (String runId : List.of("r1", "r2", "r3")) {
      new TrailtrimJob(SparkTestSession.get(), config(runId, "runs.keep=2\nstate.enabled=false\n"), line -> {}).run();
    }
    Files.createDirectories(out.resolve("runs/in-progress"));
    new TrailtrimJob(SparkTestSession.get(), config("r4", "runs.keep=2\nstate.enabled=false\n"), line -> {}).run();
    try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
      assertEquals(List.of("in-progress", "r3", "r4"), runs.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals("r4", latestRunId());
  }
}
