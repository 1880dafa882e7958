package dev.trailtrim.io;

import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * The footer keys Spark's Parquet writer puts in every file (ParquetWriteSupport) and its reader
 * looks for (ParquetReadSupport), for files trailtrim writes with parquet-java itself: with them,
 * Spark takes the exact column types from the file and treats its times as written by a Spark of
 * this version (proleptic Gregorian, no rebasing).
 */
public final class SparkParquetFooter {

  private static final String VERSION_KEY = "org.apache.spark.version";
  private static final String SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  /** The Spark the job runs on, as its writer names itself (3.5.6 for 3.5.6-amzn-0 too). */
  private static final String SPARK_VERSION = org.apache.spark.package$.MODULE$.SPARK_VERSION_SHORT();

  private SparkParquetFooter() {}

  /** The key-value metadata Spark's writer gives a file of rows of {@code schema}. */
  public static Map<String, String> of(StructType schema) {
    return Map.of(VERSION_KEY, SPARK_VERSION, SCHEMA_KEY, schema.json());
  }
}
