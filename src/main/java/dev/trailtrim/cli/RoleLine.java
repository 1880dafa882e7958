package dev.trailtrim.cli;

import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.Effect;
import java.util.Locale;
import java.util.TreeSet;

/** The one line per role that a run prints: granted → suggested, and what was found. */
final class RoleLine {

  private RoleLine() {}

  static String of(RoleContext context, RoleAnalysis analysis) {
    String name = context.accountId() + "/" + context.roleName();
    if (!analysis.grantsKnown()) {
      return String.format(Locale.ROOT, "  %-44s grants unknown (not in the IAM snapshot): %d permissions used, "
          + "no policy suggested", name, analysis.used().size());
    }
    if (analysis.skipped()) {
      return String.format(Locale.ROOT, "  %-44s skipped by configuration (skip.roles): %d permissions used, "
          + "no policy suggested", name, analysis.used().size());
    }
    TreeSet<String> suggested = new TreeSet<>();
    analysis.suggestedPolicy().statements().stream().filter(s -> s.effect() == Effect.ALLOW)
        .forEach(s -> s.actions().forEach(a -> suggested.add(a.toLowerCase(Locale.ROOT))));
    return String.format(Locale.ROOT,
        "  %-44s %5d granted -> %3d suggested actions; %d unused, %d not observable (kept), %d denied%s",
        name, analysis.granted().actionCount(), suggested.size(), analysis.unused().size(),
        analysis.notObservable().size(), analysis.denied().size(),
        analysis.notGrantedButUsed().isEmpty() ? "" : ", " + analysis.notGrantedButUsed().size()
            + " used but not explained by the grants")
        + (analysis.safety().isEmpty() ? "" : "; keeps everything granted (" + analysis.safety().get(0).rule() + ")");
  }
}
