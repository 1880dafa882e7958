package dev.trailtrim.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Parquet files trailtrim writes with parquet-java itself, in the form Spark's own writer gives:
 * snappy, and the footer keys Spark's writer puts in every file (ParquetWriteSupport) and its
 * reader looks for (ParquetReadSupport), so Spark takes the exact column types from the file and
 * treats its times as written by a Spark of this version (proleptic Gregorian, no rebasing).
 */
public final class SparkParquet {

  private static final String VERSION_KEY = "org.apache.spark.version";
  private static final String SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  /** The Spark the job runs on, as its writer names itself (3.5.6 for 3.5.6-amzn-0 too). */
  private static final String SPARK_VERSION = org.apache.spark.package$.MODULE$.SPARK_VERSION_SHORT();

  private SparkParquet() {}

  /** Writes one row's fields; a null value is a field left out, as Spark's writer does. */
  @FunctionalInterface
  public interface RowWriter<T> {
    void write(T row, RecordConsumer out);
  }

  /**
   * The Parquet schema Spark's writer gives columns of {@code schema}: text as UTF-8 strings,
   * times as INT96 (Spark's default), days as DATE; a nullable column is optional, the rest required.
   */
  public static MessageType messageType(StructType schema) {
    List<Type> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      Type.Repetition repetition = field.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      DataType type = field.dataType();
      Types.PrimitiveBuilder<PrimitiveType> column;
      if (type instanceof StringType) {
        column = Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType());
      } else if (type instanceof LongType) {
        column = Types.primitive(PrimitiveTypeName.INT64, repetition);
      } else if (type instanceof BooleanType) {
        column = Types.primitive(PrimitiveTypeName.BOOLEAN, repetition);
      } else if (type instanceof TimestampType) {
        column = Types.primitive(PrimitiveTypeName.INT96, repetition);
      } else if (type instanceof DateType) {
        column = Types.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.dateType());
      } else {
        throw new IllegalArgumentException("Column " + field.name() + " is of Spark type " + type.simpleString()
            + ", which trailtrim does not write to Parquet itself");
      }
      columns.add(column.named(field.name()));
    }
    return new MessageType("spark_schema", columns);
  }

  /** The key-value metadata Spark's writer gives a file of rows of {@code schema}. */
  public static Map<String, String> footer(StructType schema) {
    return Map.of(VERSION_KEY, SPARK_VERSION, SCHEMA_KEY, schema.json());
  }

  /**
   * A snappy Parquet writer of {@code file} with {@code parquetSchema} and {@code footer}; each row
   * goes through {@code rows} between the message's start and end. {@code conf} carries any
   * {@code parquet.*} setting of the job.
   */
  public static <T> ParquetWriter<T> writer(OutputFile file, MessageType parquetSchema, Map<String, String> footer,
      RowWriter<T> rows, Configuration conf, ParquetFileWriter.Mode mode) throws IOException {
    return new Builder<>(file, parquetSchema, footer, rows).withConf(conf).withWriteMode(mode)
        .withCompressionCodec(CompressionCodecName.SNAPPY).build();
  }

  private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
    private final MessageType schema;
    private final Map<String, String> footer;
    private final RowWriter<T> rows;

    Builder(OutputFile file, MessageType schema, Map<String, String> footer, RowWriter<T> rows) {
      super(file);
      this.schema = schema;
      this.footer = footer;
      this.rows = rows;
    }

    @Override
    protected Builder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
      return new WriteSupport<>() {
        private RecordConsumer consumer;

        @Override
        public WriteContext init(Configuration configuration) {
          return new WriteContext(schema, footer);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
          consumer = recordConsumer;
        }

        @Override
        public void write(T row) {
          consumer.startMessage();
          rows.write(row, consumer);
          consumer.endMessage();
        }
      };
    }
  }
}
