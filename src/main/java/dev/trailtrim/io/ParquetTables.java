package dev.trailtrim.io;

import dev.trailtrim.report.ReportTables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one report table as a single Parquet file with Spark, for {@link RunWriter}: the rows go
 * through one task and come out sorted by every column, and the footer lists encodings in a fixed
 * order ({@link ParquetFooters}), so the same rows give the same bytes in any JVM.
 */
final class ParquetTables {

  /** The one file of each table: a fixed name, so reruns and golden files compare by path. */
  static final String FILE_NAME = "part-00000.snappy.parquet";

  private ParquetTables() {}

  static StructType schema(List<ReportTables.Column> columns) {
    List<StructField> fields = new ArrayList<>();
    for (ReportTables.Column column : columns) {
      fields.add(DataTypes.createStructField(column.name(), sparkType(column.type()), true));
    }
    return DataTypes.createStructType(fields);
  }

  private static DataType sparkType(ReportTables.ColumnType type) {
    return switch (type) {
      case STRING -> DataTypes.StringType;
      case BIGINT -> DataTypes.LongType;
      case BOOLEAN -> DataTypes.BooleanType;
      // Written as Spark's default INT96, which every Athena engine version reads as timestamp.
      case TIMESTAMP -> DataTypes.TimestampType;
      case DATE -> DataTypes.DateType;
    };
  }

  /**
   * Writes {@code table} with Spark into {@code staging} and returns the bytes of its one Parquet
   * file; an empty table still gives a file with the schema.
   */
  static byte[] write(SparkSession spark, ReportTables.Table table, Path staging) throws IOException {
    List<Row> rows = new ArrayList<>(table.rows().size());
    for (List<Object> values : table.rows()) {
      rows.add(RowFactory.create(values.toArray()));
    }
    Column[] order = table.columns().stream().map(c -> functions.col(c.name())).toArray(Column[]::new);
    // repartition(1), not coalesce(1): the local rows are spread over several tasks, so no single
    // task message has to carry a large table; the sort then makes the one file's order independent
    // of which task's rows arrive first.
    // Commit algorithm 2 renames once instead of twice (copies on S3); the staging folder is
    // thrown away after, so its weaker atomicity does not matter, and no one reads a _SUCCESS there.
    spark.createDataFrame(rows, schema(table.columns())).repartition(1).sortWithinPartitions(order)
        .write().mode(SaveMode.Overwrite).option("compression", "snappy")
        .option("mapreduce.fileoutputcommitter.algorithm.version", "2")
        .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false").parquet(staging.toString());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem fs = staging.getFileSystem(conf);
    List<Path> parts = new ArrayList<>();
    for (FileStatus status : fs.listStatus(staging)) {
      if (status.getPath().getName().startsWith("part-") && status.getPath().getName().endsWith(".parquet")) {
        parts.add(status.getPath());
      }
    }
    if (parts.size() != 1) {
      throw new IllegalStateException("Table " + table.name() + " was written as " + parts.size()
          + " Parquet files under " + staging + ", expected exactly 1");
    }
    try (var in = fs.open(parts.get(0))) {
      return ParquetFooters.withStableEncodingOrder(in.readAllBytes());
    }
  }
}
