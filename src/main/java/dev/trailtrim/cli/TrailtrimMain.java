package dev.trailtrim.cli;

import dev.trailtrim.aggregate.SparkSerialization;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.io.HadoopFiles;
import java.io.IOException;
import java.time.Clock;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The job's entry point for spark-submit. Exit codes: 0 the run completed (rejected input is
 * counted in summary.json, not fatal), 1 the run failed, 2 the command line is wrong.
 */
public final class TrailtrimMain {

  private TrailtrimMain() {}

  public static void main(String[] args) {
    int code = run(args);
    // Returning normally on success lets YARN cluster mode report SUCCEEDED; an explicit exit(0)
    // would race Spark's ApplicationMaster and be recorded as a failed attempt.
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    CommandLine.Parsed parsed;
    try {
      parsed = CommandLine.parse(args);
    } catch (CommandLine.UsageException e) {
      System.err.println("trailtrim: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      return 2;
    }
    if (parsed.help()) {
      System.out.println(CommandLine.USAGE);
      return 0;
    }
    JobConfig config;
    try {
      // Validated before Spark starts, so a wrong flag costs no cluster time. The default Hadoop
      // configuration reads the cluster's core-site.xml, so --config may be on s3:// too.
      String configText = parsed.configFile() == null ? null
          : HadoopFiles.readString(new Configuration(), parsed.configFile());
      config = JobConfigLoader.load(parsed.flags(), configText, Clock.systemUTC());
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("trailtrim: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      return 2;
    }
    SparkSession spark = SparkSerialization.configure(SparkSession.builder().appName("trailtrim")).getOrCreate();
    try {
      TrailtrimJob.Outcome outcome = new TrailtrimJob(spark, config, System.out::println).run();
      System.out.println("trailtrim: results in " + outcome.runLocation());
      return 0;
    } catch (RuntimeException | IOException e) {
      System.err.println("trailtrim: run failed: " + e);
      e.printStackTrace(System.err);
      return 1;
    } finally {
      spark.stop();
    }
  }
}
