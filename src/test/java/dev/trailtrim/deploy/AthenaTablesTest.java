package dev.trailtrim.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.report.ReportTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * scripts/athena-tables.sql and scripts/athena-queries.sql, checked without AWS: the tables have
 * exactly the columns the job writes (ReportTables; ReportTablesRunTest compares them with the
 * written Parquet files too), read every run through injected partition projection, and the
 * placeholders fill as the README says.
 */
class AthenaTablesTest {

  private static final Path PROJECT = Path.of(System.getProperty("trailtrim.project.dir", ".")).toAbsolutePath();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final Map<String, String> VALUES = Map.of("ATHENA_DATABASE", "trailtrim_reports",
      "OUTPUT_BUCKET", "trailtrim-results", "OUTPUT_PREFIX", "nightly/trailtrim", "RUN_ID", "20261129T033000Z");

  private static List<AthenaDdl.Column> expected(List<ReportTables.Column> columns) {
    return columns.stream().map(c -> new AthenaDdl.Column(c.name(), c.type().ddl())).toList();
  }

  @Test
  void theTablesHaveTheColumnsOfReportTablesInTheirOrder() {
    Map<String, AthenaDdl.Table> tables = AthenaDdl.tables();
    assertEquals(List.of(ReportTables.ROLES, ReportTables.PERMISSIONS, ReportTables.UNMAPPED, ReportTables.COVERAGE,
        ReportTables.CHANGES), new ArrayList<>(tables.keySet()));
    assertEquals(expected(ReportTables.ROLE_COLUMNS), tables.get(ReportTables.ROLES).columns());
    assertEquals(expected(ReportTables.PERMISSION_COLUMNS), tables.get(ReportTables.PERMISSIONS).columns());
    assertEquals(expected(ReportTables.UNMAPPED_COLUMNS), tables.get(ReportTables.UNMAPPED).columns());
    assertEquals(expected(ReportTables.COVERAGE_COLUMNS), tables.get(ReportTables.COVERAGE).columns());
    assertEquals(expected(ReportTables.CHANGE_COLUMNS), tables.get(ReportTables.CHANGES).columns());
  }

  @Test
  void everyTableReadsAllRunsThroughAnInjectedRunIdPartition() {
    for (AthenaDdl.Table table : AthenaDdl.tables().values()) {
      assertEquals(List.of(new AthenaDdl.Column("run_id", "string")), table.partitionColumns(), table.name());
      assertEquals("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", table.serde(), table.name());
      assertEquals("s3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/", table.location(), table.name());
      assertEquals(Map.of("projection.enabled", "true", "projection.run_id.type", "injected",
          "storage.location.template",
          "s3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/${run_id}/tables/" + table.name() + "/"),
          table.properties(), table.name());
      assertFalse(table.columns().stream().anyMatch(c -> c.name().equals("run_id")), "run_id is the partition only");
    }
  }

  @Test
  void fillPlaceholdersFillsOursAndKeepsAthenasRunId() throws Exception {
    Result filled = fill("scripts/athena-tables.sql", VALUES);
    assertEquals(0, filled.exitCode(), filled.stderr());
    List<String> statements = AthenaDdl.statements(filled.stdout());
    assertEquals(5, statements.size());
    for (String statement : statements) {
      assertTrue(statement.startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `trailtrim_reports`.`trailtrim_"),
          statement);
      Matcher m = PLACEHOLDER.matcher(statement);
      List<String> left = new ArrayList<>();
      while (m.find()) {
        left.add(m.group());
      }
      assertEquals(List.of("${run_id}"), left, "only Athena's own placeholder is left");
      assertTrue(statement.contains("LOCATION 's3://trailtrim-results/nightly/trailtrim/runs/'"), statement);
    }

    Result refused = fill("scripts/athena-tables.sql", Map.of("ATHENA_DATABASE", "it's", "OUTPUT_BUCKET", "b",
        "OUTPUT_PREFIX", "p"));
    assertEquals(2, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().contains("ATHENA_DATABASE='it's' contains a quote"), refused.stderr());
    assertEquals("", refused.stdout());
    // A lower-case placeholder is still a typo in every other file.
    Path typo = Files.createTempFile("typo", ".json");
    try {
      Files.writeString(typo, "{\"Resource\": \"${run_id}\"}\n");
      Result json = fill(typo.toString(), Map.of());
      assertEquals(2, json.exitCode(), json.stderr());
      assertTrue(json.stderr().contains("placeholders are ${UPPER_CASE}"), json.stderr());
    } finally {
      Files.delete(typo);
    }
  }

  @Test
  void exampleQueriesNameARunAndOnlyTheTablesAndColumnsThatExist() throws Exception {
    Result filled = fill("scripts/athena-queries.sql", VALUES);
    assertEquals(0, filled.exitCode(), filled.stderr());
    List<String> queries = AthenaDdl.statements(filled.stdout());
    assertEquals(5, queries.size());
    Map<String, AthenaDdl.Table> tables = AthenaDdl.tables();
    Pattern from = Pattern.compile("FROM \"trailtrim_reports\"\\.\"trailtrim_([a-z_]+)\"");
    for (String query : queries) {
      assertTrue(query.startsWith("SELECT "), query);
      assertTrue(query.contains("WHERE run_id = '20261129T033000Z'"),
          "an injected partition needs its value: " + query);
      Matcher m = from.matcher(query);
      assertTrue(m.find(), query);
      AthenaDdl.Table table = tables.get(m.group(1));
      assertTrue(table != null, "no table " + m.group(1));
      // Every lower-case word of the SELECT list and ORDER BY that looks like a column is one.
      TreeSet<String> columns = new TreeSet<>();
      table.columns().forEach(c -> columns.add(c.name()));
      columns.add("run_id");
      String select = query.substring("SELECT ".length(), query.indexOf("FROM"));
      for (String word : select.replaceAll("(?i)count\\(\\*\\)|count\\(DISTINCT|AS [a-z_]+", " ").split("[^a-z_]+")) {
        if (!word.isEmpty()) {
          assertTrue(columns.contains(word), m.group(1) + " has no column " + word + ": " + query);
        }
      }
    }
  }

  @Test
  void theReadmeExplainsThePlaceholdersAndHowToQuery() throws IOException {
    String readme = Files.readString(PROJECT.resolve("README.md"));
    assertTrue(readme.contains("## Querying the reports with Athena"), "README section missing");
    TreeSet<String> used = new TreeSet<>();
    for (String file : List.of("scripts/athena-tables.sql", "scripts/athena-queries.sql")) {
      Matcher m = PLACEHOLDER.matcher(Files.readString(PROJECT.resolve(file)));
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    used.remove("run_id");
    assertEquals(new TreeSet<>(VALUES.keySet()), used);
    for (String name : used) {
      assertTrue(readme.contains("`${" + name + "}`"), "README.md does not explain the placeholder ${" + name + "}");
    }
    assertTrue(readme.contains("scripts/fill-placeholders.sh scripts/athena-tables.sql"), "README: fill the DDL");
    assertTrue(readme.contains("aws athena start-query-execution"), "README: run the statements");
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result fill(String file, Map<String, String> environment) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "scripts/fill-placeholders.sh", file).directory(PROJECT.toFile());
    builder.environment().keySet().removeIf(k -> VALUES.containsKey(k));
    builder.environment().putAll(environment);
    Path stderr = Files.createTempFile("fill", ".err");
    try {
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out");
      return new Result(process.exitValue(), stdout, Files.readString(stderr));
    } finally {
      Files.delete(stderr);
    }
  }
}
