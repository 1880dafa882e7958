package dev.trailtrim.io;

import dev.trailtrim.report.ReportTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one report table as the bytes of a single Parquet file, for {@link RunWriter}: in the
 * driver, with parquet-java's writer, in the form Spark's own Parquet writer gives (the same
 * schema, INT96 timestamps, the Spark schema and version in the footer, so Spark, Athena and
 * pandas read it as a Spark-written file), but without a Spark job, a staging folder or a
 * read-back: the rows are already in memory. The rows go in the table's order (sorted by every
 * column) and the footer lists encodings in a fixed order ({@link ParquetFooters}), so the same
 * rows give the same bytes in any JVM.
 */
final class ParquetTables {

  /** The one file of each table: a fixed name, so reruns and golden files compare by path. */
  static final String FILE_NAME = "part-00000.snappy.parquet";

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

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
      // INT96, as Spark writes by default, which every Athena engine version reads as timestamp.
      case TIMESTAMP -> DataTypes.TimestampType;
      case DATE -> DataTypes.DateType;
    };
  }

  /**
   * The bytes of {@code table} as one snappy-compressed Parquet file; an empty table still gives
   * a file with the schema. {@code conf} carries any {@code parquet.*} setting of the job.
   */
  static byte[] write(ReportTables.Table table, Configuration conf) throws IOException {
    List<ReportTables.Column> columns = table.columns();
    StructType schema = schema(columns);
    InMemoryFile file = new InMemoryFile();
    try (ParquetWriter<List<Object>> writer = SparkParquet.writer(file, SparkParquet.messageType(schema),
        SparkParquet.footer(schema), (row, out) -> writeRow(columns, row, out), conf,
        ParquetFileWriter.Mode.OVERWRITE)) {
      for (List<Object> row : table.rows()) {
        writer.write(row);
      }
    }
    return ParquetFooters.withStableEncodingOrder(file.bytes.toByteArray());
  }

  /** A row's non-null values, as Spark's writer gives them; a null value is a field left out. */
  private static void writeRow(List<ReportTables.Column> columns, List<Object> row, RecordConsumer out) {
    for (int i = 0; i < columns.size(); i++) {
      Object value = row.get(i);
      if (value == null) {
        continue;
      }
      String name = columns.get(i).name();
      out.startField(name, i);
      switch (columns.get(i).type()) {
        case STRING -> out.addBinary(Binary.fromString((String) value));
        case BIGINT -> out.addLong((Long) value);
        case BOOLEAN -> out.addBoolean((Boolean) value);
        case TIMESTAMP -> out.addBinary(Binary.fromConstantByteArray(int96((Instant) value)));
        case DATE -> out.addInteger(Math.toIntExact(((LocalDate) value).toEpochDay()));
      }
      out.endField(name, i);
    }
  }

  /** Spark's INT96 value of a time: nanoseconds of the day, then the Julian day, little-endian. */
  static byte[] int96(Instant time) {
    long micros = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    long julianMicros = micros + JULIAN_DAY_OF_EPOCH * MICROS_PER_DAY;
    return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(Math.floorMod(julianMicros, MICROS_PER_DAY) * 1_000L)
        .putInt(Math.toIntExact(Math.floorDiv(julianMicros, MICROS_PER_DAY))).array();
  }

  /** A Parquet output file in memory: the table's rows are in memory already. */
  private static final class InMemoryFile implements OutputFile {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      bytes.reset();
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes.size();
        }

        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes.write(b, off, len);
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
