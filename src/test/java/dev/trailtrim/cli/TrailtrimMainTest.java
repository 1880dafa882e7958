package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** Exit codes and messages of the entry point, for mistakes caught before Spark starts. */
@ResourceLock(Resources.SYSTEM_OUT) // They swap System.out and err: nothing may print meanwhile
@ResourceLock(Resources.SYSTEM_ERR)
class TrailtrimMainTest {

  private record Result(int exitCode, String stderr) {}

  private static Result run(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Result(TrailtrimMain.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  @Test
  void aWrongCommandLineExitsWithTwoNamingTheFlagThenUsage() {
    Result unknown = run("--cloudtrail", "logs", "--iam-live", "--output", "out", "--bucket", "x");
    assertEquals(2, unknown.exitCode());
    String[] lines = unknown.stderr().split("\n");
    assertEquals("trailtrim: unknown flag --bucket", lines[0]);
    assertTrue(lines[1].startsWith("usage: trailtrim --cloudtrail URI"), lines[1]);
    assertEquals(2, run("--iam-live", "--output", "out").exitCode());
  }

  @Test
  void badValuesExitWithTwoBeforeSparkStarts() {
    Result badDate =
        run("--cloudtrail", "logs", "--iam-live", "--output", "out", "--from", "yesterday", "--to", "today");
    assertEquals(2, badDate.exitCode());
    assertTrue(badDate.stderr().startsWith("trailtrim: --from 'yesterday' is not an ISO date"), badDate.stderr());
    Result missingConfig =
        run("--cloudtrail", "logs", "--iam-live", "--output", "out", "--config", "/no/such.properties");
    assertEquals(2, missingConfig.exitCode());
    assertTrue(missingConfig.stderr().contains("/no/such.properties"), missingConfig.stderr());
  }

  @Test
  void helpExitsWithZero() {
    assertEquals(0, run("--help").exitCode());
  }
}
