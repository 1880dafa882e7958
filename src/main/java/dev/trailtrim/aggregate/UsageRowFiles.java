package dev.trailtrim.aggregate;

import dev.trailtrim.io.SerializableConfiguration;
import dev.trailtrim.io.SparkParquet;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.types.StructType;
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

  /** UsageRow's columns as Spark's bean encoder gives them (by name; strings nullable, numbers not). */
  static final StructType SPARK_SCHEMA = Encoders.bean(UsageRow.class).schema();
  /** The same columns in Parquet, as Spark's writer gives them: {@link #writeRow} writes them in this order. */
  static final MessageType SCHEMA = SparkParquet.messageType(SPARK_SCHEMA);
  /** The footer Spark's writer gives such a file. */
  private static final Map<String, String> FOOTER = SparkParquet.footer(SPARK_SCHEMA);

  private UsageRowFiles() {}

  /** Each folder day's rows to a partition of its own: one task, and one file, per day. */
  static final class ByDay extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final List<String> days;
    private final Map<String, Integer> partitions = new HashMap<>();

    ByDay(List<String> days) {
      this.days = List.copyOf(days);
      for (int i = 0; i < this.days.size(); i++) {
        partitions.put(this.days.get(i), i);
      }
    }

    @Override
    public int numPartitions() {
      return days.size();
    }

    @Override
    public int getPartition(Object day) {
      Integer partition = partitions.get(day);
      if (partition == null) {
        throw new IllegalArgumentException("Folder day " + day + " is not one of the days stored: " + days);
      }
      return partition;
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
    private final Broadcast<SerializableConfiguration> conf;

    WriteDay(ByDay days, String attemptDir, Broadcast<SerializableConfiguration> conf) {
      this.days = days;
      this.attemptDir = attemptDir;
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
      String name = String.format(Locale.ROOT, "part-%05d-%d.snappy.parquet", partition,
          task == null ? 0 : task.taskAttemptId());
      Configuration hadoop = conf.value().get();
      Path file = new Path(new Path(attemptDir, ParquetDayStateStore.DAY_FOLDER + "=" + day), name);
      try (ParquetWriter<UsageRow> writer = SparkParquet.writer(HadoopOutputFile.fromPath(file, hadoop), SCHEMA, FOOTER,
          UsageRowFiles::writeRow, hadoop, ParquetFileWriter.Mode.CREATE)) {
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

  /** A row's fields in {@link #SCHEMA}'s order: a null string is a field left out. */
  private static void writeRow(UsageRow row, RecordConsumer out) {
    text(out, 0, "action", row.getAction());
    number(out, 1, "count", row.getCount());
    text(out, 2, "errorCode", row.getErrorCode());
    text(out, 3, "eventDay", row.getEventDay());
    number(out, 4, "firstSeen", row.getFirstSeen());
    text(out, 5, "folderDay", row.getFolderDay());
    text(out, 6, "function", row.getFunction());
    number(out, 7, "lastSeen", row.getLastSeen());
    text(out, 8, "resource", row.getResource());
    text(out, 9, "roleArn", row.getRoleArn());
  }

  private static void text(RecordConsumer out, int index, String name, String value) {
    if (value != null) {
      out.startField(name, index);
      out.addBinary(Binary.fromString(value));
      out.endField(name, index);
    }
  }

  private static void number(RecordConsumer out, int index, String name, long value) {
    out.startField(name, index);
    out.addLong(value);
    out.endField(name, index);
  }
}
