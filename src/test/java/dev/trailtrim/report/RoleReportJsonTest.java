package dev.trailtrim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.analysis.AnalysisFixtures;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.catalog.IamCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleReportJsonTest {

  private static String golden(String name) throws IOException {
    try (InputStream in = RoleReportJsonTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** On a mismatch the actual text lands in target/ so a reviewer can diff it against the golden file. */
  private static void assertGolden(String name, String actual) throws IOException {
    String expected = golden(name);
    if (!expected.equals(actual)) {
      Files.writeString(Path.of("target", name + ".actual"), actual, StandardCharsets.UTF_8);
    }
    assertEquals(expected, actual);
  }

  @Test
  void rendersTheWholeReportOfAHandMadeRole() throws IOException {
    assertGolden("role-report-orders-fn.json", RoleReportJson.render(AnalysisFixtures.analysis()));
  }

  @Test
  void isByteIdenticalForTheSameInput() {
    assertEquals(RoleReportJson.render(AnalysisFixtures.analysis()),
        RoleReportJson.render(AnalysisFixtures.analysis()));
  }

  @Test
  void saysWhenTheGrantsAreUnknown() {
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), null, AnalysisFixtures.usage(),
        IamCatalog.loadDefault(), AnalysisFixtures.OBSERVABILITY);
    String json = RoleReportJson.render(analysis);
    assertTrue(json.contains("\"grantsKnown\": false,\n"), json);
    assertTrue(json.contains("\"suggestedPolicy\": null,\n"), json);
    assertTrue(json.contains("\"decidedBy\": \"grants-unknown\",\n"), json);
  }

  @Test
  void writesUnusedPermissionsAsRfc4180RowsRiskiestFirst() {
    RoleAnalysis analysis = AnalysisFixtures.analysis();
    assertEquals("accountId,roleName,roleArn,risk,action,accessLevel,resource,policy,statementSid,decidedBy,riskReason",
        UnusedPermissionsCsv.header());
    String role = "111122223333,orders-fn,arn:aws:iam::111122223333:role/service-role/orders-fn,";
    assertEquals(List.of(
        role + "write,dynamodb:DeleteItem,Write,arn:aws:dynamodb:eu-west-1:111122223333:table/orders,inline:orders-db,OrdersTable,data-event-logged-never-seen,access level Write",
        role + "write,dynamodb:PutItem,Write,arn:aws:dynamodb:eu-west-1:111122223333:table/orders,inline:orders-db,OrdersTable,data-event-logged-never-seen,access level Write",
        role + "write,logs:CreateLogGroup,Write,*,managed:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole,,management-event-never-seen,access level Write",
        role + "list,s3:ListBucket,List,arn:aws:s3:::orders-in,inline:files,ReadInput,management-event-never-seen,access level List",
        role + "list,s3:ListBucket,List,arn:aws:s3:::orders-in/*,inline:files,ReadInput,management-event-never-seen,access level List",
        role + "not-effective,s3:ListAllMyBuckets,List,arn:aws:s3:::orders-in,inline:files,,action-needs-resource-star,"
            + "\"IAM never matches it: the action takes only Resource \"\"*\"\"\""),
        UnusedPermissionsCsv.rows(analysis).stream().map(UnusedPermissionsCsv.Row::text).toList());
    String file = UnusedPermissionsCsv.render(List.of(analysis));
    assertTrue(file.startsWith(UnusedPermissionsCsv.header() + "\r\n" + role + "write,dynamodb:DeleteItem,"), file);
    assertTrue(
        file.endsWith(
            "action-needs-resource-star,\"IAM never matches it: the action takes only Resource \"\"*\"\"\"\r\n"),
        file);
  }

  @Test
  void rowsOfSeveralRolesSortByRiskBeforeRole() {
    List<UnusedPermissionsCsv.Row> rows = new java.util.ArrayList<>(List.of(new UnusedPermissionsCsv.Row(5, "a,list"),
        new UnusedPermissionsCsv.Row(0, "b,privilege-escalation"), new UnusedPermissionsCsv.Row(2, "c,write")));
    rows.sort(UnusedPermissionsCsv.ORDER);
    assertEquals(List.of("b,privilege-escalation", "c,write", "a,list"),
        rows.stream().map(UnusedPermissionsCsv.Row::text).toList());
  }

  @Test
  void namesEveryPartOfASplitSuggestion() throws Exception {
    StringBuilder tables = new StringBuilder();
    List<dev.trailtrim.model.ActionUsage> usages = new java.util.ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String table = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders-" + i;
      tables.append(i == 0 ? "" : ",").append('"').append(table).append('"');
      usages.add(new dev.trailtrim.model.ActionUsage(new dev.trailtrim.model.ActionOnResource(
          dev.trailtrim.model.IamAction.parse("dynamodb:GetItem"), table), null, 1, AnalysisFixtures.DAY_1,
          AnalysisFixtures.DAY_1));
    }
    dev.trailtrim.grants.RoleGrants grants = new dev.trailtrim.grants.RoleGrants(AnalysisFixtures.ROLE_ARN, "orders-fn",
        "/", "111122223333", java.util.Set.of("lambda.amazonaws.com"), List.of(new dev.trailtrim.grants.GrantedPolicy(
            dev.trailtrim.grants.GrantedPolicy.Kind.INLINE, "tables", null, dev.trailtrim.policy.PolicyParser.parse(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\","
                    + "\"Resource\":[" + tables + "]}}"))),
        null, List.of());
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), grants,
        new dev.trailtrim.model.RoleUsage(AnalysisFixtures.ROLE_ARN, usages), IamCatalog.loadDefault(),
        AnalysisFixtures.OBSERVABILITY);
    List<String> names = SuggestedPolicyFiles.names(analysis);
    assertTrue(names.size() >= 4, names.toString());
    assertEquals("orders-fn.part-1.json", names.get(0));
    assertEquals(analysis.suggestion().parts().size(), names.size());
    com.fasterxml.jackson.databind.JsonNode suggested = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(RoleReportJson.render(analysis)).path("suggestedPolicy");
    assertEquals("managed-policies", suggested.path("layout").asText());
    assertEquals(names.size(), suggested.path("managedPoliciesNeeded").asInt());
    assertEquals(names.size(), suggested.path("files").size());
    for (int i = 0; i < names.size(); i++) {
      com.fasterxml.jackson.databind.JsonNode file = suggested.path("files").get(i);
      assertEquals("policies/111122223333/" + names.get(i), file.path("file").asText());
      assertEquals(6144, file.path("limit").asInt());
      assertTrue(file.path("sizeWithoutWhitespace").asInt() <= 6144, file.toString());
    }
    assertFalse(suggested.path("withinLimit").asBoolean());
  }
}
