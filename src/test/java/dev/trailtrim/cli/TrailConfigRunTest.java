package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.evidence.TrailConfigParser;
import dev.trailtrim.testing.CloudTrailJsonApiServer;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trails' configuration as evidence, end to end: read from the files the AWS CLI prints, read
 * live through the SDK's CloudTrail client from a local endpoint speaking CloudTrail's JSON
 * protocol (paged), and set aside for an account whose logs record a change to its selectors.
 */
class TrailConfigRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static Path run(String name, Path logs, List<String> trailConfigs, boolean live, String config)
      throws IOException {
    JobConfig job = JobConfigLoader.load(new JobConfigLoader.Flags(List.of(logs.toString()),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()), false, out.resolve(name).toString(),
        JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO, null, name, null, false, trailConfigs, live),
        JobRuns.sampleConfig() + config, Clock.systemUTC());
    return Path.of(new TrailtrimJob(SparkTestSession.get(), job, line -> System.out.println("[" + name + "] " + line))
        .run().runLocation().replaceFirst("^file:", ""));
  }

  private static List<JsonNode> sampleTrailDocuments() throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(JobRuns.sampleLogs().resolve("trail-config"))) {
      for (Path file : files.sorted().toList()) {
        documents.add(JSON.readTree(file.toFile()));
      }
    }
    return documents;
  }

  @Test
  void theLiveConfigurationGivesTheSameVerdictsAsTheFilesAndIsKeptBesideTheRun() throws IOException {
    Path logs = JobRuns.sampleLogs().resolve("cloudtrail");
    // From the sample's trail configuration files: the shared run that run("files", logs, sampleTrails(), false, "")
    // would repeat under another run id.
    Path files = JobRuns.sampleRunWithoutInventory().runDir();
    Path live;
    try (CloudTrailJsonApiServer cloudTrail = new CloudTrailJsonApiServer(sampleTrailDocuments())) {
      cloudTrail.setPageSize(1);
      live = run("live", logs, List.of(), true, "\ncloudtrail.endpoint=" + cloudTrail.endpoint());
      assertEquals(2, cloudTrail.requestCount("ListTrails"), "two trails, one per page");
    }
    // The same trails and selectors; the live read also knows each trail is logging.
    assertEquals(TrailConfigParser.parse(sampleTrailDocuments()).stream().map(t -> List.of(t.trailArn(), t.selectors()))
        .toList(),
        TrailConfigParser.parse(JSON.readTree(live.resolve("trail-config.json").toFile())).stream()
            .map(t -> List.of(t.trailArn(), t.selectors())).toList(),
        "the configuration read live is kept as trail-config.json and parses to the same trails");
    Map<String, String> fromFiles = comparable(files);
    assertFalse(fromFiles.isEmpty());
    assertEquals(fromFiles, comparable(live));
    JsonNode summary = JSON.readTree(live.resolve("summary.json").toFile());
    assertEquals(2, summary.path("trailConfiguration").path("trails").size());
  }

  @Test
  void aConfigurationThatCannotBeReadIsReportedAndTheConservativeRulesStay() throws IOException {
    Path bad = out.resolve("bad-trails");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("describe-trails.json"), "{\"trailList\": [");
    Path run = run("bad-config", JobRuns.sampleLogs().resolve("cloudtrail"), List.of(bad.toString()), false, "");
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
    String problems = summary.path("trailConfiguration").path("problems").toString();
    assertTrue(problems.contains("describe-trails.json") && problems.contains("not valid JSON"), problems);
    JsonNode orders = JSON.readTree(run.resolve("roles/111122223333/orders-api-role.json").toFile());
    assertTrue(orders.path("evidence").path("trailFacts").asText().contains("could not be used"));
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
  }

  @Test
  void aSelectorChangeRecordedInTheWindowSetsTheConfigurationAsideForItsAccount() throws IOException {
    Path logs = out.resolve("changed-logs");
    JobRuns.copyTree(JobRuns.sampleLogs().resolve("cloudtrail"), logs);
    String change = "{\"Records\":[{\"eventVersion\":\"1.09\",\"eventTime\":\"2026-11-03T09:00:00Z\","
        + "\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"PutEventSelectors\",\"awsRegion\":\"us-east-1\","
        + "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\",\"managementEvent\":true,"
        + "\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"111122223333\"},\"requestParameters\":{\"trailName\":"
        + "\"acme-main-trail\"}}]}";
    Files.write(logs.resolve("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/"
        + "111122223333_CloudTrail_us-east-1_20261103T0905Z_selectorchange01.json.gz"), JobRuns.gzip(change));
    Path run = run("changed", logs, JobRuns.sampleTrails(), false, "");
    JsonNode orders = JSON.readTree(run.resolve("roles/111122223333/orders-api-role.json").toFile());
    String facts = orders.path("evidence").path("trailFacts").asText();
    assertTrue(facts.contains("PutEventSelectors acme-main-trail"), facts);
    JsonNode billing = JSON.readTree(run.resolve("roles/444455556666/billing-sync-role.json").toFile());
    assertTrue(billing.path("evidence").path("trailFacts").asText().startsWith("the trails' configuration"),
        "another account keeps the configuration");
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
    assertEquals(1, summary.path("trailConfiguration").path("notUsedForAccounts").size());
  }

  /** Policies, unused-permissions.csv and role reports without the sentence naming where the configuration came from. */
  private static Map<String, String> comparable(Path run) throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (Map.Entry<String, String> file : JobRuns.files(run).entrySet()) {
      String path = file.getKey();
      if (path.startsWith("policies/") || path.endsWith(".csv")) {
        files.put(path, file.getValue());
      } else if (path.startsWith("roles/")) {
        ObjectNode report = (ObjectNode) JSON.readTree(file.getValue());
        if (report.path("evidence").isObject()) {
          ((ObjectNode) report.path("evidence")).remove("trailFacts");
        }
        files.put(path, report.toString());
      }
    }
    return files;
  }

}
