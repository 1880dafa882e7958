package dev.trailtrim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trailtrim.config.JobConfigLoader.Flags;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobConfigLoaderTest {

  private static final Clock NOV_29 = Clock.fixed(Instant.parse("2026-11-29T02:30:00Z"), ZoneOffset.UTC);

  private static Flags flags(String from, String to, String lookback) {
    return new Flags(List.of("logs"), List.of("authz.json"), false, "out", from, to, lookback, null);
  }

  private static String error(Flags flags, String config) {
    return assertThrows(IllegalArgumentException.class, () -> JobConfigLoader.load(flags, config, NOV_29)).getMessage();
  }

  @Test
  void defaultsComeFromTheBundledConfAndEndYesterday() {
    JobConfig config = JobConfigLoader.load(flags(null, null, null), null, NOV_29);
    assertEquals(LocalDate.of(2026, 11, 28), config.window().to());
    assertEquals(90, config.window().days());
    assertEquals(1, config.lateArrivalDays());
    assertEquals(8, config.readAheadPerTask());
    assertEquals("20261129T023000Z", config.runId());
  }

  @Test
  void flagsAndConfigFileOverrideTheDefaults() {
    JobConfig config = JobConfigLoader.load(flags(null, null, "7"), "read.ahead.per.task = 32\nlate.arrival.days=0\n",
        NOV_29);
    assertEquals(LocalDate.of(2026, 11, 22), config.window().from());
    assertEquals(7, config.window().days());
    assertEquals(32, config.readAheadPerTask());
    assertEquals(0, config.lateArrivalDays());
    JobConfig explicit = JobConfigLoader.load(flags("2026-11-01", "2026-11-05", null), null, NOV_29);
    assertEquals(5, explicit.window().days());
  }

  @Test
  void safetyControlsDefaultToSafeAndCanBeSet() {
    JobConfig defaults = JobConfigLoader.load(flags(null, null, null), null, NOV_29);
    assertEquals(new SafetyControls(List.of(), List.of(), 30, 30, "TrailtrimKeep"),
        defaults.safety());
    JobConfig set = JobConfigLoader.load(flags(null, null, null), "skip.roles=arn:aws:iam::*:role/break-glass-*,"
        + " arn:aws:iam::1:role/x\nprotect.actions = kms:Decrypt\nmin.observation.days=0\nmin.role.age.days=90\n"
        + "opt.out.sid.prefix=\n", NOV_29);
    assertEquals(new SafetyControls(List.of("arn:aws:iam::*:role/break-glass-*",
        "arn:aws:iam::1:role/x"), List.of("kms:Decrypt"), 0, 90, ""), set.safety());
    assertEquals("min.observation.days must be a whole number from 0 to 3660, got '-1'",
        error(flags(null, null, null), "min.observation.days=-1"));
    assertEquals("protect.actions: 'decrypt' is not an IAM action pattern: write service:Action, e.g. kms:Decrypt or"
        + " ssm:GetParameter*", error(flags(null, null, null), "protect.actions=decrypt"));
  }

  @Test
  void badValuesAreNamedWithTheFix() {
    assertEquals("--from '2026/11/01' is not an ISO date: use YYYY-MM-DD, e.g. 2026-11-01",
        error(flags("2026/11/01", "2026-11-05", null), null));
    assertEquals("--from and --to go together: pass both (ISO dates, inclusive)",
        error(flags("2026-11-01", null, null), null));
    assertEquals("Pass either --lookback-days or --from/--to, not both",
        error(flags("2026-11-01", "2026-11-02", "3"), null));
    assertEquals("Window end 2026-11-01 is before its start 2026-11-05: pass --from on or before --to",
        error(flags("2026-11-05", "2026-11-01", null), null));
    assertEquals("--lookback-days must be a whole number from 1 to 3660, got 'ten'",
        error(flags(null, null, "ten"), null));
    assertEquals("read.ahead.per.task must be a whole number from 1 to 256, got '0'",
        error(flags(null, null, null), "read.ahead.per.task=0"));
    String unknown = error(flags(null, null, null), "lookback=3");
    assertEquals(true, unknown.startsWith("Unknown key 'lookback' in --config file: known keys are ["), unknown);
  }

  @Test
  void lambdaInventoryFilesOrLiveWithItsRegionsAndEndpoint() {
    Flags files =
        new Flags(List.of("logs"), List.of("authz.json"), false, "out", "2026-11-01", "2026-11-05", null, null,
            null, false, List.of(), false, List.of("inventory/"), false);
    JobConfig fromFiles = JobConfigLoader.load(files, null, NOV_29);
    assertEquals(List.of("inventory/"), fromFiles.lambdaInventories());
    assertEquals(List.of(), fromFiles.lambdaRegions(), "by default, the regions of the logs");
    assertEquals(null, fromFiles.lambdaEndpoint());
    Flags live = new Flags(List.of("logs"), List.of("authz.json"), false, "out", "2026-11-01", "2026-11-05", null, null,
        null, false, List.of(), false, List.of(), true);
    JobConfig fromLive =
        JobConfigLoader.load(live, "lambda.regions=us-east-1, eu-west-1\nlambda.endpoint=http://127.0.0.1:9",
            NOV_29);
    assertEquals(List.of("eu-west-1", "us-east-1"), fromLive.lambdaRegions());
    assertEquals("http://127.0.0.1:9", fromLive.lambdaEndpoint());
    assertEquals("lambda.regions lists AWS regions such as 'us-east-1,eu-west-1', got 'Ireland'",
        error(live, "lambda.regions=Ireland"));
    Flags both = new Flags(List.of("logs"), List.of("authz.json"), false, "out", "2026-11-01", "2026-11-05", null, null,
        null, false, List.of(), false, List.of("inventory/"), true);
    assertEquals("Pass either --lambda-inventory or --lambda-inventory-live, not both", error(both, null));
  }
}
