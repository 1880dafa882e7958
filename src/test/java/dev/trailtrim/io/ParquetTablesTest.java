package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.report.ReportTables;
import dev.trailtrim.report.ReportTables.Column;
import dev.trailtrim.report.ReportTables.ColumnType;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ParquetTables writes a table in the driver, without Spark; Spark's own Parquet writer is the
 * oracle: the same rows give the same bytes, and Spark reads every value back as it was.
 */
class ParquetTablesTest {

  @TempDir
  java.nio.file.Path work;

  @Test
  void givesTheBytesOfSparksOwnWriter() throws IOException {
    ReportTables.Table table = ParquetTablesDeterminismTest.table();
    assertArrayEquals(writtenBySpark(table, "every-type"), ParquetTables.write(table, new Configuration()),
        "a table of every column type, with repeated, unique and null values");

    ReportTables.Table empty = new ReportTables.Table("empty", table.columns(), List.of());
    assertArrayEquals(writtenBySpark(empty, "empty"), ParquetTables.write(empty, new Configuration()),
        "an empty table: a file with the schema and no rows");
  }

  /**
   * The ends of what a table holds come back from Spark unchanged: the years 1 and 9999 (which
   * Spark 3.5's own writer refuses before 1900 unless told how to rebase), microseconds, the
   * longest longs, text beyond the Basic Multilingual Plane.
   */
  @Test
  void sparkReadsEveryValueBack() throws IOException {
    List<Column> columns = List.of(new Column("text", ColumnType.STRING), new Column("number", ColumnType.BIGINT),
        new Column("flag", ColumnType.BOOLEAN), new Column("at", ColumnType.TIMESTAMP),
        new Column("day", ColumnType.DATE));
    List<List<Object>> rows = List.of(
        Arrays.asList("", Long.MIN_VALUE, false, Instant.parse("0001-01-01T00:00:00Z"), LocalDate.of(1, 1, 1)),
        Arrays.asList("arn:aws:s3:::bücket/\uD83D\uDE00", Long.MAX_VALUE, true,
            Instant.parse("9999-12-31T23:59:59.999999Z"), LocalDate.of(9999, 12, 31)),
        Arrays.asList("before 1900", 0L, null, Instant.parse("1850-06-30T12:34:56.789012Z"), LocalDate.of(1582, 10, 4)),
        Arrays.asList(null, null, null, null, null));
    ReportTables.Table table = new ReportTables.Table("ends", columns, rows);
    java.nio.file.Path file = Files.createDirectories(work.resolve("ends")).resolve(ParquetTables.FILE_NAME);
    Files.write(file, ParquetTables.write(table, new Configuration()));

    // Times and days as numbers, so no conversion to java.sql types (and its calendar) intervenes.
    List<Row> read = SparkTestSession.get().read().parquet(file.toString())
        .selectExpr("text", "number", "flag", "unix_micros(at)", "unix_date(day)").collectAsList();
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> row : table.rows()) {
      Instant at = (Instant) row.get(3);
      LocalDate day = (LocalDate) row.get(4);
      expected.add(Arrays.asList(row.get(0), row.get(1), row.get(2),
          at == null ? null : at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000,
          day == null ? null : (int) day.toEpochDay()));
    }
    List<List<Object>> actual = read.stream()
        .map(row -> Arrays.asList(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4))).toList();
    assertEquals(expected, actual);
    assertEquals(ParquetTables.schema(columns), SparkTestSession.get().read().parquet(file.toString()).schema(),
        "Spark takes the column types from the file's footer");
  }

  /** What the job wrote before: the table through Spark's writer, one task, sorted by every column. */
  private byte[] writtenBySpark(ReportTables.Table table, String name) throws IOException {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = table.rows().stream().map(values -> RowFactory.create(values.toArray())).toList();
    org.apache.spark.sql.Column[] order =
        table.columns().stream().map(c -> functions.col(c.name())).toArray(org.apache.spark.sql.Column[]::new);
    java.nio.file.Path folder = work.resolve("spark-" + name);
    spark.createDataFrame(rows, ParquetTables.schema(table.columns())).repartition(1).sortWithinPartitions(order)
        .write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(folder.toString());
    try (Stream<java.nio.file.Path> files = Files.list(folder)) {
      java.nio.file.Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow(() -> new AssertionError("Spark wrote no Parquet file into " + folder));
      return ParquetFooters.withStableEncodingOrder(Files.readAllBytes(part));
    }
  }
}
