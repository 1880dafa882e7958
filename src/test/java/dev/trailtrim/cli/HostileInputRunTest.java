package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.report.SafeNames;
import dev.trailtrim.testing.HtmlChecks;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One night of hostile input beside the sample logs: legal but path-like role names, an account id
 * {@code ..}, malformed issuer ARNs, a string beyond Jackson's default limit, {@code Records: null},
 * a folder named like a log file, a link loop, a truncated IAM snapshot, and a role whose rendering
 * fails. The run completes; each bad thing costs only itself and is counted.
 */
class HostileInputRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** An account the sample has no logs of, so the sample roles' coverage is untouched. */
  private static final String ACCOUNT = "999988887777";
  private static final String DAY = "AWSLogs/" + ACCOUNT + "/CloudTrail/us-east-1/2026/11/03/";
  private static final String FILE = ACCOUNT + "_CloudTrail_us-east-1_20261103T1200Z_";
  private static final String LONG_NAME = "r".repeat(300);
  private static final String UNICODE_NAME = "caf\u00e9-r\u00f4le";
  /** Role ARNs as CloudTrail could name them, each making one call from the Lambda runtime. */
  private static final Map<String, String> HOSTILE_ROLES = Map.of(
      "svc..role", "arn:aws:iam::111122223333:role/svc..role",
      "account ..", "arn:aws:iam::..:role/dotdot",
      "path", "arn:aws:iam::" + ACCOUNT + ":role/team/a/pathed-role",
      "unicode", "arn:aws:iam::" + ACCOUNT + ":role/" + UNICODE_NAME,
      "long", "arn:aws:iam::" + ACCOUNT + ":role/" + LONG_NAME);
  private static final List<String> BAD_ARNS = List.of("arn:aws:iam::role/x", "arn:aws:iam", "arn:aws:iam::" + ACCOUNT
      + ":role/");

  @TempDir
  static Path work;
  static Path run;
  static JsonNode summary;
  static TrailtrimJob.Outcome outcome;

  @BeforeAll
  static void runOnHostileInput() throws IOException {
    Path logs = work.resolve("logs");
    JobRuns.copyTree(JobRuns.sampleLogs().resolve("cloudtrail"), logs);
    Path day = Files.createDirectories(logs.resolve(DAY));
    ArrayNode records = JSON.createArrayNode();
    HOSTILE_ROLES.values().forEach(arn -> records.add(record(arn, "sqs.amazonaws.com", "ListQueues")));
    BAD_ARNS.forEach(arn -> records.add(record(arn, "sqs.amazonaws.com", "ListQueues")));
    Files.write(day.resolve(FILE + "hostile.json.gz"), JobRuns.gzip(wrap(records)));
    // 20,000,001 characters: one more than Jackson reads by default.
    ObjectNode big = record(HOSTILE_ROLES.get("svc..role"), "sts.amazonaws.com", "GetCallerIdentity");
    big.putObject("requestParameters").put("padding", "x".repeat(20_000_001));
    Files.write(day.resolve(FILE + "bigstring.json.gz"), JobRuns.gzip(wrap(JSON.createArrayNode().add(big))));
    Files.write(day.resolve(FILE + "nullrecords.json.gz"), JobRuns.gzip("{\"Records\": null}"));
    Files.createDirectories(day.resolve(FILE + "folder.json.gz"));

    // A folder outside the layout, read whole, with a link back to itself.
    Path exports = Files.createDirectories(work.resolve("exports/sub"));
    Files.writeString(exports.resolve("export.json"), wrap(JSON.createArrayNode()
        .add(record(HOSTILE_ROLES.get("unicode"), "sqs.amazonaws.com", "ListQueues"))));
    Files.createSymbolicLink(exports.resolve("loop"), work.resolve("exports"));

    Path iam = Files.createDirectories(work.resolve("iam"));
    for (String account : List.of("111122223333", "444455556666")) {
      Files.copy(JobRuns.sampleLogs().resolve("iam/" + account + ".json"), iam.resolve(account + ".json"));
    }
    String partial = Files.readString(JobRuns.sampleLogs().resolve("iam/444455556666.json"));
    Files.writeString(iam.resolve("444455556666-partial.json"), partial.substring(0, partial.length() / 2));
    Files.writeString(iam.resolve("111122223333-extra.json"), JSON.writeValueAsString(JSON.createObjectNode()
        .<ObjectNode>set("RoleDetailList", JSON.createArrayNode()
            .add(role("svc..role", "2024-01-01T00:00:00Z"))
            // A CreateDate no Parquet timestamp holds: the role's table row cannot be made.
            .add(role("far-future-role", "+999999999-12-31T23:59:59Z")))
        .set("Policies", JSON.createArrayNode())));

    Path output = work.resolve("out");
    outcome = JobRuns.run(SparkTestSession.get(), List.of(logs.toString(), work.resolve("exports").toString()),
        List.of(iam.toString()), output.toString(), "hostile");
    run = output.resolve("runs/hostile");
    summary = JSON.readTree(run.resolve("summary.json").toFile());
  }

  private static ObjectNode record(String issuerArn, String source, String name) {
    ObjectNode record = JSON.createObjectNode();
    record.put("eventVersion", "1.09");
    ObjectNode identity = record.putObject("userIdentity");
    identity.put("type", "AssumedRole");
    identity.put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/x/fn");
    identity.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("arn", issuerArn);
    record.put("eventTime", "2026-11-03T12:00:00Z");
    record.put("eventSource", source);
    record.put("eventName", name);
    record.put("awsRegion", "us-east-1");
    record.put("userAgent", "aws-sdk-java/2.25 exec-env/AWS_Lambda_java17");
    record.put("recipientAccountId", ACCOUNT);
    record.put("managementEvent", true);
    record.put("eventCategory", "Management");
    return record;
  }

  private static ObjectNode role(String name, String createDate) {
    ObjectNode role = JSON.createObjectNode();
    role.put("RoleName", name);
    role.put("Path", "/");
    role.put("Arn", "arn:aws:iam::111122223333:role/" + name);
    role.put("CreateDate", createDate);
    role.set("AssumeRolePolicyDocument", json("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':"
        + "{'Service':'lambda.amazonaws.com'},'Action':'sts:AssumeRole'}]}"));
    role.set("RolePolicyList", JSON.createArrayNode().add(JSON.createObjectNode().put("PolicyName", "queues")
        .set("PolicyDocument", json("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':"
            + "['sqs:ListQueues','sqs:DeleteQueue'],'Resource':'*'}]}"))));
    role.set("AttachedManagedPolicies", JSON.createArrayNode());
    return role;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String wrap(ArrayNode records) throws IOException {
    return JSON.writeValueAsString(JSON.createObjectNode().set("Records", records));
  }

  private static String withoutEvidence(String report) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode node =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(report);
    node.remove("evidence");
    return node.toString();
  }

  private static JsonNode report(String account, String role) throws IOException {
    return JSON.readTree(run.resolve("roles/" + SafeNames.segment(account) + "/" + SafeNames.segment(role) + ".json")
        .toFile());
  }

  @Test
  void theRunCompletes() {
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
  }

  @Test
  void everyHostileNameGetsItsReportAtItsEncodedNameInsideTheRun() throws IOException {
    assertEquals("arn:aws:iam::111122223333:role/svc..role", report("111122223333", "svc..role").path("roleArn")
        .asText());
    assertTrue(Files.exists(run.resolve("policies/111122223333/svc..role.json")), "its suggested policy");
    assertEquals("..", JSON.readTree(run.resolve("roles/%2E./dotdot.json").toFile()).path("accountId").asText());
    assertEquals("pathed-role", report(ACCOUNT, "pathed-role").path("roleName").asText());
    assertEquals(UNICODE_NAME, JSON.readTree(run.resolve("roles/" + ACCOUNT + "/caf%C3%A9-r%C3%B4le.json").toFile())
        .path("roleName").asText());
    String longFile = SafeNames.segment(LONG_NAME) + ".json";
    assertTrue(longFile.length() <= SafeNames.MAX_BYTES + ".json".length(), longFile);
    assertEquals(LONG_NAME, JSON.readTree(run.resolve("roles/" + ACCOUNT + "/" + longFile).toFile())
        .path("roleName").asText(), "the report holds the full name the file name shortens");
    try (Stream<Path> all = Files.walk(work.resolve("out"))) {
      List<String> outside = all.filter(Files::isRegularFile).map(p -> work.resolve("out").relativize(p).toString())
          .filter(p -> !p.startsWith("runs/hostile/") && !p.equals("latest.json") && !p.startsWith("state/")
              && !p.equals(".lock.json.guard"))
          .toList();
      assertEquals(List.of(), outside, "nothing outside the run folder");
    }
  }

  @Test
  void malformedIssuerArnsAreRejectedRecordsCountedAndSampled() throws IOException {
    assertEquals(BAD_ARNS.size(), summary.path("records").path("rejected").path("record-bad-arn").asLong());
    String sampled = Files.readString(run.resolve("rejects/record-bad-arn.jsonl"));
    for (String arn : BAD_ARNS) {
      assertTrue(sampled.contains("'" + arn + "'"), sampled);
    }
  }

  @Test
  void theFilesThatCouldNotBeReadAreCountedAndTheLongStringIsRead() {
    JsonNode files = summary.path("files");
    assertEquals(1, files.path("rejected").path("not-cloudtrail").asLong(), files.toString());
    assertFalse(files.path("rejected").has("invalid-json"), "the 20 MB string no longer rejects its file");
    assertEquals(1, files.path("skipped").path("directory").asLong(), files.toString());
    assertEquals(1, files.path("skipped").path("symlink").asLong(), files.toString());
    assertEquals(1, summary.path("input").path("notes").size(), "the exports folder is read whole, and said so");
  }

  @Test
  void aLinkLoopDoesNotMultiplyRecords() throws IOException {
    JsonNode used = report(ACCOUNT, UNICODE_NAME).path("used");
    assertEquals(1, used.size(), used.toString());
    assertEquals(2, used.get(0).path("count").asLong(), "one call in the day folder, one in the export");
  }

  @Test
  void aRoleWhoseRenderingFailsGetsAReportSayingSoAndTheRunGoesOn() throws IOException {
    assertEquals(1, summary.path("roles").path("failed").asLong());
    JsonNode failed = report("111122223333", "far-future-role");
    assertTrue(failed.path("analysisFailed").asText().contains("+999999999-12-31T23:59:59Z is outside the years 1 to"
        + " 9999"), failed.toString());
    assertTrue(failed.path("suggestedPolicy").isNull());
    assertFalse(Files.exists(run.resolve("policies/111122223333/far-future-role.json")));
    assertTrue(outcome.roleLines().stream().anyMatch(line -> line.contains("111122223333/far-future-role")
        && line.contains("analysis failed")), outcome.roleLines().toString());
    // The other roles of the run are all there: its tables were written (a far-future time used to fail them all).
    assertTrue(Files.exists(run.resolve("tables/roles/part-00000.snappy.parquet")));
  }

  @Test
  void aTruncatedSnapshotCostsOnlyTheRolesOfItsAccount() throws IOException {
    String problems = summary.path("snapshotProblems").toString();
    assertTrue(problems.contains("444455556666-partial.json could not be read (not valid JSON"), problems);
    assertTrue(problems.contains("the roles of account 444455556666 have unknown grants"), problems);
    JsonNode billing = report("444455556666", "billing-sync-role");
    assertFalse(billing.path("grantsKnown").asBoolean(true));
    assertTrue(billing.path("suggestedPolicy").isNull());
    // Account 111122223333's sample roles are exactly as in the sample run, but for the evidence: this
    // run reads more roots (their coverage and the trail configuration's path differ).
    Path golden = JobRuns.projectDir().resolve("src/test/resources/golden/sample-run/roles/111122223333");
    Map<String, String> expected = new TreeMap<>();
    Map<String, String> actual = new TreeMap<>();
    try (Stream<Path> files = Files.list(golden)) {
      for (Path file : files.toList()) {
        expected.put(file.getFileName().toString(), withoutEvidence(Files.readString(file)));
        actual.put(file.getFileName().toString(), withoutEvidence(Files.readString(run.resolve("roles/111122223333")
            .resolve(file.getFileName()))));
      }
    }
    assertEquals(expected, actual);
  }

  @Test
  void theReportPageShowsEveryRoleUnderItsOwnName() throws IOException {
    String html = Files.readString(run.resolve("report.html"));
    assertEquals(List.of(), HtmlChecks.structureProblems(html));
    assertEquals(outcome.roleLines().size(), html.split("<tr data-order=", -1).length - 1, "one row a role");
    for (String name : List.of(UNICODE_NAME, LONG_NAME, "pathed-role")) {
      assertEquals(2, html.split("data-role=\"" + ACCOUNT + "/" + name + "\"", -1).length - 1, name);
    }
    assertTrue(html.contains("<span class=\"flag\">analysis failed</span>"), "the role whose rendering failed");
  }
}
