package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.deploy.AthenaDdl;
import dev.trailtrim.report.ReportTables;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet tables of a real run on the sample logs, read back with Spark: they say what the
 * JSON and CSV reports of the same run say, a rerun writes the same bytes, and their schema is
 * the one scripts/athena-tables.sql declares.
 */
class ReportTablesRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "part-00000.snappy.parquet";

  @TempDir
  static Path out;
  static Path runDir;
  static Map<String, String> files;

  @BeforeAll
  static void runOnTheSamples() throws IOException {
    runDir = JobRuns.sampleRun().runDir();
    files = JobRuns.files(runDir);
  }

  private static Path tableFile(Path run, String table) {
    return run.resolve("tables/" + table + "/" + FILE);
  }

  private static List<Row> read(Path run, String table) {
    return SparkTestSession.get().read().parquet(tableFile(run, table).toString()).collectAsList();
  }

  private static StructType schema(Path run, String table) {
    return SparkTestSession.get().read().parquet(tableFile(run, table).toString()).schema();
  }

  private static String text(Row row, String column) {
    Object value = row.get(row.fieldIndex(column));
    return value == null ? null : value instanceof java.sql.Timestamp t ? t.toInstant().toString() : value.toString();
  }

  @Test
  void eachTableIsOneParquetFileInsideTheRunAndNothingElseIsLeftThere() throws IOException {
    TreeSet<String> tables = new TreeSet<>();
    files.keySet().stream().filter(p -> p.startsWith("tables/")).forEach(tables::add);
    assertEquals(new TreeSet<>(List.of("tables/changes/" + FILE, "tables/coverage/" + FILE,
        "tables/permissions/" + FILE, "tables/roles/" + FILE, "tables/unmapped/" + FILE)), tables);
    try (Stream<Path> walk = Files.walk(runDir)) {
      List<String> hidden = walk.map(p -> runDir.relativize(p).toString())
          .filter(p -> p.startsWith("_staging") || p.contains(".crc") || p.contains("/_")).toList();
      assertEquals(List.of(), hidden, "Spark's staging, checksum and marker files are gone");
    }
    JsonNode success = JSON.readTree(files.get("_SUCCESS"));
    assertEquals(files.size() - 1, success.path("filesWritten").asInt(), "RunWriter counts the tables too");
  }

  @Test
  void theRolesTableHasOneRowPerRoleReportWithItsCounts() throws IOException {
    Map<String, Row> byReport = new TreeMap<>();
    for (Row row : read(runDir, ReportTables.ROLES)) {
      assertTrue(byReport.put(text(row, "report_file"), row) == null, "one row per role");
    }
    TreeSet<String> reports = new TreeSet<>();
    files.keySet().stream().filter(p -> p.startsWith("roles/")).forEach(reports::add);
    assertEquals(9, reports.size());
    assertEquals(reports, byReport.keySet());
    for (String file : reports) {
      JsonNode report = JSON.readTree(files.get(file));
      Row row = byReport.get(file);
      JsonNode summary = report.path("summary");
      assertEquals(report.path("roleArn").asText(), text(row, "role_arn"), file);
      assertEquals(report.path("accountId").asText(), text(row, "account_id"), file);
      assertEquals(report.path("lambdaEvidence").asText(), text(row, "lambda_evidence"), file);
      assertEquals(!report.path("grantsKnown").asBoolean(), row.getAs("missing_from_snapshot"), file);
      assertEquals(report.path("window").path("from").asText(), text(row, "window_from"), file);
      assertEquals(summary.path("usedActions").asLong(), (long) row.getAs("used_actions"), file);
      assertEquals(summary.path("usedResources").asLong(), (long) row.getAs("used_resources"), file);
      assertEquals(summary.path("unused").asLong(), (long) row.getAs("unused"), file);
      assertEquals(summary.path("notObservable").asLong(), (long) row.getAs("not_observable"), file);
      assertEquals(summary.path("keptBySafety").asLong(), (long) row.getAs("kept_by_safety"), file);
      assertEquals(summary.path("denied").asLong(), (long) row.getAs("denied"), file);
      assertEquals(summary.path("failed").asLong(), (long) row.getAs("failed"), file);
      assertEquals(report.path("granted").path("actions").asLong(), (long) row.getAs("granted_actions"), file);
      assertEquals(
          report.path("topRisks").path("highest").isNull() ? null : report.path("topRisks").path("highest").asText(),
          text(row, "highest_risk"), file);
      JsonNode suggested = report.path("suggestedPolicy");
      assertEquals(suggested.isNull() ? null : suggested.path("sizeWithoutWhitespace").asText(),
          text(row, "suggested_size"), file);
      assertEquals(suggested.isNull() ? null : suggested.path("layout").asText(), text(row, "suggested_layout"), file);
    }
  }

  @Test
  void everyUnusedPermissionsCsvRowIsAnUnusedPermissionsRow() {
    List<String> lines = files.get("unused-permissions.csv").lines().toList();
    List<String> header = csv(lines.get(0));
    List<String> fromCsv = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = csv(line);
      fromCsv.add(String.join("|", f.get(header.indexOf("roleArn")), f.get(header.indexOf("action")),
          f.get(header.indexOf("resource")), f.get(header.indexOf("risk")), f.get(header.indexOf("accessLevel")),
          f.get(header.indexOf("policy")), f.get(header.indexOf("statementSid")), f.get(header.indexOf("decidedBy")),
          f.get(header.indexOf("riskReason"))));
    }
    List<String> fromTable = new ArrayList<>();
    for (Row row : read(runDir, ReportTables.PERMISSIONS)) {
      if (ReportTables.UNUSED.equals(row.getAs("status"))) {
        List<String> f = new ArrayList<>();
        for (String column : List.of("role_arn", "action", "resource", "risk", "access_level", "policy",
            "statement_sid", "rule", "risk_reason")) {
          String value = text(row, column);
          f.add(value == null ? "" : value);
        }
        fromTable.add(String.join("|", f));
      }
    }
    assertTrue(fromCsv.size() > 100, "unused rows: " + fromCsv.size());
    fromCsv.sort(null);
    fromTable.sort(null);
    assertEquals(fromCsv, fromTable);
  }

  @Test
  void usedNotObservableDeniedAndFailedRowsEqualTheRoleReports() throws IOException {
    Map<String, List<String>> fromReports = new TreeMap<>();
    for (Map.Entry<String, String> file : files.entrySet()) {
      if (!file.getKey().startsWith("roles/")) {
        continue;
      }
      JsonNode report = JSON.readTree(file.getValue());
      String arn = report.path("roleArn").asText();
      for (JsonNode used : report.path("used")) {
        for (JsonNode r : used.path("resources")) {
          add(fromReports, "used", arn, used.path("action").asText(), r.path("resource").asText(),
              r.path("decidedBy").asText(), r.path("count").asText(), r.path("firstSeen").asText(),
              r.path("lastSeen").asText());
        }
      }
      for (JsonNode n : report.path("notObservable")) {
        add(fromReports, "not_observable", arn, n.path("action").asText(), n.path("resource").asText(),
            n.path("reason").asText(), n.path("policy").asText());
      }
      for (JsonNode k : report.path("keptBySafety")) {
        add(fromReports, "kept_by_safety", arn, k.path("action").asText(), k.path("resource").asText(),
            k.path("decidedBy").asText(), k.path("detail").asText());
      }
      for (JsonNode d : report.path("denied")) {
        add(fromReports, "denied", arn, d.path("action").asText(), d.path("resource").asText(),
            d.path("errorCode").asText(), d.path("count").asText(), d.path("firstSeen").asText(),
            d.path("lastSeen").asText());
      }
      for (JsonNode d : report.path("failed")) {
        add(fromReports, "failed", arn, d.path("action").asText(), d.path("resource").asText(),
            d.path("errorCode").asText(), d.path("decidedBy").asText(), d.path("count").asText());
      }
    }
    Map<String, List<String>> fromTable = new TreeMap<>();
    for (Row row : read(runDir, ReportTables.PERMISSIONS)) {
      String status = row.getAs("status");
      String arn = row.getAs("role_arn");
      switch (status) {
        case "used" -> add(fromTable, status, arn, text(row, "action"), text(row, "resource"), text(row, "rule"),
            text(row, "calls"), text(row, "first_seen"), text(row, "last_seen"));
        case "not_observable" -> add(fromTable, status, arn, text(row, "action"), text(row, "resource"),
            text(row, "detail"), text(row, "policy"));
        case "kept_by_safety" -> add(fromTable, status, arn, text(row, "action"), text(row, "resource"),
            text(row, "rule"), text(row, "detail"));
        case "denied" -> add(fromTable, status, arn, text(row, "action"), text(row, "resource"),
            text(row, "error_code"), text(row, "calls"), text(row, "first_seen"), text(row, "last_seen"));
        case "failed" -> add(fromTable, status, arn, text(row, "action"), text(row, "resource"),
            text(row, "error_code"), text(row, "rule"), text(row, "calls"));
        case "unused" -> {}
        default -> fail("unexpected status " + status);
      }
    }
    for (String status : List.of("used", "not_observable", "denied", "failed")) {
      assertFalse(fromReports.getOrDefault(status, List.of()).isEmpty(), "the sample has " + status + " entries");
    }
    fromReports.values().forEach(list -> list.sort(null));
    fromTable.values().forEach(list -> list.sort(null));
    assertEquals(fromReports, fromTable);
  }

  private static void add(Map<String, List<String>> rows, String status, String... fields) {
    rows.computeIfAbsent(status, s -> new ArrayList<>()).add(String.join("|", fields));
  }

  @Test
  void theUnmappedTableEqualsUnmappedCsv() {
    List<String> fromCsv = new ArrayList<>(files.get("unmapped.csv").lines().skip(1).toList());
    List<String> fromTable = new ArrayList<>();
    for (Row row : read(runDir, ReportTables.UNMAPPED)) {
      fromTable.add(text(row, "event_source") + "," + text(row, "event_name") + "," + text(row, "records"));
    }
    assertEquals(fromCsv, fromTable);
  }

  @Test
  void aRerunWritesTheSameRowsInTheSameOrderAndTheSameBytes() throws IOException {
    Path second = JobRuns.sampleRerun().runDir();
    for (String table : List.of(ReportTables.ROLES, ReportTables.PERMISSIONS, ReportTables.UNMAPPED,
        ReportTables.COVERAGE, ReportTables.CHANGES)) {
      assertEquals(read(runDir, table), read(second, table), table);
      assertEquals(-1L, Files.mismatch(tableFile(runDir, table), tableFile(second, table)), table + " bytes");
    }
    List<Row> permissions = read(runDir, ReportTables.PERMISSIONS);
    // Sorted column by column: account, role name, role ARN, status, service, action, resource, ...
    List<String> columns = List.of("account_id", "role_name", "role_arn", "status", "service", "action", "resource");
    java.util.Comparator<Row> byColumns = (a, b) -> {
      for (String column : columns) {
        int c = text(a, column).compareTo(text(b, column));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    List<Row> sorted = new ArrayList<>(permissions);
    sorted.sort(byColumns);
    assertTrue(sorted.equals(permissions), "rows are not sorted");
  }

  @Test
  void theParquetSchemaIsTheOneTheAthenaDdlDeclares() throws IOException {
    Map<String, AthenaDdl.Table> ddl = AthenaDdl.tables();
    for (String table : List.of(ReportTables.ROLES, ReportTables.PERMISSIONS, ReportTables.UNMAPPED,
        ReportTables.COVERAGE,
        ReportTables.CHANGES)) {
      List<AthenaDdl.Column> written = new ArrayList<>();
      for (StructField field : schema(runDir, table).fields()) {
        written.add(new AthenaDdl.Column(field.name(), athenaType(field.dataType())));
      }
      assertEquals(ddl.get(table).columns(), written, table);
    }
    // Athena reads Spark's INT96 timestamps in every engine version.
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(tableFile(runDir, ReportTables.PERMISSIONS).toUri()),
        SparkTestSession.get().sparkContext().hadoopConfiguration()))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      assertEquals(PrimitiveTypeName.INT96, schema.getType("first_seen").asPrimitiveType().getPrimitiveTypeName());
      assertEquals(PrimitiveTypeName.INT64, schema.getType("calls").asPrimitiveType().getPrimitiveTypeName());
    }
  }

  private static String athenaType(DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return "string";
    }
    if (type.equals(DataTypes.LongType)) {
      return "bigint";
    }
    if (type.equals(DataTypes.BooleanType)) {
      return "boolean";
    }
    if (type.equals(DataTypes.TimestampType)) {
      return "timestamp";
    }
    if (type.equals(DataTypes.DateType)) {
      return "date";
    }
    throw new AssertionError("no Athena type for " + type);
  }

  @Test
  void aRunWithoutRolesWritesEmptyTablesWithTheirSchema() throws IOException {
    // One record, of an IAM user: the run has something to report on (a window without records
    // commits nothing), but no role.
    Path logs = Files.createDirectories(out.resolve("user-only-logs"));
    String record = "{\"Records\":[{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IAMUser\","
        + "\"principalId\":\"AIDAEXAMPLEUSER00001\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
        + "\"accountId\":\"111122223333\",\"userName\":\"alice\"},\"eventTime\":\"2026-11-03T12:00:00Z\","
        + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"ListBuckets\",\"awsRegion\":\"us-east-1\","
        + "\"sourceIPAddress\":\"203.0.113.1\",\"userAgent\":\"aws-cli\",\"requestID\":\"req-1\","
        + "\"eventID\":\"3f1c2b6e-0000-4000-8000-000000000001\",\"readOnly\":true,\"eventType\":\"AwsApiCall\","
        + "\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}]}";
    try (var gzip = new java.util.zip.GZIPOutputStream(Files.newOutputStream(
        logs.resolve("111122223333_CloudTrail_us-east-1_20261103T1200Z_useronly0000001.json.gz")))) {
      gzip.write(record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Path snapshot = out.resolve("no-roles.json");
    Files.writeString(snapshot,
        "{\"RoleDetailList\": [], \"Policies\": [], \"UserDetailList\": [], \"GroupDetailList\": []}");
    TrailtrimJob.Outcome outcome = JobRuns.run(SparkTestSession.get(), List.of(logs.toString()),
        List.of(snapshot.toString()), out.resolve("empty").toString(), "empty");
    assertEquals(TrailtrimJob.Status.COMPLETE, outcome.status());
    assertEquals(1, outcome.summary().path("records").path("read").asLong());
    assertEquals(List.of(), outcome.roleLines());
    Path run = out.resolve("empty/runs/empty");
    for (String table : List.of(ReportTables.ROLES, ReportTables.PERMISSIONS, ReportTables.UNMAPPED)) {
      assertTrue(Files.isRegularFile(tableFile(run, table)), table);
      assertEquals(List.of(), read(run, table), table);
      assertEquals(schema(runDir, table), schema(run, table), table);
    }
    // The one file covers its account, region and day: one row per day of the window, one covered.
    List<Row> coverage = read(run, ReportTables.COVERAGE);
    assertEquals(5, coverage.size());
    assertEquals(1, coverage.stream().filter(row -> row.getBoolean(row.fieldIndex("covered"))).count());
    assertEquals(schema(runDir, ReportTables.COVERAGE), schema(run, ReportTables.COVERAGE));
  }

  /** One RFC 4180 line: fields, quoted ones unquoted. */
  private static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
