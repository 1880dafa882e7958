package dev.trailtrim.report;

import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.policy.PolicySize;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a role's suggested policy, {@code policies/<account-id>/<role>.json} when the
 * suggestion fits a role's inline policies, else {@code <role>.part-1.json}, {@code
 * <role>.part-2.json}, ... one managed policy each; account and role as {@link SafeNames} encodes
 * them. The job writes them, the role report names them.
 */
public final class SuggestedPolicyFiles {

  /** Where observed-only policies go, beside {@code policies/} and never in it. */
  public static final String OBSERVED_ONLY_FOLDER = "policies-observed/";

  private SuggestedPolicyFiles() {}

  /** One file name per {@link RoleAnalysis#suggestedParts()}, in order; empty without a suggestion. */
  public static List<String> names(RoleAnalysis analysis) {
    if (analysis.suggestion() == null) {
      return List.of();
    }
    return names(analysis, analysis.suggestion().size().layout(), analysis.suggestion().parts().size());
  }

  /** {@link #names} as paths relative to the run: {@code policies/<account-id>/<file>}. */
  public static List<String> paths(RoleAnalysis analysis) {
    return inFolder("policies/", analysis, names(analysis));
  }

  /**
   * The files of a role's observed-only policy ({@link RoleAnalysis#observedOnly()}), named as
   * suggestions are but in their own folder, {@code policies-observed/<account-id>/}, so that
   * nothing that reads {@code policies/} takes them for checked suggestions; empty without one.
   */
  public static List<String> observedOnlyPaths(RoleAnalysis analysis) {
    var observed = analysis.observedOnly();
    return observed == null ? List.of()
        : inFolder(OBSERVED_ONLY_FOLDER, analysis, names(analysis, observed.layout(), observed.parts().size()));
  }

  /**
   * Where one function's policy of a role split by function goes:
   * {@code per-function/<account-id>/<role>/<region>/<function>.json}, each name as {@link SafeNames} encodes it.
   */
  public static String perFunctionPath(RoleAnalysis analysis, String region, String function) {
    return "per-function/" + SafeNames.segment(analysis.context().accountId()) + "/"
        + SafeNames.segment(analysis.context().roleName()) + "/" + SafeNames.segment(region) + "/"
        + SafeNames.segment(function) + ".json";
  }

  private static List<String> names(RoleAnalysis analysis, PolicySize.Layout layout, int parts) {
    String role = SafeNames.segment(analysis.context().roleName());
    if (layout == PolicySize.Layout.INLINE) {
      return List.of(role + ".json");
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= parts; i++) {
      names.add(role + ".part-" + i + ".json");
    }
    return names;
  }

  private static List<String> inFolder(String folder, RoleAnalysis analysis, List<String> names) {
    String account = folder + SafeNames.segment(analysis.context().accountId()) + "/";
    return names.stream().map(name -> account + name).toList();
  }
}
