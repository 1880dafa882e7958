package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.PolicyParser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleAnalyzerTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();

  @Test
  void sortsEveryGrantedPermissionIntoUsedUnusedOrNotObservableWithItsRule() {
    RoleAnalysis analysis = AnalysisFixtures.analysis();
    assertTrue(analysis.grantsKnown());
    assertEquals(List.of("dynamodb:GetItem", "logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage"),
        analysis.findings().used().stream().map(u -> u.action().toString()).toList());
    UsedPermission get = analysis.findings().used().get(0);
    assertEquals(AccessLevel.READ, get.accessLevel());
    assertEquals("inline:orders-db#1 (Sid OrdersTable)", get.resources().get(0).allowedBy());
    assertEquals(RoleAnalyzer.RULE_ALLOWED, get.resources().get(0).decidedBy());
    assertEquals(RoleAnalyzer.RULE_NOT_EXPLAINED, analysis.findings().used().get(3).resources().get(0).decidedBy());

    // Riskiest first: Write, then List; a grant IAM never matches last.
    assertEquals(List.of(
        "write dynamodb:DeleteItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders inline:orders-db#1 (Sid OrdersTable) data-event-logged-never-seen",
        "write dynamodb:PutItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders inline:orders-db#1 (Sid OrdersTable) data-event-logged-never-seen",
        "write logs:CreateLogGroup * managed:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole#1 management-event-never-seen",
        "list s3:ListBucket arn:aws:s3:::orders-in inline:files#1 (Sid ReadInput) management-event-never-seen",
        "list s3:ListBucket arn:aws:s3:::orders-in/* inline:files#1 (Sid ReadInput) management-event-never-seen",
        "not-effective s3:ListAllMyBuckets arn:aws:s3:::orders-in inline:files#2 action-needs-resource-star"),
        analysis.findings().unused().stream().map(u -> u.risk().label() + " " + u.action() + " " + u.resource()
            + " " + u.grantedBy()
            + " " + u.decidedBy()).toList());
    assertEquals(List.of(
        "logs:PutLogEvents * NOT_LOGGED",
        "s3:GetObject arn:aws:s3:::orders-in DATA_EVENT_NOT_LOGGED",
        "s3:GetObject arn:aws:s3:::orders-in/* DATA_EVENT_NOT_LOGGED"),
        analysis.findings().notObservable().stream().map(n -> n.action() + " " + n.resource() + " "
            + n.visibility()).toList());
    assertEquals(1, analysis.findings().denied().size());
    assertEquals("AccessDenied", analysis.findings().denied().get(0).errorCode());
    assertEquals(1, analysis.findings().unexplained().size());
    assertEquals("sqs:SendMessage", analysis.findings().unexplained().get(0).action().toString());
    assertEquals(3, analysis.findings().unexplained().get(0).count());
    assertEquals(9, analysis.granted().actionCount());
  }

  @Test
  void suggestsUsedAndNotObservableOnlyNeverDeniedOrUnexplained() {
    RoleAnalysis analysis = AnalysisFixtures.analysis();
    String policy = PolicyJson.render(analysis.suggestion().policy());
    assertEquals(String.join("\n",
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [",
        "    {",
        "      \"Sid\": \"AllowDynamodb\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": \"dynamodb:GetItem\",",
        "      \"Resource\": \"arn:aws:dynamodb:eu-west-1:111122223333:table/orders\"",
        "    },",
        "    {",
        "      \"Sid\": \"AllowLogs\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": [",
        "        \"logs:CreateLogStream\",",
        "        \"logs:PutLogEvents\"",
        "      ],",
        "      \"Resource\": \"arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-fn:log-stream:*\"",
        "    },",
        "    {",
        "      \"Sid\": \"KeptNotObservableLogs\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": \"logs:PutLogEvents\",",
        "      \"Resource\": \"*\"",
        "    },",
        "    {",
        "      \"Sid\": \"KeptNotObservableS3\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": \"s3:GetObject\",",
        "      \"Resource\": [",
        "        \"arn:aws:s3:::orders-in\",",
        "        \"arn:aws:s3:::orders-in/*\"",
        "      ]",
        "    }",
        "  ]",
        "}",
        ""), policy);
    assertTrue(analysis.suggestion().size().withinLimit());
  }

  @Test
  void withoutGrantsReportsUseAndDenialsButSuggestsNothing() {
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), null, AnalysisFixtures.usage(), CATALOG,
        AnalysisFixtures.OBSERVABILITY);
    assertFalse(analysis.grantsKnown());
    assertEquals(4, analysis.findings().used().size());
    assertEquals(1, analysis.findings().denied().size());
    assertEquals(List.of(), analysis.findings().unused());
    assertNull(analysis.suggestion());
    assertEquals(List.of("Role " + AnalysisFixtures.ROLE_ARN + " is not in the IAM snapshot: its grants are unknown, so"
        + " nothing is called unused and no policy is suggested"), analysis.problems());
  }

  @Test
  void reportsBroadNotActionStatementsPerService() {
    RoleGrants grants = new RoleGrants(AnalysisFixtures.ROLE_ARN, "orders-fn", "/", "111122223333",
        Set.of("lambda.amazonaws.com"), List.of(new GrantedPolicy(GrantedPolicy.Kind.INLINE, "almost-admin", null,
            PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":"
                + "[\"iam:*\",\"organizations:*\"],\"Resource\":\"*\"}}"))),
        null, List.of());
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), grants, AnalysisFixtures.usage(), CATALOG,
        AnalysisFixtures.OBSERVABILITY);
    assertTrue(analysis.findings().unused().stream().allMatch(u -> u.action().name().equals("*")));
    assertTrue(analysis.findings().unused().stream().noneMatch(u -> u.action().service().equals("iam")));
    assertTrue(analysis.findings().unused().stream().anyMatch(u -> u.action().toString().equals("ec2:*")));
    assertTrue(analysis.findings().unused().stream().noneMatch(u -> u.action().toString().equals("dynamodb:*")),
        "dynamodb was used");
    assertTrue(analysis.findings().unused().size() < CATALOG.serviceCount());
    assertTrue(analysis.problems().stream().anyMatch(p -> p.contains("it is reported per service")),
        analysis.problems().toString());
    assertTrue(analysis.suggestion().policy().statements().stream().anyMatch(s -> s.actions()
        .contains("sqs:SendMessage")));
    assertTrue(analysis.suggestion().policy().statements().stream()
        .anyMatch(s -> s.sid().startsWith("KeptNotObservableLogs") && s.actions().contains("logs:PutLogEvents")));
  }

  @Test
  void callsThatFailedAfterAuthorizationKeepTheirPermissionOthersDoNot() {
    String table = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";
    dev.trailtrim.model.RoleUsage usage = new dev.trailtrim.model.RoleUsage(AnalysisFixtures.context().roleArn(),
        List.of(
            AnalysisFixtures.usage("dynamodb:PutItem", table, "ConditionalCheckFailedException", 4, 1, 2),
            AnalysisFixtures.usage("dynamodb:DeleteItem", table, "ThrottlingException", 1, 1, 1),
            AnalysisFixtures.usage("dynamodb:GetItem", table, "AccessDeniedException", 1, 1, 1)));
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), AnalysisFixtures.grants(), usage, CATALOG,
        AnalysisFixtures.OBSERVABILITY);
    assertEquals(List.of("dynamodb:GetItem AccessDeniedException"),
        analysis.findings().denied().stream().map(d -> d.action() + " " + d.errorCode()).toList());
    assertEquals(
        List.of("dynamodb:DeleteItem ThrottlingException false",
            "dynamodb:PutItem ConditionalCheckFailedException true"),
        analysis.findings().failed().stream().map(f -> f.action() + " " + f.errorCode() + " "
            + f.countsAsUse()).toList());
    String policy = PolicyJson.render(analysis.suggestion().policy());
    assertTrue(policy.contains("dynamodb:PutItem"), policy);
    assertFalse(policy.contains("dynamodb:DeleteItem"), policy);
    assertFalse(policy.contains("dynamodb:GetItem"), policy);
  }

  @Test
  void aSecretReadByNameIsSuggestedSoTheRealSecretStaysReadable() throws Exception {
    // orders-api reads prod/orders/db by name; Secrets Manager evaluates the policy against the full ARN with its suffix.
    JsonNode request = new ObjectMapper().readTree("{\"secretId\":\"prod/orders/db\"}");
    CloudTrailEvent call = new CloudTrailEvent(AnalysisFixtures.DAY_1, "secretsmanager.amazonaws.com", "GetSecretValue",
        "us-east-1", "111122223333", null, new CloudTrailEvent.Identity("AssumedRole",
            "arn:aws:sts::111122223333:assumed-role/orders-fn/orders-fn", "111122223333", null, null, "Role",
            AnalysisFixtures.ROLE_ARN),
        null, request, null, List.of(), "Management", true);
    List<ActionOnResource> accesses = EventTranslator.create(CATALOG).translate(call).accesses();
    RoleUsage usage = new RoleUsage(AnalysisFixtures.ROLE_ARN, accesses.stream()
        .map(a -> new ActionUsage(a, null, 3, AnalysisFixtures.DAY_1, AnalysisFixtures.DAY_1)).toList());
    RoleGrants grants = new RoleGrants(AnalysisFixtures.ROLE_ARN, "orders-fn", "/", "111122223333",
        Set.of("lambda.amazonaws.com"), List.of(new GrantedPolicy(GrantedPolicy.Kind.INLINE, "secrets", null,
            PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                + "\"secretsmanager:GetSecretValue\",\"Resource\":\"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/orders/*\"}}"))),
        null, List.of());
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), grants, usage, CATALOG,
        AnalysisFixtures.OBSERVABILITY);
    assertEquals(List.of(), analysis.findings().unexplained());
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", analysis.suggestion().policy()));
    assertTrue(PolicyEvaluator.evaluate(suggested, IamAction.parse("secretsmanager:GetSecretValue"),
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/orders/db-Ab3dEf").allowed(),
        PolicyJson.render(analysis.suggestion().policy()));
  }

  /** report-exporter of the sample logs: the identity policy grants more than its boundary lets through. */
  private static RoleGrants boundedGrants(String boundaryStatements) {
    GrantedPolicy access = new GrantedPolicy(GrantedPolicy.Kind.MANAGED, "report-exporter-access",
        "arn:aws:iam::111122223333:policy/report-exporter-access",
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':["
            + "{'Sid':'Reports','Effect':'Allow','Action':'s3:*','Resource':['arn:aws:s3:::acme-reports','arn:aws:s3:::acme-reports/*']},"
            + "{'Sid':'OrdersRead','Effect':'Allow','Action':'dynamodb:*','Resource':'*'},"
            + "{'Sid':'Legacy','Effect':'Allow','Action':'iam:PassRole','Resource':'*'}]}").replace('\'', '"')));
    GrantedPolicy boundary = new GrantedPolicy(GrantedPolicy.Kind.BOUNDARY, "lambda-workload-boundary",
        "arn:aws:iam::111122223333:policy/boundaries/lambda-workload-boundary",
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':[" + boundaryStatements + "]}").replace('\'', '"')));
    return new RoleGrants(AnalysisFixtures.ROLE_ARN, "orders-fn", "/", "111122223333", Set.of("lambda.amazonaws.com"),
        List.of(access), boundary, List.of());
  }

  /** What CloudTrail shows of these services in the sample trail: no data events, never PassRole. */
  private static final dev.trailtrim.model.Observability NOTHING_BUT_MANAGEMENT =
      new dev.trailtrim.model.Observability() {
        @Override
        public dev.trailtrim.model.Visibility visibility(IamAction action, String resource) {
          boolean data = action.service().equals("s3") && action.name().contains("Object")
              || action.service().equals("dynamodb") && !action.name().contains("Table")
              || action.name().equals("PassRole");
          return data ? dev.trailtrim.model.Visibility.DATA_EVENT_NOT_LOGGED
              : dev.trailtrim.model.Visibility.MANAGEMENT_EVENT;
        }

        @Override
        public String reason(IamAction action, String resource) {
          return visibility(action, resource).name();
        }
      };

  @Test
  void whatTheBoundaryBlocksIsReportedAsSuchAndNeverKept() {
    RoleGrants grants = boundedGrants(
        "{'Sid':'Storage','Effect':'Allow','Action':['s3:GetObject','s3:PutObject','s3:ListBucket'],'Resource':'*'},"
            + "{'Sid':'Tables','Effect':'Allow','Action':['dynamodb:DescribeTable','dynamodb:GetItem','dynamodb:Query'],'Resource':'*'}");
    RoleUsage usage = new RoleUsage(AnalysisFixtures.ROLE_ARN, List.of(AnalysisFixtures.usage("s3:PutObject",
        "arn:aws:s3:::acme-reports/exports/a.csv", null, 5, AnalysisFixtures.DAY_1, AnalysisFixtures.DAY_1)));
    RoleAnalysis analysis =
        RoleAnalyzer.analyze(AnalysisFixtures.context(), grants, usage, CATALOG, NOTHING_BUT_MANAGEMENT);

    List<String> blocked = analysis.findings().unused().stream().filter(u -> u.decidedBy()
        .equals(RoleAnalyzer.RULE_BLOCKED_BY_BOUNDARY))
        .map(u -> u.action() + " " + u.resource()).toList();
    assertTrue(blocked.contains("iam:PassRole *"), blocked.toString());
    assertTrue(blocked.contains("dynamodb:PutItem *"), blocked.toString());
    assertTrue(blocked.contains("s3:ReplicateObject arn:aws:s3:::acme-reports/*"), blocked.toString());
    assertFalse(blocked.stream().anyMatch(b -> b.startsWith("dynamodb:GetItem ") || b.startsWith("s3:PutObject ")),
        blocked.toString());
    assertEquals(List.of("dynamodb:GetItem", "dynamodb:Query", "s3:GetObject", "s3:PutObject"),
        analysis.findings().notObservable().stream().map(n -> n.action().toString()).distinct().toList());

    PolicyDocument suggested = analysis.suggestion().policy();
    List<String> actions = suggested.statements().stream().flatMap(st -> st.actions().stream()).toList();
    assertEquals(List.of("s3:PutObject", "dynamodb:GetItem", "dynamodb:Query", "s3:GetObject", "s3:PutObject"), actions,
        PolicyJson.render(suggested));
    // Standing alone (without the boundary), the suggestion allows nothing the boundary blocks.
    GrantSet alone = GrantSet.of(new LabeledPolicy("suggested", suggested));
    for (String action : List.of("iam:PassRole", "dynamodb:PutItem", "dynamodb:DeleteTable", "s3:ReplicateObject",
        "s3:DeleteObject")) {
      for (String resource : List.of("*", "arn:aws:s3:::acme-reports/x",
          "arn:aws:dynamodb:us-east-1:111122223333:table/orders")) {
        assertFalse(PolicyEvaluator.evaluate(alone, IamAction.parse(action), resource).allowedUnlessConditionalDeny(),
            action + " on " + resource);
      }
    }
  }

  @Test
  void keptPermissionsTakeTheBoundarysNarrowerResourcesOrAreDroppedWithAProblem() {
    RoleGrants grants =
        boundedGrants("{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'arn:aws:dynamodb:*:*:table/orders'},"
            + "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::*/public/*'}");
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), grants,
        new RoleUsage(AnalysisFixtures.ROLE_ARN, List.of()), CATALOG, NOTHING_BUT_MANAGEMENT);
    PolicyDocument suggested = analysis.suggestion().policy();
    assertEquals(List.of("dynamodb:GetItem arn:aws:dynamodb:*:*:table/orders"), suggested.statements().stream()
        .map(st -> String.join(",", st.actions()) + " " + String.join(",", st.resources())).toList(),
        PolicyJson.render(suggested));
    assertTrue(analysis.problems()
        .contains("Left out of the suggestion for s3:GetObject: arn:aws:s3:::acme-reports/* granted by"
            + " managed:arn:aws:iam::111122223333:policy/report-exporter-access#1 (Sid Reports); the permissions boundary"
            + " boundary:arn:aws:iam::111122223333:policy/boundaries/lambda-workload-boundary allows them only on"
            + " [arn:aws:s3:::*/public/*], which neither contains it nor lies within it"),
        analysis.problems().toString());
  }
}
