package dev.trailtrim.aggregate;

import dev.trailtrim.io.SerializableConfiguration;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The state's usage rows of a folder day as one Parquet file, written by the task that holds the
 * day's rows straight into the store's attempt folder, with parquet-java: no output committer, no
 * temporary folder and no renames (copies on S3). The day's JSON, written after, is the commit:
 * it names the file, and only named files are read, so a file of a failed or duplicate task
 * attempt is never read. The columns are {@link UsageRow}'s as Spark's bean encoder gives them
 * (the loader reads with that schema).
 */
final class UsageRowFiles {

  /** UsageRow's columns in the bean encoder's order (by name): strings may be null, numbers not. */
  static final MessageType SCHEMA = new MessageType("spark_schema",
      text("action"), Types.required(PrimitiveTypeName.INT64).named("count"), text("errorCode"), text("eventDay"),
      Types.required(PrimitiveTypeName.INT64).named("firstSeen"), text("folderDay"), text("function"),
      Types.required(PrimitiveTypeName.INT64).named("lastSeen"), text("resource"), text("roleArn"));

  private UsageRowFiles() {}

  private static org.apache.parquet.schema.Type text(String name) {
    return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
  }

  /** Each folder day's rows to a partition of its own: one task, and one file, per day. */
  static final class ByDay extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final List<String> days;

    ByDay(List<String> days) {
      this.days = List.copyOf(days);
    }

    @Override
    public int numPartitions() {
      return days.size();
    }

    @Override
    public int getPartition(Object day) {
      int index = days.indexOf(day);
      if (index < 0) {
        throw new IllegalArgumentException("Folder day " + day + " is not one of the days stored: " + days);
      }
      return index;
    }

    String day(int partition) {
      return days.get(partition);
    }
  }

  /**
   * The task of one day: writes its rows to {@code <attempt>/day=<day>/part-<partition>-<task attempt>.snappy.parquet}
   * and yields (day, file name); a day without rows writes nothing and yields nothing.
   */
  static final class WriteDay
      implements Function2<Integer, Iterator<Tuple2<String, UsageRow>>, Iterator<Tuple2<String, String>>> {
    private static final long serialVersionUID = 1L;
    private final ByDay days;
    private final String attemptDir;
    private final Map<String, String> footer;
    private final Broadcast<SerializableConfiguration> conf;

    WriteDay(ByDay days, String attemptDir, Map<String, String> footer, Broadcast<SerializableConfiguration> conf) {
      this.days = days;
      this.attemptDir = attemptDir;
      this.footer = footer;
      this.conf = conf;
    }

    @Override
    public Iterator<Tuple2<String, String>> call(Integer partition, Iterator<Tuple2<String, UsageRow>> rows)
        throws IOException {
      if (!rows.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      String day = days.day(partition);
      TaskContext task = TaskContext.get();
      String name = String.format("part-%05d-%d.snappy.parquet", partition, task == null ? 0 : task.taskAttemptId());
      Configuration hadoop = conf.value().get();
      Path file = new Path(new Path(attemptDir, ParquetDayStateStore.DAY_FOLDER + "=" + day), name);
      try (ParquetWriter<UsageRow> writer = new Builder(HadoopOutputFile.fromPath(file, hadoop), footer)
          .withConf(hadoop).withWriteMode(ParquetFileWriter.Mode.CREATE)
          .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
        while (rows.hasNext()) {
          Tuple2<String, UsageRow> row = rows.next();
          if (!row._1().equals(day)) {
            throw new IllegalStateException("A row of folder day " + row._1() + " reached the task of " + day);
          }
          writer.write(row._2());
        }
      }
      return List.of(new Tuple2<>(day, name)).iterator();
    }
  }

  private static final class Builder extends ParquetWriter.Builder<UsageRow, Builder> {
    private final Map<String, String> footer;

    Builder(OutputFile file, Map<String, String> footer) {
      super(file);
      this.footer = footer;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<UsageRow> getWriteSupport(Configuration conf) {
      return new RowSupport(footer);
    }
  }

  /** Writes a row's fields as Spark's writer does: a null string is a field left out. */
  private static final class RowSupport extends WriteSupport<UsageRow> {
    private final Map<String, String> footer;
    private RecordConsumer consumer;

    RowSupport(Map<String, String> footer) {
      this.footer = footer;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, footer);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(UsageRow row) {
      consumer.startMessage();
      text(0, "action", row.getAction());
      number(1, "count", row.getCount());
      text(2, "errorCode", row.getErrorCode());
      text(3, "eventDay", row.getEventDay());
      number(4, "firstSeen", row.getFirstSeen());
      text(5, "folderDay", row.getFolderDay());
      text(6, "function", row.getFunction());
      number(7, "lastSeen", row.getLastSeen());
      text(8, "resource", row.getResource());
      text(9, "roleArn", row.getRoleArn());
      consumer.endMessage();
    }

    private void text(int index, String name, String value) {
      if (value != null) {
        consumer.startField(name, index);
        consumer.addBinary(Binary.fromString(value));
        consumer.endField(name, index);
      }
    }

    private void number(int index, String name, long value) {
      consumer.startField(name, index);
      consumer.addLong(value);
      consumer.endField(name, index);
    }
  }
}
