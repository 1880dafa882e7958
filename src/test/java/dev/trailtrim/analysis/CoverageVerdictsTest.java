package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.LogCoverage.DayLogs;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Unused only where the logs could have shown the use: the same role, grants and calls analysed
 * against logs with holes. Each hole turns the permissions it could hide into not observable with
 * a rule naming the hole, and the suggestion keeps every one of them.
 */
class CoverageVerdictsTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final ObservationWindow WINDOW = AnalysisFixtures.context().window();
  private static final String ACCOUNT = "111122223333";
  private static final SafetyControls MIN_10_DAYS = new SafetyControls(List.of(), List.of(), 10, 0, "");

  /** The fixture's view of CloudTrail, plus IAM's calls being logged in us-east-1 as CloudTrail does. */
  private static final Observability BASE = new Observability() {
    @Override
    public Visibility visibility(IamAction action, String resource) {
      return AnalysisFixtures.OBSERVABILITY.visibility(action, resource);
    }

    @Override
    public String reason(IamAction action, String resource) {
      return AnalysisFixtures.OBSERVABILITY.reason(action, resource);
    }

    @Override
    public GlobalLogging globalLogging(IamAction action) {
      return action.service().equals("iam") ? new GlobalLogging("us-east-1", true) : null;
    }
  };

  /** The fixture's grants plus iam:GetRole, a global service's action. */
  private static RoleGrants grants() {
    RoleGrants fixture = AnalysisFixtures.grants();
    List<GrantedPolicy> policies = new ArrayList<>(fixture.policies());
    policies.add(new GrantedPolicy(GrantedPolicy.Kind.INLINE, "read-roles", null, PolicyParser.parse(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:GetRole\",\"Resource\":\"*\"}]}")));
    return new RoleGrants(fixture.roleArn(), fixture.roleName(), fixture.path(), fixture.accountId(),
        fixture.trustedServices(), policies, fixture.boundary(), fixture.problems(), fixture.createDate());
  }

  /** Logs of the account: each region covered on the given number of first days of the window. */
  private static LogCoverage logs(Object... regionAndDays) {
    SortedMap<String, SortedMap<String, SortedMap<LocalDate, DayLogs>>> accounts = new TreeMap<>();
    for (int i = 0; i < regionAndDays.length; i += 2) {
      SortedMap<LocalDate, DayLogs> days = new TreeMap<>();
      for (int d = 0; d < (int) regionAndDays[i + 1]; d++) {
        days.put(WINDOW.from().plusDays(d), new DayLogs(3, 0, 0, List.of()));
      }
      accounts.computeIfAbsent(ACCOUNT, a -> new TreeMap<>()).put((String) regionAndDays[i], days);
    }
    return new LogCoverage(WINDOW, accounts, 0);
  }

  private static RoleAnalysis analyze(LogCoverage logs, Set<String> actingRegions) {
    LogEvidence evidence = LogEvidence.of(logs, ACCOUNT, actingRegions, MIN_10_DAYS.minObservationDays(),
        Set.of("us-east-1"));
    return RoleAnalyzer.analyze(AnalysisFixtures.context(), grants(), AnalysisFixtures.usage(), CATALOG,
        evidence.over(BASE, logs), MIN_10_DAYS, evidence);
  }

  private static final RoleAnalysis COVERED = analyze(logs("eu-west-1", 30, "us-east-1", 30), Set.of("eu-west-1"));

  @Test
  void withCompleteLogsTheUnusedPermissionsAreCalledUnused() {
    Set<String> unused = actions(COVERED.findings().unused());
    assertEquals(Set.of("dynamodb:DeleteItem", "dynamodb:PutItem", "iam:GetRole", "logs:CreateLogGroup",
        "s3:ListAllMyBuckets", "s3:ListBucket"), unused);
    assertNull(COVERED.evidence().gap());
  }

  @Test
  void anAccountWithoutLogsLosesNothing() {
    RoleAnalysis none = analyze(logs(), Set.of("eu-west-1"));
    assertEquals(Set.of("s3:ListAllMyBuckets"), actions(none.findings().unused()),
        "only a grant IAM never matches goes");
    assertEquals(LogCoverage.RULE_NO_LOGS_FOR_ACCOUNT, none.evidence().gap().rule());
    assertKeepsEveryPermissionUnusedUnderCompleteLogs(none, Set.of(Visibility.NO_LOGS_FOR_ACCOUNT));
  }

  @Test
  void aRegionWhereTheRoleActsWithoutLogsLosesItsRegionalPermissionsButNotIamsVerdicts() {
    RoleAnalysis hole = analyze(logs("us-east-1", 30), Set.of("eu-west-1"));
    assertEquals(Set.of("iam:GetRole", "s3:ListAllMyBuckets"), actions(hole.findings().unused()),
        "IAM's calls are logged in us-east-1, which is covered");
    assertKeepsEveryPermissionUnusedUnderCompleteLogs(hole, Set.of(Visibility.REGION_NOT_COVERED));
    NotObservablePermission put = hole.findings().notObservable().stream()
        .filter(n -> n.action().toString().equals("dynamodb:PutItem")).findFirst().orElseThrow();
    assertTrue(put.reason().contains("eu-west-1"), put.reason());
  }

  @Test
  void aGrantOnAResourceOfARegionWithoutLogsIsKeptThoughTheRoleWasSeenElsewhere() {
    // The role's seen calls are all in us-east-1, but its table is in eu-west-1, whose logs are missing:
    // its calls there are exactly what the missing logs would hide.
    RoleAnalysis hole = analyze(logs("us-east-1", 30), Set.of("us-east-1"));
    NotObservablePermission put = hole.findings().notObservable().stream()
        .filter(n -> n.action().toString().equals("dynamodb:PutItem")).findFirst().orElseThrow();
    assertEquals(Visibility.REGION_NOT_COVERED, put.visibility());
    assertTrue(put.reason().contains("eu-west-1"), put.reason());
    assertTrue(actions(hole.findings().unused()).contains("iam:GetRole"), "IAM's us-east-1 is covered");
  }

  @Test
  void withoutUsEast1TheGlobalServicesPermissionsAreKept() {
    RoleAnalysis hole = analyze(logs("eu-west-1", 30), Set.of("eu-west-1"));
    assertFalse(actions(hole.findings().unused()).contains("iam:GetRole"));
    assertTrue(actions(hole.findings().unused()).contains("dynamodb:PutItem"));
    NotObservablePermission getRole = hole.findings().notObservable().stream()
        .filter(n -> n.action().toString().equals("iam:GetRole")).findFirst().orElseThrow();
    assertEquals(Visibility.REGION_NOT_COVERED, getRole.visibility());
  }

  @Test
  void aFunctionOfTheInventoryInARegionWithoutLogsKeepsWhatTheRoleCouldUseThere() {
    // The role's calls are all in eu-west-1, whose logs are complete; but the inventory says one of its
    // functions runs in ap-southeast-2, which has no logs: its calls there would not be seen.
    String role = AnalysisFixtures.context().roleArn();
    dev.trailtrim.inventory.FunctionInventory inventory = dev.trailtrim.inventory.FunctionInventory.of("inventory",
        List.of(new dev.trailtrim.inventory.Listing("inventory", Set.of(ACCOUNT + "/ap-southeast-2"), true, List.of(
            new dev.trailtrim.inventory.LambdaFunction("orders-sydney",
                "arn:aws:lambda:ap-southeast-2:111122223333:function:orders-sydney", ACCOUNT, "ap-southeast-2", role,
                "python3.12", "arm64", "2026-10-01T00:00:00.000+0000", "inventory")),
            List.of())));
    List<dev.trailtrim.inventory.FunctionUse> functions = dev.trailtrim.inventory.RoleFunctions.of(role, ACCOUNT,
        inventory, java.util.Map.of("orders-fn", Set.of("eu-west-1")), "us-east-1");
    Set<String> acting = new java.util.TreeSet<>(Set.of("eu-west-1"));
    acting.addAll(dev.trailtrim.inventory.RoleFunctions.inventoryRegions(functions));
    assertEquals(Set.of("ap-southeast-2", "eu-west-1"), acting);

    LogCoverage logs = logs("eu-west-1", 30, "us-east-1", 30);
    RoleAnalysis withInventory = analyze(logs, acting);
    assertEquals(LogCoverage.RULE_REGION_NOT_COVERED, withInventory.evidence().gap().rule());
    String missing = withInventory.evidence().gap().detail();
    assertTrue(missing.contains("ap-southeast-2"), missing);
    assertEquals(Set.of("iam:GetRole", "s3:ListAllMyBuckets"), actions(withInventory.findings().unused()),
        "IAM's calls are logged in us-east-1, which is covered");
    assertTrue(actions(COVERED.findings().unused()).contains("dynamodb:PutItem"),
        "without the function, PutItem is unused");
    assertKeepsEveryPermissionUnusedUnderCompleteLogs(withInventory, Set.of(Visibility.REGION_NOT_COVERED));
  }

  @Test
  void tooFewCoveredDaysKeepEverythingTheRegionCouldHide() {
    RoleAnalysis thin = analyze(logs("eu-west-1", 9, "us-east-1", 30), Set.of("eu-west-1"));
    assertEquals(Set.of("iam:GetRole", "s3:ListAllMyBuckets"), actions(thin.findings().unused()));
    assertKeepsEveryPermissionUnusedUnderCompleteLogs(thin, Set.of(Visibility.TOO_FEW_COVERED_DAYS));
    assertEquals(LogCoverage.RULE_TOO_FEW_COVERED_DAYS, thin.evidence().gap().rule());
    assertTrue(thin.evidence().gap().detail().contains("9 of 30 days"), thin.evidence().gap().detail());
  }

  @Test
  void aRoleNeverSeenNeedsEveryRegionOfItsAccount() {
    LogCoverage logs = logs("eu-west-1", 30, "us-east-1", 30, "ap-south-1", 3);
    LogEvidence evidence = LogEvidence.of(logs, ACCOUNT, Set.of(), 10, Set.of("us-east-1"));
    assertFalse(evidence.regionsFromCalls());
    assertEquals(List.of("ap-south-1", "eu-west-1", "us-east-1"), evidence.regions());
    assertEquals(LogCoverage.RULE_TOO_FEW_COVERED_DAYS, evidence.gap().rule());
    assertNull(LogEvidence.of(logs, ACCOUNT, Set.of("eu-west-1"), 10, Set.of("us-east-1")).gap());
  }

  @Test
  void incompleteGrantsGiveNoSuggestionAndNoRemoval() {
    RoleGrants missing = grants().withMissingGrants(List.of("Attached managed policy 'gone' is not in the snapshot"));
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), missing, AnalysisFixtures.usage(), CATALOG,
        BASE, MIN_10_DAYS);
    assertNull(analysis.suggestion());
    assertEquals(List.of(), analysis.findings().unused());
    assertTrue(analysis.grantsIncomplete());
    assertTrue(analysis.safety().decisions().get(0).detail().contains("'gone'"), analysis.safety().decisions()
        .get(0).detail());
    assertFalse(analysis.findings().used().isEmpty(), "what the role used is still reported");
  }

  /**
   * Everything complete logs call unused is kept by the suggestion under the hole, and reported as
   * not observable with one of the hole's rules.
   */
  private static void assertKeepsEveryPermissionUnusedUnderCompleteLogs(RoleAnalysis hole, Set<Visibility> rules) {
    assertNotNull(hole.suggestion());
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", hole.suggestion().policy()));
    Set<String> stillUnused = actions(hole.findings().unused());
    for (UnusedPermission unused : COVERED.findings().unused()) {
      if (unused.risk() == Risk.NOT_EFFECTIVE) {
        continue; // IAM never matches it: removing it takes nothing away, whatever the logs hold
      }
      assertFalse(stillUnused.contains(unused.action().toString()) && !unused.action().service().equals("iam"),
          unused.action() + " is still called unused in the hole");
      if (stillUnused.contains(unused.action().toString())) {
        continue;
      }
      String resource = unused.resource().equals("*") ? "*" : unused.resource();
      assertTrue(PolicyEvaluator.evaluate(suggested, unused.action(), resource).allowed(),
          unused.action() + " on " + resource + " could have been used in the hole, yet the suggestion drops it");
      assertTrue(hole.findings().notObservable().stream().anyMatch(n -> n.action().equals(unused.action())
          && rules.contains(n.visibility())), unused.action() + " is reported with the hole's rule");
    }
  }

  private static Set<String> actions(List<UnusedPermission> unused) {
    Set<String> actions = new java.util.TreeSet<>();
    unused.forEach(u -> actions.add(u.action().toString()));
    return actions;
  }
}
