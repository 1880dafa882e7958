package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.testing.S3ProxyServer;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The same job against an S3-compatible server on 127.0.0.1: logs and snapshots read through
 * {@code s3://} (as on EMR), results written through {@code s3a://} and read back with the SDK.
 */
class S3EndToEndTest {

  @Test
  void readsAndWritesS3AndMatchesTheLocalRun() throws IOException {
    S3ProxyServer server = S3ProxyServer.shared();
    String logs = server.createUniqueBucket("cloudtrail");
    String results = server.createUniqueBucket("trailtrim");
    try (S3Client s3 = server.newS3Client()) {
      int uploaded = uploadSamples(s3, logs);
      assertTrue(uploaded > 50, "uploaded " + uploaded);

      TrailtrimJob.Outcome outcome = JobRuns.run(SparkTestSession.withS3(server),
          List.of("s3://" + logs + "/AWSLogs/"), List.of("s3://" + logs + "/snapshots/"),
          List.of("s3a://" + logs + "/lambda-inventory/"), "s3a://" + results + "/nightly", "on-s3",
          JobRuns.sampleConfig());
      assertEquals("s3a://" + results + "/nightly/runs/on-s3", outcome.runLocation());

      JsonNode latest = new ObjectMapper().readTree(
          s3.getObjectAsBytes(b -> b.bucket(results).key("nightly/latest.json")).asUtf8String());
      assertEquals("on-s3", latest.path("runId").asText());
      assertEquals("s3a://" + results + "/nightly/runs/on-s3", latest.path("path").asText());

      Map<String, String> onS3 = new TreeMap<>();
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(results).prefix("nightly/runs/on-s3/"))
          .contents()) {
        String path = object.key().substring("nightly/runs/on-s3/".length());
        onS3.put(path,
            JobRuns.content(path, s3.getObjectAsBytes(b -> b.bucket(results).key(object.key())).asByteArray()));
      }
      assertTrue(onS3.containsKey("_SUCCESS"));
      assertTrue(onS3.containsKey("summary.json"));

      Map<String, String> onDisk = JobRuns.files(JobRuns.sampleRun().runDir());
      Map<String, String> comparable = new TreeMap<>(onDisk);
      // report.html names the run and the input locations, as summary.json does: its overview must match.
      comparable.keySet().removeIf(k -> k.equals("_SUCCESS") || k.equals("summary.json") || k.equals("report.html"));
      assertEquals(overview(onDisk.get("report.html")), overview(onS3.get("report.html")));
      assertFalse(comparable.isEmpty());
      comparable.forEach((path, text) -> assertEquals(text, onS3.get(path), path + " differs between S3 and local"));
      assertEquals(onDisk.keySet(), onS3.keySet());
      // The summary differs only in the input locations it names.
      JsonNode s3Summary = new ObjectMapper().readTree(onS3.get("summary.json"));
      JsonNode localSummary = new ObjectMapper().readTree(onDisk.get("summary.json"));
      assertEquals(localSummary.path("files").path("read"), s3Summary.path("files").path("read"));
      assertEquals(localSummary.path("records"), s3Summary.path("records"));
      assertEquals(localSummary.path("roles"), s3Summary.path("roles"));
      assertEquals(localSummary.path("permissions"), s3Summary.path("permissions"));
      // The inventory read through s3a names the same functions and findings as the local files.
      assertEquals(localSummary.path("functions").path("findings"), s3Summary.path("functions").path("findings"));
      assertEquals(localSummary.path("functions").path("listedCompletely"),
          s3Summary.path("functions").path("listedCompletely"));
      assertEquals(9, s3Summary.path("functions").path("inventoryFunctions").asInt());
    }
  }

  /**
   * The sample logs into {@code bucket} as CloudTrail delivers them, with the IAM snapshots under
   * {@code snapshots/} and the Lambda inventory under {@code lambda-inventory/}; returns how many
   * CloudTrail files were uploaded.
   */
  static int uploadSamples(S3Client s3, String bucket) throws IOException {
    Path samples = JobRuns.sampleLogs();
    int cloudTrail = upload(s3, bucket, samples.resolve("cloudtrail"), "");
    upload(s3, bucket, samples.resolve("iam"), "snapshots/");
    upload(s3, bucket, samples.resolve("lambda-inventory"), "lambda-inventory/");
    return cloudTrail;
  }

  /** Every file under {@code dir} as an object under {@code prefix}; how many. */
  static int upload(S3Client s3, String bucket, Path dir, String prefix) throws IOException {
    int count = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String key = prefix + dir.relativize(file).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        count++;
      }
    }
    return count;
  }

  /** The overview table of report.html: every role and its figures. */
  private static String overview(String html) {
    int start = html.indexOf("<table id=\"overview\"");
    assertTrue(start >= 0, "report.html has an overview");
    return html.substring(start, html.indexOf("</table>", start));
  }
}
