package dev.trailtrim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.drift.Grant;
import dev.trailtrim.drift.RoleChanges;
import dev.trailtrim.drift.RunChanges;
import dev.trailtrim.testing.HtmlChecks;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page from hand-made role reports: what it shows, in which order, and that input cannot become markup. */
class HtmlReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUMMARY = """
      {"window": {"from": "2026-11-01", "to": "2026-11-03", "days": 3},
       "catalog": {"source": "test catalog", "date": "2026-09-26"},
       "files": {"planned": 4, "read": 3, "rejected": {"file-not-gzip": 1}, "rejectedTotal": 1},
       "records": {"read": 10, "used": 8},
       "roles": {"lambda": 3, "withSuggestedPolicy": 1},
       "permissions": {"unused": 3},
       "coverage": {"accountRegionDays": 3, "coveredAccountRegionDays": 2,
         "byAccount": {"111122223333": {"us-east-1": {"coveredDays": 2, "windowDays": 3,
           "notCovered": "2026-11-02 (no logs)", "holes": []}}}},
       "trailConfiguration": {"source": "trails.json",
         "trails": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/main"],
         "problems": [], "notUsedForAccounts": {}}}
      """;

  /** A role report as RoleReportJson writes it, with only the keys the page reads. */
  private static ObjectNode report(String name, String highestRisk, int unused) throws IOException {
    ObjectNode report = (ObjectNode) JSON.readTree("""
        {"roleArn": "arn:aws:iam::111122223333:role/NAME", "accountId": "111122223333", "roleName": "NAME",
         "window": {"from": "2026-11-01", "to": "2026-11-03", "days": 3},
         "lambdaEvidence": "trust policy allows lambda.amazonaws.com", "grantsKnown": true,
         "roleCreateDate": "2025-01-01T00:00:00Z", "safety": [], "keptBySafety": [], "used": [],
         "unused": [], "notObservable": [], "denied": [], "failed": [], "notGrantedButUsed": [], "problems": [],
         "topRisks": {"counts": {}, "highest": null, "actions": []},
         "evidence": {"accountId": "111122223333", "regions": ["us-east-1"], "regionsFrom": "the role's calls",
           "minObservationDays": 1, "trailFacts": null, "missing": null,
           "coverage": [{"region": "us-east-1", "coveredDays": 3, "windowDays": 3, "notCovered": ""}]},
         "suggestedPolicy": null, "granted": {"policies": ["inline:data"], "boundary": null, "actions": 10},
         "summary": {"unused": 0}}
        """);
    report.put("roleArn", "arn:aws:iam::111122223333:role/" + name);
    report.put("roleName", name);
    if (highestRisk != null) {
      ((ObjectNode) report.path("topRisks")).put("highest", highestRisk);
    }
    var list = report.putArray("unused");
    for (int i = 0; i < unused; i++) {
      ObjectNode item = list.addObject();
      item.put("action", "s3:Action" + i);
      item.put("resource", "*");
      item.put("risk", highestRisk);
      item.put("decidedBy", "management-event-never-seen");
      item.put("riskReason", "access level Write");
      item.put("policy", "inline:data");
      item.put("statementNumber", 1);
      item.putNull("statementSid");
    }
    return report;
  }

  private static HtmlReport.Role role(JsonNode report, List<HtmlReport.Policy> current,
      List<HtmlReport.Policy> suggested) {
    return new HtmlReport.Role(report, current, suggested);
  }

  private static String render(List<HtmlReport.Role> roles, Map<String, Map<LocalDate, Long>> calls)
      throws IOException {
    return HtmlReport.render("run-1", "9.9.9", JSON.readTree(SUMMARY), roles, calls);
  }

  private static final String CURRENT = """
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Sid": "Data",
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": "*"
          }
        ]
      }
      """;
  private static final String SUGGESTED = """
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Sid": "AllowS3",
            "Effect": "Allow",
            "Action": [
              "s3:GetObject",
              "S3:getobject"
            ],
            "Resource": "arn:aws:s3:::bucket/*"
          }
        ]
      }
      """;

  @Test
  void escapesEveryTextFromTheInput() throws IOException {
    String hostile = "<script>alert(1)</script>\"'&";
    ObjectNode report = report(hostile, "write", 1);
    report.put("roleArn", "arn:aws:iam::111122223333:role/" + hostile);
    ((ObjectNode) report.path("unused").get(0)).put("resource", "arn:aws:s3:::</td><img src=x onerror=alert(2)>");
    report.putArray("problems").add("</p><script>alert(3)</script>");
    List<HtmlReport.Policy> current = List.of(new HtmlReport.Policy("inline:</pre><script>alert(4)</script>",
        CURRENT.replace("Data", "</span><script>alert(5)</script>")));
    String html = render(List.of(role(report, current, List.of())), Map.of(report.path("roleArn").asText(),
        Map.of(LocalDate.of(2026, 11, 1), 3L)));

    assertEquals(1, html.split("<script", -1).length - 1, "only the page's own script element");
    assertFalse(html.contains("<img"), "no element from a resource name");
    for (int i = 1; i <= 5; i++) {
      assertTrue(html.contains("&lt;script&gt;alert(" + i + ")&lt;/script&gt;") || i == 2, "alert " + i);
    }
    assertTrue(html.contains("&lt;/td&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assertTrue(html.contains("data-role=\"111122223333/&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\""),
        "attribute values are escaped, quotes included");
    assertEquals(List.of(), HtmlChecks.structureProblems(html));
  }

  /** The changes section: a changed role links to its own section, a removed one is named, and input stays text. */
  @Test
  void theChangesSinceThePreviousRunLinkToTheirRolesAndStayText() throws IOException {
    String evil = "arn:aws:iam::111122223333:role/<img src=x onerror=alert(1)>";
    Grant grant = new Grant("s3:DeleteObject", "arn:aws:s3:::media/<i>uploads</i>/*", List.of("inline:data"));
    RunChanges changes = new RunChanges("n2", "n1", RunChanges.Comparison.COMPARED, null, List.of(), List.of(evil),
        List.of(new RoleChanges("arn:aws:iam::111122223333:role/a-role", null, "analysed", List.of(grant), List.of(),
            List.of(), List.of(), List.of(), List.of(), null, List.of())));
    String html = HtmlReport.render("n2", "9.9.9", JSON.readTree(SUMMARY),
        List.of(role(report("a-role", "write", 2), List.of(), List.of())), Map.of(), changes);

    String section =
        html.substring(html.indexOf("<section class=\"changes\""), html.indexOf("<section aria-label=\"Every"));
    assertTrue(section.contains("<h2>Changes since run n1"), section);
    assertTrue(section.contains("<li><a href=\"#role-1\">111122223333 / a-role</a>: newly granted s3:DeleteObject on"
        + " arn:aws:s3:::media/&lt;i&gt;uploads&lt;/i&gt;/*</li>"), section);
    assertTrue(section.contains("<li>111122223333 / &lt;img src=x onerror=alert(1)&gt;: role removed</li>"), section);
    assertEquals(List.of(), HtmlChecks.structureProblems(html));

    String first = HtmlReport.render("n1", "9.9.9", JSON.readTree(SUMMARY), List.of(), Map.of(),
        RunChanges.firstRun("n1"));
    assertTrue(first.contains("<h2>Changes: none to show</h2>\n<p class=\"muted\">first run: no latest.json"), first);
    assertFalse(render(List.of(), Map.of()).contains("class=\"changes\""), "no comparison, no section");
  }

  @Test
  void aSplitShowsEachFunctionsFileAndEachWithheldFunctionWithItsReason() throws IOException {
    ObjectNode report = report("shared", "write", 1);
    ObjectNode split = report.putObject("perFunction");
    ObjectNode reader = split.putArray("functions").addObject().put("name", "reader").put("actions", 2);
    reader.putArray("files").add("per-function/111122223333/shared/us-east-1/reader.json");
    reader.putArray("needsAlone").addObject().put("action", "dynamodb:GetItem").put("resource", "arn:aws:table");
    split.putArray("unattributed");
    split.putArray("withheld").addObject().put("name", "monthly-job").put("reason", "it made no successful call");
    String html = render(List.of(role(report, List.of(), List.of())), Map.of());

    String section = html.substring(html.indexOf("Split by function"));
    assertTrue(section.contains("per-function/111122223333/shared/us-east-1/reader.json"), section);
    assertTrue(section.contains("dynamodb:GetItem on arn:aws:table"), section);
    int withheld = section.indexOf("monthly-job");
    assertTrue(withheld > 0, section);
    assertTrue(section.substring(withheld).contains("unknown: it made no successful call"), section);
  }

  @Test
  void theSameInputGivesTheSameBytes() throws IOException {
    List<HtmlReport.Role> roles = List.of(role(report("a-role", "write", 2), List.of(), List.of()),
        role(report("b-role", "read", 1), List.of(), List.of()));
    Map<String, Map<LocalDate, Long>> calls = new TreeMap<>(Map.of("arn:aws:iam::111122223333:role/a-role",
        new TreeMap<>(Map.of(LocalDate.of(2026, 11, 2), 7L))));
    assertEquals(render(roles, calls), render(new ArrayList<>(roles), new TreeMap<>(calls)));
  }

  @Test
  void listsRolesRiskiestFirstThenByUnusedActionsAndLoadsNothing() throws IOException {
    List<HtmlReport.Role> roles = List.of(role(report("reader", "read", 9), List.of(), List.of()),
        role(report("quiet", null, 0), List.of(), List.of()),
        role(report("escalator", "privilege-escalation", 1), List.of(), List.of()),
        role(report("writer-few", "write", 1), List.of(), List.of()),
        role(report("writer-many", "write", 4), List.of(), List.of()));
    String html = render(roles, Map.of());

    Matcher row = Pattern.compile("<tr data-order=\"(\\d+)\" data-role=\"111122223333/([a-z-]+)\"").matcher(html);
    List<String> order = new ArrayList<>();
    while (row.find()) {
      order.add(row.group(2));
    }
    assertEquals(List.of("escalator", "writer-many", "writer-few", "reader", "quiet"), order);
    for (String name : order) {
      assertTrue(html.contains("<section class=\"role\" id=\"role-" + (order.indexOf(name) + 1)
          + "\" data-role=\"111122223333/" + name + "\">"), name);
    }
    assertEquals(List.of(), HtmlChecks.structureProblems(html));
    assertEquals(List.of(), HtmlChecks.outsideReferences(html));
    assertTrue(html.contains("trailtrim <b>9.9.9</b>"), "the version in the header");
  }

  @Test
  void showsWhatChangesAsAPlanAndADiff() throws IOException {
    ObjectNode report = report("api", "write", 1);
    ObjectNode suggested = report.putObject("suggestedPolicy");
    suggested.put("layout", "inline").put("statements", 1).put("actions", 1).put("sizeWithoutWhitespace", 120)
        .put("limit", 10240);
    suggested.putArray("files").addObject().put("file", "policies/111122223333/api.json");
    ((ObjectNode) report.path("granted")).put("boundary", "arn:aws:iam::111122223333:policy/boundary");
    List<HtmlReport.Policy> current = List.of(new HtmlReport.Policy("inline:data", CURRENT),
        new HtmlReport.Policy("managed:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", CURRENT),
        new HtmlReport.Policy("boundary:arn:aws:iam::111122223333:policy/boundary", CURRENT));
    String html = render(List.of(role(report, current, List.of(new HtmlReport.Policy(
        "policies/111122223333/api.json", SUGGESTED)))), Map.of());

    assertTrue(html.contains("Put the suggested policy as one inline policy of the role (1 statements, 120 of 10240"
        + " characters)"), html);
    assertTrue(html.contains("Then delete the inline policy data"));
    assertTrue(html.contains("Then detach the managed policy arn:aws:iam::aws:policy/service-role/"
        + "AWSLambdaBasicExecutionRole."));
    assertTrue(html.contains("Keep the permissions boundary arn:aws:iam::111122223333:policy/boundary as it is."));
    assertTrue(html.contains("<span class=\"rem\">-       &quot;Action&quot;: &quot;s3:*&quot;,</span>"), html);
    assertTrue(html.contains("<span class=\"add\">+         &quot;s3:GetObject&quot;,</span>"), html);
    assertTrue(html.contains("<span class=\"rem file\">- ## now: inline:data</span>"));
    assertFalse(html.contains("## now: boundary:"), "the boundary stays, so it is no part of the diff");
    // The count is the report's, wildcards expanded by the analysis.
    assertTrue(html.contains("<td class=\"num\" data-sort=\"10\">10 → 1<div class=\"keep\""), html);
  }

  @Test
  void flagsRolesWhoseNumbersNeedASecondLook() throws IOException {
    ObjectNode unknown = report("unknown", null, 0);
    unknown.put("grantsKnown", false);
    ObjectNode gap = report("gap", "write", 1);
    ObjectNode missing = ((ObjectNode) gap.path("evidence")).putObject("missing");
    missing.put("rule", "too-few-covered-days").put("detail", "us-east-1 has 2 of 3 days");
    gap.putArray("safety").addObject().put("rule", "grants-incomplete").put("detail", "a policy is missing");
    ObjectNode failed = (ObjectNode) JSON.readTree("""
        {"roleArn": "arn:aws:iam::111122223333:role/broken", "accountId": "111122223333", "roleName": "broken",
         "window": {"from": "2026-11-01", "to": "2026-11-03", "days": 3}, "lambdaEvidence": "x",
         "analysisFailed": "IllegalStateException: boom", "suggestedPolicy": null, "problems": ["it failed"]}
        """);
    String html = render(List.of(role(unknown, List.of(), List.of()), role(gap, List.of(), List.of()),
        role(failed, List.of(), List.of())), Map.of());

    assertTrue(html.contains("<span class=\"flag\">grants unknown</span>"));
    assertTrue(html.contains("<span class=\"flag\">grants-incomplete</span>"));
    assertTrue(html.contains("<span class=\"flag\">logs incomplete (too-few-covered-days)</span>"));
    assertTrue(html.contains("<span class=\"flag\">analysis failed</span>"));
    assertTrue(html.contains("The analysis of this role failed: IllegalStateException: boom"));
    assertTrue(html.contains("<span class=\"muted\">grants unknown</span>"));
    assertEquals(List.of(), HtmlChecks.structureProblems(html));
  }

  @Test
  void chartsCallsPerDayOfTheWindowWithZeroDaysAsGaps() throws IOException {
    JsonNode window = JSON.readTree("{\"from\": \"2026-11-01\", \"to\": \"2026-11-04\"}");
    String svg = HtmlReport.chart(Map.of(LocalDate.of(2026, 11, 1), 10L, LocalDate.of(2026, 11, 3), 5L,
        LocalDate.of(2026, 10, 31), 99L), window, false);

    Matcher bar = Pattern.compile("<rect x=\"\\d+\" y=\"\\d+\" width=\"\\d+\" height=\"(\\d+)\"><title>"
        + "([0-9-]+): (\\d+) calls</title>").matcher(svg);
    List<String> bars = new ArrayList<>();
    while (bar.find()) {
      bars.add(bar.group(2) + "=" + bar.group(3) + "@" + bar.group(1));
    }
    assertEquals(List.of("2026-11-01=10@96", "2026-11-02=0@0", "2026-11-03=5@48", "2026-11-04=0@0"), bars,
        "one bar a day of the window, heights in proportion, days outside it ignored");
    assertTrue(svg.contains("aria-label=\"15 calls over 4 days, at most 10 a day\""), svg);
    assertEquals("<span class=\"muted\">no calls</span>", HtmlReport.chart(null, window, true));
  }

  @Test
  void foldsLongFindingListsAndSaysWhereTheRestIs() throws IOException {
    String html = render(List.of(role(report("many", "write", HtmlReport.MAX_ROWS + 5), List.of(), List.of())),
        Map.of());
    assertTrue(html.contains("The first " + HtmlReport.MAX_ROWS + " of " + (HtmlReport.MAX_ROWS + 5)));
    assertTrue(html.contains("s3:Action" + (HtmlReport.MAX_ROWS - 1) + "<"));
    assertFalse(html.contains("s3:Action" + HtmlReport.MAX_ROWS + "<"));
  }

  @Test
  void aRoleThatCannotBeShownCostsOnlyItsOwnSection() throws IOException {
    HtmlReport.Policy unreadable = new HtmlReport.Policy("inline:broken", null);
    String html = render(List.of(role(report("odd", "write", 1), List.of(unreadable), List.of()),
        role(report("fine", "read", 1), List.of(), List.of())), Map.of());
    assertTrue(html.contains("<h2>111122223333 / odd</h2>\n<p class=\"problem\">This role&#39;s section could not be"
        + " shown (java.lang.NullPointerException"), html);
    assertTrue(html.contains("<section class=\"role\" id=\"role-2\" data-role=\"111122223333/fine\">"));
    assertEquals(List.of(), HtmlChecks.structureProblems(html));
  }

  @Test
  void namesSummaryCountsInWords() {
    assertEquals("rejected total", HtmlReport.words("rejectedTotal"));
    assertEquals("with suggested policy", HtmlReport.words("withSuggestedPolicy"));
  }
}
