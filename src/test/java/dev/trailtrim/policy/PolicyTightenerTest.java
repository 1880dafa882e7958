package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTightenerTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();

  private static PolicyDocument doc(String statementsSingleQuoted) {
    return PolicyParser
        .parse(("{'Version':'2012-10-17','Statement':[" + statementsSingleQuoted + "]}").replace('\'', '"'));
  }

  private static GrantSet grants(String statements) {
    return GrantSet.of(new LabeledPolicy("inline:p", doc(statements)));
  }

  private static ActionOnResource use(String action, String resource) {
    return new ActionOnResource(IamAction.parse(action), resource);
  }

  private static String statementsJson(PolicyDocument policy) {
    return PolicyJson.render(policy);
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  void scopesObservedUseToTheObservedResourcesInCanonicalSpelling() {
    GrantSet granted = grants("{'Effect':'Allow','Action':['s3:*','dynamodb:*'],'Resource':'*'},"
        + "{'Effect':'Allow','Action':['logs:CreateLogStream','logs:PutLogEvents'],'Resource':'arn:aws:logs:*:*:*'}");
    TighteningResult result = PolicyTightener.tighten(granted, List.of(
        use("s3:getobject", "arn:aws:s3:::orders/in/a.json"),
        use("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"),
        use("dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"),
        use("logs:PutLogEvents", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/f:log-stream:s1"),
        use("logs:CreateLogStream", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/f:log-stream:s1")),
        List.of(), CATALOG);
    assertEquals(lines(
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [",
        "    {",
        "      \"Sid\": \"AllowDynamodb\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": [",
        "        \"dynamodb:GetItem\",",
        "        \"dynamodb:PutItem\"",
        "      ],",
        "      \"Resource\": \"arn:aws:dynamodb:eu-west-1:111122223333:table/orders\"",
        "    },",
        "    {",
        "      \"Sid\": \"AllowLogs\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": [",
        "        \"logs:CreateLogStream\",",
        "        \"logs:PutLogEvents\"",
        "      ],",
        "      \"Resource\": \"arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/f:log-stream:*\"",
        "    },",
        "    {",
        "      \"Sid\": \"AllowS3\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": \"s3:GetObject\",",
        "      \"Resource\": \"arn:aws:s3:::orders/in/a.json\"",
        "    }",
        "  ]",
        "}"), statementsJson(result.policy()));
    assertEquals(List.of(), result.unexplained());
    assertTrue(result.size().withinLimit());
    assertEquals(PolicyJson.sizeWithoutWhitespace(result.policy()), result.size().sizeWithoutWhitespace());
  }

  @Test
  void generalisesS3KeysToTheirCommonPrefixOnlyWithinTheGrant() {
    List<ActionOnResource> used = List.of(use("s3:GetObject", "arn:aws:s3:::b/data/2024/01/a.json"),
        use("s3:GetObject", "arn:aws:s3:::b/data/2024/02/b.json"));
    PolicyDocument wide = PolicyTightener.tighten(grants("{'Effect':'Allow','Action':'s3:GetObject',"
        + "'Resource':'arn:aws:s3:::b/data/*'}"), used, List.of(), CATALOG).policy();
    assertEquals(List.of("arn:aws:s3:::b/data/2024/*"), wide.statements().get(0).resources());

    PolicyDocument narrow = PolicyTightener.tighten(grants("{'Effect':'Allow','Action':'s3:GetObject',"
        + "'Resource':['arn:aws:s3:::b/data/2024/01/*','arn:aws:s3:::b/data/2024/02/*']}"), used, List.of(), CATALOG)
        .policy();
    assertEquals(List.of("arn:aws:s3:::b/data/2024/01/a.json", "arn:aws:s3:::b/data/2024/02/b.json"),
        narrow.statements().get(0).resources());
  }

  @Test
  void doesNotGeneraliseAcrossAConditionOrOutsideTheBoundary() {
    List<ActionOnResource> used =
        List.of(use("s3:GetObject", "arn:aws:s3:::b/x/1"), use("s3:GetObject", "arn:aws:s3:::b/x/2"));
    GrantSet bounded = new GrantSet(List.of(new LabeledPolicy("inline:p", doc("{'Effect':'Allow','Action':'s3:*',"
        + "'Resource':'*'}"))), new LabeledPolicy("boundary:b", doc("{'Effect':'Allow','Action':'s3:GetObject',"
            + "'Resource':['arn:aws:s3:::b/x/1','arn:aws:s3:::b/x/2']}")));
    assertEquals(List.of("arn:aws:s3:::b/x/1", "arn:aws:s3:::b/x/2"),
        PolicyTightener.tighten(bounded, used, List.of(), CATALOG).policy().statements().get(0).resources());
  }

  @Test
  void addsTableIndexesAsIndexWildcardWhenGranted() {
    GrantSet granted = grants("{'Effect':'Allow','Action':'dynamodb:Query','Resource':["
        + "'arn:aws:dynamodb:eu-west-1:1:table/T','arn:aws:dynamodb:eu-west-1:1:table/T/index/*']}");
    PolicyDocument policy = PolicyTightener.tighten(granted, List.of(
        use("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:1:table/T"),
        use("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:1:table/T/index/byDate")), List.of(), CATALOG).policy();
    assertEquals(List.of("arn:aws:dynamodb:eu-west-1:1:table/T", "arn:aws:dynamodb:eu-west-1:1:table/T/index/*"),
        policy.statements().get(0).resources());
  }

  @Test
  void leavesOutWhatTheGrantDoesNotAllowAndSaysWhy() {
    GrantSet granted = grants("{'Effect':'Allow','Action':'s3:*','Resource':'*'},"
        + "{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'*'},"
        + "{'Sid':'no-secrets','Effect':'Deny','Action':'s3:*','Resource':'arn:aws:s3:::secret/*'}");
    TighteningResult result =
        PolicyTightener.tighten(granted, List.of(use("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q"),
            use("s3:DeleteObject", "arn:aws:s3:::b/k"), use("s3:PutObject", "arn:aws:s3:::b/k")), List.of(), CATALOG);
    assertEquals(List.of(Verdict.EXPLICITLY_DENIED, Verdict.NOT_ALLOWED),
        result.unexplained().stream().map(UnexplainedAccess::verdict).toList());
    assertEquals(
        "explicitly denied by inline:p#2, yet it succeeded: the snapshot differs from the policies in force then",
        result.unexplained().get(0).reason());
    assertEquals(List.of("AllowS3", "KeptDenyNoSecrets"),
        result.policy().statements().stream().map(Statement::sid).toList());
    assertEquals(List.of("arn:aws:s3:::secret/*"), result.policy().statements().get(1).resources());
  }

  @Test
  void keepsTheConditionOfTheAllowingStatementAndGroupsByIt() {
    GrantSet granted = grants("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*',"
        + "'Condition':{'StringEquals':{'aws:ResourceAccount':'111122223333'}}},"
        + "{'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::b/*'}");
    PolicyDocument policy = PolicyTightener.tighten(granted, List.of(use("s3:GetObject", "arn:aws:s3:::b/k"),
        use("s3:PutObject", "arn:aws:s3:::b/k")), List.of(), CATALOG).policy();
    assertEquals(2, policy.statements().size());
    Statement get =
        policy.statements().stream().filter(s -> s.actions().equals(List.of("s3:GetObject"))).findFirst().orElseThrow();
    assertEquals("{StringEquals={aws:ResourceAccount=[111122223333]}}", get.conditions().toString());
    Statement put =
        policy.statements().stream().filter(s -> s.actions().equals(List.of("s3:PutObject"))).findFirst().orElseThrow();
    assertFalse(put.conditional());
  }

  @Test
  void usesObservedResourcePatternsAsTheyAreSoTheRealResourceIsAllowed() {
    // The translator names a secret read by name as name-?????? (its 6-character suffix is unknown).
    String secrets = "arn:aws:secretsmanager:us-east-1:111122223333:secret:";
    GrantSet granted =
        grants("{'Effect':'Allow','Action':'secretsmanager:GetSecretValue','Resource':'" + secrets + "prod/orders/*'}");
    TighteningResult result = PolicyTightener.tighten(granted,
        List.of(use("secretsmanager:GetSecretValue", secrets + "prod/orders/db-??????")), List.of(), CATALOG);
    assertEquals(List.of(), result.unexplained());
    assertEquals(List.of(secrets + "prod/orders/db-??????"), result.policy().statements().get(0).resources());
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", result.policy()));
    IamAction get = IamAction.parse("secretsmanager:GetSecretValue");
    assertTrue(PolicyEvaluator.evaluate(suggested, get, secrets + "prod/orders/db-Ab3dEf").allowed(),
        "the function's real call");
    assertFalse(PolicyEvaluator.evaluate(suggested, get, secrets + "prod/orders/db-old").allowed(), "another secret");
    assertFalse(PolicyEvaluator.evaluate(suggested, get, secrets + "prod/orders/db-archive-Ab3dEf").allowed());
  }

  @Test
  void keepsTheEscapesOfObservedKeysAndNeverWritesWhatTheGrantDoesNotCover() {
    GrantSet granted = grants("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'},"
        + "{'Effect':'Allow','Action':'secretsmanager:GetSecretValue','Resource':'arn:aws:secretsmanager:eu-west-1:1:secret:db-Ab3dEf'}");
    // The translator escaped the literal * of the key; the secret was read by name, its suffix unknown.
    TighteningResult result = PolicyTightener.tighten(granted, List.of(use("s3:GetObject", "arn:aws:s3:::b/a${*}b"),
        use("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:1:secret:db-??????")), List.of(),
        CATALOG);
    assertEquals(List.of("arn:aws:s3:::b/a${*}b"), result.policy().statements().get(0).resources());
    assertEquals(1, result.policy().statements().size(), "db-?????? names more than the one granted secret");
    assertEquals(List.of(Verdict.NOT_ALLOWED), result.unexplained().stream().map(UnexplainedAccess::verdict).toList());
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", result.policy()));
    assertTrue(PolicyEvaluator.evaluate(suggested, IamAction.parse("s3:GetObject"), "arn:aws:s3:::b/a${*}b").allowed());
    assertFalse(PolicyEvaluator.evaluate(suggested, IamAction.parse("s3:GetObject"), "arn:aws:s3:::b/axxb").allowed());
  }

  @Test
  void keepsTheGrantedResourcesWhenTheObservedResourceIsUnknown() {
    GrantSet granted =
        grants("{'Effect':'Allow','Action':'s3:GetObject','Resource':['arn:aws:s3:::b/*','arn:aws:s3:::c/*']}");
    TighteningResult result = PolicyTightener.tighten(granted, List.of(use("s3:GetObject", "*")), List.of(), CATALOG);
    assertEquals(List.of("arn:aws:s3:::b/*", "arn:aws:s3:::c/*"), result.policy().statements().get(0).resources());
    assertEquals(List.of("The resource of s3:GetObject calls is unknown; kept the resources its grant names"),
        result.notes());
  }

  @Test
  void keepsNotObservablePermissionsAsGrantedWithAMarkingSid() {
    PolicyDocument granted = doc("{'Sid':'Read','Effect':'Allow','Action':['s3:GetObject','s3:GetObjectVersion',"
        + "'s3:ListBucket'],'Resource':['arn:aws:s3:::b','arn:aws:s3:::b/*'],'Condition':{'Bool':{'aws:SecureTransport':'true'}}}");
    GrantSet grants = GrantSet.of(new LabeledPolicy("inline:p", granted));
    StatementRef read = new StatementRef("inline:p", 1, granted.statements().get(0));
    TighteningResult result = PolicyTightener.tighten(grants, List.of(), List.of(
        new KeptPermission(IamAction.parse("s3:getobject"), read),
        new KeptPermission(IamAction.parse("s3:GetObjectVersion"), read)),
        CATALOG);
    assertEquals(lines(
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [",
        "    {",
        "      \"Sid\": \"KeptNotObservableS3\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": [",
        "        \"s3:GetObject\",",
        "        \"s3:GetObjectVersion\"",
        "      ],",
        "      \"Resource\": [",
        "        \"arn:aws:s3:::b\",",
        "        \"arn:aws:s3:::b/*\"",
        "      ],",
        "      \"Condition\": {",
        "        \"Bool\": {",
        "          \"aws:SecureTransport\": \"true\"",
        "        }",
        "      }",
        "    }",
        "  ]",
        "}"), PolicyJson.render(result.policy()));
  }

  @Test
  void writesAFullyKeptVerbOfAWhollyGrantedServiceAsAWildcard() {
    PolicyDocument granted = doc("{'Effect':'Allow','Action':'*','Resource':'*'}");
    StatementRef ref = new StatementRef("inline:p", 1, granted.statements().get(0));
    List<KeptPermission> kept = new ArrayList<>();
    CATALOG.matching("s3:Get*").forEach(info -> kept.add(new KeptPermission(info.action(), ref)));
    kept.add(new KeptPermission(IamAction.parse("s3:PutObject"), ref));
    CATALOG.actionsOf("sqs").forEach(info -> kept.add(new KeptPermission(info.action(), ref)));
    TighteningResult result =
        PolicyTightener.tighten(GrantSet.of(new LabeledPolicy("inline:p", granted)), List.of(), kept,
            CATALOG);
    assertEquals(List.of("s3:Get*", "s3:PutObject", "sqs:*"), result.policy().statements().get(0).actions());
  }

  @Test
  void keepsAGrantedWildcardWhenEveryActionItMatchesIsKept() {
    PolicyDocument granted = doc("{'Effect':'Allow','Action':['s3:GetObject*','sqs:SendMessage'],'Resource':'*'}");
    StatementRef ref = new StatementRef("inline:p", 1, granted.statements().get(0));
    List<KeptPermission> kept = new ArrayList<>();
    CATALOG.matching("s3:GetObject*").forEach(info -> kept.add(new KeptPermission(info.action(), ref)));
    TighteningResult result =
        PolicyTightener.tighten(GrantSet.of(new LabeledPolicy("inline:p", granted)), List.of(), kept,
            CATALOG);
    assertEquals(List.of("s3:GetObject*"), result.policy().statements().get(0).actions());
  }

  @Test
  void widensToTheGrantedPatternsWhenTooBigAndReportsASplitWhenStillTooBig() {
    GrantSet granted =
        grants("{'Effect':'Allow','Action':['s3:GetObject','s3:PutObject'],'Resource':'arn:aws:s3:::bucket-*/*'}");
    List<ActionOnResource> used = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      used.add(use("s3:GetObject", "arn:aws:s3:::bucket-" + i + "/only-object"));
    }
    TighteningResult result = PolicyTightener.tighten(granted, used, List.of(), CATALOG);
    assertTrue(result.size().generalisedToFit());
    assertTrue(result.size().withinLimit());
    assertEquals(List.of("arn:aws:s3:::bucket-*/*"), result.policy().statements().get(0).resources());

    List<KeptPermission> kept = new ArrayList<>();
    PolicyDocument huge = doc("{'Effect':'Allow','Action':'ec2:*','Resource':'arn:aws:ec2:*:*:instance/*'}");
    StatementRef ref = new StatementRef("inline:h", 1, huge.statements().get(0));
    // Every other EC2 action: no wildcard can stand for them, so the list stays long.
    List<dev.trailtrim.catalog.ActionInfo> ec2 = CATALOG.actionsOf("ec2");
    for (int i = 0; i < ec2.size(); i += 2) {
      kept.add(new KeptPermission(ec2.get(i).action(), ref));
    }
    TighteningResult split =
        PolicyTightener.tighten(GrantSet.of(new LabeledPolicy("inline:h", huge)), List.of(), kept, CATALOG);
    assertFalse(split.size().withinLimit());
    assertTrue(split.size().managedPoliciesNeeded() >= 2, String.valueOf(split.size()));
    assertEquals(split.size().managedPoliciesNeeded(), split.parts().size());
    assertTrue(split.notes().stream().anyMatch(n -> n.startsWith("Split: ")), split.notes().toString());
  }

  private static GrantSet bounded(String identityStatements, String boundaryStatements) {
    return new GrantSet(List.of(new LabeledPolicy("inline:p", doc(identityStatements))),
        new LabeledPolicy("boundary:b", doc(boundaryStatements)));
  }

  private static List<KeptPermission> kept(GrantSet granted, int statement, String... actions) {
    StatementRef ref =
        new StatementRef("inline:p", statement, granted.policies().get(0).document().statements().get(statement - 1));
    return java.util.Arrays.stream(actions).map(a -> new KeptPermission(IamAction.parse(a), ref)).toList();
  }

  @Test
  void keptPermissionsTakeTheNarrowerPatternsOfTheBoundaryAndNothingItBlocks() {
    GrantSet granted = bounded("{'Effect':'Allow','Action':['s3:*','iam:PassRole'],'Resource':'*'}",
        "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'},"
            + "{'Effect':'Allow','Action':'s3:PutObject','Resource':'*'}");
    TighteningResult result = PolicyTightener.tighten(granted, List.of(),
        kept(granted, 1, "s3:GetObject", "s3:PutObject", "s3:ReplicateObject", "iam:PassRole"), CATALOG);
    assertEquals(List.of("s3:GetObject [arn:aws:s3:::b/*]", "s3:PutObject [*]"), result.policy().statements().stream()
        .map(st -> String.join(",", st.actions()) + " " + st.resources()).toList(), PolicyJson.render(result.policy()));
  }

  @Test
  void anIdentityPatternTheBoundaryOnlyOverlapsIsDroppedWithANote() {
    GrantSet granted = bounded(
        "{'Sid':'Read','Effect':'Allow','Action':'s3:GetObject','Resource':['arn:aws:s3:::b/*','arn:aws:s3:::c/x']}",
        "{'Effect':'Allow','Action':'s3:GetObject','Resource':['arn:aws:s3:::*/public/*','arn:aws:s3:::c/*']}");
    TighteningResult result = PolicyTightener.tighten(granted, List.of(), kept(granted, 1, "s3:GetObject"), CATALOG);
    assertEquals(List.of("arn:aws:s3:::c/x"), result.policy().statements().get(0).resources());
    assertEquals(
        List.of("Left out of the suggestion for s3:GetObject: arn:aws:s3:::b/* granted by inline:p#1 (Sid Read);"
            + " the permissions boundary boundary:b allows them only on [arn:aws:s3:::*/public/*], which neither contains it"
            + " nor lies within it"),
        result.notes());
  }

  @Test
  void aNotResourceGrantKeepsTheBoundaryPatternsItDoesNotExclude() {
    GrantSet granted =
        bounded("{'Sid':'AllButSecret','Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::secret/*'}",
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':['arn:aws:s3:::b/*','arn:aws:s3:::*/x']}");
    TighteningResult result = PolicyTightener.tighten(granted, List.of(), kept(granted, 1, "s3:GetObject"), CATALOG);
    assertEquals(List.of("arn:aws:s3:::b/*"), result.policy().statements().get(0).resources());
    assertEquals(List.of("Left out of the suggestion for s3:GetObject: NotResource [arn:aws:s3:::secret/*] granted by"
        + " inline:p#1 (Sid AllButSecret); the permissions boundary boundary:b allows them only on [arn:aws:s3:::*/x],"
        + " which neither contains it nor lies within it"), result.notes());
  }

  @Test
  void callsOfUnknownResourceKeepOnlyWhatTheBoundaryAllows() {
    GrantSet granted = bounded("{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
        "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    TighteningResult result =
        PolicyTightener.tighten(granted, List.of(use("s3:GetObject", "*"), use("s3:PutObject", "*")),
            List.of(), CATALOG);
    assertEquals(List.of("s3:GetObject [arn:aws:s3:::b/*]"), result.policy().statements().stream()
        .map(st -> String.join(",", st.actions()) + " " + st.resources()).toList());
    assertEquals(List.of("s3:PutObject " + Verdict.NOT_ALLOWED_BY_BOUNDARY), result.unexplained().stream()
        .map(u -> u.access().action() + " " + u.verdict()).toList());
  }

  @Test
  void theBoundarysDeniesAreKeptAndItsActionListLimitsWildcards() {
    List<String> gets = CATALOG.matching("s3:Get*").stream().map(info -> "'" + info.action() + "'").toList();
    GrantSet granted = bounded("{'Effect':'Allow','Action':'*','Resource':'*'}",
        "{'Effect':'Allow','Action':[" + String.join(",", gets) + "],'Resource':'*'},"
            + "{'Sid':'NoSecrets','Effect':'Deny','Action':'s3:*','Resource':'arn:aws:s3:::secret/*'}");
    List<KeptPermission> keep = new ArrayList<>();
    CATALOG.matching("s3:Get*").forEach(info -> keep.addAll(kept(granted, 1, info.action().toString())));
    TighteningResult result = PolicyTightener.tighten(granted, List.of(), keep, CATALOG);
    assertEquals(List.of("KeptNotObservableS3", "KeptDenyNoSecrets"), result.policy().statements().stream()
        .map(Statement::sid).toList());
    // Spelled out: s3:Get* would also allow Get actions AWS adds later, which the boundary does not list.
    assertEquals(gets.size(), result.policy().statements().get(0).actions().size());
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> changingNames() {
    String logs = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/report-exporter:log-stream:";
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("a new log stream per execution environment",
            "logs:CreateLogStream",
            "*", List.of(logs + "2026/11/01/[${$}LATEST]217c", logs + "2026/11/02/[${$}LATEST]bd4c"),
            List.of(logs + "*")),
        org.junit.jupiter.params.provider.Arguments.of("one stream seen is enough", "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/report-exporter:*",
            List.of(logs + "2026/11/01/[${$}LATEST]217c"),
            List.of(logs + "*")),
        org.junit.jupiter.params.provider.Arguments.of("not beyond the grant", "logs:PutLogEvents",
            logs + "2026/11/01/*", List.of(logs + "2026/11/01/[${$}LATEST]217c"),
            List.of(logs + "2026/11/01/[${$}LATEST]217c")),
        org.junit.jupiter.params.provider.Arguments.of("a Lambda version number changes with every publish",
            "lambda:InvokeFunction",
            "arn:aws:lambda:us-east-1:1:function:render*", List.of("arn:aws:lambda:us-east-1:1:function:render:41",
                "arn:aws:lambda:us-east-1:1:function:render:live", "arn:aws:lambda:us-east-1:1:function:render"),
            List.of("arn:aws:lambda:us-east-1:1:function:render", "arn:aws:lambda:us-east-1:1:function:render:*")),
        org.junit.jupiter.params.provider.Arguments.of("a Lambda alias is a stable name", "lambda:InvokeFunction",
            "arn:aws:lambda:us-east-1:1:function:render*", List.of("arn:aws:lambda:us-east-1:1:function:render:live"),
            List.of("arn:aws:lambda:us-east-1:1:function:render:live")),
        org.junit.jupiter.params.provider.Arguments.of("a Step Functions execution name", "states:DescribeExecution",
            "*", List.of("arn:aws:states:us-east-1:1:execution:nightly:5e1c0d2a"),
            List.of("arn:aws:states:us-east-1:1:execution:nightly:*")),
        org.junit.jupiter.params.provider.Arguments.of("an ECS task id", "ecs:DescribeTasks",
            "arn:aws:ecs:us-east-1:1:task/jobs/*", List.of("arn:aws:ecs:us-east-1:1:task/jobs/0a1b2c"),
            List.of("arn:aws:ecs:us-east-1:1:task/jobs/*")),
        org.junit.jupiter.params.provider.Arguments.of("a CodeBuild build id", "codebuild:BatchGetBuilds",
            "*", List.of("arn:aws:codebuild:us-east-1:1:build/site:7d2e"),
            List.of("arn:aws:codebuild:us-east-1:1:build/site:*")));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("changingNames")
  void generalisesNamesThatChangeWithEveryInvocationOnlyWithinTheGrant(String description, String action,
      String granted,
      List<String> observed, List<String> expected) {
    TighteningResult result =
        PolicyTightener.tighten(grants("{'Effect':'Allow','Action':'" + action + "','Resource':'" + granted + "'}"),
            observed.stream().map(r -> use(action, r)).toList(), List.of(), CATALOG);
    assertEquals(expected, result.policy().statements().get(0).resources(), description);
  }

  @Test
  void tomorrowsLogStreamIsAllowedAndAnotherFunctionsIsNot() {
    String group = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/report-exporter";
    GrantSet granted = new GrantSet(List.of(new LabeledPolicy("managed:basic", doc("{'Effect':'Allow','Action':["
        + "'logs:CreateLogGroup','logs:CreateLogStream','logs:PutLogEvents'],'Resource':'*'}"))),
        new LabeledPolicy("boundary:b",
            doc("{'Effect':'Allow','Action':'logs:*','Resource':'arn:aws:logs:*:*:log-group:/aws/lambda/*'}")));
    PolicyDocument policy = PolicyTightener.tighten(granted, List.of(use("logs:CreateLogStream",
        group + ":log-stream:2026/11/01/[${$}LATEST]217c")), List.of(), CATALOG).policy();
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", policy));
    IamAction create = IamAction.parse("logs:CreateLogStream");
    assertTrue(
        PolicyEvaluator.evaluate(suggested, create, group + ":log-stream:2026/11/06/[${$}LATEST]9f00").allowed());
    assertFalse(PolicyEvaluator.evaluate(suggested, create,
        "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/orders-api:log-stream:2026/11/06/x").allowed());
  }
}
