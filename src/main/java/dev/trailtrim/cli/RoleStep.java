package dev.trailtrim.cli;

import dev.trailtrim.analysis.FunctionSplit;
import dev.trailtrim.analysis.LogEvidence;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.apply.ApplyPlan;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.drift.RoleState;
import dev.trailtrim.drift.RoleStates;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.IngestStats.RoleEvidence;
import dev.trailtrim.ingest.LambdaRoles;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.inventory.FunctionFinding;
import dev.trailtrim.inventory.FunctionFindings;
import dev.trailtrim.inventory.FunctionInventory;
import dev.trailtrim.inventory.FunctionUse;
import dev.trailtrim.inventory.LambdaFunction;
import dev.trailtrim.inventory.RoleFunctions;
import dev.trailtrim.io.RunWriter;
import dev.trailtrim.model.CallContexts;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.PolicySize;
import dev.trailtrim.report.ConditionFiles;
import dev.trailtrim.report.HtmlReport;
import dev.trailtrim.report.ReportTables;
import dev.trailtrim.report.RoleReportJson;
import dev.trailtrim.report.SuggestedPolicyFiles;
import dev.trailtrim.report.SummaryJson;
import dev.trailtrim.report.UnusedPermissionsCsv;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The per-role step of a run: each role is diffed against its grants and its files written, and
 * one role's failure costs its own report and suggestion, never the run.
 */
final class RoleStep {

  private final JobConfig config;
  private final IamCatalog catalog;
  private final RunWriter writer;
  private final Consumer<String> log;

  RoleStep(JobConfig config, IamCatalog catalog, RunWriter writer, Consumer<String> log) {
    this.config = config;
    this.catalog = catalog;
    this.writer = writer;
    this.log = log;
  }

  /** What the per-role step produced for the run-level reports. */
  static final class RoleSummary {
    final List<String> lines = new ArrayList<>();
    final List<UnusedPermissionsCsv.Row> csvRows = new ArrayList<>();
    final Map<String, Long> counts = new TreeMap<>();
    final Set<String> notLambda = new TreeSet<>();
    /** Records of role sessions by what became of them: used, not-lambda-role, unmapped, ... */
    final Map<String, Long> records = new TreeMap<>();
    final ReportTables.Collector tables;
    /** Every Lambda role as report.html shows it, from its report and files. */
    final List<HtmlReport.Role> pageRoles = new ArrayList<>();
    /** The inventory's findings about roles ({@code no-function-uses-role}), for summary.json. */
    final List<FunctionFinding> findings = new ArrayList<>();
    /** Every Lambda role as the next run compares with it (state/roles.json). */
    final List<RoleState> states = new ArrayList<>();

    RoleSummary(IamCatalog catalog) {
      tables = new ReportTables.Collector(catalog);
    }

    void count(String name, long amount) {
      counts.merge(name, amount, Long::sum);
    }

    /** A Lambda role's records of the logs: used, or skipped as unmapped or as needing no permission. */
    void countRecords(RoleEvidence evidence) {
      if (evidence != null) {
        records.merge("used", evidence.mappedCalls(), Long::sum);
        records.merge(SkipReason.RECORD_UNMAPPED.code(), evidence.unmappedCalls(), Long::sum);
        records.merge(SkipReason.RECORD_NO_PERMISSION_NEEDED.code(), evidence.noPermissionCalls(), Long::sum);
      }
    }

    SummaryJson.Roles totals() {
      return new SummaryJson.Roles(counts, notLambda.size(), records);
    }
  }

  /**
   * Every role the logs or the snapshots name: Lambda roles are analysed and their report and
   * suggested policy written, the rest only counted.
   *
   * @param usageByFunction per role ARN, its usage by the function that made the calls
   *                        ({@link dev.trailtrim.aggregate.UsageWindow.View#usageByFunction}): a role two or more
   *                        functions share gets a policy per function
   */
  RoleSummary run(GrantSnapshot grants, Map<String, RoleUsage> usageByRole,
      Map<String, Map<String, RoleUsage>> usageByFunction, IngestStats stats, LogObservability observability,
      LogCoverage coverage, TrailConfiguration trails, FunctionInventory inventory) throws IOException {
    Set<String> roleArns = new TreeSet<>(usageByRole.keySet());
    stats.roles().keySet().forEach(roleArns::add);
    grants.roles().stream().filter(RoleGrants::trustsLambda).map(RoleGrants::roleArn).forEach(roleArns::add);
    RoleSummary summary = new RoleSummary(catalog);
    boolean conditions = config.suggestConditions() && stats.keepsCallContexts();
    if (config.suggestConditions() && !conditions) {
      log.accept("trailtrim: no conditions suggested: days of the window were stored without the calls' request"
          + " contexts (before --suggest-conditions); run once with --rebuild to read them again");
    }
    log.accept("trailtrim: Lambda execution roles (granted -> suggested):");
    for (String roleArn : roleArns) {
      RoleGrants roleGrants = grants.role(roleArn).orElse(null);
      RoleEvidence evidence = stats.roles().get(roleArn);
      String lambdaEvidence = lambdaEvidence(roleArn, roleGrants, evidence, inventory);
      if (lambdaEvidence == null) {
        summary.notLambda.add(roleArn);
        summary.records.merge(SkipReason.RECORD_NOT_LAMBDA_ROLE.code(), evidence == null ? 0 : evidence.calls(),
            Long::sum);
        continue;
      }
      summary.countRecords(evidence);
      String accountId = RoleContext.accountIdOf(roleArn);
      RoleContext context = new RoleContext(roleArn, accountId, RoleContext.roleNameOf(roleArn), config.window(),
          lambdaEvidence);
      summary.count("lambda", 1);
      if (roleGrants == null) {
        summary.count("missingFromSnapshot", 1);
      }
      List<FunctionUse> functions = RoleFunctions.of(roleArn, accountId, inventory,
          evidence == null ? Map.of() : evidence.sessionRegions(), observability.globalServiceRegion());
      LogEvidence logEvidence = logEvidence(accountId, evidence, functions, coverage, inventory, observability,
          trails);
      List<FunctionFinding> findings = new ArrayList<>();
      FunctionFinding unusedRole = unusedRole(roleGrants, roleArn, accountId, inventory, coverage,
          usageByRole.get(roleArn), evidence);
      if (unusedRole != null) {
        findings.add(unusedRole);
        summary.findings.add(unusedRole);
      }
      Observability view = logEvidence.over(trails.view(observability, accountId, logEvidence.regions()), coverage);
      RenderedRole rendered;
      try {
        rendered = renderRole(new RoleInputs(context, roleGrants,
            usageByRole.getOrDefault(roleArn, new RoleUsage(roleArn, List.of())), usageByFunction.get(roleArn), view,
            logEvidence, functions, conditions ? stats.callContextsOf(roleArn) : null), summary.tables, findings);
      } catch (RuntimeException e) {
        // One role's failure costs its own report and suggestion, never the run.
        writeFailedRole(summary, context, roleGrants, e);
        continue;
      }
      writeRole(summary, context, roleGrants, rendered, logEvidence, findings);
    }
    return summary;
  }

  /**
   * Why a role is taken for a Lambda execution role, or null when it is not one: its trust policy, its sessions
   * in the logs, or (for a role of the logs that the snapshot lacks) the inventory naming it a function's role.
   */
  private static String lambdaEvidence(String roleArn, RoleGrants roleGrants, RoleEvidence evidence,
      FunctionInventory inventory) {
    String lambdaEvidence = LambdaRoles.evidence(roleGrants != null, roleGrants != null && roleGrants.trustsLambda(),
        evidence);
    List<LambdaFunction> listed = inventory == null ? List.of() : inventory.functionsOf(roleArn);
    if (lambdaEvidence == null && roleGrants == null && !listed.isEmpty()) {
      lambdaEvidence = "not in the IAM snapshot; the Lambda inventory names it the execution role of "
          + String.join(", ", listed.stream().map(LambdaFunction::name).distinct().toList());
    }
    return lambdaEvidence;
  }

  /** A role whose analysis failed: a report saying why, counted, and a line in the log. */
  private void writeFailedRole(RoleSummary summary, RoleContext context, RoleGrants roleGrants, RuntimeException e)
      throws IOException {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    String failure = RoleReportJson.renderFailure(context, error);
    writer.write(RoleReportJson.path(context), failure);
    summary.pageRoles.add(HtmlReport.Role.of(failure, roleGrants, Map.of()));
    summary.count("failed", 1);
    summary.states.add(RoleState.failed(context.roleArn()));
    String line = RoleLine.failed(context, error);
    summary.lines.add(line);
    log.accept(line);
  }

  /** A role's rendered files written, and what the run-level reports take of it. */
  private void writeRole(RoleSummary summary, RoleContext context, RoleGrants roleGrants, RenderedRole rendered,
      LogEvidence logEvidence, List<FunctionFinding> findings) throws IOException {
    String roleArn = context.roleArn();
    RoleAnalysis analysis = rendered.analysis();
    summary.states.add(RoleStates.of(analysis, roleGrants));
    findings.stream().filter(f -> f.rule().equals(FunctionSplit.RULE_SHARED)).forEach(summary.findings::add);
    writer.write(RoleReportJson.path(context), rendered.report());
    summary.pageRoles.add(HtmlReport.Role.of(rendered.report(), roleGrants, rendered.suggested()));
    for (Map<String, String> files : List.of(rendered.suggested(), rendered.otherFiles())) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        writer.write(file.getKey(), file.getValue());
      }
    }
    if (analysis.suggestion() != null) {
      summary.count("withSuggestedPolicy", 1);
    }
    if (analysis.observedOnly() != null) {
      summary.count("withObservedOnlyPolicy", 1);
    }
    summary.csvRows.addAll(rendered.csvRows());
    if (analysis.skipped()) {
      summary.count("skippedByConfig", 1);
    }
    if (analysis.grantsIncomplete()) {
      summary.count("grantsIncomplete", 1);
    }
    if (analysis.selfCheckFailed()) {
      summary.count("suggestionFailedSelfCheck", 1);
    }
    if (logEvidence.gap() != null) {
      summary.count("logsIncomplete", 1);
    }
    summary.count(SummaryJson.PERMISSIONS + "used", analysis.findings().used().size());
    summary.count(SummaryJson.PERMISSIONS + "unused", analysis.findings().unused().size());
    summary.count(SummaryJson.PERMISSIONS + "notObservable", analysis.findings().notObservable().size());
    summary.count(SummaryJson.PERMISSIONS + "keptBySafety", analysis.safety().kept().size());
    summary.count(SummaryJson.PERMISSIONS + "denied", analysis.findings().denied().size());
    String line = RoleLine.of(context, analysis);
    summary.lines.add(line);
    log.accept(line);
    findings.forEach(finding -> log.accept("trailtrim: " + finding.rule() + ": " + roleArn + ": "
        + finding.detail()));
  }

  /**
   * Everything one role's files hold, made before any is written, so a failure leaves none half-written.
   *
   * @param suggested  the suggested policy's files by path, the ones report.html diffs against the role's policies
   * @param otherFiles the observed-only policy and the apply plan, by path
   */
  private record RenderedRole(RoleAnalysis analysis, String report, Map<String, String> suggested,
      Map<String, String> otherFiles, List<UnusedPermissionsCsv.Row> csvRows) {}

  /**
   * What the logs could show about the role, over the regions where it acts: those of its calls and, with an
   * inventory, those of its functions (every region of the account with logs when the inventory may miss one).
   */
  private LogEvidence logEvidence(String accountId, RoleEvidence evidence, List<FunctionUse> functions,
      LogCoverage coverage, FunctionInventory inventory, LogObservability observability, TrailConfiguration trails) {
    // With an inventory, the role acts where its functions run too, not only where its calls were.
    Set<String> callRegions = evidence == null ? Set.of() : evidence.regions();
    Set<String> actingRegions = new TreeSet<>(callRegions);
    actingRegions.addAll(RoleFunctions.inventoryRegions(functions));
    String regionsFrom = callRegions.isEmpty()
        ? "the regions of its functions in the Lambda inventory (the role made no call in the window)"
        : "the role's calls and the regions of its functions in the Lambda inventory";
    String notListed = callRegions.isEmpty() && !actingRegions.isEmpty()
        ? inventory.notCovering(accountId, coverage.regionsOf(accountId)) : null;
    if (notListed != null) {
      // A partial inventory may miss a function of the role elsewhere: it may act anywhere in its account.
      actingRegions.addAll(coverage.regionsOf(accountId));
      regionsFrom = "the regions of its functions in the Lambda inventory and every region of the account with logs"
          + " (the role made no call in the window, and " + notListed + ")";
    }
    LogEvidence logEvidence = LogEvidence.of(coverage, accountId, actingRegions,
        config.safety().minObservationDays(), Set.of(observability.globalServiceRegion()));
    if (!callRegions.containsAll(actingRegions)) {
      logEvidence = logEvidence.withRegionsFrom(regionsFrom);
    }
    String trailFacts = trails.factsFor(accountId);
    if (trailFacts != null) {
      logEvidence = logEvidence.withTrailFacts(trailFacts);
    }
    return logEvidence;
  }

  /** {@code no-function-uses-role} for a Lambda role of the snapshot that no function of the inventory uses; else null. */
  private static FunctionFinding unusedRole(RoleGrants roleGrants, String roleArn, String accountId,
      FunctionInventory inventory, LogCoverage coverage, RoleUsage seen, RoleEvidence evidence) {
    if (roleGrants == null || !roleGrants.trustsLambda()) {
      return null;
    }
    Long lastActivity = seen == null ? null : seen.usages().stream().mapToLong(u -> u.lastSeenMillis()).boxed()
        .max(Long::compare).orElse(null);
    return FunctionFindings.noFunctionUsesRole(inventory, roleArn, accountId, coverage.regionsOf(accountId),
        lastActivity, evidence == null ? 0 : evidence.calls());
  }

  /**
   * The names of the role's functions a split by function is made for: those of the inventory, and those only
   * the logs name whose calls came from Lambda itself (a session a person or a process opened is not a function's,
   * though its name may look like one).
   *
   * @param usageByFunction the role's usage by the function that made the calls; null when it made none
   */
  static Set<String> splitFunctions(List<FunctionUse> functions, Map<String, RoleUsage> usageByFunction) {
    Set<String> names = new TreeSet<>();
    for (FunctionUse function : functions) {
      if (!function.evidence().startsWith(RoleFunctions.INFERRED)
          || usageByFunction != null && usageByFunction.containsKey(function.name())) {
        names.add(function.name());
      }
    }
    return names;
  }

  /** A shared role's policy per function, one file per function and region it runs in; none for other roles. */
  private static Map<String, String> perFunctionFiles(RoleAnalysis analysis, List<FunctionUse> functions) {
    Map<String, String> files = new LinkedHashMap<>();
    if (analysis.split() == null) {
      return files;
    }
    for (FunctionSplit.FunctionPolicy policy : analysis.split().functions()) {
      String rendered = PolicyJson.render(policy.policy());
      functions.stream().filter(function -> function.name().equals(policy.function())).forEach(function -> files
          .put(SuggestedPolicyFiles.perFunctionPath(analysis, function.region(), function.name()), rendered));
    }
    return files;
  }

  /**
   * What one role is analysed from.
   *
   * @param grants          null when the snapshot lacks the role
   * @param usageByFunction the role's usage by the function that made the calls; null when it made none
   * @param observability   what the logs could have shown for this role (trails, coverage, its regions)
   * @param callContexts    per action, the allowed calls' request contexts; null unless conditions are suggested
   */
  private record RoleInputs(RoleContext context, RoleGrants grants, RoleUsage usage,
      Map<String, RoleUsage> usageByFunction, Observability observability, LogEvidence evidence,
      List<FunctionUse> functions, Map<String, CallContexts> callContexts) {}

  /** Analyses one role and renders its files; its table rows go to {@code tables} last, all or none. */
  private RenderedRole renderRole(RoleInputs role, ReportTables.Collector tables, List<FunctionFinding> findings) {
    RoleContext context = role.context();
    RoleGrants roleGrants = role.grants();
    List<FunctionUse> functions = role.functions();
    RoleAnalysis analysis = RoleAnalyzer.analyze(context, roleGrants, role.usage(), catalog, role.observability(),
        config.safety(), role.evidence(), FunctionSplit.usageOf(context.roleArn(),
            splitFunctions(functions, role.usageByFunction()), role.usageByFunction()));
    if (analysis.split() != null) {
      findings.add(new FunctionFinding(FunctionSplit.RULE_SHARED, context.accountId(), context.roleArn(), null,
          analysis.split().describe()));
    }
    String report = RoleReportJson.render(analysis, functions, findings);
    Map<String, String> suggested = new LinkedHashMap<>();
    List<String> paths = SuggestedPolicyFiles.paths(analysis);
    for (int i = 0; i < paths.size(); i++) {
      suggested.put(paths.get(i), PolicyJson.render(analysis.suggestion().parts().get(i)));
    }
    Map<String, String> otherFiles = new LinkedHashMap<>();
    List<String> observedPaths = SuggestedPolicyFiles.observedOnlyPaths(analysis);
    for (int i = 0; i < observedPaths.size(); i++) {
      otherFiles.put(observedPaths.get(i), PolicyJson.render(analysis.observedOnly().parts().get(i)));
    }
    otherFiles.putAll(perFunctionFiles(analysis, functions));
    if (!paths.isEmpty() && roleGrants != null && roleGrants.complete()) {
      // The apply plan swaps the role's policies (as the snapshot shows them) for the suggestion.
      otherFiles.putAll(ApplyPlan.files(roleGrants, analysis.suggestion().parts(),
          analysis.suggestion().size().layout() == PolicySize.Layout.MANAGED_POLICIES));
    }
    if (role.callContexts() != null) {
      // Opt-in (--suggest-conditions): the suggestion with the conditions every observed call satisfied.
      otherFiles.putAll(ConditionFiles.render(analysis, role.callContexts()));
    }
    List<UnusedPermissionsCsv.Row> csvRows = UnusedPermissionsCsv.rows(analysis);
    tables.add(analysis);
    return new RenderedRole(analysis, report, suggested, otherFiles, csvRows);
  }
}
