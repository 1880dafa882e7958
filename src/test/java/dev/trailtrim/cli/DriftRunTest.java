package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nights on one output: the first has nothing to compare with; between the first and the
 * second the snapshot gains a grant (sample-logs/iam-night2/) and loses a role, and the logs gain
 * a denied call; before the third the second's state file is corrupted, which costs the
 * comparison and never the night.
 */
class DriftRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private static final String THUMBNAILER = "arn:aws:iam::111122223333:role/thumbnailer-role";
  private static final String ORDERS = "arn:aws:iam::111122223333:role/service-role/orders-api-role";
  private static final String CSV_IMPORT = "arn:aws:iam::111122223333:role/service-role/csv-import-role";
  /** Without the per-day state, so that the denied call added to day 5 is read whatever the state holds. */
  private static final String CONFIG = JobRuns.sampleConfig() + "\nstate.enabled=false\n";

  @TempDir
  static Path temp;
  static Path output;
  static List<String> night2Log = new ArrayList<>();
  static JsonNode first;
  static JsonNode second;

  @BeforeAll
  static void twoNights() throws IOException {
    output = temp.resolve("out");
    Path logs = temp.resolve("cloudtrail");
    JobRuns.copyTree(JobRuns.sampleLogs().resolve("cloudtrail"), logs);
    String org = JobRuns.sampleLogs().resolve("iam/444455556666.json").toString();
    run(logs, List.of(JobRuns.sampleLogs().resolve("iam/" + ACCOUNT + ".json").toString(), org), "n1", null);
    first = JSON.readTree(output.resolve("runs/n1/changes.json").toFile());

    // Night 2: the snapshot of the next night, without csv-import-role; one denied kms:Encrypt by orders-api.
    ObjectNode snapshot = (ObjectNode) JSON.readTree(JobRuns.sampleLogs().resolve("iam-night2/" + ACCOUNT + ".json")
        .toFile());
    ArrayNode roles = (ArrayNode) snapshot.get("RoleDetailList");
    for (int i = roles.size() - 1; i >= 0; i--) {
      if (roles.get(i).path("Arn").asText().equals(CSV_IMPORT)) {
        roles.remove(i);
      }
    }
    Path night2Snapshot = temp.resolve("night2-" + ACCOUNT + ".json");
    Files.writeString(night2Snapshot, JSON.writeValueAsString(snapshot));
    Path day5 = logs.resolve("AWSLogs/" + ACCOUNT + "/CloudTrail/us-east-1/2026/11/05");
    Files.write(day5.resolve(ACCOUNT + "_CloudTrail_us-east-1_20261105T2350Z_Dr1ftDr1ftDr1ft0.json.gz"),
        JobRuns.gzip("{\"Records\":[" + deniedEncrypt() + "]}"));
    run(logs, List.of(night2Snapshot.toString(), org), "n2", night2Log);
    second = JSON.readTree(output.resolve("runs/n2/changes.json").toFile());
  }

  private static void run(Path logs, List<String> snapshots, String runId, List<String> log) throws IOException {
    var config = dev.trailtrim.config.JobConfigLoader.load(new dev.trailtrim.config.JobConfigLoader.Flags(
        List.of(logs.toString()), snapshots, false, output.toString(), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO, null,
        runId, null, false, JobRuns.sampleTrails(), false, JobRuns.sampleInventory(), false), CONFIG,
        java.time.Clock.systemUTC());
    TrailtrimJob.Outcome outcome = new TrailtrimJob(SparkTestSession.get(), config, line -> {
      System.out.println("[job] " + line);
      if (log != null) {
        log.add(line);
      }
    }).run();
    assertEquals(TrailtrimJob.Status.COMPLETE, outcome.status());
  }

  /** A kms:Encrypt of orders-api-role that KMS refused, as CloudTrail records it. */
  private static String deniedEncrypt() {
    return """
        {"eventVersion": "1.11", "userIdentity": {"type": "AssumedRole",
         "principalId": "AROAL5LFKJGB5X6J72GQI:orders-api",
         "arn": "arn:aws:sts::111122223333:assumed-role/orders-api-role/orders-api", "accountId": "111122223333",
         "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAL5LFKJGB5X6J72GQI",
         "arn": "arn:aws:iam::111122223333:role/service-role/orders-api-role", "accountId": "111122223333",
         "userName": "orders-api-role"},
         "attributes": {"creationDate": "2026-11-05T23:40:00Z", "mfaAuthenticated": "false"}}},
         "eventTime": "2026-11-05T23:41:07Z", "eventSource": "kms.amazonaws.com", "eventName": "Encrypt",
         "awsRegion": "us-east-1", "sourceIPAddress": "52.94.133.131", "userAgent": "Boto3/1.34.2 md/Botocore#1.34.2",
         "errorCode": "AccessDenied", "errorMessage": "User is not authorized to perform: kms:Encrypt",
         "requestParameters": null, "responseElements": null, "requestID": "5f0d5c1e-2d1a-4b7e-9d7c-0c8d6a4b3e21",
         "eventID": "0d6f3b9e-7c1a-4e2b-8f5d-9a1b2c3d4e5f", "readOnly": false, "eventType": "AwsApiCall",
         "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}""";
  }

  private static JsonNode role(JsonNode changes, String roleArn) {
    for (JsonNode role : changes.path("roles")) {
      if (role.path("roleArn").asText().equals(roleArn)) {
        return role;
      }
    }
    throw new AssertionError("changes.json has no role " + roleArn + ": " + changes);
  }

  @Test
  void theFirstRunSaysThereIsNothingToCompareWith() throws IOException {
    assertEquals("first-run", first.path("comparison").asText());
    assertTrue(first.path("firstRun").asBoolean());
    assertTrue(first.path("previousRunId").isNull(), first.toString());
    assertTrue(first.path("reason").asText().startsWith("first run: no latest.json"), first.toString());
    assertEquals(0, first.path("roles").size());
    assertTrue(Files.exists(output.resolve("runs/n1/state/roles.json")), "every run keeps what the next compares");
  }

  @Test
  void theSecondNightNamesTheNewGrantItsRoleAndThePreviousRun() {
    assertEquals("compared", second.path("comparison").asText());
    assertEquals("n1", second.path("previousRunId").asText());
    JsonNode thumbnailer = role(second, THUMBNAILER);
    assertEquals(1, thumbnailer.path("newlyGranted").size(), thumbnailer.toString());
    JsonNode grant = thumbnailer.path("newlyGranted").get(0);
    assertEquals("s3:DeleteObject", grant.path("action").asText());
    assertEquals("arn:aws:s3:::acme-media-eu/uploads/*", grant.path("resource").asText());
    assertEquals("inline:thumbnailer", grant.path("policies").get(0).asText());
    assertEquals(0, thumbnailer.path("newlyRevoked").size());
    assertTrue(night2Log.stream().anyMatch(line -> line.contains("111122223333/thumbnailer-role")
        && line.contains("newly granted s3:DeleteObject on arn:aws:s3:::acme-media-eu/uploads/*")),
        night2Log.toString());
  }

  @Test
  void theSecondNightNamesTheRemovedRoleAndTheNewDenial() {
    assertEquals(List.of(CSV_IMPORT), texts(second.path("rolesRemoved")));
    assertEquals(0, second.path("rolesAdded").size());
    JsonNode orders = role(second, ORDERS);
    assertEquals(1, orders.path("newlyDenied").size(), orders.toString());
    assertEquals("kms:Encrypt", orders.path("newlyDenied").get(0).path("action").asText());
    assertEquals(1, orders.path("newlyDenied").get(0).path("count").asLong());
    assertEquals(0, orders.path("newlyDenied").get(0).path("previousCount").asLong());
    assertTrue(night2Log.contains("trailtrim: changes since run n1: roles removed 1, roles changed 2, newly granted 1,"
        + " newly denied 1 (changes.json)"), night2Log.toString());
  }

  @Test
  void summaryReportAndTableShowTheChanges() throws IOException {
    JsonNode summary = JSON.readTree(output.resolve("runs/n2/summary.json").toFile()).path("changes");
    assertEquals("n1", summary.path("previousRunId").asText());
    assertEquals(1, summary.path("counts").path("newlyGranted").asLong());
    assertEquals(1, summary.path("counts").path("rolesRemoved").asLong());
    String html = Files.readString(output.resolve("runs/n2/report.html"));
    assertTrue(html.contains("<h2>Changes since run n1"), "report.html has a changes section");
    assertTrue(html.contains("newly granted s3:DeleteObject on arn:aws:s3:::acme-media-eu/uploads/*"), html);
    List<Row> rows = SparkTestSession.get().read().parquet(output.resolve("runs/n2/tables/changes").toString())
        .collectAsList();
    List<String> kinds = rows.stream().map(r -> r.<String>getAs("change") + " " + r.<String>getAs("role_name") + " "
        + r.<String>getAs("action")).sorted().toList();
    assertEquals(List.of("newly_denied orders-api-role kms:Encrypt", "newly_granted thumbnailer-role s3:DeleteObject",
        "role_removed csv-import-role null"), kinds);
    assertTrue(rows.stream().allMatch(r -> "n1".equals(r.getAs("previous_run_id"))));
  }

  @Test
  void aCorruptPreviousRunCostsTheComparisonNotTheNight() throws IOException {
    Path logs = temp.resolve("cloudtrail");
    Files.writeString(output.resolve("runs/n2/state/roles.json"), "{\"format\": 1, \"runId\": \"n2\", \"roles\": [");
    run(logs, List.of(JobRuns.sampleLogs().resolve("iam").toString()), "n3", null);
    JsonNode third = JSON.readTree(output.resolve("runs/n3/changes.json").toFile());
    assertEquals("not-compared", third.path("comparison").asText());
    assertEquals("n2", third.path("previousRunId").asText());
    assertTrue(third.path("reason").asText().startsWith("runs/n2/state/roles.json cannot be read: it is not JSON"),
        third.toString());
    assertEquals("n3", JSON.readTree(output.resolve("latest.json").toFile()).path("runId").asText());
    assertTrue(Files.exists(output.resolve("runs/n3/_SUCCESS")));
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
