package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.analysis.StatementDiff.Keep;
import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.Decision.Verdict;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.KeptPermission;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.UnexplainedAccess;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each step of {@link RoleAnalyzer#analyze} on its own, on the small role of {@link AnalysisFixtures}. */
class AnalysisStepsTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";
  private static final long DAY_1 = AnalysisFixtures.DAY_1;

  private static GrantedPolicy inline(String name, String statements) {
    return new GrantedPolicy(GrantedPolicy.Kind.INLINE, name, null,
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':[" + statements + "]}").replace('\'', '"')));
  }

  private static StatementDiff diff(ObservedCalls calls, GrantSet grants, SafetyControls safety) {
    return new StatementDiff(calls, grants, AnalysisFixtures.OBSERVABILITY, safety, CATALOG);
  }

  private static GrantedPolicy policy(RoleGrants grants, String name) {
    return grants.policies().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static ObservedCalls fixtureCalls() {
    return ObservedCalls.sort(AnalysisFixtures.usage(), CATALOG);
  }

  // --- ObservedCalls: the calls sorted ---

  @Test
  void callsAreSortedIntoUseDeniedAndFailedWithCountsAdded() {
    RoleUsage usage = new RoleUsage(AnalysisFixtures.ROLE_ARN, List.of(
        AnalysisFixtures.usage("dynamodb:getitem", TABLE, null, 2, DAY_1 + 5, DAY_1 + 9),
        AnalysisFixtures.usage("dynamodb:GetItem", TABLE, null, 3, DAY_1, DAY_1 + 7),
        AnalysisFixtures.usage("dynamodb:PutItem", TABLE, "ConditionalCheckFailedException", 1, DAY_1, DAY_1),
        AnalysisFixtures.usage("dynamodb:DeleteItem", TABLE, "ThrottlingException", 4, DAY_1, DAY_1),
        AnalysisFixtures.usage("dynamodb:Scan", TABLE, "AccessDenied", 5, DAY_1, DAY_1)));
    ObservedCalls calls = ObservedCalls.sort(usage, CATALOG);

    ObservedCalls.Seen getItem = calls.successful()
        .get(new ActionOnResource(IamAction.parse("dynamodb:GetItem"), TABLE));
    assertEquals(new ObservedCalls.Seen(IamAction.parse("dynamodb:GetItem"), TABLE, 5, DAY_1, DAY_1 + 9), getItem,
        "one canonical spelling, counts added, first and last widened");
    assertEquals(Set.of("dynamodb:GetItem", "dynamodb:PutItem"),
        calls.actions().stream().map(IamAction::toString).collect(java.util.stream.Collectors.toSet()),
        "a call that failed after authorization counts as use; a throttled one does not");
    assertEquals(List.of("dynamodb:Scan"), calls.denied().stream().map(d -> d.action().toString()).toList());
    assertEquals(List.of("dynamodb:DeleteItem false", "dynamodb:PutItem true"),
        calls.failed().stream().map(f -> f.action() + " " + f.countsAsUse()).toList());
  }

  @Test
  void usedPermissionsNameTheGrantThatExplainsThemOrTheRuleThatNoneDoes() {
    ObservedCalls calls = fixtureCalls();
    List<String> rules = calls.usedUnder(AnalysisFixtures.grants().grantSet(), CATALOG).stream()
        .map(u -> u.action() + " " + u.resources().get(0).decidedBy()).toList();
    assertEquals(List.of("dynamodb:GetItem allowed-by-grant", "logs:CreateLogStream allowed-by-grant",
        "logs:PutLogEvents allowed-by-grant", "sqs:SendMessage not-explained-by-grant"), rules);
    assertTrue(calls.usedWithoutGrants(CATALOG).stream()
        .allMatch(u -> u.resources().get(0).decidedBy().equals(RoleAnalyzer.RULE_GRANTS_UNKNOWN)));
  }

  @Test
  void unexplainedCallsCarryTheirCountsAndSkipWhatWasNotACall() {
    ActionOnResource send = new ActionOnResource(IamAction.parse("sqs:SendMessage"),
        "arn:aws:sqs:eu-west-1:111122223333:orders");
    ActionOnResource notCalled = new ActionOnResource(IamAction.parse("s3:GetObject"), "arn:aws:s3:::x/y");
    List<UnexplainedCall> unexplained = fixtureCalls().unexplained(List.of(
        new UnexplainedAccess(send, Verdict.NOT_ALLOWED, "no statement allows it"),
        new UnexplainedAccess(notCalled, Verdict.NOT_ALLOWED, "an unrecorded part")));
    assertEquals(List.of(new UnexplainedCall(send.action(), send.resource(), 3, DAY_1 + 3 * AnalysisFixtures.HOUR,
        DAY_1 + 4 * AnalysisFixtures.HOUR, "no statement allows it")), unexplained);
  }

  // --- StatementDiff: one statement at a time ---

  @Test
  void aStatementSplitsIntoUnusedNotObservableAndUsed() {
    RoleGrants grants = AnalysisFixtures.grants();
    StatementDiff diff = diff(fixtureCalls(), grants.grantSet(), SafetyControls.NONE);
    diff.diff(policy(grants, "orders-db"), 1, null); // orders-db: GetItem used, PutItem and DeleteItem not
    assertEquals(List.of("dynamodb:PutItem data-event-logged-never-seen",
        "dynamodb:DeleteItem data-event-logged-never-seen"),
        diff.unused.stream().map(c -> c.action() + " " + c.rule()).toList());
    assertEquals(List.of(), diff.notObservable);
    assertEquals(List.of(), diff.keepAsIs);

    diff.diff(policy(grants, "files"), 1, null); // files: s3:GetObject data events are not logged
    assertEquals(List.of("s3:GetObject arn:aws:s3:::orders-in", "s3:GetObject arn:aws:s3:::orders-in/*"),
        diff.notObservable.stream().map(n -> n.action() + " " + n.resource()).toList());
    assertTrue(diff.kept.stream().allMatch(k -> k.action().toString().equals("s3:GetObject")));
    assertTrue(diff.effective.containsAll(Set.of(IamAction.parse("dynamodb:PutItem"),
        IamAction.parse("s3:GetObject"))));
  }

  @Test
  void anActionThatTakesOnlyStarOnAnArnIsNeverEffective() {
    RoleGrants grants = AnalysisFixtures.grants();
    StatementDiff diff = diff(fixtureCalls(), grants.grantSet(), SafetyControls.NONE);
    diff.diff(policy(grants, "files"), 2, null);
    assertEquals(List.of("s3:ListAllMyBuckets " + RoleAnalyzer.RULE_NEEDS_STAR),
        diff.unused.stream().map(c -> c.action() + " " + c.rule()).toList());
    assertFalse(diff.effective.contains(IamAction.parse("s3:ListAllMyBuckets")));
  }

  @Test
  void aKeptStatementIsKeptAsItIsAndItsUnusedGrantsAreKeptBySafety() {
    RoleGrants grants = AnalysisFixtures.grants();
    StatementDiff diff = diff(fixtureCalls(), grants.grantSet(), SafetyControls.NONE);
    diff.diff(policy(grants, "orders-db"), 1, new Keep(RoleAnalyzer.RULE_WINDOW_TOO_SHORT, "too short"));
    assertEquals(List.of(), diff.unused);
    assertEquals(1, diff.keepAsIs.size());
    assertEquals(List.of("dynamodb:PutItem too short", "dynamodb:DeleteItem too short"),
        diff.keptBySafety.stream().map(k -> k.action() + " " + k.detail()).toList());
  }

  @Test
  void aProtectedActionIsKeptAsGrantedNotCalledUnused() {
    RoleGrants grants = AnalysisFixtures.grants();
    SafetyControls protect = new SafetyControls(List.of(), List.of("dynamodb:Delete*"), 0, 0, "");
    StatementDiff diff = diff(fixtureCalls(), grants.grantSet(), protect);
    diff.diff(policy(grants, "orders-db"), 1, null);
    assertEquals(List.of("dynamodb:PutItem"), diff.unused.stream().map(c -> c.action().toString()).toList());
    assertEquals(List.of("dynamodb:DeleteItem " + RoleAnalyzer.RULE_PROTECTED),
        diff.keptBySafety.stream().map(k -> k.action() + " " + k.rule()).toList());
    assertTrue(diff.kept.contains(new KeptPermission(IamAction.parse("dynamodb:DeleteItem"),
        new dev.trailtrim.policy.StatementRef(policy(grants, "orders-db").label(), 1,
            policy(grants, "orders-db").document().statements().get(0)),
        KeptPermission.Why.PROTECTED)));
  }

  @Test
  void aStatementOfVeryManyActionsIsDiffedPerService() {
    GrantedPolicy star = inline("admin", "{'Effect':'Allow','Action':'*','Resource':'*'}");
    StatementDiff diff = diff(fixtureCalls(), GrantSet.of(star.labeled()), SafetyControls.NONE);
    diff.diff(star, 1, null);
    assertTrue(diff.grantedActions.size() > StatementDiff.PER_SERVICE_THRESHOLD);
    assertTrue(diff.problems.stream().anyMatch(p -> p.contains("it is reported per service")),
        diff.problems.toString());
    List<String> services = diff.unused.stream().map(c -> c.action().toString()).toList();
    assertTrue(services.contains("ec2:*"), services.toString());
    assertFalse(services.contains("dynamodb:*"), "dynamodb was used");
    assertTrue(diff.unused.stream().allMatch(c -> c.rule().equals(RoleAnalyzer.RULE_SERVICE_NEVER_SEEN)
        && !c.serviceActions().isEmpty()));
    assertTrue(diff.notObservable.stream().anyMatch(n -> n.action().toString().equals("logs:*")),
        "logs:PutLogEvents is never logged");
  }

  // --- UnusedCandidate: the risk of what is unused ---

  @Test
  void candidatesAreRankedByEscalationThenAccessLevel() {
    PrivilegeEscalation escalation = PrivilegeEscalation.loadDefault();
    GrantRef ref = new GrantRef("inline:app", "app", null, 1, null);
    IamAction passRole = IamAction.parse("iam:PassRole");
    IamAction createFunction = IamAction.parse("lambda:CreateFunction");
    UnusedCandidate create = new UnusedCandidate(createFunction, AccessLevel.WRITE, "*", ref,
        RoleAnalyzer.RULE_MANAGEMENT_NEVER_SEEN);
    assertEquals(Risk.of(AccessLevel.WRITE), create.ranked(Set.of(createFunction), escalation, CATALOG).risk());
    UnusedPermission completing = create.ranked(Set.of(passRole, createFunction,
        IamAction.parse("lambda:InvokeFunction")), escalation, CATALOG);
    assertEquals(Risk.PRIVILEGE_ESCALATION, completing.risk());
    assertTrue(completing.riskReason().contains("PassExistingRoleToNewLambdaThenInvoke"), completing.riskReason());
    UnusedCandidate blocked = new UnusedCandidate(passRole, AccessLevel.WRITE, "*", ref,
        RoleAnalyzer.RULE_BLOCKED_BY_BOUNDARY);
    assertEquals(Risk.NOT_EFFECTIVE, blocked.ranked(Set.of(passRole, createFunction), escalation, CATALOG).risk());
  }

  @Test
  void aServiceRowTakesTheRiskOfItsRiskiestAction() {
    GrantRef ref = new GrantRef("inline:app", "app", null, 1, null);
    List<IamAction> actions = List.of(IamAction.parse("s3:GetObject"), IamAction.parse("s3:DeleteBucket"));
    UnusedCandidate row = new UnusedCandidate(new IamAction("s3", "*"), null, "*", ref,
        RoleAnalyzer.RULE_SERVICE_NEVER_SEEN, actions);
    UnusedPermission ranked = row.ranked(Set.of(), PrivilegeEscalation.loadDefault(), CATALOG);
    assertEquals(Risk.of(AccessLevel.WRITE), ranked.risk());
    assertTrue(ranked.riskReason().startsWith("s3:DeleteBucket (one of 2 granted s3 actions)"), ranked.riskReason());
  }

  // --- RoleAnalyzer.roleGuards: the role as a whole ---

  @Test
  void aShortWindowOrAYoungRoleKeepsEverything() {
    RoleContext ctx = AnalysisFixtures.context(); // 2024-06-01..2024-06-30
    RoleGrants grants = AnalysisFixtures.grants();
    assertEquals(List.of(), RoleAnalyzer.roleGuards(ctx, grants, new SafetyControls(List.of(), List.of(), 30, 0, "")));
    assertEquals(List.of(RoleAnalyzer.RULE_WINDOW_TOO_SHORT), RoleAnalyzer.roleGuards(ctx, grants,
        new SafetyControls(List.of(), List.of(), 31, 0, "")).stream().map(SafetyDecision::rule).toList());
    assertEquals(List.of(RoleAnalyzer.RULE_ROLE_TOO_NEW), RoleAnalyzer.roleGuards(ctx, grants,
        new SafetyControls(List.of(), List.of(), 0, 7, "")).stream().map(SafetyDecision::rule).toList(),
        "no CreateDate: the age is unknown");
    RoleGrants old = new RoleGrants(grants.roleArn(), grants.roleName(), grants.path(), grants.accountId(),
        grants.trustedServices(), grants.policies(), null, List.of(), Instant.parse("2024-06-23T00:00:00Z"));
    assertEquals(List.of(), RoleAnalyzer.roleGuards(ctx, old, new SafetyControls(List.of(), List.of(), 0, 7, "")),
        "7 days before the window's end");
    RoleContext week = new RoleContext(ctx.roleArn(), ctx.accountId(), ctx.roleName(),
        new ObservationWindow(LocalDate.of(2024, 6, 24), LocalDate.of(2024, 6, 30)), ctx.lambdaEvidence());
    assertEquals(2, RoleAnalyzer.roleGuards(week, grants, new SafetyControls(List.of(), List.of(), 8, 7, "")).size());
  }
}
