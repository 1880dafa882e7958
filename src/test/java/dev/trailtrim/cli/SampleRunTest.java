package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.Patterns;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.testing.HtmlChecks;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on the bundled sample logs: its outputs compared whole with golden files, checked
 * against the ground truth the generator wrote, against the invariants, and for determinism.
 * Regenerate the golden files with {@code -Dtrailtrim.update.golden=true} and review the diff.
 */
class SampleRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = JobRuns.projectDir().resolve("src/test/resources/golden/sample-run");

  @TempDir
  static Path out;
  static JobRuns.SharedRun first;
  static TrailtrimJob.Outcome outcome;
  static Map<String, String> run;
  static JsonNode groundTruth;
  static GrantSnapshot grants;

  @BeforeAll
  static void runOnTheSamples() throws IOException {
    first = JobRuns.sampleRun();
    outcome = first.outcome();
    run = JobRuns.files(first.runDir());
    groundTruth = JSON.readTree(JobRuns.sampleLogs().resolve("ground-truth.json").toFile());
    List<GrantSnapshot> snapshots = new ArrayList<>();
    for (String account : List.of("111122223333", "444455556666")) {
      snapshots.add(AuthorizationDetailsParser.parse(
          JSON.readTree(JobRuns.sampleLogs().resolve("iam/" + account + ".json").toFile())));
    }
    grants = GrantSnapshot.merge(snapshots);
  }

  /**
   * Everything but _SUCCESS, which holds the run's timing, with the checkout's location (named
   * in summary.json's inputs) replaced, so the golden files hold in any clone. The Parquet tables
   * are compared by their rows, in the file's order, as one JSON array written the way trailtrim
   * writes JSON (a field per line, in the table's column order): the golden files show what they
   * hold, a diff names the field that changed, and they do not depend on the Parquet writer's
   * version (their bytes are compared between runs).
   */
  private static Map<String, String> comparable(Path runDir) {
    String checkout = JobRuns.projectDir().toAbsolutePath().normalize().toString();
    Map<String, String> copy = new TreeMap<>();
    JobRuns.files(runDir).forEach((path, text) -> {
      if (path.endsWith(".parquet")) {
        List<String> rows = SparkTestSession.get().read().parquet(runDir.resolve(path).toString()).toJSON()
            .collectAsList();
        copy.put(path + ".json", rowsAsJson(rows));
      } else {
        copy.put(path, text.replace(checkout, path.endsWith(".html") ? "&lt;checkout&gt;" : "<checkout>"));
      }
    });
    copy.remove("_SUCCESS");
    return copy;
  }

  /** Spark's JSON rows as one array; numbers keep their exact text. */
  private static String rowsAsJson(List<String> rows) {
    ObjectMapper exact = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    ArrayNode array = exact.createArrayNode();
    for (String row : rows) {
      try {
        array.add(exact.readTree(row));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read a table row as JSON: " + row, e);
      }
    }
    return CanonicalJson.write(array);
  }

  @Test
  void outputsEqualTheGoldenFiles() throws IOException {
    Map<String, String> actual = comparable(first.runDir());
    if (Boolean.getBoolean("trailtrim.update.golden")) {
      if (Files.exists(GOLDEN)) {
        try (var walk = Files.walk(GOLDEN)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      for (Map.Entry<String, String> file : actual.entrySet()) {
        Path target = GOLDEN.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
    }
    assertTrue(Files.isDirectory(GOLDEN), "no golden files: run with -Dtrailtrim.update.golden=true");
    Map<String, String> expected = JobRuns.files(GOLDEN);
    assertEquals(expected.keySet(), actual.keySet(), "the run writes exactly the golden set of files");
    expected.forEach((path, text) -> assertEquals(text, actual.get(path), path));
  }

  @Test
  void identicalInputGivesByteIdenticalOutputs() throws IOException {
    Map<String, String> firstFiles = new TreeMap<>(run);
    Map<String, String> second = new TreeMap<>(JobRuns.files(JobRuns.sampleRerun().runDir()));
    firstFiles.remove("_SUCCESS");
    second.remove("_SUCCESS");
    assertTrue(firstFiles.keySet().containsAll(List.of("tables/roles/part-00000.snappy.parquet",
        "tables/permissions/part-00000.snappy.parquet", "tables/unmapped/part-00000.snappy.parquet")),
        firstFiles.keySet().toString());
    assertEquals(firstFiles, second);
  }

  @Test
  void theRunIsCommittedAndLatestNamesIt() throws IOException {
    assertTrue(run.containsKey("_SUCCESS"));
    JsonNode latest = JSON.readTree(first.output().resolve("latest.json").toFile());
    assertEquals("sample", latest.path("runId").asText());
    assertEquals(outcome.runLocation(), latest.path("path").asText());
  }

  @Test
  void everyRecordAndFileIsAccountedFor() throws IOException {
    JsonNode summary = JSON.readTree(run.get("summary.json"));
    JsonNode files = summary.path("files");
    JsonNode truthFiles = groundTruth.path("files");
    assertEquals(truthFiles.path("cloudTrailLogFiles").asLong(), files.path("planned").asLong());
    assertEquals(files.path("planned").asLong(), files.path("read").asLong() + files.path("rejectedTotal").asLong());
    JsonNode records = summary.path("records");
    assertEquals(truthFiles.path("records").asLong(), records.path("read").asLong());
    long accounted = records.path("used").asLong() + records.path("rejectedTotal").asLong()
        + records.path("duplicate").asLong();
    for (JsonNode skipped : records.path("skipped")) {
      accounted += skipped.asLong();
    }
    assertEquals(records.path("read").asLong(), accounted, "every record is used or counted with a reason");
  }

  private static PolicyDocument suggested(Map<String, String> run, String accountId, String roleName) {
    String text = run.get("policies/" + accountId + "/" + roleName + ".json");
    return text == null ? null : PolicyParser.parse(text);
  }

  private static boolean allows(PolicyDocument policy, String action, String resource) {
    return PolicyEvaluator.evaluate(GrantSet.of(new LabeledPolicy("suggested", policy)), IamAction.parse(action),
        resource).allowed();
  }

  /**
   * The shared role's policy per function, from its files: each allows what that function's sessions (and services
   * on the functions' behalf) used and nothing only the other function used, and lies within the role's
   * suggestion; a role of one function gets none.
   */
  @Test
  void eachFunctionOfTheSharedRoleGetsAPolicyWithinTheRolesThatAllowsItsCallsAndNotTheOthers() throws IOException {
    List<String> failures = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    for (JsonNode role : (Iterable<JsonNode>) () -> groundTruth.path("roles").elements()) {
      String account = role.path("accountId").asText();
      String roleName = role.path("roleName").asText();
      String folder = "per-function/" + account + "/" + roleName + "/";
      if (!role.path("perFunction").isArray()) {
        run.keySet().stream().filter(path -> path.startsWith(folder)).forEach(path -> failures.add(path
            + ": a role no two functions share gets no policy per function"));
        continue;
      }
      PolicyDocument roleSuggestion = suggested(run, account, roleName);
      for (JsonNode function : role.path("perFunction")) {
        String path = folder + function.path("region").asText() + "/" + function.path("function").asText() + ".json";
        checked.add(path);
        PolicyDocument policy = PolicyParser.parse(run.get(path));
        for (JsonNode probe : function.path("mustAllow")) {
          if (!allows(policy, probe.path("action").asText(), probe.path("resource").asText())) {
            failures.add(path + " does not allow " + probe.path("action").asText() + " on " + probe.path("resource")
                .asText() + " (" + probe.path("why").asText() + ")");
          }
        }
        for (JsonNode probe : function.path("mustNotAllow")) {
          if (allows(policy, probe.path("action").asText(), probe.path("resource").asText())) {
            failures.add(path + " allows " + probe.path("action").asText() + " on " + probe.path("resource").asText()
                + ", which only another function used");
          }
        }
        for (Statement statement : policy.statements()) {
          for (IamAction action : statement.effect() == Effect.ALLOW
              ? dev.trailtrim.policy.PolicyTightener.grantedActions(statement, IamCatalog.loadDefault())
              : List.<IamAction>of()) {
            for (String resource : statement.resources()) {
              if (!allows(roleSuggestion, action.toString(), resource)) {
                failures.add(path + " allows " + action + " on " + resource + ", which the role's suggestion does not");
              }
            }
          }
        }
      }
    }
    assertEquals(List.of("per-function/111122223333/invoice-renderer-role/us-east-1/invoice-renderer.json",
        "per-function/111122223333/invoice-renderer-role/us-east-1/invoice-renderer-backfill.json"), checked);
    assertEquals(List.of(), failures);
    JsonNode split = JSON.readTree(run.get("roles/111122223333/invoice-renderer-role.json")).path("perFunction");
    assertEquals(2, split.path("functions").size());
    assertEquals("per-function/111122223333/invoice-renderer-role/us-east-1/invoice-renderer-backfill.json",
        split.path("functions").get(1).path("files").get(0).asText());
  }

  @Test
  void suggestionsMatchTheGroundTruth() {
    assertEquals(List.of(), groundTruthFailures(run));
  }

  /**
   * With a limit so low that the sample's busiest actions (log streams, S3 objects) are compacted
   * into patterns, the suggestions still allow every call of the ground truth and stay inside
   * today's grants.
   */
  @Test
  void compactingManyResourcesKeepsEveryCallAllowedAndNothingWider() throws IOException {
    Path compactedOut = out.resolve("compacted");
    JobRuns.run(SparkTestSession.get(), List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString()),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()), compactedOut.toString(), "compacted",
        JobRuns.sampleConfig() + "\nusage.max.resources.per.action=10\n");
    Map<String, String> compacted = JobRuns.files(compactedOut.resolve("runs/compacted"));
    JsonNode compaction = JSON.readTree(compacted.get("summary.json")).path("compaction");
    assertTrue(compaction.path("compactedActions").asLong() > 0, compaction.toString());
    assertEquals(compaction.path("compactedActions").asLong() > 0, compaction.path("patterns").size() > 0);
    assertEquals(List.of(), groundTruthFailures(compacted));
    assertEquals(List.of(), grantFailures(compacted));
  }

  private static List<String> groundTruthFailures(Map<String, String> run) {
    List<String> failures = new ArrayList<>();
    groundTruth.path("roles").fields().forEachRemaining(entry -> {
      JsonNode role = entry.getValue();
      String accountId = role.path("accountId").asText();
      String roleName = role.path("roleName").asText();
      PolicyDocument policy = suggested(run, accountId, roleName);
      boolean lambda = role.path("lambdaExecutionRole").asBoolean();
      boolean known = role.path("inIamSnapshot").asBoolean();
      if (!lambda || !known) {
        if (policy != null) {
          failures.add(roleName + ": no policy expected (lambda " + lambda + ", in snapshot " + known + ")");
        }
        if (lambda && !run.containsKey("roles/" + accountId + "/" + roleName + ".json")) {
          failures.add(roleName + ": a Lambda role missing from the snapshot still gets a report");
        }
        return;
      }
      if (policy == null) {
        failures.add(roleName + ": no suggested policy");
        return;
      }
      for (String list : List.of("mustAllow", "observedUse", "authorizedButFailed", "keepAsNotObservable")) {
        for (JsonNode item : role.path(list)) {
          for (String resource : resources(item)) {
            if (!allows(policy, item.path("action").asText(), resource)) {
              failures.add(roleName + ": " + list + " " + item.path("action").asText() + " on " + resource
                  + " is not allowed by the suggestion");
            }
          }
        }
      }
      for (JsonNode item : role.path("unobservableUse")) {
        for (String resource : resources(item)) {
          if (!allows(policy, item.path("action").asText(), resource)) {
            failures.add(
                roleName + ": not-observable " + item.path("action").asText() + " on " + resource + " was dropped");
          }
        }
      }
      for (String list : List.of("mustNotAllow", "denied")) {
        for (JsonNode item : role.path(list)) {
          for (String resource : resources(item)) {
            if (allows(policy, item.path("action").asText(), resource)) {
              failures.add(roleName + ": " + list + " " + item.path("action").asText() + " on " + resource
                  + " is allowed by the suggestion");
            }
          }
        }
      }
    });
    for (JsonNode noise : groundTruth.path("notLambdaExecutionRoles")) {
      String principal = noise.path("principal").asText();
      if (principal.contains(":role/")) {
        String name = principal.substring(principal.lastIndexOf('/') + 1);
        String account = principal.split(":")[4];
        if (run.containsKey("policies/" + account + "/" + name + ".json")
            || run.containsKey("roles/" + account + "/" + name + ".json")) {
          failures.add(principal + " is not a Lambda execution role but got outputs");
        }
      }
    }
    return failures;
  }

  /** The concrete resources of a ground-truth item: its examples, else its resource. */
  private static List<String> resources(JsonNode item) {
    List<String> resources = new ArrayList<>();
    item.path("examples").forEach(example -> resources.add(example.path("resource").asText()));
    if (resources.isEmpty()) {
      resources.add(item.path("resource").asText());
    }
    return resources;
  }

  @Test
  void suggestionsNeverGrantMoreThanTheRoleHasAndFitIam() {
    assertEquals(List.of(), grantFailures(run));
  }

  private static List<String> grantFailures(Map<String, String> run) {
    IamCatalog catalog = IamCatalog.loadDefault();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, String> file : run.entrySet()) {
      if (!file.getKey().startsWith("policies/")) {
        continue;
      }
      String[] parts = file.getKey().split("/");
      String roleName = parts[2].replace(".json", "");
      RoleGrants role = grants.roles().stream()
          .filter(r -> r.accountId().equals(parts[1]) && r.roleName().equals(roleName)).findFirst().orElseThrow();
      PolicyDocument policy = PolicyParser.parse(file.getValue());
      if (PolicyJson.sizeWithoutWhitespace(policy) > PolicyJson.INLINE_ROLE_LIMIT) {
        failures.add(file.getKey() + " is over IAM's inline size limit");
      }
      for (Statement statement : policy.statements()) {
        if (statement.effect() != Effect.ALLOW) {
          continue;
        }
        for (String pattern : statement.actions()) {
          List<ActionInfo> actions = catalog.matching(pattern);
          if (actions.isEmpty()) {
            failures.add(file.getKey() + ": " + pattern + " matches no catalog action");
          }
          for (ActionInfo action : actions) {
            for (String resource : statement.resources()) {
              checked++;
              if (!grantedCovers(role.grantSet(), action.action(), resource)) {
                failures.add(file.getKey() + ": " + action.action() + " on " + resource + " is not granted today");
              }
            }
          }
        }
      }
    }
    if (checked <= 50) {
      failures.add("only " + checked + " suggested (action, resource) pairs checked");
    }
    return failures;
  }

  /**
   * Whether the granted policies allow {@code action} on every resource {@code pattern} names:
   * some Allow statement's resource pattern covers it, the boundary (if any) too, and the
   * evaluator allows a concrete instance of it.
   */
  private static boolean grantedCovers(GrantSet granted, IamAction action, String pattern) {
    String instance = pattern.replace("${*}", "*").replace("*", "x").replace("?", "x");
    if (!PolicyEvaluator.evaluate(granted, action, instance).allowed()) {
      return false;
    }
    List<LabeledPolicy> scopes = new ArrayList<>(granted.policies());
    boolean identityCovers = covered(scopes, action, pattern);
    return identityCovers && (granted.boundary() == null || covered(List.of(granted.boundary()), action, pattern));
  }

  private static boolean covered(List<LabeledPolicy> policies, IamAction action, String pattern) {
    for (LabeledPolicy policy : policies) {
      for (Statement statement : policy.document().statements()) {
        if (statement.effect() == Effect.ALLOW && PolicyEvaluator.actionApplies(statement, action)) {
          if (statement.resources().isEmpty()) {
            return true;
          }
          for (String granted : statement.resources()) {
            if (Patterns.resourceCovers(granted, pattern, Patterns.Variables.MATCH_NOTHING)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  @Test
  void theSummaryNamesTheVersionThatWroteItFirst() throws IOException {
    JsonNode summary = JSON.readTree(run.get("summary.json"));
    assertFalse(TrailtrimMain.version().equals("unknown"), "no version.properties on the class path");
    assertEquals(TrailtrimMain.version(), summary.path("trailtrimVersion").asText());
    assertEquals("trailtrimVersion", summary.fieldNames().next());
  }

  /**
   * A Lambda role missing from the snapshot gets a policy of what it was seen to do, in its own
   * folder, every statement marked as not checked against a grant; its report and line say so.
   */
  @Test
  void rolesMissingFromTheSnapshotGetAnObservedOnlyPolicyApart() throws IOException {
    List<String> checked = new ArrayList<>();
    for (JsonNode role : (Iterable<JsonNode>) () -> groundTruth.path("roles").elements()) {
      if (!role.path("lambdaExecutionRole").asBoolean() || role.path("inIamSnapshot").asBoolean()) {
        continue;
      }
      String file = role.path("accountId").asText() + "/" + role.path("roleName").asText() + ".json";
      assertFalse(run.containsKey("policies/" + file), file);
      PolicyDocument observed = PolicyParser.parse(run.get("policies-observed/" + file));
      for (Statement statement : observed.statements()) {
        assertTrue(statement.sid().startsWith("ObservedNotCheckedAgainstGrants"), statement.sid());
      }
      for (JsonNode item : role.path("mustAllow")) {
        boolean recorded = item.path("why").asText().equals("used, recorded");
        for (String resource : resources(item)) {
          assertEquals(recorded, allows(observed, item.path("action").asText(), resource),
              item + ": only what the logs show is in it");
        }
      }
      JsonNode report = JSON.readTree(run.get("roles/" + file)).path("observedOnlyPolicy");
      assertFalse(report.path("checkedAgainstGrants").asBoolean(true), report.toString());
      assertEquals("policies-observed/" + file, report.path("files").get(0).path("file").asText());
      assertTrue(outcome.roleLines().stream().anyMatch(line -> line.contains(role.path("roleName").asText())
          && line.endsWith("observed-only policy, not checked against any grant: policies-observed/" + file)),
          outcome.roleLines().toString());
      checked.add(file);
    }
    assertEquals(List.of("111122223333/legacy-cron-role.json"), checked);
    assertEquals(1, JSON.readTree(run.get("summary.json")).path("roles").path("withObservedOnlyPolicy").asInt());
  }

  @Test
  void eachRoleReportListsTheFunctionsOfTheInventoryAndWhichRanAsTheGroundTruthSays() throws IOException {
    groundTruth.path("roles").fields().forEachRemaining(entry -> {
      JsonNode role = entry.getValue();
      if (!role.path("lambdaExecutionRole").asBoolean()) {
        return;
      }
      String path = "roles/" + role.path("accountId").asText() + "/" + role.path("roleName").asText() + ".json";
      JsonNode report;
      try {
        report = JSON.readTree(run.get(path));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      List<String> expected = new ArrayList<>();
      role.path("inventoryFunctions").forEach(f -> expected.add(String.join(" ", f.path("name").asText(),
          f.path("region").asText(), f.path("arn").asText(), f.path("runtime").asText(),
          f.path("architecture").asText(),
          f.path("lastModified").asText(), f.path("activeInWindow").asText(), "inventory file " + role.path("accountId")
              .asText() + "-" + f.path("region").asText() + ".json")));
      List<String> reported = new ArrayList<>();
      report.path("functions").forEach(f -> reported.add(String.join(" ", f.path("name").asText(),
          f.path("region").asText(), f.path("arn").asText(), f.path("runtime").asText(),
          f.path("architecture").asText(),
          f.path("lastModified").asText(), f.path("seenActive").asText(), f.path("evidence").asText())));
      assertEquals(expected, reported, path);
    });
    List<String> expectedFindings = new ArrayList<>();
    groundTruth.path("lambdaInventory").path("findings").forEach(f -> expectedFindings.add(f.path("rule").asText() + " "
        + f.path("roleArn").asText() + " " + f.path("function").asText()));
    List<String> findings = new ArrayList<>();
    JSON.readTree(run.get("summary.json")).path("functions").path("findings").forEach(f -> findings.add(
        f.path("rule").asText() + " " + f.path("roleArn").asText() + " " + f.path("function").asText()));
    assertEquals(expectedFindings, findings);
    JsonNode orphan = JSON.readTree(run.get("roles/111122223333/csv-import-role.json"));
    assertEquals("no-function-uses-role", orphan.path("findings").get(0).path("rule").asText());
    assertTrue(orphan.path("findings").get(0).path("detail").asText().contains("no activity in the window"));
  }

  @Test
  void theRunPrintsOneLinePerLambdaRole() {
    long lambdaRoles = 0;
    for (JsonNode role : (Iterable<JsonNode>) () -> groundTruth.path("roles").elements()) {
      lambdaRoles += role.path("lambdaExecutionRole").asBoolean() ? 1 : 0;
    }
    assertEquals(lambdaRoles, outcome.roleLines().size());
    assertFalse(outcome.roleLines().isEmpty());
    for (String line : outcome.roleLines()) {
      if (!line.contains("grants unknown")
          && !line.matches(".*\\d+ granted -> +\\d+ suggested actions; \\d+ actions unused.*")) {
        fail("unexpected role line: " + line);
      }
    }
  }

  /** report.html: one document, nothing loaded from elsewhere, every Lambda role in the overview and in a section. */
  @Test
  void theReportPageShowsEveryRoleAndLoadsNothingFromElsewhere() throws IOException {
    String html = run.get("report.html");
    assertEquals(List.of(), HtmlChecks.structureProblems(html));
    assertEquals(List.of(), HtmlChecks.outsideReferences(html));
    List<String> roles = new ArrayList<>();
    for (Map.Entry<String, String> file : run.entrySet()) {
      if (file.getKey().startsWith("roles/")) {
        JsonNode report = JSON.readTree(file.getValue());
        roles.add(report.path("accountId").asText() + "/" + report.path("roleName").asText());
      }
    }
    assertEquals(outcome.roleLines().size(), roles.size());
    for (String role : roles) {
      assertEquals(2, html.split("data-role=\"" + role + "\"", -1).length - 1,
          role + ": one overview row, one section");
    }
    assertEquals(roles.size(), html.split("<tr data-order=", -1).length - 1, "no other row in the overview");
    assertTrue(html.contains("trailtrim <b>" + TrailtrimMain.version() + "</b>"), "the version in the header");
    String page = Files.readString(first.runDir().resolve("report.html"));
    assertTrue(page.contains("<title>trailtrim report: run sample</title>") && page.contains("Run <b>sample</b>"));
  }
}
