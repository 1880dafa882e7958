package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.testing.LambdaRestApiServer;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions of each role, end to end: inferred from the logs without an inventory, listed live
 * through the SDK's Lambda client from a local endpoint speaking Lambda's REST-JSON protocol
 * (paged), and read from files of which one is broken.
 */
class FunctionsRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";

  @TempDir
  static Path out;

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

  private static Path run(String name, List<String> inventories, boolean live, String config) throws IOException {
    JobConfig job = JobConfigLoader.load(new JobConfigLoader.Flags(
        List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString()),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()), false, out.resolve(name).toString(),
        JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO, null, name, null, false, JobRuns.sampleTrails(), false, inventories,
        live), JobRuns.sampleConfig() + config, Clock.systemUTC());
    return Path.of(new TrailtrimJob(SparkTestSession.get(), job, line -> System.out.println("[" + name + "] " + line))
        .run().runLocation().replaceFirst("^file:", ""));
  }

  private static JsonNode report(Path run, String account, String role) throws IOException {
    return JSON.readTree(run.resolve("roles/" + account + "/" + role + ".json").toFile());
  }

  /** name region evidence seenActive, per function of the report. */
  private static List<String> functions(JsonNode report) {
    List<String> list = new ArrayList<>();
    report.path("functions").forEach(f -> list.add(f.path("name").asText() + " " + f.path("region").asText() + " "
        + f.path("evidence").asText() + " " + f.path("seenActive").asBoolean()));
    return list;
  }

  @Test
  void withoutAnInventoryEachLambdaRolesSessionsAreItsFunctions() throws IOException {
    Path run = JobRuns.sampleRunWithoutInventory().runDir();
    JsonNode renderer = report(run, ACCOUNT, "invoice-renderer-role");
    assertEquals(List.of("invoice-renderer us-east-1 inferred from logs true",
        "invoice-renderer-backfill us-east-1 inferred from logs true"), functions(renderer));
    assertEquals("arn:aws:lambda:us-east-1:111122223333:function:invoice-renderer",
        renderer.path("functions").get(0).path("arn").asText());
    assertTrue(renderer.path("functions").get(0).path("runtime").isNull(), "the logs do not say the runtime");
    assertEquals(List.of("thumbnailer eu-west-1 inferred from logs true"),
        functions(report(run, ACCOUNT, "thumbnailer-role")));
    assertEquals(List.of("billing-sync us-east-1 inferred from logs true"),
        functions(report(run, "444455556666", "billing-sync-role")));
    JsonNode idle = report(run, ACCOUNT, "deprecated-webhook-role");
    assertEquals(List.of(), functions(idle), "no call, no inventory: no function known");
    assertEquals(List.of("eu-west-1", "us-east-1"), texts(idle.path("evidence").path("regions")),
        "a role never seen may act anywhere in its account");
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile()).path("functions");
    assertEquals(LambdaInventory.NO_INVENTORY, summary.path("source").asText());
    assertEquals(List.of("shared-by-functions arn:aws:iam::111122223333:role/invoice-renderer-role"), findings(summary),
        "without an inventory no role is called unused by functions; the shared role shows in its session names");
    assertEquals(0, report(run, ACCOUNT, "csv-import-role").path("findings").size());
  }

  @Test
  void theLiveInventoryIsListedPageByPageInTheRegionsOfTheLogsAndKeptBesideTheRun() throws IOException {
    Map<String, JsonNode> byRegion = new TreeMap<>();
    for (String region : List.of("us-east-1", "eu-west-1")) {
      byRegion.put(region, JSON.readTree(JobRuns.sampleLogs().resolve("lambda-inventory/" + ACCOUNT + "-" + region
          + ".json").toFile()));
    }
    Path run;
    try (LambdaRestApiServer lambda = new LambdaRestApiServer(byRegion)) {
      lambda.setPageSize(2);
      run = run("live", List.of(), true, "\nlambda.endpoint=" + lambda.endpoint());
      List<String> asked = lambda.requests().stream().map(r -> r.region() + " " + (r.marker() != null)).toList();
      assertEquals(List.of("eu-west-1 false", "us-east-1 false", "us-east-1 true", "us-east-1 true", "us-east-1 true"),
          asked, "the regions of the logs; us-east-1's seven functions in pages of two");
    }
    assertEquals(List.of("invoice-renderer us-east-1 Lambda API (ListFunctions in us-east-1) true",
        "invoice-renderer-backfill us-east-1 Lambda API (ListFunctions in us-east-1) true"),
        functions(report(run, ACCOUNT, "invoice-renderer-role")));
    JsonNode webhook = report(run, ACCOUNT, "deprecated-webhook-role");
    assertEquals(List.of("webhook-receiver us-east-1 Lambda API (ListFunctions in us-east-1) false"),
        functions(webhook));
    assertEquals(List.of("us-east-1"), texts(webhook.path("evidence").path("regions")),
        "never seen, it acts where its only function runs");
    assertEquals(List.of("billing-sync us-east-1 inferred from logs true"),
        functions(report(run, "444455556666", "billing-sync-role")), "the credentials' account is the other one");
    for (String region : List.of("us-east-1", "eu-west-1")) {
      Path kept = run.resolve("lambda-inventory/" + ACCOUNT + "-" + region + ".json");
      assertEquals(byRegion.get(region).path("Functions").size(), JSON.readTree(kept.toFile()).path("Functions").size(),
          kept.toString());
    }
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile()).path("functions");
    assertEquals(List.of("function-role-unknown arn:aws:iam::111122223333:role/legacy-cron-role",
        "no-function-uses-role arn:aws:iam::111122223333:role/service-role/csv-import-role",
        "shared-by-functions arn:aws:iam::111122223333:role/invoice-renderer-role"), findings(summary));
    assertEquals(List.of("eu-west-1", "us-east-1"), texts(summary.path("listedCompletely").path(ACCOUNT)));
  }

  @Test
  void aBrokenInventoryFileIsReportedAndItsRegionCountsAsNotListed() throws IOException {
    Path inventory = out.resolve("broken-inventory");
    JobRuns.copyTree(JobRuns.sampleLogs().resolve("lambda-inventory"), inventory);
    Files.writeString(inventory.resolve(ACCOUNT + "-eu-west-1.json"), "{\"Functions\": [");
    Path run = run("broken", List.of(inventory.toString()), false, "");
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile()).path("functions");
    String problems = summary.path("problems").toString();
    assertTrue(problems.contains("111122223333-eu-west-1.json") && problems.contains("not valid JSON"), problems);
    assertEquals(List.of("us-east-1"), texts(summary.path("listedCompletely").path(ACCOUNT)));
    assertEquals(List.of("function-role-unknown arn:aws:iam::111122223333:role/legacy-cron-role",
        "shared-by-functions arn:aws:iam::111122223333:role/invoice-renderer-role"), findings(summary),
        "a function in eu-west-1 could use csv-import-role: nothing is said of it");
    assertEquals(List.of("thumbnailer eu-west-1 inferred from logs true"),
        functions(report(run, ACCOUNT, "thumbnailer-role")), "eu-west-1 is not listed: the logs name the function");
    // An idle role with a listed function acts where it runs only if no other function of it can hide elsewhere.
    JsonNode idle = report(run, ACCOUNT, "deprecated-webhook-role");
    assertEquals(List.of("eu-west-1", "us-east-1"), texts(idle.path("evidence").path("regions")));
    assertTrue(idle.path("evidence").path("regionsFrom").asText().contains("does not list account 111122223333 in"
        + " eu-west-1"), idle.path("evidence").path("regionsFrom").asText());
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
  }

  private static List<String> findings(JsonNode summary) {
    List<String> list = new ArrayList<>();
    summary.path("findings").forEach(f -> list.add(f.path("rule").asText() + " " + f.path("roleArn").asText()));
    return list;
  }

  private static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
