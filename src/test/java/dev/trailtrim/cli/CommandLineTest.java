package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  private static String error(String... args) {
    return assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(args)).getMessage();
  }

  @Test
  void parsesRepeatableAndSingleFlagsInBothSpellings() {
    CommandLine.Parsed parsed = CommandLine.parse(new String[] {"--cloudtrail", "s3://a/AWSLogs", "--cloudtrail=./logs",
        "--iam-snapshot", "authz.json", "--output", "s3://out/trailtrim", "--from", "2026-11-01", "--to=2026-11-05",
        "--config", "my.properties", "--run-id", "nightly-1"});
    assertFalse(parsed.help());
    assertEquals(List.of("s3://a/AWSLogs", "./logs"), parsed.flags().cloudTrail());
    assertEquals(List.of("authz.json"), parsed.flags().iamSnapshots());
    assertEquals("s3://out/trailtrim", parsed.flags().output());
    assertEquals("2026-11-01", parsed.flags().from());
    assertEquals("2026-11-05", parsed.flags().to());
    assertNull(parsed.flags().lookbackDays());
    assertEquals("my.properties", parsed.configFile());
    assertEquals("nightly-1", parsed.flags().runId());
  }

  @Test
  void namesTheFlagThatIsWrong() {
    assertEquals("unknown flag --bucket", error("--bucket", "x"));
    assertEquals("missing flag --cloudtrail", error("--iam-snapshot", "a", "--output", "o"));
    assertEquals("missing flag --iam-snapshot (or --iam-live)", error("--cloudtrail", "a", "--output", "o"));
    assertEquals("missing flag --output", error("--cloudtrail", "a", "--iam-live"));
    assertEquals("flag --output needs a value", error("--cloudtrail", "a", "--iam-live", "--output"));
    assertEquals("flag --from needs a value", error("--cloudtrail", "a", "--from", "--to", "x"));
    assertEquals("flag --output given twice",
        error("--cloudtrail", "a", "--iam-live", "--output", "o", "--output", "p"));
    assertEquals("unexpected argument 'logs' (flags start with --)", error("logs"));
  }

  @Test
  void helpAndVersionNeedNothingElse() {
    assertTrue(CommandLine.parse(new String[] {"--help"}).help());
    assertTrue(CommandLine.parse(new String[] {"--version"}).version());
  }

  @Test
  void debugGoesWithAnyRun() {
    assertTrue(CommandLine.parse(new String[] {"--cloudtrail", "a", "--iam-live", "--debug", "--output", "o"}).debug());
    assertFalse(CommandLine.parse(new String[] {"--cloudtrail", "a", "--iam-live", "--output", "o"}).debug());
  }

  @Test
  void theUsageNamesTheExitCodes() {
    assertTrue(CommandLine.USAGE.contains("exit codes: 0 complete; 1 failed"), CommandLine.USAGE);
    assertTrue(CommandLine.USAGE.contains("2 wrong command line or input; 3 no records in the window"),
        CommandLine.USAGE);
  }

  @Test
  void lambdaInventoryIsRepeatableOrLive() {
    CommandLine.Parsed files = CommandLine.parse(new String[] {"--cloudtrail", "a", "--iam-live", "--output", "o",
        "--lambda-inventory", "inv/111122223333-us-east-1.json", "--lambda-inventory=s3a://b/inventory/"});
    assertEquals(List.of("inv/111122223333-us-east-1.json", "s3a://b/inventory/"), files.flags().lambdaInventories());
    assertFalse(files.flags().lambdaInventoryLive());
    CommandLine.Parsed live = CommandLine.parse(new String[] {"--cloudtrail", "a", "--iam-live", "--output", "o",
        "--lambda-inventory-live"});
    assertTrue(live.flags().lambdaInventoryLive());
    assertEquals(List.of(), live.flags().lambdaInventories());
    assertEquals("flag --lambda-inventory needs a value", error("--cloudtrail", "a", "--iam-live", "--output", "o",
        "--lambda-inventory"));
    assertTrue(CommandLine.USAGE.contains("--lambda-inventory URI"), CommandLine.USAGE);
    assertTrue(CommandLine.USAGE.contains("--lambda-inventory-live"), CommandLine.USAGE);
  }
}
