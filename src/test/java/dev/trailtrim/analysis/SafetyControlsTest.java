package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.report.RoleReportJson;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The safety controls of conf/trailtrim.properties, each recording the rule that decided. */
class SafetyControlsTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";

  private static SafetyControls controls(List<String> skip, List<String> protect, int window, int age, String prefix) {
    return new SafetyControls(skip, protect, window, age, prefix);
  }

  private static RoleAnalysis analyze(RoleGrants grants, SafetyControls safety) {
    return RoleAnalyzer.analyze(AnalysisFixtures.context(), grants, AnalysisFixtures.usage(), CATALOG,
        AnalysisFixtures.OBSERVABILITY, safety);
  }

  /** The fixture role, created at the given instant (the fixture's window ends 2024-07-01T00:00Z). */
  private static RoleGrants createdAt(String instant) {
    RoleGrants g = AnalysisFixtures.grants();
    return new RoleGrants(g.roleArn(), g.roleName(), g.path(), g.accountId(), g.trustedServices(), g.policies(),
        g.boundary(), g.problems(), instant == null ? null : Instant.parse(instant));
  }

  private static boolean suggestionAllows(RoleAnalysis analysis, String action, String resource) {
    return PolicyEvaluator.evaluate(GrantSet.of(new LabeledPolicy("suggested", analysis.suggestion().policy())),
        IamAction.parse(action), resource).allowed();
  }

  private static List<String> kept(RoleAnalysis analysis) {
    return analysis.safety().kept().stream().map(k -> k.rule() + " " + k.action() + " " + k.resource()).toList();
  }

  @Test
  void aSkippedRoleIsReportedWithItsRuleAndGetsNoSuggestion() {
    RoleAnalysis analysis = analyze(AnalysisFixtures.grants(),
        controls(List.of("arn:aws:iam::*:role/break-glass-*", "arn:aws:iam::111122223333:role/*/orders-?n"), List.of(),
            0,
            0, ""));
    assertTrue(analysis.skipped());
    assertEquals(List.of(new SafetyDecision(RoleAnalyzer.RULE_SKIPPED, "The role ARN matches skip.roles pattern"
        + " 'arn:aws:iam::111122223333:role/*/orders-?n': its grants are not diffed and no policy is suggested")),
        analysis.safety().decisions());
    assertNull(analysis.suggestion());
    assertEquals(List.of(), analysis.findings().unused());
    assertEquals(List.of(), analysis.findings().notObservable());
    assertEquals(4, analysis.findings().used().size(), "what the role did is still reported");
    assertTrue(RoleReportJson.render(analysis).contains("\"rule\": \"skipped-by-config\""));
    assertFalse(
        analyze(AnalysisFixtures.grants(), controls(List.of("arn:aws:iam::*:role/orders-fn"), List.of(), 0, 0, ""))
            .skipped(),
        "a glob matches the whole ARN, path included");
  }

  @Test
  void protectedActionsAreKeptAsGrantedAndReportedWithTheirRule() {
    RoleAnalysis analysis = analyze(AnalysisFixtures.grants(),
        controls(List.of(), List.of("dynamodb:Delete*", "logs:CreateLogStream"), 0, 0, ""));
    assertEquals(List.of("protected-by-config dynamodb:DeleteItem " + TABLE), kept(analysis));
    assertEquals("matches protect.actions pattern 'dynamodb:Delete*': kept as granted",
        analysis.safety().kept().get(0).detail());
    assertTrue(analysis.findings().unused().stream().noneMatch(u -> u.action().toString()
        .equals("dynamodb:DeleteItem")));
    assertTrue(analysis.findings().unused().stream().anyMatch(u -> u.action().toString().equals("dynamodb:PutItem")));
    assertTrue(suggestionAllows(analysis, "dynamodb:DeleteItem", TABLE),
        PolicyJson.render(analysis.suggestion().policy()));
    assertFalse(suggestionAllows(analysis, "dynamodb:PutItem", TABLE));
    // Used on one log stream, granted on "*": protected, so kept on "*" rather than narrowed.
    assertTrue(suggestionAllows(analysis, "logs:CreateLogStream",
        "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/other:log-stream:x"));
    assertTrue(analysis.suggestion().policy().statements().stream().anyMatch(s -> s.sid().startsWith("KeptProtected")));
    // Without protection it is narrowed to the observed log group.
    assertFalse(suggestionAllows(AnalysisFixtures.analysis(), "logs:CreateLogStream",
        "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/other:log-stream:x"));
  }

  @Test
  void aWindowShorterThanTheMinimumKeepsEverythingGranted() {
    RoleAnalysis analysis = analyze(AnalysisFixtures.grants(), controls(List.of(), List.of(), 31, 0, ""));
    assertEquals(1, analysis.safety().decisions().size());
    assertEquals(RoleAnalyzer.RULE_WINDOW_TOO_SHORT, analysis.safety().decisions().get(0).rule());
    assertEquals("The window 2024-06-01..2024-06-30 has 30 days, fewer than min.observation.days=31: nothing is"
        + " suggested for removal, the suggestion keeps everything granted",
        analysis.safety().decisions()
            .get(0).detail());
    assertEquals(List.of(
        "observation-window-too-short dynamodb:DeleteItem " + TABLE,
        "observation-window-too-short dynamodb:PutItem " + TABLE,
        "observation-window-too-short logs:CreateLogGroup *",
        "observation-window-too-short s3:ListBucket arn:aws:s3:::orders-in",
        "observation-window-too-short s3:ListBucket arn:aws:s3:::orders-in/*"), kept(analysis));
    // Only what is not effectively granted stays unused: removing it changes nothing.
    assertEquals(List.of("s3:ListAllMyBuckets action-needs-resource-star"),
        analysis.findings().unused().stream().map(u -> u.action() + " " + u.decidedBy()).toList());
    // The granted statements, as they are.
    List<Statement> granted = AnalysisFixtures.grants().policies().stream()
        .flatMap(p -> p.document().statements().stream()).toList();
    for (Statement statement : granted) {
      assertTrue(analysis.suggestion().policy().statements().stream().anyMatch(s -> s.actions()
          .equals(statement.actions())
          && s.resources().equals(statement.resources())), statement + " in\n"
              + PolicyJson.render(analysis.suggestion().policy()));
    }
    assertTrue(analysis.suggestion().policy().statements().stream().anyMatch(s -> "OrdersTable".equals(s.sid())));
    assertTrue(suggestionAllows(analysis, "dynamodb:DeleteItem", TABLE));
    assertTrue(suggestionAllows(analysis, "logs:CreateLogGroup", "*"));
    assertFalse(suggestionAllows(analysis, "dynamodb:DeleteItem", TABLE + "2"), "never more than granted");
    // At the minimum, removal is suggested as usual.
    assertEquals(List.of(), analyze(AnalysisFixtures.grants(), controls(List.of(), List.of(), 30, 0, ""))
        .safety().decisions());
  }

  @Test
  void aRoleYoungerThanTheMinimumOrOfUnknownAgeKeepsEverythingGranted() {
    SafetyControls thirtyDays = controls(List.of(), List.of(), 0, 30, "");
    RoleAnalysis young = analyze(createdAt("2024-06-20T12:00:00Z"), thirtyDays);
    assertEquals(List.of(new SafetyDecision(RoleAnalyzer.RULE_ROLE_TOO_NEW, "The role was created"
        + " 2024-06-20T12:00:00Z, 10 days before the window's end, fewer than min.role.age.days=30: nothing is"
        + " suggested for removal, the suggestion keeps everything granted")), young.safety().decisions());
    assertTrue(young.safety().kept().stream().allMatch(k -> k.rule().equals(RoleAnalyzer.RULE_ROLE_TOO_NEW)));
    assertEquals(5, young.safety().kept().size());
    assertTrue(suggestionAllows(young, "dynamodb:PutItem", TABLE));
    assertTrue(RoleReportJson.render(young).contains("\"roleCreateDate\": \"2024-06-20T12:00:00Z\""));

    RoleAnalysis unknown = analyze(createdAt(null), thirtyDays);
    assertEquals(RoleAnalyzer.RULE_ROLE_TOO_NEW, unknown.safety().decisions().get(0).rule());
    assertTrue(unknown.safety().decisions().get(0).detail().startsWith("The snapshot has no CreateDate for the role"));

    RoleAnalysis oldEnough = analyze(createdAt("2024-05-31T23:59:59Z"), thirtyDays);
    assertEquals(List.of(), oldEnough.safety().decisions(), "30 days before the window's end");
    assertFalse(suggestionAllows(oldEnough, "dynamodb:PutItem", TABLE));
    assertEquals(List.of(), analyze(createdAt(null), SafetyControls.NONE).safety().decisions(),
        "0 turns the check off");
  }

  @Test
  void statementsWithTheOptOutSidPrefixAreKeptExactlyAsTheyAre() {
    RoleAnalysis analysis = analyze(AnalysisFixtures.grants(), controls(List.of(), List.of(), 0, 0, "Orders"));
    assertEquals(List.of("opted-out-by-sid dynamodb:DeleteItem " + TABLE, "opted-out-by-sid dynamodb:PutItem " + TABLE),
        kept(analysis));
    assertEquals("Sid 'OrdersTable' starts with opt.out.sid.prefix 'Orders': the statement is kept as it is",
        analysis.safety().kept().get(0).detail());
    Statement granted = AnalysisFixtures.grants().policies().stream().filter(p -> p.name().equals("orders-db"))
        .findFirst().orElseThrow().document().statements().get(0);
    assertTrue(analysis.suggestion().policy().statements().contains(granted),
        PolicyJson.render(analysis.suggestion().policy()));
    // The other statements are tightened as usual.
    assertTrue(analysis.findings().unused().stream().anyMatch(u -> u.action().toString()
        .equals("logs:CreateLogGroup")));
    assertFalse(suggestionAllows(analysis, "logs:CreateLogGroup", "*"));
  }

  @Test
  void keepingEverythingStaysWithinThePermissionsBoundary() {
    GrantedPolicy access = new GrantedPolicy(GrantedPolicy.Kind.INLINE, "access", null, PolicyParser.parse(
        ("{'Version':'2012-10-17','Statement':[{'Sid':'Tables','Effect':'Allow','Action':'dynamodb:*','Resource':'*'},"
            + "{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}]}").replace('\'', '"')));
    GrantedPolicy boundary = new GrantedPolicy(GrantedPolicy.Kind.BOUNDARY, "b", "arn:aws:iam::111122223333:policy/b",
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':['dynamodb:GetItem',"
            + "'dynamodb:PutItem','sqs:SendMessage'],'Resource':'*'}]}").replace('\'', '"')));
    RoleGrants grants = new RoleGrants(AnalysisFixtures.ROLE_ARN, "orders-fn", "/", "111122223333",
        Set.of("lambda.amazonaws.com"), List.of(access), boundary, List.of(), null);
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), grants,
        new RoleUsage(AnalysisFixtures.ROLE_ARN, List.of()), CATALOG, AnalysisFixtures.OBSERVABILITY,
        controls(List.of(), List.of(), 0, 1, ""));
    assertEquals(RoleAnalyzer.RULE_ROLE_TOO_NEW, analysis.safety().decisions().get(0).rule());
    for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "sqs:SendMessage")) {
      assertTrue(suggestionAllows(analysis, action, TABLE.replace("dynamodb", action.split(":")[0])), action);
    }
    for (String action : List.of("dynamodb:DeleteTable", "s3:GetObject", "iam:PassRole")) {
      assertFalse(suggestionAllows(analysis, action, "*"), action + " is outside the boundary");
    }
    assertTrue(analysis.problems().stream().anyMatch(p -> p.contains("is kept as it is only within the permissions"
        + " boundary")), analysis.problems().toString());
  }

  @Test
  void createDatesAreReadInTheFormsSnapshotsUse() throws Exception {
    String role = "{'RoleName':'%s','Arn':'arn:aws:iam::1:role/%s','CreateDate':'%s','AssumeRolePolicyDocument':"
        + "{'Statement':[]},'RolePolicyList':[],'AttachedManagedPolicies':[]}";
    String json = ("{'RoleDetailList':[" + String.format(role, "cli", "cli", "2025-03-14T09:21:05+00:00") + ","
        + String.format(role, "boto", "boto", "2022-08-07 12:55:43+00:00") + ","
        + String.format(role, "api", "api", "2024-01-02T03:04:05.250Z") + ","
        + String.format(role, "bad", "bad", "yesterday") + "],'Policies':[]}").replace('\'', '"');
    var roles = AuthorizationDetailsParser.parse(new ObjectMapper().readTree(json)).roles();
    assertEquals(List.of("api 2024-01-02T03:04:05.250Z", "bad null", "boto 2022-08-07T12:55:43Z",
        "cli 2025-03-14T09:21:05Z"), roles.stream().map(r -> r.roleName() + " " + r.createDate()).sorted().toList());
    assertTrue(roles.stream().allMatch(RoleGrants::complete), "an unreadable date is no policy problem");
  }

  @Test
  void badSettingsAreNamedWithTheFix() {
    assertEquals("skip.roles: 'legacy-*' is not a role ARN glob: write e.g. arn:aws:iam::*:role/break-glass-*",
        assertThrows(IllegalArgumentException.class, () -> controls(List.of("legacy-*"), List.of(), 0, 0, ""))
            .getMessage());
    assertEquals("protect.actions: 'Decrypt' is not an IAM action pattern: write service:Action, e.g. kms:Decrypt or"
        + " ssm:GetParameter*",
        assertThrows(IllegalArgumentException.class,
            () -> controls(List.of(), List.of("Decrypt"), 0, 0, "")).getMessage());
    assertEquals("opt.out.sid.prefix 'keep-me' can never start a Sid: IAM Sids are ASCII letters and digits only",
        assertThrows(IllegalArgumentException.class, () -> controls(List.of(), List.of(), 0, 0, "keep-me"))
            .getMessage());
    assertEquals(List.of("kms:Decrypt", "ssm:Get*"), SafetyControls.list(" kms:Decrypt, ,ssm:Get* "));
    assertEquals(List.of(), SafetyControls.list(""));
  }
}
