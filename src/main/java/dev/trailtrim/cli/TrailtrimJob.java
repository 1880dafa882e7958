package dev.trailtrim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.aggregate.DayStateStore;
import dev.trailtrim.aggregate.ParquetDayStateStore;
import dev.trailtrim.aggregate.UsagePipeline;
import dev.trailtrim.aggregate.UsageWindow;
import dev.trailtrim.aggregate.WindowAggregation;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.LogEvidence;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.catalog.DataEventResource;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.grants.SnapshotFiles;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.IngestStats.RejectSample;
import dev.trailtrim.ingest.IngestStats.RoleEvidence;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.CoverageMap;
import dev.trailtrim.ingest.InputPlanner;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.ingest.LambdaRoles;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.LiveIamReader;
import dev.trailtrim.io.OutputLock;
import dev.trailtrim.io.RunWriter;
import dev.trailtrim.model.Counters;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.report.CoverageReport;
import dev.trailtrim.report.ReportTables;
import dev.trailtrim.report.RoleReportJson;
import dev.trailtrim.report.SuggestedPolicyFiles;
import dev.trailtrim.report.UnusedPermissionsCsv;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
  private int filesReadNow;

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
    log.accept(String.format("trailtrim: run %s, window %s..%s (%d days), IAM catalog %s of %s (%d actions)",
        config.runId(), config.window().from(), config.window().to(), config.window().days(), catalog.source(),
        catalog.generatedOn(), catalog.actionCount()));
    RunWriter writer = new RunWriter(hadoop, config.output(), config.runId());

    GrantSnapshot grants = config.iamLive() ? readLiveGrants(writer) : loadGrants(hadoop);
    log.accept(String.format("trailtrim: IAM %s: %d roles, %d trust lambda.amazonaws.com",
        config.iamLive() ? "API (snapshot kept as iam-snapshot.json)" : "snapshot", grants.roles().size(),
        grants.roles().stream().filter(RoleGrants::trustsLambda).count()));

    InputPlanner.Plan plan = new InputPlanner(hadoop, config.window(), config.lateArrivalDays(),
        config.plannerThreads()).plan(config.cloudTrailRoots());
    plan.notes().forEach(note -> log.accept("trailtrim: note: " + note));
    log.accept(String.format("trailtrim: planned %d files in %d region folders (%d prefixes listed)",
        plan.files().size(), plan.stats().counter(Counters.REGIONS_PLANNED), plan.stats().counter(Counters.PREFIXES_LISTED)));

    UsageWindow.View usage = readUsage(plan, catalog, grants);
    IngestStats stats = plan.stats().merge(usage.stats());
    log.accept(String.format("trailtrim: the window holds %d files, %d records, %d files rejected, %d roles seen%s",
        stats.counter(Counters.FILES_READ) + sumWithPrefix(stats, Counters.FILES_REJECTED), stats.counter(Counters.RECORDS_READ),
        sumWithPrefix(stats, Counters.FILES_REJECTED), stats.roles().size(),
        stats.counter(Counters.RECORDS_DUPLICATE) == 0 ? "" : String.format("; %d records repeat an event read"
            + " already and are counted once", stats.counter(Counters.RECORDS_DUPLICATE))));
    if (stats.counter(Counters.RECORDS_READ) == 0) {
      return noRecords(hadoop, writer, stats);
    }

    LogCoverage coverage = CoverageMap.build(plan.files(), stats, config.window());
    CoverageReport.lines(coverage).forEach(line -> log.accept("trailtrim: " + line));

    LogObservability observability = LogObservability.create(catalog, stats.dataEventResources(),
        config.dataEventsLoggedForAllResources());
    TrailConfiguration trails = TrailConfiguration.load(config, hadoop, writer, stats.trailChanges());
    trails.lines().forEach(line -> log.accept("trailtrim: " + line));
    RoleSummary roles = analyzeRoles(catalog, grants, usage.usageByRole(), stats, observability, coverage, trails,
        writer);
    writeRunReports(writer, stats, roles, coverage);

    ObjectNode summary = summary(stats, roles, grants, plan.notes(), catalog, usage);
    summary.set("coverage", CoverageReport.json(coverage));
    summary.set("trailConfiguration", trails.json());
    writer.write("summary.json", CanonicalJson.write(summary));
    Instant finished = Instant.now();
    ObjectNode success = JSON.createObjectNode();
    success.put("runId", config.runId());
    success.put("startedAt", started.toString());
    success.put("finishedAt", finished.toString());
    success.put("filesWritten", writer.filesWritten());
    ObjectNode latest = JSON.createObjectNode();
    latest.put("runId", config.runId());
    latest.put("path", writer.runLocation());
    latest.put("finishedAt", finished.toString());
    writer.commit(CanonicalJson.write(success), CanonicalJson.write(latest));
    List<String> deleted = writer.deleteOldRuns(config.runsToKeep());
    if (!deleted.isEmpty()) {
      log.accept("trailtrim: deleted " + deleted.size() + " runs beyond the newest " + config.runsToKeep() + ": "
          + String.join(", ", deleted));
    }
    log.accept(String.format("trailtrim: run %s complete in %.1f s: %d roles, %d files written",
        config.runId(), (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0, roles.lines.size(),
        writer.filesWritten()));
    return new Outcome(config.runId(), writer.runLocation(), roles.lines, summary, filesReadNow, Status.COMPLETE);
  }

  /**
   * A window without a single record (the logs are not where --cloudtrail points, not delivered
   * yet, or all rejected) would suggest removing every permission: nothing is committed, and the
   * log says why.
   */
  private Outcome noRecords(Configuration hadoop, RunWriter writer, IngestStats stats) throws IOException {
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

  /**
   * The window's usage: the delivery folder days stored by earlier runs come from the state, the
   * rest are read now, and the days now complete are stored for the next run.
   */
  private UsageWindow.View readUsage(InputPlanner.Plan plan, IamCatalog catalog, GrantSnapshot grants)
      throws IOException {
    Map<String, Long> plannedPerDay = new TreeMap<>();
    plan.files().forEach(f -> plannedPerDay.merge(CloudTrailFiles.folderDay(f.uri()), 1L, Long::sum));
    DayStateStore store = config.stateLocation() == null ? null : new ParquetDayStateStore(spark,
        config.stateLocation(), ParquetDayStateStore.fingerprint(catalog.source(), catalog.generatedOn(),
            config.cloudTrailRoots()), config.rejectSamplesPerReason());
    Set<String> fromState = new TreeSet<>();
    if (store != null && !config.rebuild()) {
      // A stored day is used only while its folders hold the files it was made of.
      store.storedDays().forEach((day, files) -> {
        if (!day.isEmpty() && files.equals(plannedPerDay.get(day))) {
          fromState.add(day);
        }
      });
    }
    List<PlannedFile> toRead = plan.files().stream()
        .filter(f -> !fromState.contains(CloudTrailFiles.folderDay(f.uri()))).toList();
    filesReadNow = toRead.size();
    UsagePipeline.Result read = UsagePipeline.run(spark, toRead, new UsagePipeline.Settings(config.maxFileBytes(),
        config.readAheadPerTask(), config.rejectSamplesPerReason(), config.tasksPerCore(), config.maxTaskEntries()));
    Set<String> complete = new TreeSet<>();
    Instant now = clock.instant();
    for (PlannedFile file : toRead) {
      String day = CloudTrailFiles.folderDay(file.uri());
      if (!day.isEmpty() && !LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC)
          .plusHours(config.stateCompleteAfterHours()).toInstant().isAfter(now)) {
        complete.add(day);
      }
    }
    // A file that could not be read (the connection failed, not its content) says nothing about the
    // logs: its day is not stored, so the next run reads it again instead of keeping the hole for good.
    read.stats().forEach((key, dayStats) -> {
      long unreadable = dayStats.counter(Counters.FILES_REJECTED + SkipReason.UNREADABLE.code());
      if (store != null && key.filesLevel() && unreadable > 0 && complete.remove(key.folderDay())) {
        log.accept(String.format("trailtrim: day %s not stored: %d of its files could not be read; the next run"
            + " reads it again", key.folderDay(), unreadable));
      }
    });
    UsagePipeline.Result stored = UsagePipeline.Result.empty(spark);
    if (store != null) {
      store.store(complete, read);
      stored = store.load(fromState);
    }
    log.accept(String.format("trailtrim: read %d files of %d folder days now; %d days from the state%s; stored %d days",
        toRead.size(), plannedPerDay.size() - fromState.size(), fromState.size(),
        store == null ? " (state off)" : " at " + store.location(), store == null ? 0 : complete.size()));
    UsagePipeline.Result state = read.union(stored);
    Map<String, GrantSet> grantSets = new HashMap<>();
    grants.roles().forEach(role -> grantSets.put(role.roleArn(), role.grantSet()));
    WindowAggregation.Result windowed = WindowAggregation.compute(state.usage(), config.window(), grantSets,
        config.maxResourcesPerAction());
    read.release();
    if (windowed.compactedActions() > 0) {
      log.accept(String.format("trailtrim: compacted %d resources of %d (role, action) uses with more than %d into"
          + " resource patterns", windowed.compactedResources(), windowed.compactedActions(),
          config.maxResourcesPerAction()));
    }
    return UsageWindow.of(windowed, state.stats(), config.window(), config.rejectSamplesPerReason());
  }

  /**
   * Reads the account's roles and policies through the IAM API, and keeps what it read beside
   * the run so the run can be reproduced with --iam-snapshot.
   */
  private GrantSnapshot readLiveGrants(RunWriter writer) throws IOException {
    ObjectNode details;
    try (LiveIamReader reader = LiveIamReader.connect(
        config.iamEndpoint() == null ? null : java.net.URI.create(config.iamEndpoint()))) {
      details = reader.readAuthorizationDetails();
    }
    writer.write("iam-snapshot.json", CanonicalJson.write(details));
    return AuthorizationDetailsParser.parse(details);
  }

  /**
   * Reads every --iam-snapshot: a file, or a folder whose *.json files are all snapshots. A file
   * that cannot be read costs the roles of its account (snapshotProblems says which), never the run.
   */
  private GrantSnapshot loadGrants(Configuration hadoop) throws IOException {
    List<GrantSnapshot> readable = new ArrayList<>();
    List<SnapshotFiles.Unreadable> unreadable = new ArrayList<>();
    for (String location : config.iamSnapshots()) {
      for (String file : jsonFilesAt(hadoop, location)) {
        SnapshotFiles.Read read;
        try {
          read = SnapshotFiles.read(file, HadoopFiles.readString(hadoop, file));
        } catch (IOException e) {
          read = SnapshotFiles.unfetchable(file, "cannot read it: " + e.getMessage());
        }
        if (read.unreadable() != null) {
          unreadable.add(read.unreadable());
          log.accept("trailtrim: IAM snapshot " + file + " could not be read (" + read.unreadable().problem()
              + "); its account's roles have unknown grants, see snapshotProblems in summary.json");
        } else {
          readable.add(read.snapshot());
        }
      }
    }
    if (readable.isEmpty()) {
      log.accept("trailtrim: WARNING: none of the " + unreadable.size() + " IAM snapshot files could be read: every"
          + " role's grants are unknown and no policy is suggested; fix the files named in snapshotProblems");
    }
    return SnapshotFiles.combine(readable, unreadable);
  }

  private static List<String> jsonFilesAt(Configuration hadoop, String location) throws IOException {
    List<String> files;
    try {
      files = HadoopFiles.jsonFilesAt(hadoop, location);
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalArgumentException("IAM snapshot '" + location + "' does not exist: check --iam-snapshot", e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("IAM snapshot folder '" + location + "' has no .json files");
    }
    return files;
  }

  /** What the per-role step produced for the run-level reports. */
  private static final class RoleSummary {
    final List<String> lines = new ArrayList<>();
    final List<UnusedPermissionsCsv.Row> csvRows = new ArrayList<>();
    final Map<String, Long> counts = new TreeMap<>();
    final Set<String> notLambda = new TreeSet<>();
    /** Records of role sessions by what became of them: used, not-lambda-role, unmapped, ... */
    final Map<String, Long> records = new TreeMap<>();
    final ReportTables.Collector tables;

    RoleSummary(IamCatalog catalog) {
      tables = new ReportTables.Collector(catalog);
    }

    void count(String name, long amount) {
      counts.merge(name, amount, Long::sum);
    }
  }

  private RoleSummary analyzeRoles(IamCatalog catalog, GrantSnapshot grants, Map<String, RoleUsage> usageByRole,
      IngestStats stats, LogObservability observability, LogCoverage coverage, TrailConfiguration trails,
      RunWriter writer) throws IOException {
    Set<String> roleArns = new TreeSet<>(usageByRole.keySet());
    stats.roles().keySet().forEach(roleArns::add);
    grants.roles().stream().filter(RoleGrants::trustsLambda).map(RoleGrants::roleArn).forEach(roleArns::add);
    RoleSummary summary = new RoleSummary(catalog);
    log.accept("trailtrim: Lambda execution roles (granted -> suggested):");
    for (String roleArn : roleArns) {
      RoleGrants roleGrants = grants.role(roleArn).orElse(null);
      RoleEvidence evidence = stats.roles().get(roleArn);
      String lambdaEvidence = LambdaRoles.evidence(roleGrants != null, roleGrants != null && roleGrants.trustsLambda(),
          evidence);
      if (lambdaEvidence == null) {
        summary.notLambda.add(roleArn);
        summary.records.merge(SkipReason.RECORD_NOT_LAMBDA_ROLE.code(), evidence == null ? 0 : evidence.calls(),
            Long::sum);
        continue;
      }
      if (evidence != null) {
        summary.records.merge("used", evidence.mappedCalls(), Long::sum);
        summary.records.merge(SkipReason.RECORD_UNMAPPED.code(), evidence.unmappedCalls(), Long::sum);
        summary.records.merge(SkipReason.RECORD_NO_PERMISSION_NEEDED.code(), evidence.noPermissionCalls(), Long::sum);
      }
      String accountId = RoleContext.accountIdOf(roleArn);
      RoleContext context = new RoleContext(roleArn, accountId, RoleContext.roleNameOf(roleArn), config.window(),
          lambdaEvidence);
      summary.count("lambda", 1);
      if (roleGrants == null) {
        summary.count("missingFromSnapshot", 1);
      }
      LogEvidence logEvidence = LogEvidence.of(coverage, accountId, evidence == null ? Set.of() : evidence.regions(),
          config.safety().minObservationDays(), Set.of(observability.globalServiceRegion()));
      String trailFacts = trails.factsFor(accountId);
      if (trailFacts != null) {
        logEvidence = logEvidence.withTrailFacts(trailFacts);
      }
      Observability view = logEvidence.over(trails.view(observability, accountId, logEvidence.regions()), coverage);
      RenderedRole rendered;
      try {
        rendered = renderRole(context, roleGrants, usageByRole.getOrDefault(roleArn, new RoleUsage(roleArn, List.of())),
            catalog, view, logEvidence, summary.tables);
      } catch (RuntimeException e) {
        // One role's failure costs its own report and suggestion, never the run.
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        writer.write(RoleReportJson.path(context), RoleReportJson.renderFailure(context, error));
        summary.count("failed", 1);
        String line = RoleLine.failed(context, error);
        summary.lines.add(line);
        log.accept(line);
        continue;
      }
      RoleAnalysis analysis = rendered.analysis();
      writer.write(RoleReportJson.path(context), rendered.report());
      for (Map.Entry<String, String> policy : rendered.policies().entrySet()) {
        writer.write(policy.getKey(), policy.getValue());
      }
      if (analysis.suggestedPolicy() != null) {
        summary.count("withSuggestedPolicy", 1);
      }
      summary.csvRows.addAll(rendered.csvRows());
      if (analysis.skipped()) {
        summary.count("skippedByConfig", 1);
      }
      if (analysis.grantsIncomplete()) {
        summary.count("grantsIncomplete", 1);
      }
      if (logEvidence.gap() != null) {
        summary.count("logsIncomplete", 1);
      }
      summary.count("permissions.used", analysis.used().size());
      summary.count("permissions.unused", analysis.unused().size());
      summary.count("permissions.notObservable", analysis.notObservable().size());
      summary.count("permissions.keptBySafety", analysis.keptBySafety().size());
      summary.count("permissions.denied", analysis.denied().size());
      String line = RoleLine.of(context, analysis);
      summary.lines.add(line);
      log.accept(line);
    }
    return summary;
  }

  /** Everything one role's files hold, made before any is written, so a failure leaves none half-written. */
  private record RenderedRole(RoleAnalysis analysis, String report, Map<String, String> policies,
      List<UnusedPermissionsCsv.Row> csvRows) {}

  /** Analyses one role and renders its files; its table rows go to {@code tables} last, all or none. */
  private RenderedRole renderRole(RoleContext context, RoleGrants roleGrants, RoleUsage usage, IamCatalog catalog,
      Observability observability, LogEvidence evidence, ReportTables.Collector tables) {
    RoleAnalysis analysis = RoleAnalyzer.analyze(context, roleGrants, usage, catalog, observability, config.safety(),
        evidence);
    String report = RoleReportJson.render(analysis);
    Map<String, String> policies = new LinkedHashMap<>();
    List<String> paths = SuggestedPolicyFiles.paths(analysis);
    for (int i = 0; i < paths.size(); i++) {
      policies.put(paths.get(i), PolicyJson.render(analysis.suggestedParts().get(i)));
    }
    List<UnusedPermissionsCsv.Row> csvRows = UnusedPermissionsCsv.rows(analysis);
    tables.add(analysis);
    return new RenderedRole(analysis, report, policies, csvRows);
  }

  private void writeRunReports(RunWriter writer, IngestStats stats, RoleSummary roles, LogCoverage coverage)
      throws IOException {
    StringBuilder csv = new StringBuilder(UnusedPermissionsCsv.header()).append('\n');
    roles.csvRows.stream().sorted(UnusedPermissionsCsv.ORDER).forEach(row -> csv.append(row.text()).append('\n'));
    writer.write("unused-permissions.csv", csv.toString());

    StringBuilder unmapped = new StringBuilder("eventSource,eventName,records\n");
    stats.unmapped().forEach((call, count) -> {
      String[] parts = call.split(" ", 2);
      unmapped.append(parts[0]).append(',').append(parts[1]).append(',').append(count).append('\n');
    });
    writer.write("unmapped.csv", unmapped.toString());

    Map<String, StringBuilder> rejects = new TreeMap<>();
    for (RejectSample sample : stats.samples()) {
      ObjectNode line = JSON.createObjectNode();
      line.put("reason", sample.reason());
      line.put("file", sample.file());
      line.put("detail", sample.detail());
      rejects.computeIfAbsent(sample.reason(), r -> new StringBuilder())
          .append(JSON.writeValueAsString(line)).append('\n');
    }
    for (Map.Entry<String, StringBuilder> reason : rejects.entrySet()) {
      writer.write("rejects/" + reason.getKey() + ".jsonl", reason.getValue().toString());
    }
    writer.writeTables(spark, roles.tables.tables(stats.unmapped(), coverage));
  }

  private ObjectNode summary(IngestStats stats, RoleSummary roles, GrantSnapshot grants, List<String> notes,
      IamCatalog catalog, UsageWindow.View usage) {
    ObjectNode summary = JSON.createObjectNode();
    ObjectNode window = summary.putObject("window");
    window.put("from", config.window().from().toString());
    window.put("to", config.window().to().toString());
    window.put("days", config.window().days());
    window.put("lateArrivalDays", config.lateArrivalDays());
    ObjectNode input = summary.putObject("input");
    ArrayNode roots = input.putArray("cloudtrail");
    config.cloudTrailRoots().forEach(roots::add);
    ArrayNode snapshots = input.putArray("iamSnapshots");
    config.iamSnapshots().forEach(snapshots::add);
    ArrayNode noteArray = input.putArray("notes");
    notes.forEach(noteArray::add);
    ObjectNode catalogNode = summary.putObject("catalog");
    catalogNode.put("source", catalog.source());
    catalogNode.put("date", catalog.generatedOn());

    ObjectNode files = summary.putObject("files");
    files.put("planned", stats.counter(Counters.FILES_PLANNED));
    files.put("read", stats.counter(Counters.FILES_READ));
    files.set("rejected", countersWithPrefix(stats, Counters.FILES_REJECTED));
    files.put("rejectedTotal", sumWithPrefix(stats, Counters.FILES_REJECTED));
    files.set("skipped", countersWithPrefix(stats, Counters.FILES_SKIPPED));
    files.put("bytesRead", stats.counter(Counters.BYTES_READ));
    files.put("prefixesListed", stats.counter(Counters.PREFIXES_LISTED));
    // Folders under a root the planner did not enter, each named in input.notes.
    files.put("foldersNotEntered", stats.counter(Counters.FOLDERS_NOT_ENTERED));

    ObjectNode records = summary.putObject("records");
    records.put("read", stats.counter(Counters.RECORDS_READ));
    records.put("used", roles.records.getOrDefault("used", 0L));
    ObjectNode recordSkips = countersWithPrefix(stats, Counters.RECORDS_SKIPPED);
    roles.records.forEach((reason, count) -> {
      if (!reason.equals("used")) {
        recordSkips.put(reason, count);
      }
    });
    records.set("skipped", recordSkips);
    records.set("rejected", countersWithPrefix(stats, Counters.RECORDS_REJECTED));
    records.put("rejectedTotal", sumWithPrefix(stats, Counters.RECORDS_REJECTED));
    // The same event delivered again (a second trail, a second copy): read, counted once in everything else.
    records.put("duplicate", stats.counter(Counters.RECORDS_DUPLICATE));

    ObjectNode roleNode = summary.putObject("roles");
    roleNode.put("seenInLogs", stats.roles().size());
    roleNode.put("inSnapshots", grants.roles().size());
    roleNode.put("lambda", roles.counts.getOrDefault("lambda", 0L));
    roleNode.put("notLambda", roles.notLambda.size());
    roleNode.put("withSuggestedPolicy", roles.counts.getOrDefault("withSuggestedPolicy", 0L));
    roleNode.put("missingFromSnapshot", roles.counts.getOrDefault("missingFromSnapshot", 0L));
    roleNode.put("skippedByConfig", roles.counts.getOrDefault("skippedByConfig", 0L));
    roleNode.put("grantsIncomplete", roles.counts.getOrDefault("grantsIncomplete", 0L));
    roleNode.put("logsIncomplete", roles.counts.getOrDefault("logsIncomplete", 0L));
    roleNode.put("failed", roles.counts.getOrDefault("failed", 0L));
    ObjectNode permissions = summary.putObject("permissions");
    roles.counts.forEach((name, value) -> {
      if (name.startsWith("permissions.")) {
        permissions.put(name.substring("permissions.".length()), value);
      }
    });
    // High-cardinality uses turned into resource patterns before they reached the driver.
    ObjectNode compaction = summary.putObject("compaction");
    compaction.put("maxResourcesPerAction", config.maxResourcesPerAction());
    compaction.put("compactedActions", usage.compactedActions());
    compaction.put("compactedResources", usage.compactedResources());
    ArrayNode patterns = compaction.putArray("patterns");
    usage.compactedPatterns().forEach(patterns::add);
    // Untranslatable calls of any role session (unmapped.csv); records.skipped counts Lambda roles' only.
    ObjectNode unmapped = summary.putObject("unmapped");
    unmapped.put("distinctCalls", stats.unmapped().size());
    unmapped.put("records", stats.unmapped().values().stream().mapToLong(Long::longValue).sum());
    // The data events the trail is seen to record, by logging unit: what decides "not observable".
    ArrayNode dataEvents = summary.putArray("dataEventsSeen");
    for (DataEventResource seen : stats.dataEventResources()) {
      dataEvents.add(seen.service() + (seen.readOnly() ? " read " : " write ")
          + (seen.resource() == null ? "(no resource)" : seen.resource()));
    }
    ArrayNode problems = summary.putArray("snapshotProblems");
    grants.problems().forEach(problems::add);
    return summary;
  }

  private static ObjectNode countersWithPrefix(IngestStats stats, String prefix) {
    ObjectNode node = JSON.createObjectNode();
    stats.counters().forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        node.put(name.substring(prefix.length()), value);
      }
    });
    return node;
  }

  private static long sumWithPrefix(IngestStats stats, String prefix) {
    return Counters.sumWithPrefix(stats.counters(), prefix);
  }
}
