package dev.trailtrim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.analysis.AnalysisFixtures;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.drift.Grant;
import dev.trailtrim.drift.RoleChanges;
import dev.trailtrim.drift.RunChanges;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.RoleUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReportTablesTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final dev.trailtrim.model.LogCoverage NO_LOGS = new dev.trailtrim.model.LogCoverage(
      new dev.trailtrim.model.ObservationWindow(java.time.LocalDate.of(2026, 11, 1),
          java.time.LocalDate.of(2026, 11, 5)),
      new java.util.TreeMap<>(), 0);
  private static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";

  private static ReportTables.Table roles(RoleAnalysis... analyses) {
    ReportTables.Collector collector = new ReportTables.Collector(CATALOG);
    for (RoleAnalysis analysis : analyses) {
      collector.add(analysis);
    }
    return collector.tables(Map.of(), NO_LOGS).get(0);
  }

  private static ReportTables.Table permissions(RoleAnalysis... analyses) {
    ReportTables.Collector collector = new ReportTables.Collector(CATALOG);
    for (RoleAnalysis analysis : analyses) {
      collector.add(analysis);
    }
    return collector.tables(Map.of(), NO_LOGS).get(1);
  }

  /** The rows of one status, each as "column=value" of the named columns. */
  private static List<String> rows(ReportTables.Table table, String status, String... columns) {
    List<String> out = new ArrayList<>();
    for (List<Object> row : table.rows()) {
      if (status == null || status.equals(table.value(row, "status"))) {
        List<String> fields = new ArrayList<>();
        for (String column : columns) {
          fields.add(column + "=" + table.value(row, column));
        }
        out.add(String.join(" ", fields));
      }
    }
    return out;
  }

  /** The fixture, plus a protected action and calls that failed before and after authorization. */
  private static RoleAnalysis withSafetyAndFailures() {
    List<ActionUsage> usages = new ArrayList<>(AnalysisFixtures.usage().usages());
    usages.add(new ActionUsage(new ActionOnResource(IamAction.parse("dynamodb:GetItem"), TABLE),
        "ResourceNotFoundException", 4, AnalysisFixtures.DAY_1, AnalysisFixtures.DAY_1 + AnalysisFixtures.HOUR));
    usages.add(new ActionUsage(new ActionOnResource(IamAction.parse("dynamodb:PutItem"), TABLE),
        "ThrottlingException", 1, AnalysisFixtures.DAY_1, AnalysisFixtures.DAY_1));
    return RoleAnalyzer.analyze(AnalysisFixtures.context(), AnalysisFixtures.grants(),
        new RoleUsage(AnalysisFixtures.ROLE_ARN, usages), CATALOG, AnalysisFixtures.OBSERVABILITY,
        new SafetyControls(List.of(), List.of("dynamodb:DeleteItem"), 0, 0, ""));
  }

  /** One row per change of changes.json, each in its own kind; none for a first run or a role with only notes. */
  @Test
  void theChangesTableHasOneRowPerChange() {
    String orders = "arn:aws:iam::111122223333:role/service-role/orders-api-role";
    RoleChanges changed = new RoleChanges(orders, "grants-unknown", "analysed",
        List.of(new Grant("s3:PutObject", "arn:aws:s3:::b/*", List.of("inline:a", "inline:b"))),
        List.of(new Grant("sqs:*", "*", List.of("inline:a"))), List.of("s3:GetObject"), List.of("kms:Decrypt"),
        List.of(new RoleChanges.DeniedChange("kms:Encrypt", 0, 3)),
        List.of(new RoleChanges.DeniedChange("sns:Publish", 5, 12)),
        new RoleChanges.SuggestionChange(List.of("s3:GetObject"), List.of(), "sha256:1", "sha256:2"), List.of());
    RoleChanges onlyNoted = new RoleChanges("arn:aws:iam::111122223333:role/x", null, "failed", List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), null, List.of("the role's analysis failed in this run"));
    ReportTables.Table table = ReportTables.changes(new RunChanges("n2", "n1", RunChanges.Comparison.COMPARED, null,
        List.of("arn:aws:iam::111122223333:role/new"), List.of("arn:aws:iam::444455556666:role/old"),
        List.of(changed, onlyNoted)));
    List<String> rows = table.rows().stream().map(row -> table.value(row, "role_name") + " "
        + table.value(row, "change") + " " + table.value(row, "action") + " " + table.value(row, "resource") + " "
        + table.value(row, "previous_count") + " " + table.value(row, "count") + " " + table.value(row, "detail") + " "
        + table.value(row, "previous_run_id")).toList();
    assertEquals(List.of(
        "new role_added null null null null null n1",
        "orders-api-role denied_spike sns:Publish null 5 12 null n1",
        "orders-api-role newly_denied kms:Encrypt null 0 3 null n1",
        "orders-api-role newly_granted s3:PutObject arn:aws:s3:::b/* null null inline:a, inline:b n1",
        "orders-api-role newly_revoked sqs:* * null null inline:a n1",
        "orders-api-role newly_unused kms:Decrypt null null null null n1",
        "orders-api-role newly_used s3:GetObject null null null null n1",
        "orders-api-role status_changed null null null null grants-unknown -> analysed n1",
        "orders-api-role suggestion_changed null null null null actions added: s3:GetObject; removed: none n1",
        "old role_removed null null null null null n1"), rows);
    assertEquals(List.of(), ReportTables.changes(RunChanges.firstRun("n1")).rows());
  }

  @Test
  void theRoleRowCountsWhatTheRoleReportLists() {
    RoleAnalysis analysis = AnalysisFixtures.analysis();
    ReportTables.Table roles = roles(analysis);
    assertEquals(1, roles.rows().size());
    List<Object> row = roles.rows().get(0);
    ObjectNode report = RoleReportJson.toJson(analysis);
    JsonNode summary = report.path("summary");
    JsonNode suggested = report.path("suggestedPolicy");
    Map<String, Object> expected = new TreeMap<>();
    expected.put("account_id", "111122223333");
    expected.put("role_name", "orders-fn");
    expected.put("role_arn", AnalysisFixtures.ROLE_ARN);
    expected.put("lambda_evidence", "trust policy allows lambda.amazonaws.com");
    expected.put("missing_from_snapshot", false);
    expected.put("skipped_by_config", false);
    expected.put("safety_rules", null);
    expected.put("role_create_date", null);
    expected.put("window_from", LocalDate.of(2024, 6, 1));
    expected.put("window_to", LocalDate.of(2024, 6, 30));
    expected.put("window_days", 30L);
    expected.put("granted_policies", 3L);
    expected.put("permissions_boundary", null);
    expected.put("granted_actions", 9L);
    expected.put("used_actions", summary.path("usedActions").asLong());
    expected.put("used_resources", summary.path("usedResources").asLong());
    expected.put("used_calls", 10L + 40 + 1 + 3);
    expected.put("unused", summary.path("unused").asLong());
    expected.put("unused_actions", 5L);
    expected.put("highest_risk", report.path("topRisks").path("highest").asText());
    expected.put("not_observable", summary.path("notObservable").asLong());
    expected.put("kept_by_safety", 0L);
    expected.put("denied", summary.path("denied").asLong());
    expected.put("denied_calls", 2L);
    expected.put("failed", 0L);
    expected.put("not_granted_but_used", 1L);
    expected.put("problems", 0L);
    expected.put("suggested_actions", 4L);
    expected.put("suggested_statements", suggested.path("statements").asLong());
    expected.put("suggested_size", suggested.path("sizeWithoutWhitespace").asLong());
    expected.put("suggested_size_limit", suggested.path("limit").asLong());
    expected.put("suggested_within_limit", true);
    expected.put("suggested_generalised_to_fit", false);
    expected.put("suggested_layout", "inline");
    expected.put("suggested_files", 1L);
    expected.put("report_file", "roles/111122223333/orders-fn.json");
    Map<String, Object> actual = new TreeMap<>();
    roles.columns().forEach(c -> actual.put(c.name(), roles.value(row, c.name())));
    assertEquals(expected, actual);
    assertEquals(4L, expected.get("used_actions"));
    assertEquals(6L, expected.get("unused"));
    assertEquals("write", expected.get("highest_risk"));
  }

  @Test
  void permissionRowsHoldEveryEntryOfTheRoleReportWithItsRule() {
    ReportTables.Table table = permissions(AnalysisFixtures.analysis());
    assertEquals(List.of(
        "action=dynamodb:GetItem resource=" + TABLE + " access_level=Read rule=allowed-by-grant "
            + "granted_by=inline:orders-db#1 (Sid OrdersTable) calls=10 first_seen=2024-06-01T00:00:00Z "
            + "last_seen=2024-06-01T05:00:00Z detail=null",
        "action=logs:CreateLogStream resource=arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-fn:"
            + "log-stream:a access_level=Write rule=allowed-by-grant granted_by=managed:arn:aws:iam::aws:policy/"
            + "service-role/AWSLambdaBasicExecutionRole#1 calls=1 first_seen=2024-06-01T00:00:00Z "
            + "last_seen=2024-06-01T00:00:00Z detail=null",
        "action=logs:PutLogEvents resource=arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-fn:"
            + "log-stream:a access_level=Write rule=allowed-by-grant granted_by=managed:arn:aws:iam::aws:policy/"
            + "service-role/AWSLambdaBasicExecutionRole#1 calls=40 first_seen=2024-06-01T00:00:00Z "
            + "last_seen=2024-06-01T06:00:00Z detail=null",
        "action=sqs:SendMessage resource=arn:aws:sqs:eu-west-1:111122223333:orders access_level=Write "
            + "rule=not-explained-by-grant granted_by=null calls=3 first_seen=2024-06-01T03:00:00Z "
            + "last_seen=2024-06-01T04:00:00Z detail="
            + AnalysisFixtures.analysis().findings().unexplained().get(0).reason()),
        rows(table, ReportTables.USED, "action", "resource", "access_level", "rule", "granted_by", "calls",
            "first_seen", "last_seen", "detail"));
    assertEquals(List.of(
        "action=dynamodb:DeleteItem resource=" + TABLE + " risk=write rule=data-event-logged-never-seen "
            + "policy=inline:orders-db statement_sid=OrdersTable calls=null first_seen=null",
        "action=dynamodb:PutItem resource=" + TABLE + " risk=write rule=data-event-logged-never-seen "
            + "policy=inline:orders-db statement_sid=OrdersTable calls=null first_seen=null",
        "action=logs:CreateLogGroup resource=* risk=write rule=management-event-never-seen "
            + "policy=managed:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole statement_sid=null "
            + "calls=null first_seen=null",
        "action=s3:ListAllMyBuckets resource=arn:aws:s3:::orders-in risk=not-effective rule=action-needs-resource-star "
            + "policy=inline:files statement_sid=null calls=null first_seen=null",
        "action=s3:ListBucket resource=arn:aws:s3:::orders-in risk=list rule=management-event-never-seen "
            + "policy=inline:files statement_sid=ReadInput calls=null first_seen=null",
        "action=s3:ListBucket resource=arn:aws:s3:::orders-in/* risk=list rule=management-event-never-seen "
            + "policy=inline:files statement_sid=ReadInput calls=null first_seen=null"),
        rows(table, ReportTables.UNUSED, "action", "resource", "risk", "rule", "policy", "statement_sid", "calls",
            "first_seen"));
    assertEquals(List.of(
        "action=logs:PutLogEvents resource=* rule=not-logged detail=CloudTrail does not record logs:PutLogEvents",
        "action=s3:GetObject resource=arn:aws:s3:::orders-in rule=data-event-not-logged "
            + "detail=the trail records no S3 data events",
        "action=s3:GetObject resource=arn:aws:s3:::orders-in/* rule=data-event-not-logged "
            + "detail=the trail records no S3 data events"),
        rows(table, ReportTables.NOT_OBSERVABLE, "action", "resource", "rule", "detail"));
    assertEquals(List.of("action=s3:PutObject resource=arn:aws:s3:::orders-in/x.json access_level=Write "
        + "rule=authorization-refused error_code=AccessDenied calls=2 first_seen=2024-06-01T01:00:00Z "
        + "last_seen=2024-06-01T02:00:00Z"),
        rows(table, ReportTables.DENIED, "action", "resource", "access_level", "rule", "error_code", "calls",
            "first_seen", "last_seen"));
    assertEquals(4 + 6 + 3 + 1, table.rows().size(), "no rows of other statuses");
  }

  @Test
  void everyUnusedPermissionsCsvRowIsAnUnusedRow() {
    RoleAnalysis analysis = withSafetyAndFailures();
    ReportTables.Table table = permissions(analysis);
    TreeSet<String> fromCsv = new TreeSet<>();
    for (UnusedPermissionsCsv.Row row : UnusedPermissionsCsv.rows(analysis)) {
      String[] f = row.text().split(",");
      fromCsv.add(String.join(" ", f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]));
    }
    TreeSet<String> fromTable = new TreeSet<>();
    for (List<Object> row : table.rows()) {
      if (ReportTables.UNUSED.equals(table.value(row, "status"))) {
        List<String> f = new ArrayList<>();
        for (String column : List.of("role_arn", "risk", "action", "access_level", "resource", "policy",
            "statement_sid", "rule")) {
          Object value = table.value(row, column);
          f.add(value == null ? "" : value.toString());
        }
        fromTable.add(String.join(" ", f));
      }
    }
    assertEquals(5, fromCsv.size());
    assertEquals(fromCsv, fromTable);
  }

  @Test
  void keptBySafetyAndFailedCallsHaveRowsToo() {
    RoleAnalysis analysis = withSafetyAndFailures();
    ReportTables.Table table = permissions(analysis);
    assertEquals(List.of("action=dynamodb:DeleteItem resource=" + TABLE + " access_level=Write "
        + "rule=protected-by-config detail=" + analysis.safety().kept().get(0).detail()
        + " granted_by=inline:orders-db#1 (Sid OrdersTable)"),
        rows(table, ReportTables.KEPT_BY_SAFETY, "action", "resource", "access_level", "rule", "detail", "granted_by"));
    assertEquals(List.of(
        "action=dynamodb:GetItem rule=failed-after-authorization error_code=ResourceNotFoundException calls=4",
        "action=dynamodb:PutItem rule=failed-before-authorization error_code=ThrottlingException calls=1"),
        rows(table, ReportTables.FAILED, "action", "rule", "error_code", "calls"));
    List<Object> role = roles(analysis).rows().get(0);
    assertEquals(1L, roles(analysis).value(role, "kept_by_safety"));
    assertEquals(2L, roles(analysis).value(role, "failed"));
  }

  @Test
  void aRoleMissingFromTheSnapshotHasNoSuggestionAndOnlyUsedAndDeniedRows() {
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), null, AnalysisFixtures.usage(), CATALOG,
        AnalysisFixtures.OBSERVABILITY);
    ReportTables.Table roles = roles(analysis);
    List<Object> row = roles.rows().get(0);
    assertEquals(true, roles.value(row, "missing_from_snapshot"));
    for (String column : List.of("suggested_actions", "suggested_statements", "suggested_size", "suggested_size_limit",
        "suggested_within_limit", "suggested_generalised_to_fit", "suggested_layout", "suggested_files",
        "highest_risk")) {
      assertNull(roles.value(row, column), column);
    }
    ReportTables.Table permissions = permissions(analysis);
    assertEquals(List.of("status=denied", "status=used", "status=used", "status=used", "status=used"),
        rows(permissions, null, "status"));
    assertEquals(List.of("rule=grants-unknown"),
        rows(permissions, ReportTables.USED, "rule").stream().distinct().toList());
  }

  @Test
  void rowsAreSortedColumnByColumnAndTheSameForTheSameAnalyses() {
    RoleAnalysis a = AnalysisFixtures.analysis();
    RoleAnalysis b = withSafetyAndFailures();
    ReportTables.Table once = permissions(b, a);
    assertEquals(once, permissions(a, b));
    List<List<Object>> sorted = new ArrayList<>(once.rows());
    sorted.sort(ReportTables.ROW_ORDER);
    assertEquals(sorted, once.rows());
    // status is the fourth column: rows of one role group by status, in the status's text order.
    assertEquals(List.of("denied", "failed", "kept_by_safety", "not_observable", "unused", "used"),
        once.rows().stream().map(r -> (String) once.value(r, "status")).distinct().sorted().toList());
    assertTrue(once.rows().size() > 20);
  }

  @Test
  void unmappedCallsAndAnEmptyRunGiveTablesWithTheirColumns() {
    Map<String, Long> unmapped = new TreeMap<>(Map.of("lambda.amazonaws.com GetWidget", 3L,
        "ec2.amazonaws.com DescribeThings", 12L));
    List<ReportTables.Table> tables = new ReportTables.Collector(CATALOG).tables(unmapped, NO_LOGS);
    assertEquals(List.of("roles", "permissions", "unmapped", "coverage"),
        tables.stream().map(ReportTables.Table::name).toList());
    assertEquals(List.of(), tables.get(0).rows());
    assertEquals(List.of(), tables.get(1).rows());
    assertEquals(ReportTables.ROLE_COLUMNS, tables.get(0).columns());
    assertEquals(List.of(List.of("ec2.amazonaws.com", "DescribeThings", 12L),
        List.of("lambda.amazonaws.com", "GetWidget", 3L)), tables.get(2).rows());
  }

  @Test
  void aTableRefusesValuesOfTheWrongTypeNamingTheColumn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReportTables.Table("unmapped",
        ReportTables.UNMAPPED_COLUMNS, List.of(List.of("s3.amazonaws.com", "GetThing", 3))));
    assertEquals("Table unmapped, column records: expected bigint, got Integer '3'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ReportTables.Table("unmapped", ReportTables.UNMAPPED_COLUMNS,
        List.of(List.of("s3.amazonaws.com", 3L))));
    assertEquals(Instant.class, ReportTables.ColumnType.TIMESTAMP.javaType());
  }
}
