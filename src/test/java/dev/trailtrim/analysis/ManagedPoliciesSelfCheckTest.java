package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.PolicyTightener;
import dev.trailtrim.policy.Statement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Every AWS managed policy as a role's grants, with a call under each of its first Allow statements: the suggestion
 * passes SuggestionCheck (no false alarm on real policies: NotAction, Conditions, wildcards, thousands of actions),
 * so no real role is withheld for want of a defect.
 */
@Execution(ExecutionMode.CONCURRENT) // Pure Java: alongside the Spark tests
class ManagedPoliciesSelfCheckTest {

  @Test
  void noAwsManagedPolicyMakesASuggestionFailItsCheck() throws IOException {
    String dir = System.getProperty("trailtrim.shared.data");
    Path file = dir == null ? null
        : Path.of(dir, "iam", "aws-managed-policies", "aws_managed_policies_documents.json");
    Assumptions.assumeTrue(file != null && Files.isRegularFile(file), "shared reference data is absent");
    IamCatalog catalog = IamCatalog.loadDefault();
    List<String> withheld = new ArrayList<>();
    int roles = 0;
    int calls = 0;
    for (JsonNode managed : new ObjectMapper().readTree(file.toFile())) {
      PolicyDocument policy = PolicyParser.parse(managed.path("document"));
      String name = "role-" + roles++;
      String arn = "arn:aws:iam::111122223333:role/" + name;
      RoleGrants grants = new RoleGrants(arn, name, "/", "111122223333", Set.of("lambda.amazonaws.com"),
          List.of(new GrantedPolicy(GrantedPolicy.Kind.MANAGED, managed.path("name").asText(),
              managed.path("arn").asText(), policy)),
          null, List.of());
      List<ActionUsage> usage = callsUnder(policy, catalog);
      calls += usage.size();
      RoleAnalysis analysis = RoleAnalyzer.analyze(new RoleContext(arn, "111122223333", name,
          new ObservationWindow(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 30)), "test"), grants,
          new RoleUsage(arn, usage), catalog, AnalysisFixtures.OBSERVABILITY);
      if (analysis.selfCheckFailed() || analysis.suggestion() == null) {
        withheld.add(managed.path("name").asText() + ": " + analysis.safety().decisions());
      }
    }
    assertEquals(List.of(), withheld);
    assertTrue(roles > 1000 && calls > 2000, roles + " policies, " + calls + " calls");
  }

  /** A call under each of the policy's first four Allow statements: its first action, on its first resource made concrete. */
  private static List<ActionUsage> callsUnder(PolicyDocument policy, IamCatalog catalog) {
    List<ActionUsage> usage = new ArrayList<>();
    for (Statement statement : policy.statements()) {
      if (statement.effect() != Effect.ALLOW || statement.resources().isEmpty() || usage.size() >= 4) {
        continue;
      }
      TreeSet<IamAction> actions = PolicyTightener.grantedActions(statement, catalog);
      String resource = statement.resources().get(0).replace("*", "x").replace("?", "y");
      if (!actions.isEmpty() && !resource.contains("${")) {
        usage.add(AnalysisFixtures.usage(actions.first().toString(), resource, null, 1, AnalysisFixtures.DAY_1,
            AnalysisFixtures.DAY_1));
      }
    }
    return usage;
  }
}
