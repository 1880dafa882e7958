package dev.trailtrim.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.testing.AwsCli;
import dev.trailtrim.testing.IamQueryApiServer;
import dev.trailtrim.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * The sample run's apply plans, run as they are (bash and the real AWS CLI) against the IAM Query
 * API fake: apply puts the suggestion and takes off what it replaces, rollback gives back exactly
 * what was there, both are idempotent, and without {@code --yes} nothing changes.
 */
@Execution(ExecutionMode.CONCURRENT) // Waits on bash and the AWS CLI, no Spark: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
@Slow
class ApplyPlanRoundTripTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROJECT = Path.of(System.getProperty("trailtrim.project.dir", "."));
  private static final Path SNAPSHOT = PROJECT.resolve("sample-logs/iam/111122223333.json");
  /** The sample run's plans, which SampleRunTest holds equal to what the job writes. */
  private static final Path PLANS = PROJECT.resolve("src/test/resources/golden/sample-run/apply/111122223333");
  private static final List<String> MUTATIONS = List.of("PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy",
      "DetachRolePolicy", "CreatePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "DeletePolicy");

  @TempDir
  Path work;
  IamQueryApiServer iam;

  @BeforeAll
  static void needsTheAwsCli() {
    assumeTrue(AwsCli.available(), "no aws command on the PATH: install the AWS CLI (pip install awscli or apt-get"
        + " install awscli) to run the apply plans");
  }

  @BeforeEach
  void startIam() throws IOException {
    iam = IamQueryApiServer.serving(SNAPSHOT);
  }

  @AfterEach
  void stopIam() {
    iam.close();
  }

  /** Names, documents (parsed, so formatting does not count) and attachments of a role. */
  private record RoleState(Map<String, PolicyDocument> inline, List<String> attached,
      Map<String, PolicyDocument> managedDocuments) {}

  private RoleState state(String roleName) {
    Map<String, PolicyDocument> inline = new TreeMap<>();
    iam.inlinePolicies(roleName).forEach((name, text) -> inline.put(name, PolicyParser.parse(text)));
    List<String> attached = iam.attachedPolicies(roleName).stream().sorted().toList();
    Map<String, PolicyDocument> managed = new TreeMap<>();
    attached.forEach(arn -> managed.put(arn, PolicyParser.parse(iam.managedPolicyDocument(arn))));
    return new RoleState(inline, attached, managed);
  }

  private AwsCli.Result run(Path plan, String script, String... flags) {
    List<String> command = new ArrayList<>(List.of("bash", plan.resolve(script).toString()));
    command.addAll(List.of(flags));
    command.addAll(List.of("--endpoint-url", iam.endpoint().toString()));
    AwsCli.Result result = AwsCli.run(work, Map.of(), command);
    assertEquals(0, result.exitCode(), script + " failed:\n" + result.all());
    return result;
  }

  private int mutations() {
    return MUTATIONS.stream().mapToInt(iam::requestCount).sum();
  }

  private static String roleName(Path plan) throws IOException {
    return JSON.readTree(plan.resolve("manifest.json").toFile()).path("roleName").asText();
  }

  private static PolicyDocument document(Path file) throws IOException {
    return PolicyParser.parse(Files.readString(file));
  }

  @Test
  void everySampleRoleRoundTrips() throws IOException {
    List<Path> plans;
    try (Stream<Path> list = Files.list(PLANS)) {
      plans = list.sorted().toList();
    }
    assertEquals(7, plans.size(), "the sample account's roles with a suggestion: " + plans);
    for (Path plan : plans) {
      String role = roleName(plan);
      RoleState before = state(role);

      AwsCli.Result applied = run(plan, "apply.sh", "--yes");
      RoleState after = state(role);
      assertEquals(Map.of(ApplyPlan.INLINE_POLICY_NAME, document(plan.resolve("suggested.json"))), after.inline(),
          role + ": the suggestion is the role's only inline policy\n" + applied.all());
      assertEquals(List.of(), after.attached(), role + ": every managed policy detached\n" + applied.all());

      AwsCli.Result rolledBack = run(plan, "rollback.sh", "--yes");
      assertEquals(before, state(role), role + ": rollback gives back exactly what was there\n" + rolledBack.all());
    }
    // Managed policies were detached, never deleted, and none was left behind.
    assertEquals(0, iam.requestCount("DeletePolicy"));
  }

  @Test
  void withoutYesNothingChangesAndTwiceIsOnce() throws IOException {
    Path plan = PLANS.resolve("orders-api-role");
    RoleState before = state("orders-api-role");

    AwsCli.Result dryRun = run(plan, "apply.sh");
    assertEquals(0, mutations(), dryRun.all());
    assertEquals(before, state("orders-api-role"));
    assertTrue(dryRun.stdout().contains("trailtrim: would put suggested.json as inline policy trailtrim-least-privilege"
        + "\n    aws --endpoint-url " + iam.endpoint() + " iam put-role-policy --role-name orders-api-role"
        + " --policy-name trailtrim-least-privilege --policy-document file://"), dryRun.stdout());
    assertTrue(dryRun.stdout().contains("trailtrim: would delete inline policy orders-api-data"), dryRun.stdout());
    assertTrue(dryRun.stdout().contains("trailtrim: would detach"
        + " arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"), dryRun.stdout());
    assertTrue(dryRun.stdout().endsWith("trailtrim: 3 changes to make; run again with --yes to make them\n"),
        dryRun.stdout());

    run(plan, "apply.sh", "--yes");
    int afterFirst = mutations();
    assertEquals(3, afterFirst, "put, delete, detach");
    RoleState applied = state("orders-api-role");
    AwsCli.Result again = run(plan, "apply.sh", "--yes");
    assertEquals(afterFirst, mutations(), "a second apply changes nothing:\n" + again.all());
    assertEquals(applied, state("orders-api-role"));
    assertTrue(again.stdout().endsWith("trailtrim: nothing to change\n"), again.stdout());

    AwsCli.Result rollbackDryRun = run(plan, "rollback.sh");
    assertEquals(afterFirst, mutations(), rollbackDryRun.all());
    run(plan, "rollback.sh", "--yes");
    run(plan, "rollback.sh", "--yes");
    assertEquals(afterFirst + 3, mutations(), "put back, attach back, delete the suggestion; the second run nothing");
    assertEquals(before, state("orders-api-role"));
  }

  @Test
  void aSplitSuggestionBecomesManagedPoliciesAndGoesAway() throws IOException {
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(JSON.readTree(SNAPSHOT.toFile()));
    RoleGrants grants = snapshot.role("arn:aws:iam::111122223333:role/service-role/report-exporter").orElseThrow();
    PolicyDocument suggestion = document(PLANS.resolve("report-exporter/suggested.json"));
    int half = suggestion.statements().size() / 2;
    List<PolicyDocument> parts = List.of(
        new PolicyDocument(PolicyDocument.CURRENT_VERSION, suggestion.statements().subList(0, half)),
        new PolicyDocument(PolicyDocument.CURRENT_VERSION, suggestion.statements().subList(half,
            suggestion.statements().size())));
    Map<String, String> files = ApplyPlan.files(grants, parts, true);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = work.resolve("run").resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }
    Path plan = work.resolve("run").resolve(ApplyPlan.folder(grants.roleArn()));
    RoleState before = state("report-exporter");
    String part1 = "arn:aws:iam::111122223333:policy/trailtrim/trailtrim-report-exporter-part-1";
    String part2 = "arn:aws:iam::111122223333:policy/trailtrim/trailtrim-report-exporter-part-2";

    run(plan, "apply.sh", "--yes");
    RoleState after = state("report-exporter");
    assertEquals(Map.of(), after.inline());
    assertEquals(List.of(part1, part2), after.attached());
    assertEquals(Map.of(part1, parts.get(0), part2, parts.get(1)), after.managedDocuments());
    assertEquals(2, iam.requestCount("CreatePolicy"));
    int afterFirst = mutations();
    run(plan, "apply.sh", "--yes");
    assertEquals(afterFirst, mutations(), "a second apply changes nothing");

    run(plan, "rollback.sh", "--yes");
    assertEquals(before, state("report-exporter"));
    assertNull(iam.managedPolicyDocument(part1), "the parts apply created are deleted again");
    assertNull(iam.managedPolicyDocument(part2));
    // The customer-managed policy it detached was never deleted, and the boundary never touched.
    assertEquals(0, iam.requestCount("PutRolePermissionsBoundary") + iam.requestCount("DeleteRolePermissionsBoundary"));
    assertTrue(iam.managedPolicyDocument("arn:aws:iam::111122223333:policy/report-exporter-access") != null);
  }
}
