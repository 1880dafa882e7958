package dev.trailtrim.testing;

import dev.trailtrim.aggregate.SparkSerialization;

import java.nio.file.Path;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of the test JVM: the first job pays a 7-9 s warm-up, so every Spark
 * test class shares it. Started on first use, stopped by a shutdown hook; never stop it in a test.
 */
public final class SparkTestSession {

  private static volatile SparkSession session;

  private SparkTestSession() {
  }

  public static SparkSession get() {
    SparkSession current = session;
    if (current == null) {
      synchronized (SparkTestSession.class) {
        current = session;
        if (current == null) {
          current = create();
          SparkSession started = current;
          Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "spark-test-session-stop"));
          session = current;
        }
      }
    }
    return current;
  }

  /**
   * Points the session's Hadoop configuration at {@code server} for {@code s3a://} and {@code s3://}.
   * S3A file systems already cached for a bucket keep their old endpoint: use fresh bucket names.
   */
  public static SparkSession withS3(S3ProxyServer server) {
    SparkSession spark = get();
    server.applyTo(spark.sparkContext().hadoopConfiguration());
    return spark;
  }

  private static SparkSession create() {
    Path target = S3ProxyServer.targetDir().toAbsolutePath();
    return SparkSerialization.configure(SparkSession.builder())
        .master("local[2]")
        .appName("trailtrim-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", target.resolve("spark-warehouse").toUri().toString())
        .config("spark.local.dir", target.resolve("spark-local").toString())
        .getOrCreate();
  }
}
