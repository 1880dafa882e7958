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

  private SuggestedPolicyFiles() {}

  /** One file name per {@link RoleAnalysis#suggestedParts()}, in order; empty without a suggestion. */
  public static List<String> names(RoleAnalysis analysis) {
    if (analysis.suggestion() == null) {
      return List.of();
    }
    String role = SafeNames.segment(analysis.context().roleName());
    if (analysis.suggestion().size().layout() == PolicySize.Layout.INLINE) {
      return List.of(role + ".json");
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= analysis.suggestion().parts().size(); i++) {
      names.add(role + ".part-" + i + ".json");
    }
    return names;
  }

  /** {@link #names} as paths relative to the run: {@code policies/<account-id>/<file>}. */
  public static List<String> paths(RoleAnalysis analysis) {
    String folder = "policies/" + SafeNames.segment(analysis.context().accountId()) + "/";
    return names(analysis).stream().map(name -> folder + name).toList();
  }
}
