package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * The entry point's exit codes and messages, by running {@link TrailtrimMain#run} with real
 * command lines on the sample logs: 0 complete, 1 failed (here: the output is held), 2 wrong
 * input (one line, a stack trace only with --debug), 3 no records in the window.
 */
@ResourceLock(Resources.SYSTEM_OUT) // They swap System.out and err: nothing may print meanwhile
@ResourceLock(Resources.SYSTEM_ERR)
class ExitCodesTest {

  @TempDir
  static Path work;

  private record Result(int exitCode, String stdout, String stderr) {
    List<String> errorLines() {
      return stderr.isEmpty() ? List.of() : List.of(stderr.split("\n"));
    }
  }

  @BeforeAll
  static void sharedSession() {
    // TrailtrimMain leaves a session it did not start running: the tests' shared one.
    SparkTestSession.get();
  }

  private static Result main(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      return new Result(TrailtrimMain.run(args), stdout.toString(StandardCharsets.UTF_8),
          stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
      System.out.print(stdout.toString(StandardCharsets.UTF_8));
      System.err.print(stderr.toString(StandardCharsets.UTF_8));
    }
  }

  /** The sample run's command line (as scripts/run-local.sh passes it), with {@code extra} after it. */
  private static String[] sampleRun(String cloudTrail, String snapshots, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("--cloudtrail", cloudTrail, "--iam-snapshot", snapshots,
        "--output", output.toString(), "--from", JobRuns.SAMPLE_FROM, "--to", JobRuns.SAMPLE_TO,
        "--config", JobRuns.projectDir().resolve("conf/sample-run.properties").toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static String logs() {
    return JobRuns.sampleLogs().resolve("cloudtrail").toString();
  }

  private static String iam() {
    return JobRuns.sampleLogs().resolve("iam").toString();
  }

  private static String latestRunId(Path output) throws IOException {
    return new ObjectMapper().readTree(output.resolve("latest.json").toFile()).path("runId").asText();
  }

  private static void assertOneLineWithoutStackTrace(Result result, String start) {
    assertEquals(1, result.errorLines().size(), result.stderr());
    assertTrue(result.errorLines().get(0).startsWith(start), result.stderr());
  }

  @Test
  void aCompleteRunExitsWithZeroAndAWindowWithoutRecordsWithThreeLeavingLatestAlone() throws IOException {
    Path output = work.resolve("nights");
    Result complete = main(sampleRun(logs(), iam(), output, "--run-id", "full"));
    assertEquals(0, complete.exitCode(), complete.stderr());
    assertTrue(complete.stdout().contains("trailtrim: results in "), complete.stdout());
    assertEquals("full", latestRunId(output));

    Path emptyLogs = Files.createDirectories(work.resolve("no-logs-yet"));
    Result empty = main(sampleRun(emptyLogs.toString(), iam(), output, "--run-id", "empty"));
    assertEquals(3, empty.exitCode(), empty.stderr());
    assertEquals("", empty.stderr());
    assertTrue(empty.stdout().contains("trailtrim: no records in the window 2026-11-01..2026-11-05 (0 files planned,"
        + " 0 read, 0 rejected): check --cloudtrail and the window; run empty removed, latest.json still names run"
        + " full"), empty.stdout());
    assertEquals("full", latestRunId(output));
    assertFalse(Files.exists(output.resolve("runs/empty")), "no run folder without _SUCCESS is left behind");
    assertFalse(Files.exists(output.resolve("lock.json")));

    Result reused = main(sampleRun(logs(), iam(), output, "--run-id", "full"));
    assertEquals(2, reused.exitCode());
    assertOneLineWithoutStackTrace(reused, "trailtrim: Run ");
    assertTrue(reused.stderr().contains("/runs/full already exists and is complete: pick another --run-id"),
        reused.stderr());
  }

  @Test
  void aWindowWithoutRecordsOnAFreshOutputWritesNoLatest() throws IOException {
    Path output = work.resolve("fresh");
    Path emptyLogs = Files.createDirectories(work.resolve("empty-logs"));
    Result empty = main(sampleRun(emptyLogs.toString(), iam(), output));
    assertEquals(3, empty.exitCode(), empty.stderr());
    assertTrue(empty.stdout().contains("latest.json not written (no complete run yet)"), empty.stdout());
    assertFalse(Files.exists(output.resolve("latest.json")));
    try (var runs = Files.list(output.resolve("runs"))) {
      assertEquals(0, runs.count());
    } catch (java.nio.file.NoSuchFileException e) {
      // Nothing was ever written there: just as good.
    }
  }

  @Test
  void anOutputHeldByAnotherRunExitsWithOneAndOneLineNamingIt() throws IOException {
    Path output = Files.createDirectories(work.resolve("held"));
    // A live holder on this host (this very process), started an hour ago as far as the clock can tell.
    String lock = "{\"host\": \"" + java.net.InetAddress.getLocalHost().getHostName() + "\", \"pid\": "
        + ProcessHandle.current().pid() + ", \"runId\": \"20261129T020000Z\", \"startedAt\": \""
        + Instant.now().minusSeconds(3600) + "\"}\n";
    Files.writeString(output.resolve("lock.json"), lock);
    Result held = main(sampleRun(logs(), iam(), output));
    assertEquals(1, held.exitCode());
    assertOneLineWithoutStackTrace(held, "trailtrim: cannot run: " + output + " is held by run 20261129T020000Z"
        + " (host ");
    assertEquals(lock, Files.readString(output.resolve("lock.json")), "the holder's lock is untouched");
    assertFalse(Files.exists(output.resolve("runs")));
  }

  @Test
  void inputErrorsAreOneLineAndDebugAddsTheStackTrace() throws IOException {
    Path output = work.resolve("input-errors");
    Result snapshot = main(sampleRun(logs(), "/no/such/authz.json", output));
    assertEquals(2, snapshot.exitCode());
    assertOneLineWithoutStackTrace(snapshot,
        "trailtrim: IAM snapshot '/no/such/authz.json' does not exist: check --iam-snapshot");
    assertFalse(Files.exists(output.resolve("lock.json")), "released after the error");

    Result debug = main(sampleRun(logs(), "/no/such/authz.json", output, "--debug"));
    assertEquals(2, debug.exitCode());
    assertTrue(debug.errorLines().get(0).startsWith("trailtrim: IAM snapshot '/no/such/authz.json' does not exist"));
    assertTrue(debug.stderr().contains("\tat dev.trailtrim."), debug.stderr());

    Result logs = main(sampleRun("/no/such/AWSLogs", iam(), output));
    assertEquals(2, logs.exitCode());
    assertOneLineWithoutStackTrace(logs, "trailtrim: CloudTrail location '/no/such/AWSLogs' does not exist: check"
        + " --cloudtrail");

    Path file = Files.writeString(work.resolve("out.txt"), "a file, not a folder");
    Result outputFile = main(sampleRun(logs(), iam(), file));
    assertEquals(2, outputFile.exitCode());
    assertOneLineWithoutStackTrace(outputFile, "trailtrim: '" + file + "' is a file, not a folder: pass --output");
  }

  @Test
  void versionPrintsTheProjectVersionOfThePom() throws IOException {
    String pom = Files.readString(JobRuns.projectDir().resolve("pom.xml"));
    java.util.regex.Matcher project = java.util.regex.Pattern
        .compile("<artifactId>trailtrim</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(project.find(), "the pom names the project's version");
    Result version = main("--version");
    assertEquals(0, version.exitCode());
    assertEquals("trailtrim " + project.group(1) + "\n", version.stdout());
  }
}
