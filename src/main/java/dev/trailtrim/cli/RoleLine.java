package dev.trailtrim.cli;

import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.report.RoleReportJson;
import dev.trailtrim.report.SuggestedPolicyFiles;
import java.util.List;
import java.util.Locale;

/** The one line per role that a run prints: granted → suggested, and what was found. */
final class RoleLine {

  private RoleLine() {}

  /** The line of a role whose analysis failed: the error, and where its report is. */
  static String failed(RoleContext context, String error) {
    return String.format(Locale.ROOT, "  %-44s analysis failed, no policy suggested (%s); see %s",
        context.accountId() + "/" + context.roleName(), error, RoleReportJson.path(context));
  }

  /** Both counts are of catalog actions, wildcards expanded on both sides ({@link RoleAnalysis.Suggestion#actions}). */
  static String of(RoleContext context, RoleAnalysis analysis) {
    String name = context.accountId() + "/" + context.roleName();
    if (!analysis.grantsKnown()) {
      List<String> observed = SuggestedPolicyFiles.observedOnlyPaths(analysis);
      return String.format(Locale.ROOT, "  %-44s grants unknown (not in the IAM snapshot): %d permissions used, "
          + "no policy suggested%s", name, analysis.findings().used().size(),
          observed.isEmpty() ? ""
              : "; observed-only policy, not checked against any grant: " + String.join(", ", observed));
    }
    if (analysis.grantsIncomplete()) {
      return String.format(Locale.ROOT, "  %-44s grants incomplete (a policy missing from the snapshot, or copies"
          + " that disagree; see its report): %d permissions used, no policy suggested", name,
          analysis.findings().used().size());
    }
    if (analysis.selfCheckFailed()) {
      return String.format(Locale.ROOT, "  %-44s suggestion withheld: it failed trailtrim's own check (a defect in"
          + " trailtrim; see its report): %d permissions used, no policy suggested", name,
          analysis.findings().used().size());
    }
    if (analysis.skipped()) {
      return String.format(Locale.ROOT, "  %-44s skipped by configuration (skip.roles): %d permissions used, "
          + "no policy suggested", name, analysis.findings().used().size());
    }
    // Reports list (action, resource) pairs; the line counts actions, so the numbers add up.
    long unusedActions = analysis.findings().unused().stream().map(u -> u.action()).distinct().count();
    long notObservableActions = analysis.findings().notObservable().stream().map(n -> n.action()).distinct().count();
    return String.format(Locale.ROOT,
        "  %-44s %5d granted -> %3d suggested actions; %d actions unused, %d not observable (kept), %d denied calls%s",
        name, analysis.granted().actionCount(), analysis.suggestion().actions(), unusedActions, notObservableActions,
        analysis.findings().denied().stream().mapToLong(d -> d.count()).sum(),
        analysis.findings().unexplained().isEmpty() ? "" : ", " + analysis.findings().unexplained().size()
            + " used but not explained by the grants")
        + (analysis.safety().decisions().isEmpty() ? "" : "; keeps everything granted ("
            + analysis.safety().decisions().get(0).rule() + ")")
        + logGap(analysis);
  }

  /** Why nothing of the role's could be called unused, when its logs are incomplete. */
  private static String logGap(RoleAnalysis analysis) {
    var evidence = analysis.evidence();
    if (evidence == null || evidence.gap() == null) {
      return "";
    }
    return "; logs incomplete (" + evidence.gap().rule() + ": " + evidence.gap().detail() + ")";
  }
}
