package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.ingest.CloudTrailFileParser;
import dev.trailtrim.ingest.RoleAttribution;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.ErrorCodes;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.RequestContext;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --suggest-conditions} on the sample logs: it adds policies-with-conditions/ and
 * condition-evidence/ and changes no other file (the golden files of the default run hold); every
 * call the sample's roles made that their suggestion allows is still allowed by the variant under
 * the call's own request context, read from the records themselves; and the nightly state carries
 * the contexts, so a night that reads two new days gives the conditions of a full read.
 */
class ConditionSuggestionsRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = JobRuns.projectDir().resolve("src/test/resources/golden/sample-run");
  private static final Clock NOV_4_NOON = Clock.fixed(Instant.parse("2026-11-04T12:00:00Z"), ZoneOffset.UTC);
  private static final Clock NOV_6_NOON = Clock.fixed(Instant.parse("2026-11-06T12:00:00Z"), ZoneOffset.UTC);
  private static final List<String> NEW_FOLDERS = List.of("policies-with-conditions/", "condition-evidence/");

  @TempDir
  static Path out;
  static Map<String, String> run;

  @BeforeAll
  static void runOnTheSamplesWithTheConfigKey() throws IOException {
    JobRuns.run(SparkTestSession.get(), List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString()),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()), out.resolve("with").toString(), "sample",
        JobRuns.sampleConfig() + "\nconditions.suggest=true\n");
    run = JobRuns.files(out.resolve("with/runs/sample"));
  }

  @Test
  void theFlagAddsTheVariantAndChangesNoOtherFile() {
    String checkout = JobRuns.projectDir().toAbsolutePath().normalize().toString();
    Map<String, String> golden = JobRuns.files(GOLDEN);
    int compared = 0;
    for (Map.Entry<String, String> file : golden.entrySet()) {
      if (file.getKey().startsWith("tables/")) {
        continue; // compared by their rows in SampleRunTest; the variant writes no table
      }
      String actual = run.get(file.getKey());
      assertTrue(actual != null, file.getKey() + " is missing");
      assertEquals(file.getValue(), actual.replace(checkout, file.getKey().endsWith(".html") ? "&lt;checkout&gt;"
          : "<checkout>"), file.getKey());
      compared++;
    }
    assertTrue(compared > 20, "compared " + compared);
    List<String> added = run.keySet().stream().filter(p -> !golden.containsKey(p) && !p.startsWith("tables/")
        && !p.equals("_SUCCESS")).toList();
    assertTrue(added.stream().allMatch(p -> NEW_FOLDERS.stream().anyMatch(p::startsWith)), added.toString());
    List<String> policies = golden.keySet().stream().filter(p -> p.startsWith("policies/")).toList();
    for (String policy : policies) {
      assertTrue(run.containsKey("policies-with-conditions/" + policy.substring("policies/".length())), policy);
      assertTrue(run.containsKey("condition-evidence/" + policy.substring("policies/".length())), policy);
    }
  }

  /**
   * Every call of the sample, in its own request context (its record's awsRegion, vpcEndpointId, invokedBy and
   * prefix), against the role's variant: where the suggestion allows it, so does the variant.
   */
  @Test
  void everyCallTheSuggestionAllowsTheVariantAllowsInItsOwnContext() throws IOException {
    EventTranslator translator = EventTranslator.create(IamCatalog.loadDefault());
    int checked = 0;
    int decided = 0;
    for (CloudTrailEvent event : sampleRecords()) {
      String role = RoleAttribution.roleArn(event);
      boolean allowedByIam = event.succeeded()
          || ErrorCodes.classify(event.errorCode()) == ErrorCodes.Kind.FAILED_AFTER_AUTHORIZATION;
      String name = role == null ? null : RoleContext.accountIdOf(role) + "/" + RoleContext.roleNameOf(role) + ".json";
      if (!allowedByIam || name == null || !run.containsKey("policies-with-conditions/" + name)) {
        continue;
      }
      GrantSet suggested = policy(run.get("policies/" + name));
      GrantSet withConditions = policy(run.get("policies-with-conditions/" + name));
      for (ActionOnResource access : translator.translate(event).accesses()) {
        if (!PolicyEvaluator.evaluate(suggested, access.action(), access.resource()).allowed()) {
          continue;
        }
        String prefix = event.requestParameters().path("prefix").isTextual()
            && !event.requestParameters().path("prefix").asText().isEmpty()
                ? event.requestParameters().path("prefix").asText() : null;
        RequestContext context = RequestContext.ofCall(access.action(), event.awsRegion(), event.vpcEndpointId(),
            event.identity().invokedBy(), prefix);
        // A Condition the suggestion kept from the grants (s3:x-amz-server-side-encryption) is one the record
        // cannot tell: it stays undecided, as in the suggestion; every condition proposed must hold.
        assertTrue(PolicyEvaluator.evaluate(withConditions, access.action(), access.resource(), context).allowed(),
            () -> name + ": " + access + " in " + context + " is refused by the variant");
        checked++;
        if (PolicyEvaluator.allowsUnder(withConditions, access.action(), access.resource(), context)) {
          decided++;
        }
      }
    }
    assertTrue(checked > 1000, "checked " + checked + " calls");
    assertTrue(decided > 500, "only " + decided + " calls were allowed with every Condition decided");
    JsonNode evidence = JSON.readTree(run.get("condition-evidence/111122223333/report-exporter.json"));
    assertTrue(evidence.path("conditions").size() > 0, evidence.toString());
    assertTrue(evidence.path("policies").get(0).path("withinLimit").asBoolean(), evidence.toString());
  }

  private static GrantSet policy(String json) {
    return GrantSet.of(new LabeledPolicy("suggested", PolicyParser.parse(json)));
  }

  private static List<CloudTrailEvent> sampleRecords() throws IOException {
    List<CloudTrailEvent> records = new ArrayList<>();
    long from = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    long to = Instant.parse("2026-11-06T00:00:00Z").toEpochMilli();
    try (Stream<Path> files = Files.walk(JobRuns.sampleLogs().resolve("cloudtrail"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json.gz") && f.toString().contains("/CloudTrail/"))
          .sorted().toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
          CloudTrailFileParser.parse(in.readAllBytes()).records().stream()
              .filter(r -> r.eventTimeMillis() >= from && r.eventTimeMillis() < to).forEach(records::add);
        }
      }
    }
    return records;
  }

  @Test
  void aNightThatReadsTwoNewDaysGivesTheConditionsOfAFullRead() throws IOException {
    Path nightly = out.resolve("nightly");
    runWithFlag(nightly, "n1", "2026-11-03", false, NOV_4_NOON, true, new ArrayList<>());
    TrailtrimJob.Outcome second = runWithFlag(nightly, "n2", "2026-11-05", false, NOV_6_NOON, true,
        new ArrayList<>());
    TrailtrimJob.Outcome rebuilt = runWithFlag(nightly, "n3", "2026-11-05", true, NOV_6_NOON, true,
        new ArrayList<>());
    assertTrue(second.filesReadNow() < rebuilt.filesReadNow(), "the second night read its first days again");
    Map<String, String> incremental = conditionFiles(nightly.resolve("runs/n2"));
    assertFalse(incremental.isEmpty());
    assertEquals(conditionFiles(nightly.resolve("runs/n3")), incremental);
  }

  @Test
  void daysStoredWithoutContextsGiveNoConditionsAndSaySo() throws IOException {
    Path nightly = out.resolve("off-then-on");
    runWithFlag(nightly, "n1", "2026-11-03", false, NOV_4_NOON, false, new ArrayList<>());
    List<String> log = new ArrayList<>();
    runWithFlag(nightly, "n2", "2026-11-05", false, NOV_6_NOON, true, log);
    assertTrue(conditionFiles(nightly.resolve("runs/n2")).isEmpty());
    assertTrue(log.stream().anyMatch(line -> line.contains("no conditions suggested") && line.contains("--rebuild")),
        log.toString());
  }

  @Test
  void theCommandLineFlagTurnsItOn() {
    String[] base = {"--cloudtrail", "logs", "--iam-snapshot", "iam.json", "--output", "out"};
    assertFalse(CommandLine.parse(base).flags().suggestConditions());
    String[] with = Stream.concat(Stream.of(base), Stream.of("--suggest-conditions")).toArray(String[]::new);
    assertTrue(CommandLine.parse(with).flags().suggestConditions());
    assertTrue(CommandLine.USAGE.contains("--suggest-conditions"));
  }

  private static TrailtrimJob.Outcome runWithFlag(Path output, String runId, String to, boolean rebuild, Clock clock,
      boolean suggestConditions, List<String> log) throws IOException {
    JobConfig config = JobConfigLoader.load(new JobConfigLoader.Flags(
        List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString()),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()), false, output.toString(), "2026-11-01", to, null,
        runId, null, rebuild, JobRuns.sampleTrails(), false, JobRuns.sampleInventory(), false, suggestConditions),
        JobRuns.sampleConfig(), clock);
    return new TrailtrimJob(SparkTestSession.get(), config, line -> {
      log.add(line);
      System.out.println("[job] " + line);
    }, clock).run();
  }

  private static Map<String, String> conditionFiles(Path runDir) {
    Map<String, String> files = new TreeMap<>();
    JobRuns.files(runDir).forEach((path, text) -> {
      if (NEW_FOLDERS.stream().anyMatch(path::startsWith)) {
        files.put(path, text);
      }
    });
    return files;
  }
}
