package dev.trailtrim.report;

import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.UnusedPermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * {@code unused-permissions.csv}: one RFC 4180 row per unused granted permission. Lines come
 * without terminators; {@link #render} joins them with CRLF as RFC 4180 prescribes.
 */
public final class UnusedPermissionsCsv {

  private static final List<String> COLUMNS = List.of("accountId", "roleName", "roleArn", "action", "accessLevel",
      "resource", "policy", "statementSid", "decidedBy");

  private UnusedPermissionsCsv() {}

  public static String header() {
    return String.join(",", COLUMNS);
  }

  /** The role's rows, sorted. */
  public static List<String> rows(RoleAnalysis analysis) {
    List<String> rows = new ArrayList<>();
    var ctx = analysis.context();
    for (UnusedPermission unused : analysis.unused()) {
      rows.add(String.join(",", field(ctx.accountId()), field(ctx.roleName()), field(ctx.roleArn()),
          field(unused.action().toString()), field(unused.accessLevel() == null ? "" : unused.accessLevel().label()),
          field(unused.resource()), field(unused.grantedBy().policyLabel()),
          field(unused.grantedBy().statementSid() == null ? "" : unused.grantedBy().statementSid()),
          field(unused.decidedBy())));
    }
    rows.sort(Comparator.naturalOrder());
    return rows;
  }

  /** The whole file for these roles (sorted by role ARN), header first, CRLF line ends. */
  public static String render(Collection<RoleAnalysis> analyses) {
    StringBuilder out = new StringBuilder(header()).append("\r\n");
    analyses.stream().sorted(Comparator.comparing(a -> a.context().roleArn()))
        .forEach(a -> rows(a).forEach(row -> out.append(row).append("\r\n")));
    return out.toString();
  }

  static String field(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
