package dev.trailtrim.tools.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark job a user would write first: {@code spark.read.json} over the trail's day folders
 * with the schema inferred (which reads every file once more), {@code explode(Records)}, then
 * calls per (role, eventSource, eventName). Spark's defaults otherwise (adaptive execution,
 * 200 shuffle partitions, 128 MB / 4 MB-open-cost file packing).
 *
 * <p>Usage: {@code NaiveJsonBench --corpus DIR --cores N}
 */
public final class NaiveJsonBench {

  private NaiveJsonBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("naive-inferred", args);
    measure(run, null);
  }

  /** Runs the query with {@code schema}, or with an inferred one when it is null. */
  static void measure(BenchRun run, StructType schema) {
    // try/finally, not try-with-resources: Spark 4's SparkSession.close() throws IOException, 3.5's does not.
    SparkSession spark = run.spark();
    try {
      run.startPhase();
      DataFrameReader reader = spark.read();
      if (schema != null) {
        reader = reader.schema(schema);
      }
      // Every account, region and day folder, as a user globs a trail's prefix.
      Dataset<Row> files = reader.json(run.corpus.awsLogs() + "/*/CloudTrail/*/*/*/*");
      long inferred = System.nanoTime();
      List<Row> rows = files.select(explode(col("Records")).as("r"))
          .groupBy(col("r.userIdentity.sessionContext.sessionIssuer.arn").as("role"),
              col("r.eventSource").as("eventSource"), col("r.eventName").as("eventName"))
          .count()
          .collectAsList();
      long records = 0;
      for (Row row : rows) {
        records += row.getLong(3);
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("schema_s", BenchRun.fmt((inferred - run.phaseStartNanos()) / 1e9));
      extra.put("groups", rows.size());
      extra.put("input_partitions", files.rdd().getNumPartitions());
      run.finish(records, extra);
    } finally {
      spark.stop();
    }
  }
}
