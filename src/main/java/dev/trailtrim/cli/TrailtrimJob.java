package dev.trailtrim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.aggregate.UsageWindow;
import dev.trailtrim.aggregate.WindowReader;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.drift.RunState;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.ingest.CoverageMap;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.InputPlanner;
import dev.trailtrim.inventory.FunctionFinding;
import dev.trailtrim.io.GrantsLoader;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.OutputLock;
import dev.trailtrim.io.PreviousRun;
import dev.trailtrim.io.RunWriter;
import dev.trailtrim.model.Counters;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.report.CoverageReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One run, start to finish: plan the input, aggregate usage in Spark, then per Lambda role diff
 * it against the grants and write the suggested policy and reports. A thin driver: each step
 * is a call into the package that owns it.
 */
public final class TrailtrimJob {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a finished run tells its caller.
   *
   * @param filesReadNow files this run read (the rest of the window came from the state)
   * @param status       whether the run was committed, or had no records to report on
   */
  public record Outcome(String runId, String runLocation, List<String> roleLines, JsonNode summary,
      int filesReadNow, Status status) {}

  /** How a run that did not fail ended. */
  public enum Status {
    /** Committed: {@code _SUCCESS} written, {@code latest.json} names it. */
    COMPLETE,
    /** The window held no records: the run folder is removed and {@code latest.json} not moved. */
    NO_RECORDS
  }

  private final SparkSession spark;
  private final JobConfig config;
  private final Consumer<String> log;
  private final Clock clock;

  public TrailtrimJob(SparkSession spark, JobConfig config, Consumer<String> log) {
    this(spark, config, log, Clock.systemUTC());
  }

  /** @param clock decides which delivery days are complete enough to store */
  public TrailtrimJob(SparkSession spark, JobConfig config, Consumer<String> log, Clock clock) {
    this.spark = spark;
    this.config = config;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Runs while holding the output (and a state location outside it): a second run on the same
   * output fails at once instead of mixing its files into this one's. Released whatever happens,
   * after {@code latest.json}.
   */
  public Outcome run() throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<String> locked = new ArrayList<>(List.of(config.output()));
    if (config.stateLocation() != null && !isInside(config.stateLocation(), config.output())) {
      locked.add(config.stateLocation());
    }
    try (OutputLock lock = OutputLock.acquire(hadoop, locked, OutputLock.Holder.thisProcess(config.runId(),
        Instant.now()), Duration.ofHours(config.lockMaxAgeHours()), log)) {
      return runHoldingTheLock(hadoop);
    }
  }

  private static boolean isInside(String location, String folder) {
    String parent = HadoopFiles.toPath(folder).toString().replaceAll("/+$", "") + "/";
    return (HadoopFiles.toPath(location).toString() + "/").startsWith(parent);
  }

  private Outcome runHoldingTheLock(Configuration hadoop) throws IOException {
    Instant started = Instant.now();
    IamCatalog catalog = IamCatalog.loadDefault();
    // The Spark and Scala versions: one jar per EMR generation (EMR 7: Spark 3.5, EMR 8: Spark 4.0).
    log.accept(String.format("trailtrim: run %s on Spark %s (Scala %s), window %s..%s (%d days), IAM catalog %s of %s"
        + " (%d actions)", config.runId(), spark.version(), scala.util.Properties.versionNumberString(),
        config.window().from(), config.window().to(), config.window().days(), catalog.source(),
        catalog.generatedOn(), catalog.actionCount()));
    // Closed before the lock is let go: a failing run leaves no write still landing.
    try (RunWriter writer = new RunWriter(hadoop, config.output(), config.runId())) {
      return runWriting(hadoop, started, catalog, writer);
    }
  }

  private Outcome runWriting(Configuration hadoop, Instant started, IamCatalog catalog, RunWriter writer)
      throws IOException {
    // Read before this run's commit moves latest.json: what tonight is compared with.
    PreviousRun previous = PreviousRun.read(hadoop, config.output(), RunState.PATH);

    GrantSnapshot grants = config.iamLive() ? GrantsLoader.readLive(config.iamEndpoint(), writer)
        : GrantsLoader.load(hadoop, config.iamSnapshots(), log);
    log.accept(String.format("trailtrim: IAM %s: %d roles, %d trust lambda.amazonaws.com",
        config.iamLive() ? "API (snapshot kept as iam-snapshot.json)" : "snapshot", grants.roles().size(),
        grants.roles().stream().filter(RoleGrants::trustsLambda).count()));

    StepTimes steps = new StepTimes(started);
    steps.end("catalog and IAM");
    InputPlanner.Plan plan = new InputPlanner(hadoop, config.window(), config.lateArrivalDays(),
        config.plannerThreads()).plan(config.cloudTrailRoots());
    plan.notes().forEach(note -> log.accept("trailtrim: note: " + note));
    log.accept(String.format("trailtrim: planned %d files in %d region folders (%d prefixes listed)",
        plan.files().size(), plan.stats().counter(Counters.REGIONS_PLANNED),
        plan.stats().counter(Counters.PREFIXES_LISTED)));

    steps.end("plan");
    WindowReader.Read read = WindowReader.read(spark, config, plan.files(), catalog, grants, clock, log);
    steps.end("read");
    UsageWindow.View usage = read.usage();
    IngestStats stats = plan.stats().merge(usage.stats());
    log.accept(String.format("trailtrim: the window holds %d files, %d records, %d files rejected, %d roles seen%s",
        stats.counter(Counters.FILES_READ) + sumWithPrefix(stats, Counters.FILES_REJECTED),
        stats.counter(Counters.RECORDS_READ), sumWithPrefix(stats, Counters.FILES_REJECTED), stats.roles().size(),
        stats.counter(Counters.RECORDS_DUPLICATE) == 0 ? "" : String.format("; %d records repeat an event read"
            + " already and are counted once", stats.counter(Counters.RECORDS_DUPLICATE))));
    if (stats.counter(Counters.RECORDS_READ) == 0) {
      return noRecords(hadoop, writer, stats, read.filesReadNow());
    }

    LogCoverage coverage = CoverageMap.build(plan.files(), stats, config.window());
    CoverageReport.lines(coverage).forEach(line -> log.accept("trailtrim: " + line));

    LogObservability observability = LogObservability.create(catalog, stats.dataEventResources(),
        config.dataEventsLoggedForAllResources());
    TrailConfiguration trails = TrailConfiguration.load(config, hadoop, writer, stats.trailChanges());
    trails.lines().forEach(line -> log.accept("trailtrim: " + line));
    LambdaInventory functions = LambdaInventory.load(config, hadoop, writer, coverage);
    functions.lines().forEach(line -> log.accept("trailtrim: " + line));
    steps.end("evidence");
    RoleStep.RoleSummary roles = new RoleStep(config, catalog, writer, log).run(grants, usage.usageByRole(),
        usage.usageByFunction(), stats, observability, coverage, trails, functions.inventory());
    steps.end("roles");
    List<FunctionFinding> functionFindings = functions.findings(roles.findings, grants, log);
    ObjectNode summary = new RunFiles(config, writer, log).write(previous, new RunFiles.RunResults(
        plan.notes(), catalog, grants, stats, usage, coverage, trails, functions, functionFindings, roles));
    steps.end("reports");
    Instant finished = Instant.now();
    writer.commit(started, finished);
    List<String> deleted = writer.deleteOldRuns(config.runsToKeep());
    if (!deleted.isEmpty()) {
      log.accept("trailtrim: deleted " + deleted.size() + " runs beyond the newest " + config.runsToKeep() + ": "
          + String.join(", ", deleted));
    }
    steps.end("commit");
    log.accept(String.format("trailtrim: run %s complete in %s: %d roles, %d files written", config.runId(), steps,
        roles.lines.size(), writer.filesWritten()));
    return new Outcome(config.runId(), writer.runLocation(), roles.lines, summary, read.filesReadNow(),
        Status.COMPLETE);
  }

  /**
   * A window without a single record (the logs are not where --cloudtrail points, not delivered
   * yet, or all rejected) would suggest removing every permission: nothing is committed, and the
   * log says why.
   */
  private Outcome noRecords(Configuration hadoop, RunWriter writer, IngestStats stats, int filesReadNow)
      throws IOException {
    writer.discard();
    Path latest = new Path(HadoopFiles.toPath(config.output()), "latest.json");
    String previous = latest.getFileSystem(hadoop).exists(latest)
        ? "still names run " + JSON.readTree(HadoopFiles.readString(hadoop, latest.toString())).path("runId").asText()
        : "not written (no complete run yet)";
    log.accept(String.format("trailtrim: no records in the window %s..%s (%d files planned, %d read, %d rejected):"
        + " check --cloudtrail and the window; run %s removed, latest.json %s", config.window().from(),
        config.window().to(), stats.counter(Counters.FILES_PLANNED), stats.counter(Counters.FILES_READ),
        sumWithPrefix(stats, Counters.FILES_REJECTED), config.runId(), previous));
    return new Outcome(config.runId(), writer.runLocation(), List.of(), null, filesReadNow, Status.NO_RECORDS);
  }

  private static long sumWithPrefix(IngestStats stats, String prefix) {
    return Counters.sumWithPrefix(stats.counters(), prefix);
  }

  /** Where a run's time went, step by step, for its last log line: a night's cost is mostly not the read. */
  static final class StepTimes {
    private final StringBuilder text = new StringBuilder();
    private final Instant started;
    private Instant last;

    StepTimes(Instant started) {
      this.started = started;
      last = started;
    }

    /** Ends the step named, timed from the end of the one before. */
    void end(String step) {
      Instant now = Instant.now();
      text.append(text.length() == 0 ? "" : ", ").append(step).append(' ').append(seconds(last, now));
      last = now;
    }

    /** The whole, then each step: {@code 29.8 s (catalog and IAM 0.3 s, plan 0.5 s, ...)}. */
    @Override
    public String toString() {
      return seconds(started, last) + " (" + text + ")";
    }

    private static String seconds(Instant from, Instant to) {
      return String.format(java.util.Locale.ROOT, "%.1f s", (to.toEpochMilli() - from.toEpochMilli()) / 1000.0);
    }
  }
}
