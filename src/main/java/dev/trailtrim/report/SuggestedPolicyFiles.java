package dev.trailtrim.report;

import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.policy.PolicySize;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of a role's suggested policy files under {@code policies/<account-id>/}: {@code
 * <role>.json} when the suggestion fits a role's inline policies, else {@code <role>.part-1.json},
 * {@code <role>.part-2.json}, ... one managed policy each. The job writes them, the role report names them.
 */
public final class SuggestedPolicyFiles {

  private SuggestedPolicyFiles() {}

  /** One name per {@link RoleAnalysis#suggestedParts()}, in order; empty without a suggestion. */
  public static List<String> names(RoleAnalysis analysis) {
    String role = analysis.context().roleName();
    if (analysis.suggestedPolicy() == null) {
      return List.of();
    }
    if (analysis.suggestedSize().layout() == PolicySize.Layout.INLINE) {
      return List.of(role + ".json");
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= analysis.suggestedParts().size(); i++) {
      names.add(role + ".part-" + i + ".json");
    }
    return names;
  }
}
