package dev.trailtrim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.analysis.AnalysisFixtures;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.RoleContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every CSV trailtrim writes keeps text from the logs and snapshots from being run as a spreadsheet formula. */
class CsvCellsTest {

  @Test
  void cellsThatStartLikeAFormulaGetALeadingQuote() {
    assertEquals("'=1+2", CsvCells.cell("=1+2"));
    assertEquals("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"", CsvCells.cell("=HYPERLINK(\"http://evil\",\"x\")"));
    assertEquals("'+1", CsvCells.cell("+1"));
    assertEquals("'-2+3", CsvCells.cell("-2+3"));
    assertEquals("'@SUM(A1)", CsvCells.cell("@SUM(A1)"));
    assertEquals("'\tx", CsvCells.cell("\tx"));
    assertEquals("\"'\rx\"", CsvCells.cell("\rx"));
    // Only the first character matters: inside a cell these are plain text.
    assertEquals("a=b", CsvCells.cell("a=b"));
    assertEquals("arn:aws:s3:::b/-x", CsvCells.cell("arn:aws:s3:::b/-x"));
    assertEquals("", CsvCells.cell(""));
  }

  @Test
  void quotesAsRfc4180Says() {
    assertEquals("plain", CsvCells.cell("plain"));
    assertEquals("\"NotResource [a, b]\"", CsvCells.cell("NotResource [a, b]"));
    assertEquals("\"say \"\"hi\"\"\"", CsvCells.cell("say \"hi\""));
    assertEquals("\"two\nlines\"", CsvCells.cell("two\nlines"));
  }

  /** {@code @ops} and {@code =calc} are legal IAM role names; their rows must not start a formula. */
  @Test
  void unusedPermissionsRowsGuardRoleNamesFromTheSnapshot() {
    for (String name : List.of("@ops", "=calc", "+x", "-x")) {
      String arn = "arn:aws:iam::111122223333:role/" + name;
      RoleGrants grants = AnalysisFixtures.grants();
      RoleGrants renamed = new RoleGrants(arn, name, grants.path(), grants.accountId(), grants.trustedServices(),
          grants.policies(), grants.boundary(), grants.problems());
      RoleAnalysis analysis = RoleAnalyzer.analyze(new RoleContext(arn, "111122223333", name,
          AnalysisFixtures.context().window(), "trust policy allows lambda.amazonaws.com"), renamed,
          AnalysisFixtures.usage(), IamCatalog.loadDefault(), AnalysisFixtures.OBSERVABILITY);
      List<UnusedPermissionsCsv.Row> rows = UnusedPermissionsCsv.rows(analysis);
      assertFalse(rows.isEmpty());
      for (UnusedPermissionsCsv.Row row : rows) {
        assertTrue(row.text().startsWith("111122223333,'" + name + "," + arn + ","), row.text());
      }
    }
  }

  @Test
  void unmappedCallsGuardEventNamesFromTheLogs() {
    Map<String, Long> unmapped = new TreeMap<>(Map.of("s3.amazonaws.com =cmd|' /C calc'!A0", 2L,
        "@evil.amazonaws.com GetThing", 1L, "sqs.amazonaws.com SendMessage", 5L));
    assertEquals("eventSource,eventName,records\n"
        + "'@evil.amazonaws.com,GetThing,1\n"
        + "s3.amazonaws.com,'=cmd|' /C calc'!A0,2\n"
        + "sqs.amazonaws.com,SendMessage,5\n", RunReports.unmappedCsv(unmapped));
  }
}
