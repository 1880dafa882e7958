package dev.trailtrim.report;

import dev.trailtrim.analysis.DeniedCall;
import dev.trailtrim.analysis.FailedCall;
import dev.trailtrim.analysis.GrantRef;
import dev.trailtrim.analysis.KeptBySafety;
import dev.trailtrim.analysis.NotObservablePermission;
import dev.trailtrim.analysis.Risk;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.SafetyDecision;
import dev.trailtrim.analysis.UnexplainedCall;
import dev.trailtrim.analysis.UnusedPermission;
import dev.trailtrim.analysis.UsedPermission;
import dev.trailtrim.analysis.UsedResource;
import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.drift.Grant;
import dev.trailtrim.drift.RoleChanges;
import dev.trailtrim.drift.RunChanges;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.PolicySize;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The run's reports as tables, for Athena ({@code scripts/athena-tables.sql}): {@code roles} (one row
 * per Lambda role), {@code permissions} (one row per role, action, resource and status) and
 * {@code unmapped} (calls trailtrim could not translate). The one place a {@link RoleAnalysis}
 * becomes table rows; plain Java, so io writes the rows and tests read them without Spark.
 * Times are {@code timestamp}s (UTC instants) so that Athena's date functions work on them.
 */
public final class ReportTables {

  public static final String ROLES = "roles";
  public static final String PERMISSIONS = "permissions";
  public static final String UNMAPPED = "unmapped";
  public static final String COVERAGE = "coverage";
  public static final String CHANGES = "changes";

  /** The {@code status} of a permissions row: which list of the role report it comes from. */
  public static final String USED = "used";
  public static final String UNUSED = "unused";
  public static final String NOT_OBSERVABLE = "not_observable";
  public static final String KEPT_BY_SAFETY = "kept_by_safety";
  public static final String DENIED = "denied";
  public static final String FAILED = "failed";

  /** The rule of a denied call: IAM (or an SCP, boundary or resource policy) refused it. */
  public static final String RULE_AUTHORIZATION_REFUSED = "authorization-refused";

  /** A column's type, as Athena's DDL names it. */
  public enum ColumnType {
    STRING(String.class), BIGINT(Long.class), BOOLEAN(Boolean.class), TIMESTAMP(Instant.class), DATE(LocalDate.class);

    private final Class<?> javaType;

    ColumnType(Class<?> javaType) {
      this.javaType = javaType;
    }

    /** The type's name in Athena DDL, e.g. {@code bigint}. */
    public String ddl() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The Java class of a non-null value of this type. */
    public Class<?> javaType() {
      return javaType;
    }
  }

  public record Column(String name, ColumnType type) {
    public Column {
      Objects.requireNonNull(type, "type");
      if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("Column name '" + name + "' must be lower snake case, as Athena stores it");
      }
    }
  }

  /**
   * A table: its columns and its rows, each row a list of values in column order (null, or of the
   * column type's {@link ColumnType#javaType()}), sorted column by column with nulls first.
   */
  public record Table(String name, List<Column> columns, List<List<Object>> rows) {
    public Table {
      Objects.requireNonNull(name, "name");
      columns = List.copyOf(columns);
      List<List<Object>> checked = new ArrayList<>(rows.size());
      for (List<Object> row : rows) {
        if (row.size() != columns.size()) {
          throw new IllegalArgumentException("A row of table " + name + " has " + row.size() + " values for "
              + columns.size() + " columns");
        }
        for (int i = 0; i < row.size(); i++) {
          Object value = row.get(i);
          if (value != null && !columns.get(i).type().javaType().isInstance(value)) {
            throw new IllegalArgumentException("Table " + name + ", column " + columns.get(i).name() + ": expected "
                + columns.get(i).type().ddl() + ", got " + value.getClass().getSimpleName() + " '" + value + "'");
          }
        }
        checked.add(Collections.unmodifiableList(new ArrayList<>(row)));
      }
      checked.sort(ROW_ORDER);
      rows = Collections.unmodifiableList(checked);
    }

    public int columnIndex(String column) {
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).name().equals(column)) {
          return i;
        }
      }
      throw new IllegalArgumentException("Table " + name + " has no column '" + column + "'");
    }

    /** A row's value of the named column. */
    public Object value(List<Object> row, String column) {
      return row.get(columnIndex(column));
    }
  }

  public static final List<Column> ROLE_COLUMNS = columns(
      "account_id string", "role_name string", "role_arn string", "lambda_evidence string",
      "missing_from_snapshot boolean", "skipped_by_config boolean", "safety_rules string",
      "role_create_date timestamp", "window_from date", "window_to date", "window_days bigint",
      "granted_policies bigint", "permissions_boundary string", "granted_actions bigint",
      "used_actions bigint", "used_resources bigint", "used_calls bigint",
      "unused bigint", "unused_actions bigint", "highest_risk string", "not_observable bigint",
      "kept_by_safety bigint", "denied bigint", "denied_calls bigint", "failed bigint",
      "not_granted_but_used bigint", "problems bigint",
      "suggested_actions bigint", "suggested_statements bigint", "suggested_size bigint",
      "suggested_size_limit bigint", "suggested_within_limit boolean", "suggested_generalised_to_fit boolean",
      "suggested_layout string", "suggested_files bigint", "report_file string");

  public static final List<Column> PERMISSION_COLUMNS = columns(
      "account_id string", "role_name string", "role_arn string", "status string", "service string",
      "action string", "resource string", "access_level string", "risk string", "risk_reason string",
      "rule string", "detail string", "granted_by string", "policy string", "statement_sid string",
      "error_code string", "calls bigint", "first_seen timestamp", "last_seen timestamp");

  public static final List<Column> UNMAPPED_COLUMNS = columns(
      "event_source string", "event_name string", "records bigint");

  /** One row per account, region and day of the window with logs (or a hole in them). */
  public static final List<Column> COVERAGE_COLUMNS = columns(
      "account_id string", "region string", "day date", "files bigint", "records bigint", "rejected_files bigint",
      "logging_stopped string", "covered boolean");

  /**
   * One row per change since the previous run (changes.json): {@code change} is role_added, role_removed,
   * status_changed, newly_granted, newly_revoked, newly_used, newly_unused, newly_denied, denied_spike or
   * suggestion_changed. No rows on a first run, or when the previous run could not be compared.
   */
  public static final List<Column> CHANGE_COLUMNS = columns(
      "account_id string", "role_name string", "role_arn string", "change string", "action string",
      "resource string", "previous_count bigint", "count bigint", "detail string", "previous_run_id string");

  private ReportTables() {}

  /** The {@code changes} table of a comparison with the previous run. */
  public static Table changes(RunChanges changes) {
    List<List<Object>> rows = new ArrayList<>();
    String previous = changes.previousRunId();
    changes.rolesAdded().forEach(arn -> rows.add(changeRow(arn, "role_added", null, null, null, null, null,
        previous)));
    changes.rolesRemoved().forEach(arn -> rows.add(changeRow(arn, "role_removed", null, null, null, null, null,
        previous)));
    for (RoleChanges role : changes.changedRoles()) {
      String arn = role.roleArn();
      if (role.previousStatus() != null) {
        rows.add(changeRow(arn, "status_changed", null, null, null, null, role.previousStatus() + " -> "
            + role.status(), previous));
      }
      for (Grant grant : role.newlyGranted()) {
        rows.add(changeRow(arn, "newly_granted", grant.action(), grant.resource(), null, null,
            String.join(", ", grant.policies()), previous));
      }
      for (Grant grant : role.newlyRevoked()) {
        rows.add(changeRow(arn, "newly_revoked", grant.action(), grant.resource(), null, null,
            String.join(", ", grant.policies()), previous));
      }
      role.newlyUsed().forEach(a -> rows.add(changeRow(arn, "newly_used", a, null, null, null, null, previous)));
      role.newlyUnused().forEach(a -> rows.add(changeRow(arn, "newly_unused", a, null, null, null, null, previous)));
      role.newlyDenied().forEach(d -> rows.add(changeRow(arn, "newly_denied", d.action(), null, d.previousCount(),
          d.count(), null, previous)));
      role.deniedSpikes().forEach(d -> rows.add(changeRow(arn, "denied_spike", d.action(), null, d.previousCount(),
          d.count(), null, previous)));
      if (role.suggestion() != null) {
        rows.add(changeRow(arn, "suggestion_changed", null, null, null, null, "actions added: "
            + orNone(role.suggestion().actionsAdded()) + "; removed: " + orNone(role.suggestion().actionsRemoved()),
            previous));
      }
    }
    return new Table(CHANGES, CHANGE_COLUMNS, rows);
  }

  private static String orNone(List<String> values) {
    return values.isEmpty() ? "none" : String.join(", ", values);
  }

  private static List<Object> changeRow(String roleArn, String change, String action, String resource,
      Long previousCount, Long count, String detail, String previousRunId) {
    RowBuilder row = new RowBuilder(CHANGE_COLUMNS);
    row.set("account_id", RoleContext.accountIdOf(roleArn));
    row.set("role_name", RoleContext.roleNameOf(roleArn));
    row.set("role_arn", roleArn);
    row.set("change", change);
    row.set("action", action);
    row.set("resource", resource);
    row.set("previous_count", previousCount);
    row.set("count", count);
    row.set("detail", detail);
    row.set("previous_run_id", previousRunId);
    return row.build();
  }

  /**
   * The rows of {@code coverage}: every day of the window for every account and region that has
   * logs, covered or not (a day without a row would hide a hole from a query).
   */
  public static List<List<Object>> coverageRows(dev.trailtrim.model.LogCoverage coverage) {
    List<List<Object>> rows = new ArrayList<>();
    coverage.accounts().forEach((account, regions) -> regions.forEach((region, days) -> {
      for (LocalDate day = coverage.window().from(); !day.isAfter(coverage.window().to()); day = day.plusDays(1)) {
        var logs = days.get(day);
        RowBuilder row = new RowBuilder(COVERAGE_COLUMNS);
        row.set("account_id", account);
        row.set("region", region);
        row.set("day", day);
        row.set("files", logs == null ? 0L : logs.files());
        row.set("records", logs == null ? 0L : logs.records());
        row.set("rejected_files", logs == null ? 0L : logs.rejectedFiles());
        row.set("logging_stopped", logs == null || logs.stoppedBy().isEmpty() ? null
            : String.join("; ", logs.stoppedBy()));
        row.set("covered", logs != null && logs.covered());
        rows.add(row.build());
      }
    }));
    return rows;
  }

  /** The row of {@code roles} for one role. */
  public static List<Object> roleRow(RoleAnalysis analysis) {
    RoleContext ctx = analysis.context();
    RowBuilder row = new RowBuilder(ROLE_COLUMNS);
    row.set("account_id", ctx.accountId());
    row.set("role_name", ctx.roleName());
    row.set("role_arn", ctx.roleArn());
    row.set("lambda_evidence", ctx.lambdaEvidence());
    row.set("missing_from_snapshot", !analysis.grantsKnown());
    row.set("skipped_by_config", analysis.skipped());
    row.set("safety_rules", analysis.safety().decisions().isEmpty() ? null
        : analysis.safety().decisions().stream().map(SafetyDecision::rule).collect(Collectors.joining(",")));
    row.set("role_create_date", analysis.roleCreateDate());
    row.set("window_from", ctx.window().from());
    row.set("window_to", ctx.window().to());
    row.set("window_days", (long) ctx.window().days());
    row.set("granted_policies", (long) analysis.granted().policies().size());
    row.set("permissions_boundary", analysis.granted().boundary());
    row.set("granted_actions", (long) analysis.granted().actionCount());
    row.set("used_actions", (long) analysis.findings().used().size());
    row.set("used_resources", analysis.findings().used().stream().mapToLong(u -> u.resources().size()).sum());
    row.set("used_calls", analysis.findings().used().stream().mapToLong(UsedPermission::count).sum());
    row.set("unused", (long) analysis.findings().unused().size());
    row.set("unused_actions", analysis.findings().unused().stream().map(UnusedPermission::action).distinct().count());
    Risk highest = RoleReportJson.highestRisk(analysis);
    row.set("highest_risk", highest == null ? null : highest.label());
    row.set("not_observable", (long) analysis.findings().notObservable().size());
    row.set("kept_by_safety", (long) analysis.safety().kept().size());
    row.set("denied", (long) analysis.findings().denied().size());
    row.set("denied_calls", analysis.findings().denied().stream().mapToLong(DeniedCall::count).sum());
    row.set("failed", (long) analysis.findings().failed().size());
    row.set("not_granted_but_used", (long) analysis.findings().unexplained().size());
    row.set("problems", (long) analysis.problems().size());
    if (analysis.suggestion() != null) {
      PolicySize size = analysis.suggestion().size();
      TreeSet<String> actions = new TreeSet<>();
      analysis.suggestion().policy().statements().stream().filter(s -> s.effect() == Effect.ALLOW)
          .forEach(s -> s.actions().forEach(a -> actions.add(a.toLowerCase(Locale.ROOT))));
      row.set("suggested_actions", (long) actions.size());
      row.set("suggested_statements", (long) analysis.suggestion().policy().statements().size());
      row.set("suggested_size", (long) size.sizeWithoutWhitespace());
      row.set("suggested_size_limit", (long) size.limit());
      row.set("suggested_within_limit", size.withinLimit());
      row.set("suggested_generalised_to_fit", size.generalisedToFit());
      row.set("suggested_layout", size.layout().label());
      row.set("suggested_files", (long) analysis.suggestion().parts().size());
    }
    row.set("report_file", RoleReportJson.path(ctx));
    return row.build();
  }

  /**
   * The rows of {@code permissions} for one role: every entry of the role report's {@code used}
   * (per resource), {@code unused}, {@code notObservable}, {@code keptBySafety}, {@code denied} and
   * {@code failed} lists. {@code catalog} gives the access level where the analysis has none.
   */
  public static List<List<Object>> permissionRows(RoleAnalysis analysis, IamCatalog catalog) {
    List<List<Object>> rows = new ArrayList<>();
    Map<String, String> unexplained = new HashMap<>();
    for (UnexplainedCall call : analysis.findings().unexplained()) {
      unexplained.put(call.action().key() + " " + call.resource(), call.reason());
    }
    for (UsedPermission used : analysis.findings().used()) {
      for (UsedResource resource : used.resources()) {
        RowBuilder row = permission(analysis, USED, used.action(), resource.resource(),
            level(used.accessLevel(), used.action(), catalog));
        row.set("rule", resource.decidedBy());
        row.set("detail", unexplained.get(used.action().key() + " " + resource.resource()));
        row.set("granted_by", resource.allowedBy());
        calls(row, resource.count(), resource.firstSeenMillis(), resource.lastSeenMillis());
        rows.add(row.build());
      }
    }
    for (UnusedPermission unused : analysis.findings().unused()) {
      RowBuilder row = permission(analysis, UNUSED, unused.action(), unused.resource(),
          level(unused.accessLevel(), unused.action(), catalog));
      row.set("risk", unused.risk().label());
      row.set("risk_reason", unused.riskReason());
      row.set("rule", unused.decidedBy());
      grant(row, unused.grantedBy());
      rows.add(row.build());
    }
    for (NotObservablePermission permission : analysis.findings().notObservable()) {
      RowBuilder row = permission(analysis, NOT_OBSERVABLE, permission.action(), permission.resource(),
          level(null, permission.action(), catalog));
      row.set("rule", permission.visibility().rule());
      row.set("detail", permission.reason());
      grant(row, permission.grantedBy());
      rows.add(row.build());
    }
    for (KeptBySafety kept : analysis.safety().kept()) {
      RowBuilder row = permission(analysis, KEPT_BY_SAFETY, kept.action(), kept.resource(),
          level(null, kept.action(), catalog));
      row.set("rule", kept.rule());
      row.set("detail", kept.detail());
      grant(row, kept.grantedBy());
      rows.add(row.build());
    }
    for (DeniedCall call : analysis.findings().denied()) {
      RowBuilder row =
          permission(analysis, DENIED, call.action(), call.resource(), level(null, call.action(), catalog));
      row.set("rule", RULE_AUTHORIZATION_REFUSED);
      row.set("error_code", call.errorCode());
      calls(row, call.count(), call.firstSeenMillis(), call.lastSeenMillis());
      rows.add(row.build());
    }
    for (FailedCall call : analysis.findings().failed()) {
      RowBuilder row =
          permission(analysis, FAILED, call.action(), call.resource(), level(null, call.action(), catalog));
      row.set("rule", RoleReportJson.failedRule(call));
      row.set("error_code", call.errorCode());
      calls(row, call.count(), call.firstSeenMillis(), call.lastSeenMillis());
      rows.add(row.build());
    }
    return rows;
  }

  /** The rows of {@code unmapped}: {@code "eventSource eventName"} to records, as the run's stats count them. */
  public static List<List<Object>> unmappedRows(Map<String, Long> unmapped) {
    List<List<Object>> rows = new ArrayList<>();
    unmapped.forEach((call, records) -> {
      String[] parts = call.split(" ", 2);
      RowBuilder row = new RowBuilder(UNMAPPED_COLUMNS);
      row.set("event_source", parts[0]);
      row.set("event_name", parts.length > 1 ? parts[1] : "");
      row.set("records", records);
      rows.add(row.build());
    });
    return rows;
  }

  /** Collects a run's rows role by role; {@link #tables} returns them sorted. */
  public static final class Collector {
    private final IamCatalog catalog;
    private final List<List<Object>> roles = new ArrayList<>();
    private final List<List<Object>> permissions = new ArrayList<>();

    public Collector(IamCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Adds the role's rows, all or none: a role whose rows cannot be made leaves no trace. */
    public void add(RoleAnalysis analysis) {
      List<List<Object>> permissionRows = permissionRows(analysis, catalog);
      List<Object> roleRow = roleRow(analysis);
      roles.add(roleRow);
      permissions.addAll(permissionRows);
    }

    /** The run's tables: {@code roles}, {@code permissions}, {@code unmapped}, {@code coverage}. */
    public List<Table> tables(Map<String, Long> unmapped, dev.trailtrim.model.LogCoverage coverage) {
      return List.of(new Table(ROLES, ROLE_COLUMNS, roles), new Table(PERMISSIONS, PERMISSION_COLUMNS, permissions),
          new Table(UNMAPPED, UNMAPPED_COLUMNS, unmappedRows(unmapped)),
          new Table(COVERAGE, COVERAGE_COLUMNS, coverageRows(coverage)));
    }
  }

  /** Column by column, nulls first: the order the Parquet files hold too. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Comparator<List<Object>> ROW_ORDER = (a, b) -> {
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == y) {
        continue;
      }
      if (x == null || y == null) {
        return x == null ? -1 : 1;
      }
      int c = ((Comparable) x).compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  };

  private static RowBuilder permission(RoleAnalysis analysis, String status, IamAction action, String resource,
      AccessLevel level) {
    RoleContext ctx = analysis.context();
    RowBuilder row = new RowBuilder(PERMISSION_COLUMNS);
    row.set("account_id", ctx.accountId());
    row.set("role_name", ctx.roleName());
    row.set("role_arn", ctx.roleArn());
    row.set("status", status);
    row.set("service", action.service());
    row.set("action", action.toString());
    row.set("resource", resource);
    row.set("access_level", level == null ? null : level.label());
    return row;
  }

  private static AccessLevel level(AccessLevel known, IamAction action, IamCatalog catalog) {
    return known != null ? known : catalog.action(action).map(ActionInfo::accessLevel).orElse(null);
  }

  private static void grant(RowBuilder row, GrantRef ref) {
    row.set("granted_by", ref.toString());
    row.set("policy", ref.policyLabel());
    row.set("statement_sid", ref.statementSid());
  }

  private static void calls(RowBuilder row, long count, long firstSeenMillis, long lastSeenMillis) {
    row.set("calls", count);
    row.set("first_seen", Instant.ofEpochMilli(firstSeenMillis));
    row.set("last_seen", Instant.ofEpochMilli(lastSeenMillis));
  }

  private static List<Column> columns(String... specs) {
    List<Column> columns = new ArrayList<>();
    for (String spec : specs) {
      String[] nameType = spec.split(" ");
      columns.add(new Column(nameType[0], ColumnType.valueOf(nameType[1].toUpperCase(Locale.ROOT))));
    }
    return List.copyOf(columns);
  }

  private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** One row, filled by column name so values cannot land in the wrong column. */
  private static final class RowBuilder {
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<Column> columns;
    private final Object[] values;

    RowBuilder(List<Column> columns) {
      this.columns = columns;
      this.values = new Object[columns.size()];
      for (int i = 0; i < columns.size(); i++) {
        index.put(columns.get(i).name(), i);
      }
    }

    void set(String column, Object value) {
      Integer i = index.get(column);
      if (i == null) {
        throw new IllegalArgumentException("No column '" + column + "' in " + index.keySet());
      }
      if (value != null && !columns.get(i).type().javaType().isInstance(value)) {
        throw new IllegalArgumentException("Column " + column + " is " + columns.get(i).type().ddl() + ", not "
            + value.getClass().getSimpleName());
      }
      // Spark, Parquet and Athena hold the years 1 to 9999; a time beyond would fail the whole table later.
      if (value instanceof Instant time && (time.isBefore(FIRST_INSTANT) || time.isAfter(LAST_INSTANT))) {
        throw new IllegalArgumentException("Column " + column + ": " + time + " is outside the years 1 to 9999 that"
            + " Parquet timestamps and Athena hold; correct the time in the input it comes from");
      }
      values[i] = value;
    }

    List<Object> build() {
      return java.util.Arrays.asList(values.clone());
    }
  }
}
