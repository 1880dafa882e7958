package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on copies of the sample logs with holes in them: an account without logs, a
 * window without logs, a region gap, a stopped trail recorded in the logs, a rejected day, an odd
 * organization folder name, a managed policy missing from the snapshot and a role whose snapshot
 * copies disagree. Each changes the verdicts, and no suggestion drops a permission that a call in
 * the hole could have used: every permission the complete logs call unused (and IAM could match)
 * is either still unused, because the logs that could show it are complete, or allowed by the
 * suggestion.
 */
class EvidenceRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String US_DAY_3 = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/";
  /** Every day must be covered, so one lost day shows. */
  private static final String ALL_DAYS = "\nmin.observation.days=5\n";

  @TempDir
  static Path work;
  static Path baseline;

  @BeforeAll
  static void runOnTheCompleteSamples() throws IOException {
    baseline = run("baseline", samples("baseline-logs"), List.of(snapshots()), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO);
  }

  @Test
  void anAccountWithoutLogsLosesNothing() throws IOException {
    Path logs = samples("no-main-account");
    deleteTree(logs.resolve("AWSLogs/111122223333"));
    Path run = run("no-main-account", logs, List.of(snapshots()), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO);
    JsonNode orders = report(run, "111122223333", "orders-api-role");
    assertEquals("no-logs-for-account", orders.path("evidence").path("missing").path("rule").asText());
    for (String role : List.of("orders-api-role", "queue-worker-role", "thumbnailer-role", "deprecated-webhook-role")) {
      assertKeepsWhatTheHoleCouldHide(run, "111122223333", role, true);
    }
    assertTrue(summary(run).path("roles").path("logsIncomplete").asLong() >= 6, summary(run).path("roles").toString());
  }

  @Test
  void aWindowWithoutAnyLogsCommitsNothing() throws IOException {
    Path output = work.resolve("out-empty-window");
    JobConfig job = JobConfigLoader.load(new JobConfigLoader.Flags(List.of(samples("empty-window").toString()),
        List.of(snapshots().toString()), false, output.toString(), "2026-07-01", "2026-09-30", null, "empty", null,
        false, JobRuns.sampleTrails(), false), JobRuns.sampleConfig(), Clock.systemUTC());
    TrailtrimJob.Outcome outcome = new TrailtrimJob(SparkTestSession.get(), job, System.out::println).run();
    assertEquals(TrailtrimJob.Status.NO_RECORDS, outcome.status(), "no suggestion can come of a window without logs");
    assertFalse(Files.exists(output.resolve("runs/empty")), "nothing of the run is left to download");
    assertFalse(Files.exists(output.resolve("latest.json")));
  }

  @Test
  void aRegionWithFourMissingDaysKeepsTheRegionalRolesPermissions() throws IOException {
    Path logs = samples("region-gap");
    for (String day : List.of("02", "03", "04", "05")) {
      deleteTree(logs.resolve("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/" + day));
    }
    Path run = run("region-gap", logs, List.of(snapshots()), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO);
    JsonNode thumbnailer = report(run, "111122223333", "thumbnailer-role");
    JsonNode missing = thumbnailer.path("evidence").path("missing");
    assertEquals("too-few-covered-days", missing.path("rule").asText());
    assertTrue(missing.path("detail").asText().contains("eu-west-1 is covered on 1 of 5 days"), missing.toString());
    assertKeepsWhatTheHoleCouldHide(run, "111122223333", "thumbnailer-role", false);
    // A role acting only in us-east-1 loses exactly what it lost before.
    assertEquals(policy(baseline, "111122223333", "orders-api-role"), policy(run, "111122223333", "orders-api-role"));
  }

  @Test
  void aRegionGapWithholdsTheRolesConditions() throws IOException {
    Path logs = samples("region-gap-conditions");
    for (String day : List.of("02", "03", "04", "05")) {
      deleteTree(logs.resolve("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/" + day));
    }
    Path run = run("region-gap-conditions", logs, List.of(snapshots()), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO,
        ALL_DAYS + "conditions.suggest=true\n");
    // thumbnailer-role acts in eu-west-1, seen on 1 of 5 days: what it did there on the others is unknown.
    assertFalse(Files.exists(run.resolve("policies-with-conditions/111122223333/thumbnailer-role.json")));
    JsonNode evidence = JSON.readTree(run.resolve("condition-evidence/111122223333/thumbnailer-role.json").toFile());
    assertTrue(evidence.path("withheld").asText().contains("too-few-covered-days"), evidence.toString());
    // orders-api-role acts in us-east-1 only, covered on every day: its conditions stand.
    assertTrue(Files.exists(run.resolve("policies-with-conditions/111122223333/orders-api-role.json")));
  }

  @Test
  void aStoppedTrailRecordedInTheLogsIsAGap() throws IOException {
    Path logs = samples("stopped");
    String user =
        "{\"type\":\"IAMUser\",\"accountId\":\"111122223333\",\"arn\":\"arn:aws:iam::111122223333:user/ops\"}";
    String calls = "{\"Records\":[" + trailCall("2026-11-03T10:00:00Z", "StopLogging", user) + ","
        + trailCall("2026-11-03T14:00:00Z", "StartLogging", user) + "]}";
    Files.write(
        logs.resolve(US_DAY_3).resolve("111122223333_CloudTrail_us-east-1_20261103T1405Z_stoppedtrail0001.json.gz"),
        JobRuns.gzip(calls));
    Path run = run("stopped", logs, List.of(snapshots()), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO);
    JsonNode hole = summary(run).path("coverage").path("byAccount").path("111122223333").path("us-east-1")
        .path("holes").get(0);
    assertEquals("2026-11-03", hole.path("day").asText());
    assertTrue(hole.path("loggingStopped").get(0).asText().startsWith("StopLogging acme-main-trail"), hole.toString());
    JsonNode orders = report(run, "111122223333", "orders-api-role");
    assertEquals("too-few-covered-days", orders.path("evidence").path("missing").path("rule").asText());
    assertKeepsWhatTheHoleCouldHide(run, "111122223333", "orders-api-role", false);
    assertKeepsWhatTheHoleCouldHide(run, "111122223333", "thumbnailer-role", false);
  }

  @Test
  void aRejectedFileMakesItsDayAHole() throws IOException {
    Path logs = samples("rejected");
    Files.write(
        logs.resolve(US_DAY_3).resolve("111122223333_CloudTrail_us-east-1_20261103T2355Z_truncated0000001.json.gz"),
        JobRuns.gzip("{\"Records\":[{\"eventTime\":\"2026-11-03T12:00:00Z\",\"eventSource\":\"s3.amazon"));
    Path run = run("rejected", logs, List.of(snapshots()), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO);
    JsonNode orders = report(run, "111122223333", "orders-api-role");
    String detail = orders.path("evidence").path("missing").path("detail").asText();
    assertTrue(detail.contains("rejected files on 2026-11-03"), detail);
    assertKeepsWhatTheHoleCouldHide(run, "111122223333", "orders-api-role", false);
    assertEquals(1, summary(run).path("coverage").path("byAccount").path("111122223333").path("us-east-1")
        .path("holes").get(0).path("rejectedFiles").asLong());
  }

  @Test
  void anOrganizationFolderWithAnOddIdIsStillRead() throws IOException {
    Path logs = samples("odd-org");
    Files.move(logs.resolve("AWSLogs/o-a1b2c3d4e5"), logs.resolve("AWSLogs/o-a1b2"));
    Files.createDirectories(logs.resolve("AWSLogs/old-exports"));
    Path run = run("odd-org", logs, List.of(snapshots()), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO);
    assertEquals(summary(baseline).path("records").path("read"), summary(run).path("records").path("read"));
    assertEquals(1, summary(run).path("files").path("foldersNotEntered").asLong());
    String notes = summary(run).path("input").path("notes").toString();
    assertTrue(notes.contains("old-exports") && notes.contains("not read"), notes);
  }

  @Test
  void aMissingManagedPolicyOrDisagreeingCopiesGiveNoPolicy() throws IOException {
    Path iam = work.resolve("iam-incomplete");
    Files.createDirectories(iam);
    ObjectNode main = (ObjectNode) JSON.readTree(snapshots().resolve("111122223333.json").toFile());
    ArrayNode policies = (ArrayNode) main.path("Policies");
    for (int i = policies.size() - 1; i >= 0; i--) {
      if (policies.get(i).path("PolicyName").asText().equals("report-exporter-access")) {
        policies.remove(i);
      }
    }
    Files.writeString(iam.resolve("111122223333.json"), JSON.writeValueAsString(main));
    Files.copy(snapshots().resolve("444455556666.json"), iam.resolve("444455556666.json"));
    // An older copy of the account's snapshot in which orders-api-role had one more inline policy.
    ObjectNode stale = (ObjectNode) JSON.readTree(snapshots().resolve("111122223333.json").toFile());
    for (JsonNode role : stale.path("RoleDetailList")) {
      if (role.path("RoleName").asText().equals("orders-api-role")) {
        ((ArrayNode) role.path("RolePolicyList")).addObject().put("PolicyName", "old-admin")
            .set("PolicyDocument", JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}]}"));
      }
    }
    Files.writeString(iam.resolve("111122223333-old.json"), JSON.writeValueAsString(stale));
    Path run = run("incomplete-grants", samples("incomplete-grants"), List.of(iam), JobRuns.SAMPLE_FROM,
        JobRuns.SAMPLE_TO);
    for (String role : List.of("report-exporter", "orders-api-role")) {
      assertFalse(Files.exists(run.resolve("policies/111122223333/" + role + ".json")), role + " gets no policy");
      JsonNode report = report(run, "111122223333", role);
      assertEquals(0, report.path("unused").size(), role);
      assertEquals("grants-incomplete", report.path("safety").get(0).path("rule").asText(), role);
    }
    String exporter = report(run, "111122223333", "report-exporter").path("safety").get(0).path("detail").asText();
    assertTrue(exporter.contains("report-exporter-access"), exporter);
    String orders = report(run, "111122223333", "orders-api-role").path("safety").get(0).path("detail").asText();
    assertTrue(orders.contains("111122223333-old.json"), orders);
    assertEquals(2, summary(run).path("roles").path("grantsIncomplete").asLong());
    // The other roles keep the policies of the complete snapshot.
    assertEquals(policy(baseline, "111122223333", "thumbnailer-role"), policy(run, "111122223333", "thumbnailer-role"));
  }

  /**
   * Every permission the complete logs call unused for this role (and that IAM could match) is now
   * either allowed by the suggestion and reported not observable, or, where {@code everything} is
   * false, still unused only if the logs that would show it are complete (IAM's in us-east-1).
   */
  private static void assertKeepsWhatTheHoleCouldHide(Path run, String account, String role, boolean everything)
      throws IOException {
    JsonNode before = report(baseline, account, role);
    JsonNode after = report(run, account, role);
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", PolicyParser.parse(policy(run, account, role))));
    Set<String> stillUnused = new java.util.TreeSet<>();
    after.path("unused").forEach(u -> stillUnused.add(u.path("action").asText() + " " + u.path("resource").asText()));
    int kept = 0;
    for (JsonNode unused : before.path("unused")) {
      if (unused.path("risk").asText().equals("not-effective") || unused.path("action").asText().endsWith(":*")) {
        continue; // IAM never matches it, or a per-service row: checked through its actions' rows elsewhere
      }
      String key = unused.path("action").asText() + " " + unused.path("resource").asText();
      if (stillUnused.contains(key)) {
        assertFalse(everything, key + " is still called unused although no log could show it");
        continue;
      }
      IamAction action = IamAction.parse(unused.path("action").asText());
      assertTrue(PolicyEvaluator.evaluate(suggested, action, unused.path("resource").asText()).allowed(),
          role + ": " + key + " could have been used in the hole, yet the suggestion drops it");
      kept++;
    }
    assertTrue(kept > 0, role + ": the hole must keep something the complete logs call unused");
    assertNotEquals(policy(baseline, account, role), policy(run, account, role));
  }

  private static String trailCall(String time, String name, String user) {
    return "{\"eventVersion\":\"1.09\",\"eventTime\":\"" + time + "\",\"eventSource\":\"cloudtrail.amazonaws.com\","
        + "\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111122223333\","
        + "\"eventCategory\":\"Management\",\"managementEvent\":true,\"userIdentity\":" + user
        + ",\"requestParameters\":"
        + "{\"name\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/acme-main-trail\"}}";
  }

  private static Path run(String name, Path logs, List<Path> iam, String from, String to) throws IOException {
    return run(name, logs, iam, from, to, ALL_DAYS);
  }

  private static Path run(String name, Path logs, List<Path> iam, String from, String to, String config)
      throws IOException {
    Path output = work.resolve("out-" + name);
    JobConfig job = JobConfigLoader.load(new JobConfigLoader.Flags(List.of(logs.toString()),
        iam.stream().map(Path::toString).toList(), false, output.toString(), from, to, null, name, null, false,
        JobRuns.sampleTrails(), false),
        JobRuns.sampleConfig() + config, Clock.systemUTC());
    return Path.of(new TrailtrimJob(SparkTestSession.get(), job, line -> System.out.println("[" + name + "] " + line))
        .run().runLocation().replaceFirst("^file:", ""));
  }

  private static Path samples(String name) throws IOException {
    Path copy = work.resolve(name);
    JobRuns.copyTree(JobRuns.sampleLogs().resolve("cloudtrail"), copy);
    return copy;
  }

  private static Path snapshots() {
    return JobRuns.sampleLogs().resolve("iam");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static JsonNode report(Path run, String account, String role) throws IOException {
    return JSON.readTree(run.resolve("roles/" + account + "/" + role + ".json").toFile());
  }

  private static String policy(Path run, String account, String role) throws IOException {
    return Files.readString(run.resolve("policies/" + account + "/" + role + ".json"));
  }

  private static JsonNode summary(Path run) throws IOException {
    return JSON.readTree(run.resolve("summary.json").toFile());
  }
}
