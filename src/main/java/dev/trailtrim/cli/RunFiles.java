package dev.trailtrim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.aggregate.UsageWindow;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.drift.ChangesJson;
import dev.trailtrim.drift.DriftComparison;
import dev.trailtrim.drift.RunChanges;
import dev.trailtrim.drift.RunState;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.inventory.FunctionFinding;
import dev.trailtrim.io.PreviousRun;
import dev.trailtrim.io.RunWriter;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.report.CoverageReport;
import dev.trailtrim.report.HtmlReport;
import dev.trailtrim.report.ReportTables;
import dev.trailtrim.report.RunReports;
import dev.trailtrim.report.SummaryJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The run's own files, once every role is written: what changed since the previous run, the
 * rejects and unmapped CSVs, the Parquet tables, {@code summary.json} and {@code report.html}.
 */
final class RunFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobConfig config;
  private final RunWriter writer;
  private final Consumer<String> log;

  RunFiles(JobConfig config, RunWriter writer, Consumer<String> log) {
    this.config = config;
    this.writer = writer;
    this.log = log;
  }

  /** What the run read and decided, as the run's files report it. */
  record RunResults(List<String> planNotes, IamCatalog catalog, GrantSnapshot grants, IngestStats stats,
      UsageWindow.View usage, LogCoverage coverage, TrailConfiguration trails, LambdaInventory functions,
      List<FunctionFinding> functionFindings, RoleStep.RoleSummary roles) {}

  /** Writes them all and returns the summary. */
  ObjectNode write(PreviousRun previous, RunResults run) throws IOException {
    RunChanges changes = changes(previous, RunState.of(config.runId(), run.roles().states));
    writeRunReports(run.stats(), run.roles(), run.coverage(), changes);
    IngestStats stats = run.stats();
    UsageWindow.View usage = run.usage();
    // The version first: whoever reads a summary must know which trailtrim wrote it.
    ObjectNode summary = JSON.createObjectNode().put("trailtrimVersion", TrailtrimMain.version());
    summary.setAll(SummaryJson.render(config, run.planNotes(), run.catalog(), run.grants(), new SummaryJson.Reading(
        stats.counters(), stats.roles().size(), stats.unmapped(), stats.dataEventResources()), run.roles().totals(),
        new SummaryJson.Compaction(usage.compactedActions(), usage.compactedResources(), usage.compactedPatterns())));
    summary.set("coverage", CoverageReport.json(run.coverage()));
    summary.set("trailConfiguration", run.trails().json());
    summary.set("functions", run.functions().json(run.functionFindings()));
    summary.set("changes", ChangesJson.summary(changes));
    writer.write("summary.json", CanonicalJson.write(summary));
    writer.write("report.html", HtmlReport.render(config.runId(), TrailtrimMain.version(), summary,
        run.roles().pageRoles, usage.callsPerDay(), changes));
    return summary;
  }

  /**
   * This run's roles as the next run will compare with them (state/roles.json), and what changed since
   * the previous run (changes.json), with a line per role that changed. A previous run that cannot be
   * read costs the comparison, never the night.
   */
  private RunChanges changes(PreviousRun previous, RunState current) throws IOException {
    writer.write(RunState.PATH, current.toJson());
    RunChanges changes = previous == null ? RunChanges.firstRun(config.runId())
        : previous.problem() != null ? RunChanges.notCompared(config.runId(), previous.runId(), previous.problem())
        : DriftComparison.against(previous.runId(), previous.content(), current);
    writer.write(ChangesJson.PATH, ChangesJson.render(changes));
    ChangesJson.lines(changes).forEach(log);
    return changes;
  }

  private void writeRunReports(IngestStats stats, RoleStep.RoleSummary roles, LogCoverage coverage,
      RunChanges changes) throws IOException {
    List<RunReports.Reject> rejects = stats.samples().stream()
        .map(sample -> new RunReports.Reject(sample.reason(), sample.file(), sample.detail())).toList();
    for (Map.Entry<String, String> file : RunReports.render(roles.csvRows, stats.unmapped(), rejects).entrySet()) {
      writer.write(file.getKey(), file.getValue());
    }
    List<ReportTables.Table> tables = new ArrayList<>(roles.tables.tables(stats.unmapped(), coverage));
    tables.add(ReportTables.changes(changes));
    writer.writeTables(tables);
  }
}
