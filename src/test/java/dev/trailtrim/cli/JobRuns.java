package dev.trailtrim.cli;

import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** Runs the real job on the shared local Spark session, and reads what it wrote. */
final class JobRuns {

  static final String SAMPLE_FROM = "2026-11-01";
  static final String SAMPLE_TO = "2026-11-05";

  private JobRuns() {}

  static Path projectDir() {
    return Path.of(System.getProperty("trailtrim.project.dir", "."));
  }

  static Path sampleLogs() {
    return projectDir().resolve("sample-logs");
  }

  static TrailtrimJob.Outcome run(SparkSession spark, List<String> cloudTrail, List<String> snapshots, String output,
      String runId) throws IOException {
    return run(spark, cloudTrail, snapshots, output, runId, sampleConfig());
  }

  /** sample-logs/trail-config: what the sample trails record, as scripts/run-local.sh passes it. */
  static List<String> sampleTrails() {
    return List.of(sampleLogs().resolve("trail-config").toString());
  }

  /** sample-logs/lambda-inventory: the sample's functions, as scripts/run-local.sh passes it. */
  static List<String> sampleInventory() {
    return List.of(sampleLogs().resolve("lambda-inventory").toString());
  }

  /** conf/sample-run.properties, as scripts/run-local.sh passes it. */
  static String sampleConfig() {
    try {
      return Files.readString(projectDir().resolve("conf/sample-run.properties"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** With no snapshots, the run reads IAM live, from the endpoint that {@code configText} names. */
  static TrailtrimJob.Outcome run(SparkSession spark, List<String> cloudTrail, List<String> snapshots, String output,
      String runId, String configText) throws IOException {
    return run(spark, cloudTrail, snapshots, sampleInventory(), output, runId, configText);
  }

  /** As above, with the Lambda inventory at {@code inventories}. */
  static TrailtrimJob.Outcome run(SparkSession spark, List<String> cloudTrail, List<String> snapshots,
      List<String> inventories, String output, String runId, String configText) throws IOException {
    JobConfig config = JobConfigLoader.load(new JobConfigLoader.Flags(cloudTrail, snapshots, snapshots.isEmpty(),
        output, SAMPLE_FROM, SAMPLE_TO, null, runId, null, false, sampleTrails(), false, inventories, false),
        configText,
        Clock.systemUTC());
    return new TrailtrimJob(spark, config, line -> System.out.println("[job] " + line)).run();
  }

  /** A run on the sample logs as of {@code clock}, over {@code from..to}. */
  static TrailtrimJob.Outcome runOnSamples(Path output, String runId, String from, String to, boolean rebuild,
      Clock clock) throws IOException {
    JobConfig config = JobConfigLoader.load(new JobConfigLoader.Flags(
        List.of(sampleLogs().resolve("cloudtrail").toString()), List.of(sampleLogs().resolve("iam").toString()), false,
        output.toString(), from, to, null, runId, null, rebuild, sampleTrails(), false, sampleInventory(), false),
        sampleConfig(), clock);
    return new TrailtrimJob(SparkTestSession.get(), config, line -> System.out.println("[job] " + line), clock).run();
  }

  static TrailtrimJob.Outcome runOnSamples(Path output, String runId) throws IOException {
    return run(SparkTestSession.get(), List.of(sampleLogs().resolve("cloudtrail").toString()),
        List.of(sampleLogs().resolve("iam").toString()), output.toString(), runId);
  }

  /**
   * A finished run of the sample that several classes read.
   *
   * @param output the run's {@code --output}
   * @param runDir its run folder, {@code output/runs/sample}
   */
  record SharedRun(TrailtrimJob.Outcome outcome, Path output, Path runDir) {}

  /**
   * Made on first use only: child JVMs load this class too, and one killed with SIGKILL runs no
   * shutdown hook that could delete an empty folder.
   */
  private static final class SharedRuns {
    static final Path FOLDER = sharedRunsFolder();
  }
  private static SharedRun sampleRun;
  private static SharedRun sampleRerun;
  private static SharedRun sampleRunWithoutInventory;

  /**
   * {@link #runOnSamples(Path, String)} with run id {@code sample}, once per test JVM: the classes
   * that only read what the plain sample run wrote share it instead of paying a run each. Read it,
   * never write into its output.
   */
  static synchronized SharedRun sampleRun() throws IOException {
    if (sampleRun == null) {
      sampleRun = sharedRun("first");
    }
    return sampleRun;
  }

  /** The identical run again into another output, once per test JVM: what determinism is checked against. */
  static synchronized SharedRun sampleRerun() throws IOException {
    sampleRun();
    if (sampleRerun == null) {
      sampleRerun = sharedRun("second");
    }
    return sampleRerun;
  }

  /**
   * The plain sample run but without the Lambda inventory (the functions inferred from the logs), once per
   * test JVM; read-only, as {@link #sampleRun()}.
   */
  static synchronized SharedRun sampleRunWithoutInventory() throws IOException {
    if (sampleRunWithoutInventory == null) {
      Path output = SharedRuns.FOLDER.resolve("without-inventory");
      TrailtrimJob.Outcome outcome = run(SparkTestSession.get(), List.of(sampleLogs().resolve("cloudtrail").toString()),
          List.of(sampleLogs().resolve("iam").toString()), List.of(), output.toString(), "sample", sampleConfig());
      sampleRunWithoutInventory = new SharedRun(outcome, output, output.resolve("runs/sample"));
    }
    return sampleRunWithoutInventory;
  }

  private static SharedRun sharedRun(String name) throws IOException {
    Path output = SharedRuns.FOLDER.resolve(name);
    TrailtrimJob.Outcome outcome = runOnSamples(output, "sample");
    return new SharedRun(outcome, output, output.resolve("runs/sample"));
  }

  /** A new folder for this JVM's shared runs, deleted when the JVM ends. */
  private static Path sharedRunsFolder() {
    try {
      Path target = projectDir().resolve("target");
      Files.createDirectories(target);
      Path folder = Files.createTempDirectory(target, "shared-sample-runs");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(folder), "shared-sample-runs-delete"));
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("Cannot delete " + folder + ": " + e);
    }
  }

  /** Every file under {@code dir} by relative path, as text ({@link #content}). */
  static Map<String, String> files(Path dir) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String path = dir.relativize(file).toString();
        files.put(path, content(path, Files.readAllBytes(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** report.html's section of what changed since the previous run. */
  private static final Pattern CHANGES_SECTION = Pattern.compile("<section class=\"changes\".*?</section>\n",
      Pattern.DOTALL);

  /**
   * A run's files without what depends on the run before it (changes.json, the changes table, the
   * {@code changes} block of summary.json and report.html's changes section): for comparing the
   * runs of outputs with different histories, e.g. a night that read from the state with a first run.
   */
  static Map<String, String> withoutChanges(Map<String, String> files) {
    Map<String, String> copy = new TreeMap<>(files);
    copy.remove("changes.json");
    copy.keySet().removeIf(path -> path.startsWith("tables/changes/"));
    copy.computeIfPresent("report.html", (path, html) -> CHANGES_SECTION.matcher(html).replaceFirst(""));
    copy.computeIfPresent("summary.json", (path, json) -> {
      try {
        com.fasterxml.jackson.databind.node.ObjectNode summary =
            (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json);
        summary.remove("changes");
        return dev.trailtrim.policy.CanonicalJson.write(summary);
      } catch (IOException e) {
        throw new UncheckedIOException("summary.json is not JSON", e);
      }
    });
    return copy;
  }

  /** Where report.html names its run: runs of the same input under other ids are otherwise byte-identical. */
  private static final Pattern RUN_ID_IN_PAGE = Pattern.compile("(<title>trailtrim report: run |Run <b>)[^<]*(<)");

  /**
   * A file's content as comparable text: the text itself, or for the binary Parquet tables their
   * size and SHA-256, so equal text means equal bytes; report.html with its run id as RUN-ID.
   */
  static String content(String path, byte[] bytes) {
    if (path.equals("report.html")) {
      return RUN_ID_IN_PAGE.matcher(new String(bytes, StandardCharsets.UTF_8)).replaceAll("$1RUN-ID$2");
    }
    if (!path.endsWith(".parquet")) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    try {
      return "Parquet, " + bytes.length + " bytes, SHA-256 "
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * report.html without the parts that show what was read (the estate's figures, the run's
   * files, records and inputs): its overview and role sections, which must not change with them.
   */
  static String reportRoles(String html) {
    int start = html.indexOf("<table id=\"overview\"");
    int end = html.indexOf("<section class=\"run-summary\"");
    if (start < 0 || end < start) {
      throw new AssertionError("report.html has no overview and run summary: " + html);
    }
    return html.substring(start, end);
  }

  /** A copy of a folder tree, e.g. of the sample logs to put holes or bad files into. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.sorted().toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  /** {@code text} gzip'd, as CloudTrail delivers its files. */
  static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
