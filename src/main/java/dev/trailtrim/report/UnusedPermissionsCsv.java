package dev.trailtrim.report;

import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.UnusedPermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@code unused-permissions.csv}: one RFC 4180 row per unused granted permission, riskiest first
 * (then by the row's text, which starts with account and role); cells as {@link CsvCells} writes them. Lines come without terminators;
 * {@link #render} joins them with CRLF as RFC 4180 prescribes.
 */
public final class UnusedPermissionsCsv {

  private static final List<String> COLUMNS = List.of("accountId", "roleName", "roleArn", "risk", "action",
      "accessLevel", "resource", "policy", "statementSid", "decidedBy", "riskReason");

  /** One row and the rank it sorts by; rows of several roles sort together with {@link #ORDER}. */
  public record Row(int riskRank, String text) {
    public Row {
      Objects.requireNonNull(text, "text");
    }
  }

  public static final Comparator<Row> ORDER = Comparator.comparingInt(Row::riskRank).thenComparing(Row::text);

  private UnusedPermissionsCsv() {}

  public static String header() {
    return String.join(",", COLUMNS);
  }

  /** The role's rows, in {@link #ORDER}. */
  public static List<Row> rows(RoleAnalysis analysis) {
    List<Row> rows = new ArrayList<>();
    var ctx = analysis.context();
    for (UnusedPermission unused : analysis.findings().unused()) {
      List<String> cells = List.of(ctx.accountId(), ctx.roleName(), ctx.roleArn(), unused.risk().label(),
          unused.action().toString(), unused.accessLevel() == null ? "" : unused.accessLevel().label(),
          unused.resource(), unused.grantedBy().policyLabel(),
          unused.grantedBy().statementSid() == null ? "" : unused.grantedBy().statementSid(), unused.decidedBy(),
          unused.riskReason());
      rows.add(new Row(unused.risk().ordinal(), String.join(",", cells.stream().map(CsvCells::cell).toList())));
    }
    rows.sort(ORDER);
    return rows;
  }

  /** The whole file for these roles, header first, rows in {@link #ORDER}, CRLF line ends. */
  public static String render(Collection<RoleAnalysis> analyses) {
    StringBuilder out = new StringBuilder(header()).append("\r\n");
    analyses.stream().flatMap(a -> rows(a).stream()).sorted(ORDER)
        .forEach(row -> out.append(row.text()).append("\r\n"));
    return out.toString();
  }
}
