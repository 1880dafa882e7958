package dev.trailtrim.cli;

import dev.trailtrim.aggregate.SparkSerialization;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.OutputLock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The job's entry point for spark-submit. Exit codes, for schedulers:
 * <ul>
 *   <li>{@value #COMPLETE}: the run completed (rejected input is counted in summary.json, not fatal);
 *   <li>{@value #FAILED}: the run failed, or another run holds the output; {@code latest.json} not moved;
 *   <li>{@value #USAGE}: the command line or what it names is wrong (a missing snapshot, an output that
 *       is a file, a complete run's id); running it again fails the same way;
 *   <li>{@value #NO_RECORDS}: the run read no records in its window; nothing is kept and
 *       {@code latest.json} not moved.
 * </ul>
 * Errors are one line on stderr; {@code --debug} adds the stack trace.
 */
public final class TrailtrimMain {

  static final int COMPLETE = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NO_RECORDS = 3;

  private TrailtrimMain() {}

  public static void main(String[] args) {
    int code = run(args);
    // Returning normally on success lets YARN cluster mode report SUCCEEDED; an explicit exit(0)
    // would race Spark's ApplicationMaster and be recorded as a failed attempt.
    if (code != COMPLETE) {
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
      return USAGE;
    }
    if (parsed.help()) {
      System.out.println(CommandLine.USAGE);
      return COMPLETE;
    }
    if (parsed.version()) {
      System.out.println("trailtrim " + version());
      return COMPLETE;
    }
    JobConfig config;
    try {
      // Validated before Spark starts, so a wrong flag costs no cluster time. The default Hadoop
      // configuration reads the cluster's core-site.xml, so --config may be on s3:// too.
      String configText = parsed.configFile() == null ? null
          : HadoopFiles.readString(new Configuration(), parsed.configFile());
      config = JobConfigLoader.load(parsed.flags(), configText, Clock.systemUTC());
    } catch (IllegalArgumentException | IOException e) {
      error(e.getMessage(), e, parsed.debug());
      System.err.println(CommandLine.USAGE);
      return USAGE;
    }
    // A session that exists already (a notebook, a test) belongs to its owner: only stop our own.
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSerialization.configure(SparkSession.builder().appName("trailtrim")).getOrCreate();
    try {
      TrailtrimJob.Outcome outcome = new TrailtrimJob(spark, config, System.out::println).run();
      if (outcome.status() == TrailtrimJob.Status.NO_RECORDS) {
        return NO_RECORDS; // the job logged why
      }
      System.out.println("trailtrim: results in " + outcome.runLocation());
      return COMPLETE;
    } catch (OutputLock.HeldException e) {
      error(e.getMessage(), e, parsed.debug());
      return FAILED;
    } catch (IllegalArgumentException e) {
      // What the flags name is wrong (a missing snapshot or log folder, an output that is a file,
      // a complete run's id): the message names it and the fix.
      error(e.getMessage(), e, parsed.debug());
      return USAGE;
    } catch (Exception e) {
      // Any other failure, a Spark job's too (SparkException is checked, and undeclared): exit 1, said so.
      System.err.println("trailtrim: run failed: " + e);
      e.printStackTrace(System.err);
      return FAILED;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  private static void error(String message, Exception e, boolean debug) {
    System.err.println("trailtrim: " + message);
    if (debug) {
      e.printStackTrace(System.err);
    }
  }

  /** The project version Maven wrote into the jar (version.properties), or "unknown" outside a build. */
  static String version() {
    try (InputStream in = TrailtrimMain.class.getResourceAsStream("/dev/trailtrim/version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version", "");
        if (!version.isBlank() && !version.startsWith("${")) {
          return version;
        }
      }
    } catch (IOException e) {
      // Fall through to the manifest.
    }
    String fromManifest = TrailtrimMain.class.getPackage().getImplementationVersion();
    return fromManifest != null ? fromManifest : "unknown";
  }
}
