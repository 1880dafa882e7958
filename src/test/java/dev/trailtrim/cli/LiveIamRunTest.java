package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.testing.IamQueryApiServer;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --iam-live: the SDK's IamClient against a local endpoint that speaks IAM's Query API, serving
 * the sample account; throttled and paginated, the run equals the run on the same snapshot file.
 */
class LiveIamRunTest {

  @TempDir
  Path out;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDTRAILTRIMTEST");
    System.setProperty("aws.secretAccessKey", "trailtrim-test-secret");
  }

  @AfterAll
  static void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void liveRunEqualsTheSnapshotRunAndKeepsWhatItRead() throws IOException {
    Path snapshot = JobRuns.sampleLogs().resolve("iam/111122223333.json");
    List<String> logs = List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString());
    try (IamQueryApiServer iam = IamQueryApiServer.serving(snapshot)) {
      iam.setPageSize(3);
      iam.throttleNextRequests(1);
      JobRuns.run(SparkTestSession.get(), logs, List.of(), out.resolve("live").toString(), "live",
          JobRuns.sampleConfig() + "\niam.endpoint=" + iam.endpoint());
      assertTrue(iam.requestCount("GetAccountAuthorizationDetails") > 3, "paged and retried");
    }
    JobRuns.run(SparkTestSession.get(), logs, List.of(snapshot.toString()), out.resolve("file").toString(), "file");

    Map<String, String> live = JobRuns.files(out.resolve("live/runs/live"));
    Map<String, String> file = JobRuns.files(out.resolve("file/runs/file"));
    assertTrue(live.containsKey("iam-snapshot.json"), "the snapshot read live is kept beside the run");
    ObjectMapper json = new ObjectMapper();
    assertEquals(AuthorizationDetailsParser.parse(json.readTree(snapshot.toFile())).roles(),
        AuthorizationDetailsParser.parse(json.readTree(live.get("iam-snapshot.json"))).roles());
    Map<String, String> outputs = new TreeMap<>(file);
    outputs.keySet().removeIf(k -> !(k.startsWith("policies/") || k.startsWith("roles/") || k.endsWith(".csv")));
    assertFalse(outputs.isEmpty());
    outputs.forEach((path, text) -> assertEquals(text, live.get(path), path));
  }
}
