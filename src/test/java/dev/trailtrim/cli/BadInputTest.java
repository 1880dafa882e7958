package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad files beside good ones: the run completes, the policies are those of the good files alone,
 * and summary.json counts each bad file with its reason.
 */
class BadInputTest {

  private static final String DAY = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/";

  @TempDir
  static Path work;
  /** The plain sample run (shared): what the dirty copy of the logs must give too. */
  static Path cleanRun;
  static Path dirty;

  @BeforeAll
  static void runOnCleanAndOnDirtyCopies() throws IOException {
    Path logs = JobRuns.sampleLogs().resolve("cloudtrail");
    Path badLogs = work.resolve("bad");
    JobRuns.copyTree(logs, badLogs);
    Path day = badLogs.resolve(DAY);
    byte[] goodGzip;
    try (Stream<Path> files = Files.list(day)) {
      goodGzip =
          Files.readAllBytes(files.filter(f -> f.toString().endsWith(".json.gz")).sorted().findFirst().orElseThrow());
    }
    Files.write(day.resolve("111122223333_CloudTrail_us-east-1_20261103T2355Z_corruptgzip00001.json.gz"),
        Arrays.copyOf(goodGzip, goodGzip.length / 2));
    String someRecords = "{\"Records\":[{\"eventVersion\":\"1.09\",\"eventTime\":\"2026-11-03T12:00:00Z\","
        + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"userIdentity\":{\"type\":\"AssumedRole\"";
    Files.write(day.resolve("111122223333_CloudTrail_us-east-1_20261103T2356Z_truncatedjson001.json.gz"),
        JobRuns.gzip(someRecords));
    Files.write(day.resolve("111122223333_CloudTrail_us-east-1_20261103T2357Z_notcloudtrail001.json.gz"),
        JobRuns.gzip("{\"service\":\"billing\",\"items\":[1,2,3]}"));
    Files.write(day.resolve("111122223333_CloudTrail_us-east-1_20261103T2358Z_emptyfile000001.json.gz"), new byte[0]);
    Files.write(day.resolve("111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20261103T235900Z.json.gz"),
        JobRuns.gzip("{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2026-11-03T22:59:00Z\"}"));
    cleanRun = JobRuns.sampleRun().runDir();
    dirty = work.resolve("out-dirty");
    JobRuns.run(dev.trailtrim.testing.SparkTestSession.get(), List.of(badLogs.toString()),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()), dirty.toString(), "dirty");
  }

  /** Role reports without their {@code evidence}, which names the rejected day. */
  private static Map<String, String> withoutEvidence(Map<String, String> reports) {
    Map<String, String> stripped = new TreeMap<>();
    reports.forEach((path, text) -> {
      try {
        com.fasterxml.jackson.databind.node.ObjectNode report =
            (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(text);
        report.remove("evidence");
        stripped.put(path, report.toString());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    return stripped;
  }

  private static Map<String, String> under(Path runDir, String folder) {
    Map<String, String> files = new TreeMap<>();
    JobRuns.files(runDir).forEach((path, text) -> {
      if (path.startsWith(folder)) {
        files.put(path, text);
      }
    });
    return files;
  }

  @Test
  void theRunCompletesWithThePoliciesOfTheGoodFilesAlone() {
    Path dirtyRun = dirty.resolve("runs/dirty");
    assertTrue(Files.exists(dirtyRun.resolve("_SUCCESS")));
    Map<String, String> policies = under(cleanRun, "policies/");
    assertFalse(policies.isEmpty());
    assertEquals(policies, under(dirtyRun, "policies/"));
    assertEquals(withoutEvidence(under(cleanRun, "roles/")), withoutEvidence(under(dirtyRun, "roles/")));
    // The rejected files make their day a hole in the coverage, and the reports say so.
    String orders = under(dirtyRun, "roles/").get("roles/111122223333/service-role/orders-api-role.json");
    if (orders == null) {
      orders = under(dirtyRun, "roles/").get("roles/111122223333/orders-api-role.json");
    }
    assertTrue(orders.contains("\"notCovered\": \"2026-11-03\""), orders);
    assertEquals(JobRuns.files(cleanRun).get("unused-permissions.csv"),
        JobRuns.files(dirtyRun).get("unused-permissions.csv"));
  }

  @Test
  void summaryCountsEachBadFileWithItsReason() throws IOException {
    JsonNode clean = new ObjectMapper().readTree(cleanRun.resolve("summary.json").toFile());
    JsonNode dirty = new ObjectMapper().readTree(BadInputTest.dirty.resolve("runs/dirty/summary.json").toFile());
    JsonNode files = dirty.path("files");
    assertEquals(clean.path("files").path("planned").asLong() + 4, files.path("planned").asLong());
    assertEquals(clean.path("files").path("read").asLong(), files.path("read").asLong());
    assertEquals(Map.of("corrupt-gzip", 1L, "truncated-json", 1L, "not-cloudtrail", 1L, "empty-file", 1L),
        asMap(files.path("rejected")));
    assertEquals(4, files.path("rejectedTotal").asLong());
    assertEquals(clean.path("files").path("skipped").path("digest-file").asLong() + 1,
        files.path("skipped").path("digest-file").asLong());
    assertEquals(clean.path("records"), dirty.path("records"), "bad files add no records");
    // Every planned file is read or rejected; digests are never planned.
    assertEquals(files.path("planned").asLong(), files.path("read").asLong() + files.path("rejectedTotal").asLong());
  }

  @Test
  void rejectsAreSampledWithTheFileAndWhatWasWrong() throws IOException {
    Path rejects = dirty.resolve("runs/dirty/rejects");
    String corrupt = Files.readString(rejects.resolve("corrupt-gzip.jsonl"));
    assertTrue(corrupt.contains("corruptgzip00001.json.gz"), corrupt);
    assertTrue(corrupt.contains("\"reason\":\"corrupt-gzip\""), corrupt);
    assertTrue(Files.readString(rejects.resolve("truncated-json.jsonl")).contains("truncatedjson001"));
    assertTrue(Files.readString(rejects.resolve("not-cloudtrail.jsonl")).contains("notcloudtrail001"));
    assertTrue(Files.readString(rejects.resolve("empty-file.jsonl")).contains("emptyfile000001"));
    assertFalse(Files.exists(cleanRun.resolve("rejects")), "a clean run has nothing to reject");
  }

  private static Map<String, Long> asMap(JsonNode node) {
    Map<String, Long> map = new TreeMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asLong()));
    return map;
  }
}
