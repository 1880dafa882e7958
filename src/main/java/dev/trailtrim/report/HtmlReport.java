package dev.trailtrim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.analysis.Risk;
import dev.trailtrim.drift.ChangesJson;
import dev.trailtrim.drift.RunChanges;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.policy.PolicyJson;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code report.html}: the run on one self-contained page for people. An overview of every role
 * (sortable), then per role what changes (a diff of its policies), why (the findings with their
 * rules), on what evidence, and its calls per day; then the run's summary. It is rendered from
 * the JSON trees of the role reports and of {@code summary.json}, not from the analysis, so it
 * says exactly what those files say. No outside resources (inline CSS, SVG and a small script
 * that only sorts), every text escaped, and the same input gives the same bytes.
 */
public final class HtmlReport {

  /** Rows one finding table shows at most; the role's JSON report holds them all. */
  static final int MAX_ROWS = 300;
  /** Unchanged lines of a diff shown around each change; longer unchanged runs are folded. */
  static final int DIFF_CONTEXT = 3;

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Risk labels, riskiest first: the overview sorts by their position. */
  private static final List<String> RISKS = Arrays.stream(Risk.values()).map(Risk::label).toList();

  /** A policy document by how reports name it ({@code inline:...}, {@code managed:...}) or by its file. */
  public record Policy(String label, String json) {}

  /**
   * One role as the page shows it.
   *
   * @param report    the role report's JSON tree ({@code roles/<account>/<role>.json}), failed or not
   * @param current   the role's policies in the grants snapshot, boundary included; empty when unknown
   * @param suggested the suggested policy's files by path, in order; empty without a suggestion
   */
  public record Role(JsonNode report, List<Policy> current, List<Policy> suggested) {
    public Role {
      current = List.copyOf(current);
      suggested = List.copyOf(suggested);
    }

    /** From the files the run writes for the role, and its grants (null when the snapshot has none). */
    public static Role of(String reportJson, RoleGrants grants, Map<String, String> suggestedFiles) {
      List<Policy> current = new ArrayList<>();
      if (grants != null) {
        for (GrantedPolicy policy : grants.policies()) {
          current.add(new Policy(policy.label(), PolicyJson.render(policy.document())));
        }
        if (grants.boundary() != null) {
          current.add(new Policy(grants.boundary().label(), PolicyJson.render(grants.boundary().document())));
        }
      }
      List<Policy> suggested = suggestedFiles.entrySet().stream().map(f -> new Policy(f.getKey(), f.getValue()))
          .toList();
      return new Role(parse(reportJson), current, suggested);
    }
  }

  /** What the overview shows of a role, from its report. */
  private record Row(int index, Role role, String account, String name, int riskRank, long granted,
      long suggested, long unused, long notObservable, long denied, long failed, List<String> flags) {

    String risk() {
      return riskRank < RISKS.size() ? RISKS.get(riskRank) : null;
    }
  }

  private HtmlReport() {}

  /**
   * The page.
   *
   * @param callsPerDay per role ARN, its calls per day of the window (days without calls may be absent)
   */
  public static String render(String runId, String version, JsonNode summary, List<Role> roles,
      Map<String, ? extends Map<LocalDate, Long>> callsPerDay) {
    return render(runId, version, summary, roles, callsPerDay, null);
  }

  /** @param changes what changed since the previous run (changes.json); null to show no such section */
  public static String render(String runId, String version, JsonNode summary, List<Role> roles,
      Map<String, ? extends Map<LocalDate, Long>> callsPerDay, RunChanges changes) {
    List<Row> rows = rows(roles);
    Html h = new Html();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .raw("<title>").text("trailtrim report: run " + runId).raw("</title>\n<style>\n").raw(HtmlAssets.CSS)
        .raw("</style>\n</head>\n<body data-script=\"not-run\">\n");
    h.raw("<p id=\"script-status\" class=\"script-status\">Sorting needs the page's script, which has not run."
        + " Everything else is complete.</p>\n");
    header(h, runId, version, summary);
    h.raw("<main>\n");
    glance(h, summary, rows);
    if (changes != null) {
      changes(h, changes, rows);
    }
    overview(h, rows, callsPerDay);
    for (Row row : rows) {
      Html section = new Html();
      try {
        roleSection(section, row, callsPerDay.get(row.role().report().path("roleArn").asText()));
      } catch (RuntimeException e) {
        // One role's odd report costs its own section, never the page (and so never the run).
        section = new Html().raw("<section class=\"role\" id=\"role-" + row.index() + "\" data-role=\"")
            .attr(row.account() + "/" + row.name()).raw("\">\n<h2>").text(row.account() + " / " + row.name())
            .raw("</h2>\n<p class=\"problem\">").text("This role's section could not be shown (" + e + "); its"
                + " JSON report is complete.")
            .raw("</p>\n</section>\n");
      }
      h.raw(section.toString());
    }
    runSummary(h, summary);
    h.raw("</main>\n<footer>").text("trailtrim " + version + ". Every figure on this page"
        + " comes from the run's files: summary.json, roles/<account>/<role>.json and policies/.")
        .raw("</footer>\n<script>\n").raw(HtmlAssets.SCRIPT).raw("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  // ---- overview ----

  private static List<Row> rows(List<Role> roles) {
    List<Row> rows = new ArrayList<>();
    List<Role> sorted = roles.stream().sorted(Comparator.comparing((Role r) -> riskRank(r.report()))
        .thenComparing(r -> -distinct(r.report().path("unused"), "action"))
        .thenComparing(r -> r.report().path("accountId").asText())
        .thenComparing(r -> r.report().path("roleName").asText())
        .thenComparing(r -> r.report().path("roleArn").asText())).toList();
    for (Role role : sorted) {
      JsonNode report = role.report();
      boolean failedAnalysis = report.hasNonNull("analysisFailed");
      long granted = failedAnalysis || !report.path("grantsKnown").asBoolean(false) ? -1
          : report.path("granted").path("actions").asLong();
      rows.add(new Row(rows.size() + 1, role, report.path("accountId").asText(), report.path("roleName").asText(),
          riskRank(report), granted, suggestedActions(role), distinct(report.path("unused"), "action"),
          distinct(report.path("notObservable"), "action"), sum(report.path("denied"), "count"),
          sum(report.path("failed"), "count"), flags(report)));
    }
    return rows;
  }

  private static int riskRank(JsonNode report) {
    int rank = RISKS.indexOf(report.path("topRisks").path("highest").asText(""));
    return rank < 0 ? RISKS.size() : rank;
  }

  /** The catalog actions the suggestion allows, wildcards expanded as on the granted side; -1 without one. */
  private static long suggestedActions(Role role) {
    JsonNode suggested = role.report().path("suggestedPolicy");
    return suggested.isObject() ? suggested.path("actions").asLong(-1) : -1;
  }

  /** Why the role's numbers need a second look: unknown grants, incomplete logs, a safety rule, a failure. */
  private static List<String> flags(JsonNode report) {
    Set<String> flags = new LinkedHashSet<>();
    if (report.hasNonNull("analysisFailed")) {
      flags.add("analysis failed");
      return List.copyOf(flags);
    }
    if (!report.path("grantsKnown").asBoolean(false)) {
      flags.add("grants unknown");
    }
    for (JsonNode finding : report.path("findings")) {
      flags.add(finding.path("rule").asText());
    }
    if (report.path("observedOnlyPolicy").isObject()) {
      flags.add("observed-only policy, not checked against any grant");
    }
    for (JsonNode decision : report.path("safety")) {
      flags.add(decision.path("rule").asText());
    }
    JsonNode missing = report.path("evidence").path("missing");
    if (missing.hasNonNull("rule")) {
      flags.add("logs incomplete (" + missing.path("rule").asText() + ")");
    }
    if (report.path("notGrantedButUsed").size() > 0) {
      flags.add("used but not granted");
    }
    if (report.path("suggestedPolicy").path("layout").asText().equals("managed-policies")) {
      flags.add("split into " + report.path("suggestedPolicy").path("files").size() + " managed policies");
    }
    return List.copyOf(flags);
  }

  private static void header(Html h, String runId, String version, JsonNode summary) {
    JsonNode window = summary.path("window");
    h.raw("<header>\n<div class=\"brand\">trailtrim</div>\n<div class=\"run\"><h1>Lambda execution roles: "
        + "granted against used</h1>\n<p>Run <b>").text(runId).raw("</b> · window <b>")
        .text(window.path("from").asText() + " … " + window.path("to").asText()).raw("</b> (")
        .text(window.path("days").asText()).raw(" days) · trailtrim <b>").text(version).raw("</b> · IAM catalog ")
        .text(summary.path("catalog").path("source").asText() + " of " + summary.path("catalog").path("date").asText())
        .raw("</p>\n</div>\n</header>\n");
  }

  /** The estate in a few figures, and the roles by their riskiest unused permission. */
  private static void glance(Html h, JsonNode summary, List<Row> rows) {
    long granted = rows.stream().filter(r -> r.granted() >= 0 && r.suggested() >= 0).mapToLong(Row::granted).sum();
    long suggested = rows.stream().filter(r -> r.granted() >= 0 && r.suggested() >= 0).mapToLong(Row::suggested)
        .sum();
    long attention = rows.stream().filter(r -> !r.flags().isEmpty()).count();
    JsonNode coverage = summary.path("coverage");
    JsonNode files = summary.path("files");
    h.raw("<section class=\"glance\" aria-label=\"The estate at a glance\">\n");
    tile(h, Long.toString(rows.size()), "Lambda roles",
        summary.path("roles").path("withSuggestedPolicy").asLong() + " with a suggested policy");
    long withSuggestion = rows.stream().filter(r -> r.granted() >= 0 && r.suggested() >= 0).count();
    tile(h, granted + " → " + suggested, "actions granted → suggested", (granted == 0 ? "" : Math.round(100.0
        * (granted - suggested) / granted) + "% fewer, ") + "over the " + withSuggestion + " roles with a suggestion");
    tile(h, Long.toString(rows.stream().mapToLong(Row::unused).sum()), "actions unused",
        summary.path("permissions").path("unused").asLong() + " permissions (action, resource)");
    tile(h, Long.toString(rows.stream().mapToLong(Row::notObservable).sum()), "actions not observable",
        "kept: the logs could not show their use");
    tile(h, Long.toString(rows.stream().mapToLong(Row::denied).sum()), "denied calls",
        rows.stream().filter(r -> r.denied() > 0).count() + " roles");
    tile(h, coverage.path("coveredAccountRegionDays").asLong() + " / " + coverage.path("accountRegionDays").asLong(),
        "account-region-days covered", files.path("read").asLong() + " files read, "
            + files.path("rejectedTotal").asLong() + " rejected");
    tile(h, Long.toString(attention), "roles flagged", "see the flags column");
    h.raw("</section>\n");

    h.raw("<section class=\"riskbar\" aria-label=\"Roles by their riskiest unused permission\">\n<h2>Roles by"
        + " their riskiest unused permission</h2>\n<div class=\"bar\">");
    int[] byRank = new int[RISKS.size() + 1];
    rows.forEach(r -> byRank[r.riskRank()]++);
    for (int rank = 0; rank <= RISKS.size(); rank++) {
      if (byRank[rank] > 0) {
        String label = rank < RISKS.size() ? RISKS.get(rank) : "none";
        h.raw("<span class=\"seg risk-" + label + "\" style=\"flex:" + byRank[rank] + "\">").text(label + " "
            + byRank[rank]).raw("</span>");
      }
    }
    h.raw("</div>\n</section>\n");
  }

  /** What changed since the previous run, as changes.json says it; each changed role links to its section. */
  private static void changes(Html h, RunChanges changes, List<Row> rows) {
    Map<String, Row> byArn = new java.util.HashMap<>();
    rows.forEach(row -> byArn.put(row.role().report().path("roleArn").asText(), row));
    h.raw("<section class=\"changes\" id=\"changes\" aria-label=\"Changes since the previous run\">\n<h2>");
    if (changes.comparison() != RunChanges.Comparison.COMPARED) {
      h.text(changes.previousRunId() == null ? "Changes: none to show" : "Changes since run "
          + changes.previousRunId() + ": not compared").raw("</h2>\n<p class=\"muted\">").text(changes.reason())
          .raw("</p>\n</section>\n");
      return;
    }
    h.text("Changes since run " + changes.previousRunId()).raw(" <span class=\"hint\">(changes.json; ")
        .text(ChangesJson.SPIKE_RULE.replace("an action's", "a spike: an action's")).raw(")</span></h2>\n");
    if (changes.rolesAdded().isEmpty() && changes.rolesRemoved().isEmpty() && changes.changedRoles().isEmpty()) {
      h.raw("<p class=\"muted\">Nothing changed.</p>\n</section>\n");
      return;
    }
    h.raw("<ul>\n");
    changes.rolesAdded().forEach(arn -> changeItem(h, byArn.get(arn), arn, "role added"));
    changes.rolesRemoved().forEach(arn -> changeItem(h, null, arn, "role removed"));
    changes.changedRoles().forEach(role -> changeItem(h, byArn.get(role.roleArn()), role.roleArn(),
        ChangesJson.describe(role)));
    h.raw("</ul>\n</section>\n");
  }

  private static void changeItem(Html h, Row row, String roleArn, String what) {
    String name = dev.trailtrim.model.RoleContext.accountIdOf(roleArn) + " / "
        + dev.trailtrim.model.RoleContext.roleNameOf(roleArn);
    h.raw("<li>");
    if (row == null) {
      h.text(name);
    } else {
      h.raw("<a href=\"#role-" + row.index() + "\">").text(name).raw("</a>");
    }
    h.raw(": ").text(what).raw("</li>\n");
  }

  private static void tile(Html h, String figure, String what, String detail) {
    h.raw("<div class=\"tile\"><div class=\"fig\">").text(figure).raw("</div><div class=\"what\">").text(what)
        .raw("</div><div class=\"detail\">").text(detail).raw("</div></div>\n");
  }

  private static void overview(Html h, List<Row> rows, Map<String, ? extends Map<LocalDate, Long>> callsPerDay) {
    h.raw("<section aria-label=\"Every role\">\n<h2>Every role <span class=\"hint\">(click a column to sort)</span>"
        + "</h2>\n<table id=\"overview\" class=\"overview\">\n<thead><tr>"
        + "<th data-key=\"role\" data-type=\"text\">Role</th>"
        + "<th data-key=\"risk\" data-type=\"number\" aria-sort=\"descending\">Riskiest unused</th>"
        + "<th data-key=\"granted\" data-type=\"number\" class=\"num\">Granted → suggested actions</th>"
        + "<th data-key=\"unused\" data-type=\"number\" class=\"num\">Unused</th>"
        + "<th data-key=\"not-observable\" data-type=\"number\" class=\"num\">Not observable</th>"
        + "<th data-key=\"denied\" data-type=\"number\" class=\"num\">Denied calls</th>"
        + "<th data-key=\"failed\" data-type=\"number\" class=\"num\">Failed calls</th>"
        + "<th>Calls per day</th>"
        + "<th data-key=\"flags\" data-type=\"text\">Flags</th></tr></thead>\n<tbody>\n");
    for (Row row : rows) {
      String risk = row.risk();
      h.raw("<tr data-order=\"" + row.index() + "\" data-role=\"").attr(row.account() + "/" + row.name())
          .raw("\">\n<td data-sort=\"").attr(row.account() + "/" + row.name()).raw("\"><a href=\"#role-"
              + row.index() + "\">")
          .text(row.name()).raw("</a><div class=\"sub\">").text(row.account())
          .raw("</div></td>\n");
      h.raw("<td data-sort=\"" + (RISKS.size() - row.riskRank()) + "\">").raw(riskBadge(risk)).raw("</td>\n");
      h.raw("<td class=\"num\" data-sort=\"" + row.granted() + "\">");
      if (row.granted() < 0) {
        h.raw("<span class=\"muted\">grants unknown</span>");
      } else if (row.suggested() < 0) {
        h.text(row.granted() + " → none suggested");
      } else {
        long kept = row.granted() == 0 ? 100 : Math.min(100, Math.round(100.0 * row.suggested() / row.granted()));
        h.text(row.granted() + " → " + row.suggested()).raw("<div class=\"keep\" title=\"").attr(
            "the suggestion keeps " + kept + "% of the granted actions").raw(
                "\"><span style=\"width:" + kept
                    + "%\"></span></div>");
      }
      h.raw("</td>\n");
      numberCell(h, row.unused());
      numberCell(h, row.notObservable());
      numberCell(h, row.denied());
      numberCell(h, row.failed());
      JsonNode window = row.role().report().path("window");
      h.raw("<td>").raw(chart(callsPerDay.get(row.role().report().path("roleArn").asText()), window, true))
          .raw("</td>\n<td data-sort=\"").attr(String.join(", ", row.flags())).raw("\">");
      for (String flag : row.flags()) {
        h.raw("<span class=\"flag\">").text(flag).raw("</span> ");
      }
      h.raw("</td>\n</tr>\n");
    }
    h.raw("</tbody>\n</table>\n<p class=\"note\">Granted and suggested actions are IAM actions with wildcards"
        + " expanded on both sides (a kept <code>s3:*</code> counts as every S3 action); unused and not observable"
        + " count distinct actions, denied and failed count calls.</p>\n</section>\n");
  }

  private static void numberCell(Html h, long value) {
    h.raw("<td class=\"num" + (value == 0 ? " zero" : "") + "\" data-sort=\"" + value + "\">" + value + "</td>\n");
  }

  private static String riskBadge(String risk) {
    return risk == null ? "<span class=\"risk risk-none\">none</span>"
        : "<span class=\"risk risk-" + risk + "\">" + Html.escape(risk) + "</span>";
  }

  // ---- one role ----

  private static void roleSection(Html h, Row row, Map<LocalDate, Long> calls) {
    JsonNode report = row.role().report();
    h.raw("<section class=\"role\" id=\"role-" + row.index() + "\" data-role=\"").attr(row.account() + "/"
        + row.name()).raw("\">\n<h2><span class=\"acct\">").text(row.account() + " / ").raw("</span>")
        .text(row.name()).raw(" ").raw(riskBadge(row.risk())).raw("</h2>\n<p class=\"arn\">")
        .text(report.path("roleArn").asText()).raw("</p>\n");
    for (String flag : row.flags()) {
      h.raw("<span class=\"flag\">").text(flag).raw("</span> ");
    }
    if (report.hasNonNull("analysisFailed")) {
      h.raw("<p class=\"problem\">").text("The analysis of this role failed: " + report.path("analysisFailed")
          .asText()).raw("</p>\n");
      problems(h, report);
      h.raw("</section>\n");
      return;
    }
    JsonNode window = report.path("window");
    h.raw("<dl class=\"facts\">");
    fact(h, "window", window.path("from").asText() + " … " + window.path("to").asText() + " ("
        + window.path("days").asText() + " days)");
    fact(h, "created", report.path("roleCreateDate").asText("unknown"));
    fact(h, "Lambda role because", report.path("lambdaEvidence").asText());
    fact(h, "policies now", report.path("granted").path("policies").size() == 0 ? "none known"
        : String.join(", ", texts(report.path("granted").path("policies"))));
    fact(h, "boundary", report.path("granted").path("boundary").asText("none"));
    h.raw("</dl>\n");
    problems(h, report);

    h.raw("<div class=\"cols\">\n<div>\n<h3>What changes</h3>\n");
    plan(h, row, report);
    h.raw("</div>\n<div>\n<h3>Calls per day</h3>\n").raw(chart(calls, window, false))
        .raw("<p class=\"note\">Records of the role's sessions per event day, any outcome.</p>\n</div>\n</div>\n");
    diff(h, row.role());

    h.raw("<h3>Findings</h3>\n");
    topRisks(h, report.path("topRisks"));
    JsonNode summary = report.path("summary");
    findings(h, "Unused: removed", report.path("unused"), summary.path("unused").asLong(), true,
        List.of("action", "resource", "risk", "decidedBy", "riskReason", "grantedBy"));
    findings(h, "Not observable: kept", report.path("notObservable"), -1, false,
        List.of("action", "resource", "rule", "reason", "grantedBy"));
    findings(h, "Kept by a safety control", report.path("keptBySafety"), -1, false,
        List.of("action", "resource", "decidedBy", "detail", "grantedBy"));
    findings(h, "Denied calls", report.path("denied"), -1, true,
        List.of("action", "resource", "errorCode", "count", "firstSeen", "lastSeen"));
    findings(h, "Failed calls", report.path("failed"), -1, true,
        List.of("action", "resource", "errorCode", "decidedBy", "count", "firstSeen", "lastSeen"));
    findings(h, "Used but not explained by the grants", report.path("notGrantedButUsed"), -1, true,
        List.of("action", "resource", "reason", "count", "firstSeen", "lastSeen"));
    findings(h, "Used: kept", usedRows(report.path("used")), -1, false,
        List.of("action", "resource", "decidedBy", "allowedBy", "count", "firstSeen", "lastSeen"));
    findings(h, "Split by function: proposed, not applied", perFunctionRows(report.path("perFunction")), -1, true,
        List.of("function", "file", "actions", "needsAlone"));
    for (JsonNode decision : report.path("safety")) {
      h.raw("<p class=\"problem\"><b>").text(decision.path("rule").asText()).raw("</b>: ")
          .text(decision.path("detail").asText()).raw("</p>\n");
    }

    h.raw("<h3>Evidence</h3>\n");
    evidence(h, report.path("evidence"));
    h.raw("<p class=\"back\"><a href=\"#overview\">back to every role</a></p>\n</section>\n");
  }

  private static void fact(Html h, String name, String value) {
    h.raw("<dt>").text(name).raw("</dt><dd>").text(value).raw("</dd>");
  }

  private static void problems(Html h, JsonNode report) {
    for (JsonNode problem : report.path("problems")) {
      h.raw("<p class=\"problem\">").text(problem.asText()).raw("</p>\n");
    }
  }

  /** What to do with the suggestion: put it, then remove what it replaces; the boundary stays. */
  private static void plan(Html h, Row row, JsonNode report) {
    JsonNode suggested = report.path("suggestedPolicy");
    if (suggested.isNull() || suggested.isMissingNode()) {
      h.raw("<p>").text("No policy is suggested for this role, so nothing changes; the flags and problems above"
          + " say why.").raw("</p>\n");
      return;
    }
    List<String> inline = new ArrayList<>();
    List<String> managed = new ArrayList<>();
    String boundary = null;
    for (Policy policy : row.role().current()) {
      if (policy.label().startsWith("inline:")) {
        inline.add(policy.label().substring("inline:".length()));
      } else if (policy.label().startsWith("managed:")) {
        managed.add(policy.label().substring("managed:".length()));
      } else {
        boundary = policy.label().substring(policy.label().indexOf(':') + 1);
      }
    }
    h.raw("<ol class=\"plan\">\n<li>");
    if (suggested.path("layout").asText().equals("inline")) {
      h.text("Put the suggested policy as one inline policy of the role (" + suggested.path("statements").asText()
          + " statements, " + suggested.path("sizeWithoutWhitespace").asText() + " of "
          + suggested.path("limit").asText() + " characters): ").raw("<code>")
          .text(suggested.path("files").path(0).path("file").asText()).raw("</code>");
    } else {
      h.text("Create " + suggested.path("files").size() + " managed policies from its parts and attach them to"
          + " the role (it does not fit one inline policy): ");
      List<String> files = texts(suggested.path("files"), "file");
      for (int i = 0; i < files.size(); i++) {
        h.raw(i == 0 ? "" : ", ").raw("<code>").text(files.get(i)).raw("</code>");
      }
    }
    h.raw("</li>\n");
    if (!inline.isEmpty()) {
      h.raw("<li>").text("Then delete the inline " + (inline.size() == 1 ? "policy " : "policies ")
          + String.join(", ", inline) + ": the suggestion replaces it; putting the suggestion alone only adds a"
          + " policy.").raw("</li>\n");
    }
    if (!managed.isEmpty()) {
      h.raw("<li>").text("Then detach the managed " + (managed.size() == 1 ? "policy " : "policies ")
          + String.join(", ", managed) + ".").raw("</li>\n");
    }
    h.raw("<li>").text(boundary == null ? "The role has no permissions boundary."
        : "Keep the permissions boundary " + boundary + " as it is.").raw("</li>\n</ol>\n");
  }

  /** Before (the policies the suggestion replaces) against after (the suggestion), line by line. */
  private static void diff(Html h, Role role) {
    List<String> before = new ArrayList<>();
    for (Policy policy : role.current()) {
      if (!policy.label().startsWith("boundary:")) {
        before.add("## now: " + policy.label());
        before.addAll(policy.json().lines().toList());
      }
    }
    List<String> after = new ArrayList<>();
    for (Policy policy : role.suggested()) {
      after.add("## suggested: " + policy.label());
      after.addAll(policy.json().lines().toList());
    }
    if (before.isEmpty() && after.isEmpty()) {
      return;
    }
    List<LineDiff.Line> lines = LineDiff.diff(before, after);
    long removed = lines.stream().filter(l -> l.kind() == LineDiff.Kind.REMOVED).count();
    long added = lines.stream().filter(l -> l.kind() == LineDiff.Kind.ADDED).count();
    h.raw("<details class=\"diff\">\n<summary>").text("Before → after, policy by policy: " + removed
        + " lines removed, " + added + " added").raw("</summary>\n<pre>");
    for (int i = 0; i < lines.size(); i++) {
      LineDiff.Line line = lines.get(i);
      if (line.kind() == LineDiff.Kind.SAME) {
        int end = i;
        while (end < lines.size() && lines.get(end).kind() == LineDiff.Kind.SAME) {
          end++;
        }
        int run = end - i;
        if (run > 2 * DIFF_CONTEXT + 1) {
          int head = i == 0 ? 0 : DIFF_CONTEXT;
          int tail = end == lines.size() ? 0 : DIFF_CONTEXT;
          for (int k = i; k < i + head; k++) {
            diffLine(h, lines.get(k));
          }
          h.raw("<span class=\"fold\">").text("   … " + (run - head - tail) + " unchanged lines").raw("</span>\n");
          for (int k = end - tail; k < end; k++) {
            diffLine(h, lines.get(k));
          }
          i = end - 1;
          continue;
        }
      }
      diffLine(h, line);
    }
    h.raw("</pre>\n</details>\n");
  }

  private static void diffLine(Html h, LineDiff.Line line) {
    String mark = switch (line.kind()) {
      case SAME -> "  ";
      case REMOVED -> "- ";
      case ADDED -> "+ ";
    };
    String css = switch (line.kind()) {
      case SAME -> "same";
      case REMOVED -> "rem";
      case ADDED -> "add";
    };
    if (line.text().startsWith("## ")) {
      css += " file";
    }
    h.raw("<span class=\"" + css + "\">").text(mark + line.text()).raw("</span>\n");
  }

  /** The riskiest unused actions grouped by risk, then how many unused permissions each risk has. */
  private static void topRisks(Html h, JsonNode top) {
    if (top.path("actions").size() == 0) {
      return;
    }
    Map<String, List<String>> byRisk = new java.util.TreeMap<>(Comparator.comparingInt(RISKS::indexOf));
    top.path("actions").forEach(action -> byRisk.computeIfAbsent(action.path("risk").asText(), r -> new ArrayList<>())
        .add(action.path("action").asText()));
    h.raw("<p class=\"top-title\">Riskiest unused actions:</p>\n<ul class=\"top\">\n");
    byRisk.forEach((risk, actions) -> {
      h.raw("<li>").raw(riskBadge(risk)).raw(" ");
      actions.forEach(action -> h.raw("<code>").text(action).raw("</code> "));
      h.raw("</li>\n");
    });
    List<String> counts = new ArrayList<>();
    top.path("counts").fields().forEachRemaining(e -> counts.add(e.getKey()));
    counts.sort(Comparator.comparingInt(RISKS::indexOf));
    h.raw("</ul>\n<p class=\"note\">Unused permissions by risk: ");
    for (int i = 0; i < counts.size(); i++) {
      h.raw(i == 0 ? "" : ", ").text(counts.get(i) + " " + top.path("counts").path(counts.get(i)).asText());
    }
    h.raw("</p>\n");
  }

  /** Used permissions one row per resource, so each names the grant that allowed it. */
  private static JsonNode usedRows(JsonNode used) {
    var rows = JSON.createArrayNode();
    for (JsonNode permission : used) {
      for (JsonNode resource : permission.path("resources")) {
        var row = rows.addObject();
        row.put("action", permission.path("action").asText());
        row.setAll((com.fasterxml.jackson.databind.node.ObjectNode) resource.deepCopy());
      }
    }
    return rows;
  }

  /**
   * A shared role's policy per function, one row per file, with what the function alone needs; a row without a file
   * for each function given no policy.
   */
  private static JsonNode perFunctionRows(JsonNode perFunction) {
    var rows = JSON.createArrayNode();
    for (JsonNode function : perFunction.path("functions")) {
      List<String> alone = new ArrayList<>();
      function.path("needsAlone").forEach(p -> alone.add(p.path("action").asText() + " on "
          + p.path("resource").asText()));
      for (JsonNode file : function.path("files")) {
        rows.addObject().put("function", function.path("name").asText()).put("file", file.asText())
            .put("actions", function.path("actions").asLong())
            .put("needsAlone", alone.isEmpty() ? "nothing the others do not" : String.join("; ", alone));
      }
    }
    for (JsonNode function : perFunction.path("withheld")) {
      rows.addObject().put("function", function.path("name").asText()).put("file", "none")
          .put("needsAlone", "unknown: " + function.path("reason").asText());
    }
    return rows;
  }

  /**
   * A finding list as a table, folded; the rule that decided each row in its own column.
   *
   * @param total rows the list stands for when the report counts more than it lists; -1 for its size
   */
  private static void findings(Html h, String title, JsonNode list, long total, boolean openWhenShort,
      List<String> columns) {
    if (list.size() == 0) {
      return;
    }
    long count = Math.max(total, list.size());
    h.raw("<details class=\"findings\"" + (openWhenShort && list.size() <= 5 ? " open" : "") + ">\n<summary>")
        .text(title + " (" + count + ")").raw("</summary>\n<table class=\"list\">\n<thead><tr>");
    for (String column : columns) {
      h.raw("<th>").text(column.equals("grantedBy") ? "granted by" : column).raw("</th>");
    }
    h.raw("</tr></thead>\n<tbody>\n");
    int shown = 0;
    for (JsonNode item : list) {
      if (shown++ == MAX_ROWS) {
        break;
      }
      h.raw("<tr>");
      for (String column : columns) {
        String value = column.equals("grantedBy") ? grantedBy(item) : text(item.path(column));
        if (column.equals("risk")) {
          h.raw("<td>").raw(riskBadge(value)).raw("</td>");
        } else if (column.equals("action") || column.equals("resource")) {
          h.raw("<td><code>").text(value).raw("</code></td>");
        } else if (column.equals("decidedBy") || column.equals("rule")) {
          h.raw("<td class=\"rule\">").text(value).raw("</td>");
        } else {
          h.raw("<td>").text(value).raw("</td>");
        }
      }
      h.raw("</tr>\n");
    }
    h.raw("</tbody>\n</table>\n");
    if (list.size() > MAX_ROWS) {
      h.raw("<p class=\"note\">").text("The first " + MAX_ROWS + " of " + list.size() + "; the role's JSON report"
          + " lists them all.").raw("</p>\n");
    }
    h.raw("</details>\n");
  }

  private static String grantedBy(JsonNode item) {
    String policy = item.path("policy").asText("");
    if (policy.isEmpty()) {
      return "";
    }
    String sid = item.path("statementSid").asText("");
    return policy + " #" + item.path("statementNumber").asText() + (sid.isEmpty() ? "" : " (Sid " + sid + ")");
  }

  private static void evidence(Html h, JsonNode evidence) {
    if (evidence.isNull() || evidence.isMissingNode()) {
      h.raw("<p class=\"muted\">No evidence recorded.</p>\n");
      return;
    }
    h.raw("<dl class=\"facts\">");
    fact(h, "account", evidence.path("accountId").asText());
    fact(h, "regions", String.join(", ", texts(evidence.path("regions"))) + " (from "
        + evidence.path("regionsFrom").asText() + ")");
    fact(h, "days needed", evidence.path("minObservationDays").asText());
    fact(h, "trails", evidence.path("trailFacts").asText("no trail configuration given"));
    JsonNode missing = evidence.path("missing");
    fact(h, "missing", missing.isNull() || missing.isMissingNode() ? "nothing"
        : missing.path("rule").asText() + ": " + missing.path("detail").asText());
    h.raw("</dl>\n<table class=\"list narrow\">\n<thead><tr><th>region</th><th class=\"num\">covered days</th>"
        + "<th>not covered</th></tr></thead>\n<tbody>\n");
    for (JsonNode region : evidence.path("coverage")) {
      h.raw("<tr><td>").text(region.path("region").asText()).raw("</td><td class=\"num\">")
          .text(region.path("coveredDays").asText() + " / " + region.path("windowDays").asText())
          .raw("</td><td>").text(orNone(region.path("notCovered").asText())).raw("</td></tr>\n");
    }
    h.raw("</tbody>\n</table>\n");
  }

  // ---- the calls chart ----

  /**
   * Bars of calls per day over the role's window; a sparkline for the overview. Every figure is
   * an integer, so the SVG's bytes do not depend on floating-point formatting.
   */
  static String chart(Map<LocalDate, Long> calls, JsonNode window, boolean sparkline) {
    LocalDate from;
    LocalDate to;
    try {
      from = LocalDate.parse(window.path("from").asText());
      to = LocalDate.parse(window.path("to").asText());
    } catch (RuntimeException e) {
      return "";
    }
    List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
    long max = days.stream().mapToLong(d -> calls == null ? 0 : calls.getOrDefault(d, 0L)).max().orElse(0);
    long total = days.stream().mapToLong(d -> calls == null ? 0 : calls.getOrDefault(d, 0L)).sum();
    if (max == 0) {
      return sparkline ? "<span class=\"muted\">no calls</span>" : "<p class=\"muted\">No calls in the window.</p>";
    }
    int left = sparkline ? 0 : 44;
    int bottom = sparkline ? 0 : 18;
    int top = sparkline ? 0 : 6;
    int plotWidth = sparkline ? Math.max(60, Math.min(120, days.size() * 8)) : Math.max(240, Math.min(640,
        days.size() * 40));
    int plotHeight = sparkline ? 22 : 96;
    int slot = Math.max(1, plotWidth / days.size());
    plotWidth = slot * days.size();
    int gap = slot >= 4 ? Math.max(1, slot / 5) : 0;
    int width = left + plotWidth + (sparkline ? 0 : 8);
    int height = top + plotHeight + bottom;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"").append(sparkline ? "spark" : "chart").append("\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(Html.escape(total + " calls over " + days.size()
            + " days, at most " + max + " a day"))
        .append("\">");
    if (!sparkline) {
      svg.append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(top + plotHeight)
          .append("\" x2=\"").append(left + plotWidth).append("\" y2=\"").append(top + plotHeight).append("\"/>");
      svg.append("<text class=\"lbl\" x=\"").append(left - 4).append("\" y=\"").append(top + 8)
          .append("\" text-anchor=\"end\">").append(max).append("</text>");
      svg.append("<text class=\"lbl\" x=\"").append(left - 4).append("\" y=\"").append(top + plotHeight)
          .append("\" text-anchor=\"end\">0</text>");
      svg.append("<text class=\"lbl\" x=\"").append(left).append("\" y=\"").append(height - 4).append("\">")
          .append(from).append("</text>");
      svg.append("<text class=\"lbl\" x=\"").append(left + plotWidth).append("\" y=\"").append(height - 4)
          .append("\" text-anchor=\"end\">").append(to).append("</text>");
    }
    for (int i = 0; i < days.size(); i++) {
      long value = calls == null ? 0 : calls.getOrDefault(days.get(i), 0L);
      int barHeight = value == 0 ? 0 : (int) Math.max(1, (value * plotHeight + max - 1) / max);
      svg.append("<rect x=\"").append(left + i * slot + gap / 2).append("\" y=\"")
          .append(top + plotHeight - barHeight).append("\" width=\"").append(slot - gap).append("\" height=\"")
          .append(barHeight).append("\"><title>").append(days.get(i)).append(": ").append(value)
          .append(" calls</title></rect>");
    }
    return svg.append("</svg>").toString();
  }

  // ---- the run ----

  private static void runSummary(Html h, JsonNode summary) {
    h.raw("<section class=\"run-summary\" id=\"run\">\n<h2>The run</h2>\n<div class=\"cols3\">\n");
    counts(h, "Files", summary.path("files"));
    counts(h, "Records", summary.path("records"));
    counts(h, "Roles", summary.path("roles"));
    h.raw("</div>\n<h3>Coverage: covered days per account and region</h3>\n<table class=\"list narrow\">\n"
        + "<thead><tr><th>account</th><th>region</th><th class=\"num\">covered days</th><th>not covered</th></tr>"
        + "</thead>\n<tbody>\n");
    summary.path("coverage").path("byAccount").fields()
        .forEachRemaining(account -> account.getValue().fields()
            .forEachRemaining(region -> h.raw("<tr><td>").text(account.getKey())
                .raw("</td><td>").text(region.getKey()).raw("</td><td class=\"num\">")
                .text(region.getValue().path("coveredDays").asText() + " / " + region.getValue().path("windowDays")
                    .asText())
                .raw("</td><td>").text(orNone(region.getValue().path("notCovered").asText()))
                .raw("</td></tr>\n")));
    h.raw("</tbody>\n</table>\n<h3>Trail configuration</h3>\n");
    JsonNode trails = summary.path("trailConfiguration");
    if (trails.isMissingNode() || trails.isNull()) {
      h.raw("<p class=\"muted\">None given.</p>\n");
    } else {
      h.raw("<dl class=\"facts\">");
      fact(h, "source", trails.path("source").asText("none"));
      fact(h, "trails", trails.path("trails").size() == 0 ? "none" : String.join(", ", texts(trails.path("trails"))));
      fact(h, "problems", trails.path("problems").size() == 0 ? "none"
          : String.join("; ", texts(trails.path("problems"))));
      List<String> notUsed = new ArrayList<>();
      trails.path("notUsedForAccounts").fields().forEachRemaining(e -> notUsed.add(e.getKey() + " ("
          + String.join(", ", texts(e.getValue())) + ")"));
      fact(h, "not used for", notUsed.isEmpty() ? "no account" : String.join("; ", notUsed));
      h.raw("</dl>\n");
    }
    h.raw("<h3>Input</h3>\n<dl class=\"facts\">");
    fact(h, "CloudTrail", String.join(", ", texts(summary.path("input").path("cloudtrail"))));
    fact(h, "IAM snapshots", String.join(", ", texts(summary.path("input").path("iamSnapshots"))));
    fact(h, "notes", summary.path("input").path("notes").size() == 0 ? "none"
        : String.join("; ", texts(summary.path("input").path("notes"))));
    fact(h, "snapshot problems", summary.path("snapshotProblems").size() == 0 ? "none"
        : String.join("; ", texts(summary.path("snapshotProblems"))));
    fact(h, "calls with no translation", summary.path("unmapped").path("distinctCalls").asText("0")
        + " distinct, " + summary.path("unmapped").path("records").asText("0") + " records (unmapped.csv)");
    h.raw("</dl>\n</section>\n");
  }

  /** A block of summary.json as name/value pairs; nested counts (rejected by reason) indented below their name. */
  private static void counts(Html h, String title, JsonNode node) {
    h.raw("<div><h3>").text(title).raw("</h3>\n<table class=\"counts\">\n");
    node.fields().forEachRemaining(field -> {
      if (field.getValue().isObject()) {
        h.raw("<tr><th>").text(words(field.getKey())).raw("</th><td class=\"num\">").text(field.getValue()
            .size() == 0 ? "none" : "").raw("</td></tr>\n");
        field.getValue().fields().forEachRemaining(inner -> h.raw("<tr class=\"inner\"><th>").text(inner.getKey())
            .raw("</th><td class=\"num\">").text(text(inner.getValue())).raw("</td></tr>\n"));
      } else {
        h.raw("<tr><th>").text(words(field.getKey())).raw("</th><td class=\"num\">").text(text(field.getValue()))
            .raw("</td></tr>\n");
      }
    });
    h.raw("</table>\n</div>\n");
  }

  private static String orNone(String text) {
    return text.isEmpty() ? "none" : text;
  }

  /** {@code rejectedTotal} as "rejected total". */
  static String words(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  // ---- JSON helpers ----

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot read a report to render report.html: " + e.getOriginalMessage(), e);
    }
  }

  /** A JSON value as text: null as empty, arrays joined by ", ". */
  private static String text(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    if (value.isArray()) {
      return String.join(", ", texts(value));
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(text(item)));
    return texts;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(text(item.path(field))));
    return texts;
  }

  /** A policy field that is a string or a list of them, as a list. */
  private static List<JsonNode> asList(JsonNode node) {
    List<JsonNode> list = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(list::add);
    } else if (!node.isMissingNode() && !node.isNull()) {
      list.add(node);
    }
    return list;
  }

  private static long distinct(JsonNode list, String field) {
    Set<String> values = new TreeSet<>();
    list.forEach(item -> values.add(item.path(field).asText()));
    return values.size();
  }

  private static long sum(JsonNode list, String field) {
    long total = 0;
    for (JsonNode item : list) {
      total += item.path(field).asLong();
    }
    return total;
  }

  /** Markup built from escaped text and trusted fragments. */
  static final class Html {
    private final StringBuilder out = new StringBuilder(1 << 16);

    Html raw(String markup) {
      out.append(markup);
      return this;
    }

    Html text(String text) {
      out.append(escape(text));
      return this;
    }

    /** Text inside a double-quoted attribute value. */
    Html attr(String text) {
      return text(text);
    }

    /** Escapes everything that could end text or an attribute value: role names, ARNs, policies are input. */
    static String escape(String text) {
      if (text == null) {
        return "";
      }
      StringBuilder escaped = new StringBuilder(text.length() + 16);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '&' -> escaped.append("&amp;");
          case '<' -> escaped.append("&lt;");
          case '>' -> escaped.append("&gt;");
          case '"' -> escaped.append("&quot;");
          case '\'' -> escaped.append("&#39;");
          default -> escaped.append(c);
        }
      }
      return escaped.toString();
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }
}
