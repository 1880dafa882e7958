package dev.trailtrim.analysis;

import static dev.trailtrim.analysis.RoleAnalyzer.RULE_BLOCKED_BY_BOUNDARY;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_NEEDS_STAR;

import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.IamAction;
import java.util.List;
import java.util.Set;

/**
 * An unused grant before its risk is known: risk depends on everything else the role is granted,
 * so it is ranked ({@link #ranked}) once every statement has been diffed.
 *
 * @param serviceActions for a per-service row, the service's actions it stands for; else empty
 */
record UnusedCandidate(IamAction action, AccessLevel level, String resource, GrantRef ref, String rule,
    List<IamAction> serviceActions) {

  UnusedCandidate(IamAction action, AccessLevel level, String resource, GrantRef ref, String rule) {
    this(action, level, resource, ref, rule, List.of());
  }

  /**
   * The candidate with its risk: for a per-service row, that of its riskiest action.
   *
   * @param effective the actions the role can use somewhere (identity and boundary allow them)
   */
  UnusedPermission ranked(Set<IamAction> effective, PrivilegeEscalation escalation, IamCatalog catalog) {
    if (rule.equals(RULE_BLOCKED_BY_BOUNDARY)) {
      return withRisk(Risk.NOT_EFFECTIVE, "the permissions boundary blocks it");
    }
    if (rule.equals(RULE_NEEDS_STAR)) {
      return withRisk(Risk.NOT_EFFECTIVE, "IAM never matches it: the action takes only Resource \"*\"");
    }
    if (serviceActions.isEmpty()) {
      String why = escalation.escalation(action, effective::contains);
      return why != null ? withRisk(Risk.PRIVILEGE_ESCALATION, why) : withRisk(Risk.of(level), levelReason(level));
    }
    Risk highest = null;
    String reason = null;
    for (IamAction serviceAction : serviceActions) {
      String why = escalation.escalation(serviceAction, effective::contains);
      AccessLevel actionLevel = catalog.action(serviceAction).map(ActionInfo::accessLevel).orElse(null);
      Risk risk = why != null ? Risk.PRIVILEGE_ESCALATION : Risk.of(actionLevel);
      if (highest == null || risk.compareTo(highest) < 0) {
        highest = risk;
        reason = serviceAction + " (one of " + serviceActions.size() + " granted " + action.service()
            + " actions): " + (why != null ? why : levelReason(actionLevel));
      }
    }
    return withRisk(highest, reason);
  }

  private UnusedPermission withRisk(Risk risk, String reason) {
    return new UnusedPermission(action, level, resource, ref, rule, risk, reason);
  }

  private static String levelReason(AccessLevel level) {
    return level == null ? "the IAM catalog does not know the action" : "access level " + level.label();
  }
}
