package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision.Verdict;
import dev.trailtrim.policy.PolicyTightener.Fitted;
import dev.trailtrim.policy.PolicyTightener.KeptAsIs;
import dev.trailtrim.policy.PolicyTightener.Observed;
import dev.trailtrim.policy.PolicyTightener.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each step of {@link PolicyTightener#tighten} on its own. */
class TighteningStepsTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";

  private static PolicyDocument doc(String statementsSingleQuoted) {
    return PolicyParser.parse(("{'Version':'2012-10-17','Statement':[" + statementsSingleQuoted + "]}")
        .replace('\'', '"'));
  }

  private static GrantSet bounded(String identity, String boundary) {
    return new GrantSet(List.of(new LabeledPolicy("inline:p", doc(identity))),
        boundary == null ? null : new LabeledPolicy("boundary:b", doc(boundary)));
  }

  private static StatementRef ref(GrantSet granted, int number) {
    return new StatementRef("inline:p", number, granted.policies().get(0).document().statements().get(number - 1));
  }

  private static ActionOnResource use(String action, String resource) {
    return new ActionOnResource(IamAction.parse(action), resource);
  }

  @Test
  void keptAsIsWritesVerbatimWhatTheBoundaryWhollyAllowsAndOtherwiseListsItsActions() {
    GrantSet granted = bounded("{'Sid':'Db','Effect':'Allow','Action':'dynamodb:*','Resource':'*'},"
        + "{'Effect':'Allow','Action':'sqs:SendMessage','Resource':'*'},"
        + "{'Effect':'Deny','Action':'s3:*','Resource':'*'}",
        "{'Effect':'Allow','Action':['dynamodb:GetItem','sqs:*'],'Resource':'*'}");
    List<String> notes = new ArrayList<>();
    KeptAsIs asIs = PolicyTightener.keptAsIs(granted, List.of(ref(granted, 3), ref(granted, 2), ref(granted, 1)),
        CATALOG, notes);
    assertEquals(Set.of(ref(granted, 2), ref(granted, 3)), asIs.refs(), "sqs is wholly in the boundary; a Deny always");
    assertEquals(List.of(Effect.ALLOW, Effect.DENY), asIs.verbatim().stream().map(Statement::effect).toList(),
        "in statement order");
    assertEquals(Set.of(ref(granted, 1)), asIs.asGranted().keySet());
    assertTrue(asIs.asGranted().get(ref(granted, 1)).contains(IamAction.parse("dynamodb:PutItem")),
        "every action it grants; the boundary narrows them later");
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).startsWith("inline:p#1 (Sid Db) is kept as it is only within the permissions boundary"),
        notes.get(0));
  }

  @Test
  void observedCallsAreExplainedByTheirStatementOrNot() {
    GrantSet granted = bounded("{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'" + TABLE + "'},"
        + "{'Effect':'Allow','Action':'sqs:SendMessage','Resource':'*'},"
        + "{'Effect':'Allow','Action':'lambda:ListFunctions','Resource':'*'}", null);
    List<String> notes = new ArrayList<>();
    Map<String, TreeSet<String>> dropped = new TreeMap<>();
    Observed observed = PolicyTightener.observed(granted, List.of(use("dynamodb:getitem", TABLE),
        use("dynamodb:PutItem", TABLE), use("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q"),
        use("lambda:ListFunctions", "*"), use("s3:GetObject", ActionOnResource.ANY_RESOURCE)),
        Set.of(ref(granted, 2)), CATALOG, dropped, notes);
    assertEquals(List.of("dynamodb:GetItem " + TABLE + " inline:p#1", "lambda:ListFunctions * inline:p#3"),
        observed.used().stream()
            .map(u -> u.action() + " " + u.resource() + " " + u.allowedBy()).toList(),
        "canonical spelling; sqs is written verbatim, so not listed");
    assertEquals(List.of("dynamodb:PutItem " + Verdict.NOT_ALLOWED, "s3:GetObject " + Verdict.NOT_ALLOWED),
        observed.unexplained().stream().map(u -> u.access().action() + " " + u.verdict()).toList());
    assertEquals(List.of(), notes, "lambda:ListFunctions takes only *: its resource is known");
    assertTrue(dropped.isEmpty());
  }

  @Test
  void aCallOfUnknownResourceKeepsTheGrantedResourcesWithANote() {
    GrantSet granted = bounded("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}", null);
    List<String> notes = new ArrayList<>();
    Observed observed = PolicyTightener.observed(granted, List.of(use("s3:GetObject", ActionOnResource.ANY_RESOURCE)),
        Set.of(), CATALOG, new TreeMap<>(), notes);
    assertEquals(List.of(List.of("arn:aws:s3:::b/*")),
        observed.wholeScopes().keySet().stream().map(Scope::resources).toList());
    assertEquals(List.of("The resource of s3:GetObject calls is unknown; kept the resources its grant names"), notes);
  }

  @Test
  void keptPermissionsAreGroupedByWhyAndNarrowedToTheBoundary() {
    GrantSet granted = bounded("{'Effect':'Allow','Action':['logs:PutLogEvents','s3:GetObject'],'Resource':'*'}",
        "{'Effect':'Allow','Action':'logs:*','Resource':'arn:aws:logs:*:*:*'},"
            + "{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::b/*'}");
    KeptAsIs none = new KeptAsIs(List.of(), Set.of(), Map.of());
    Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> kept = PolicyTightener.keptScopesByWhy(granted, List.of(
        new KeptPermission(IamAction.parse("logs:putlogevents"), ref(granted, 1)),
        new KeptPermission(IamAction.parse("s3:GetObject"), ref(granted, 1), KeptPermission.Why.PROTECTED)),
        none, new TreeMap<>(), CATALOG);
    assertEquals(Set.of(KeptPermission.Why.NOT_OBSERVABLE, KeptPermission.Why.PROTECTED), kept.keySet());
    assertEquals("{Scope[resources=[arn:aws:logs:*:*:*], notResources=[], conditions=" + Conditions.NONE
        + "]=[logs:PutLogEvents]}", kept.get(KeptPermission.Why.NOT_OBSERVABLE).toString());
    assertEquals(List.of(List.of("arn:aws:s3:::b/*")),
        kept.get(KeptPermission.Why.PROTECTED).keySet().stream().map(Scope::resources).toList());
  }

  @Test
  void aPolicyOverTheInlineLimitIsWidenedToTheGrantedPatternsThenSplit() {
    GrantSet granted = bounded("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::bucket-*/*'}",
        null);
    List<ActionOnResource> calls = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      calls.add(use("s3:GetObject", "arn:aws:s3:::bucket-" + i + "/file.json")); // one key per bucket: kept literal
    }
    Map<String, TreeSet<String>> dropped = new TreeMap<>();
    List<String> notes = new ArrayList<>();
    Observed few = PolicyTightener.observed(granted, calls.subList(0, 2), Set.of(), CATALOG, dropped, notes);
    Fitted small = PolicyTightener.fitted(granted, List.of(), few, Map.of(), dropped, CATALOG, notes);
    assertFalse(small.generalised());
    assertEquals(List.of(small.policy()), PolicyTightener.parts(small, CATALOG, notes));

    Observed many = PolicyTightener.observed(granted, calls, Set.of(), CATALOG, dropped, notes);
    Fitted widened = PolicyTightener.fitted(granted, List.of(), many, Map.of(), dropped, CATALOG, notes);
    assertTrue(widened.generalised());
    assertEquals(List.of("arn:aws:s3:::bucket-*/*"), widened.policy().statements().get(0).resources());
    assertTrue(notes.get(0).startsWith("The suggestion was "), notes.toString());

    Fitted tooBig = new Fitted(small.policy(), PolicyJson.INLINE_ROLE_LIMIT + 1, false);
    notes.clear();
    List<PolicyDocument> parts = PolicyTightener.parts(tooBig, CATALOG, notes);
    assertEquals(1, parts.size());
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("Split: the suggestion is ")), notes.toString());
  }

  @Test
  void onlyTheDeniesThatMayTouchWhatIsAllowedAreKept() {
    GrantSet granted = new GrantSet(List.of(new LabeledPolicy("inline:p", doc(
        "{'Effect':'Allow','Action':['s3:*','sqs:*'],'Resource':'*'},"
            + "{'Sid':'NoDelete','Effect':'Deny','Action':'s3:DeleteObject','Resource':'*'},"
            + "{'Effect':'Deny','Action':'sqs:DeleteQueue','Resource':'*'}"))),
        new LabeledPolicy("boundary:b", doc("{'Effect':'Allow','Action':'*','Resource':'*'},"
            + "{'Effect':'Deny','Action':'s3:PutBucketPolicy','Resource':'*'}")));
    Map<Scope, TreeSet<IamAction>> allowed = Map.of(new Scope(List.of("*"), List.of(), Conditions.NONE),
        new TreeSet<>(Set.of(IamAction.parse("s3:DeleteObject"))));
    assertEquals(List.of("NoDelete"), PolicyTightener.denies(granted, List.of(), allowed, Map.of(), CATALOG).stream()
        .map(Statement::sid).toList());
    Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> keptS3 = Map.of(KeptPermission.Why.PROTECTED,
        Map.of(new Scope(List.of("*"), List.of(), Conditions.NONE), new TreeSet<>(Set.of("s3:Put*"))));
    assertEquals(java.util.Arrays.asList("NoDelete", null),
        PolicyTightener.denies(granted, List.of(), allowed, keptS3, CATALOG)
            .stream().map(Statement::sid).toList(),
        "the boundary's Deny of s3:PutBucketPolicy caps s3:Put*");
  }

  private static Statement statement(String json) {
    return doc(json).statements().get(0);
  }

  @Test
  void everyStatementGetsASidUniqueInThePolicy() {
    Statement verbatim = statement(
        "{'Sid':'orders-table','Effect':'Allow','Action':'dynamodb:GetItem','Resource':'*'}");
    Statement clash = statement("{'Sid':'AllowLogsStmt2','Effect':'Allow','Action':'sqs:SendMessage','Resource':'*'}");
    Statement logs = statement("{'Effect':'Allow','Action':'logs:PutLogEvents','Resource':'*'}");
    Statement deny = statement("{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'*'}");
    List<Statement> named = PolicyTightener.withSids(List.of(verbatim, clash), List.of(logs, logs),
        new TreeMap<>(Map.of(KeptPermission.Why.NOT_OBSERVABLE, List.of(logs))), List.of(deny));
    assertEquals(List.of("OrdersTable", "AllowLogsStmt2", "AllowLogs", "AllowLogsStmt3", "KeptNotObservableLogs",
        "KeptDenyS3"), named.stream().map(Statement::sid).toList(), "a Sid of the grants is never taken twice");
  }

  @Test
  void aSidNamesEveryServiceTheStatementHolds() {
    // Issue 11: a statement named after one service held the actions of another too.
    Statement mixed = statement("{'Effect':'Allow','Action':['dynamodb:GetItem','logs:PutLogEvents'],'Resource':'*'}");
    Statement many = statement("{'Effect':'Allow','Action':['sqs:SendMessage','s3:GetObject','kms:Decrypt',"
        + "'execute-api:Invoke','logs:PutLogEvents'],'Resource':'*'}");
    Statement all = statement("{'Effect':'Allow','Action':['*'],'Resource':'*'}");
    Statement except = statement("{'Effect':'Allow','NotAction':['iam:*','organizations:*'],'Resource':'*'}");
    assertEquals("DynamodbLogs", PolicyTightener.holdsWord(mixed));
    assertEquals("ExecuteApiKmsAnd3More", PolicyTightener.holdsWord(many));
    assertEquals("All", PolicyTightener.holdsWord(all));
    assertEquals("AllExceptIamOrganizations", PolicyTightener.holdsWord(except));
    List<Statement> named = PolicyTightener.withSids(List.of(except), List.of(mixed),
        new TreeMap<>(Map.of(KeptPermission.Why.NOT_OBSERVABLE, List.of(mixed), KeptPermission.Why.PROTECTED,
            List.of(many))),
        List.of());
    assertEquals(List.of("KeptAsGrantedAllExceptIamOrganizations", "AllowDynamodbLogs",
        "KeptNotObservableDynamodbLogs", "KeptProtectedExecuteApiKmsAnd3More"),
        named.stream().map(Statement::sid).toList());
    assertTrue(named.stream().allMatch(s -> s.sid().matches("[A-Za-z0-9]+")), "IAM's Sid characters only");
  }
}
