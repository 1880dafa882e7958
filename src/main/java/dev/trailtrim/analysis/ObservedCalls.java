package dev.trailtrim.analysis;

import static dev.trailtrim.analysis.RoleAnalyzer.RULE_ALLOWED;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_ALLOWED_UNLESS_DENY;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_GRANTS_UNKNOWN;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_NOT_EXPLAINED;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_RESOURCE_UNKNOWN;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.ErrorCodes;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.Decision;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.Patterns;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.policy.StatementRef;
import dev.trailtrim.policy.UnexplainedAccess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The first step of a role's analysis: its calls sorted into those that count as use (by
 * canonical (action, resource), counts added up), those IAM refused, and those that failed.
 *
 * @param successful calls that reached the service: they succeeded, or failed after authorization
 */
record ObservedCalls(Map<ActionOnResource, Seen> successful, List<DeniedCall> denied, List<FailedCall> failed) {

  /** A successful (action, resource) with its counts, canonical spelling. */
  record Seen(IamAction action, String resource, long count, long first, long last) {
    Seen plus(ActionUsage u) {
      return new Seen(action, resource, count + u.count(), Math.min(first, u.firstSeenMillis()),
          Math.max(last, u.lastSeenMillis()));
    }
  }

  static ObservedCalls sort(RoleUsage usage, IamCatalog catalog) {
    List<DeniedCall> denied = new ArrayList<>();
    List<FailedCall> failed = new ArrayList<>();
    Map<ActionOnResource, Seen> seen = new TreeMap<>();
    for (ActionUsage u : usage.usages()) {
      IamAction action = catalog.action(u.access().action()).map(ActionInfo::action).orElse(u.access().action());
      if (!u.succeeded()) {
        ErrorCodes.Kind kind = ErrorCodes.classify(u.errorCode());
        if (kind == ErrorCodes.Kind.AUTHORIZATION_REFUSED) {
          denied.add(new DeniedCall(action, u.access().resource(), u.errorCode(), u.count(), u.firstSeenMillis(),
              u.lastSeenMillis()));
          continue;
        }
        boolean authorized = kind == ErrorCodes.Kind.FAILED_AFTER_AUTHORIZATION;
        failed.add(new FailedCall(action, u.access().resource(), u.errorCode(), u.count(), u.firstSeenMillis(),
            u.lastSeenMillis(), authorized));
        if (!authorized) {
          continue;
        }
      }
      ActionOnResource key = new ActionOnResource(action, u.access().resource());
      seen.merge(key, new Seen(action, key.resource(), u.count(), u.firstSeenMillis(), u.lastSeenMillis()),
          (a, b) -> a.plus(u));
    }
    return new ObservedCalls(seen, denied, failed);
  }

  /** The actions used successfully. */
  Set<IamAction> actions() {
    Set<IamAction> actions = new HashSet<>();
    successful.keySet().forEach(access -> actions.add(access.action()));
    return actions;
  }

  /** What the role used when its grants are unknown: nothing explains it. */
  List<UsedPermission> usedWithoutGrants(IamCatalog catalog) {
    return usedPermissions(catalog, access -> {
      Seen s = successful.get(access);
      return new UsedResource(access.resource(), s.count(), s.first(), s.last(), null, false, RULE_GRANTS_UNKNOWN);
    });
  }

  /** What the role used, each (action, resource) with the statement that allows it, or the rule that it is not. */
  List<UsedPermission> usedUnder(GrantSet grantSet, IamCatalog catalog) {
    return usedPermissions(catalog, access -> usedResource(access, successful.get(access), grantSet, catalog));
  }

  /** The successful calls the tightener found the grants do not explain, with their counts. */
  List<UnexplainedCall> unexplained(List<UnexplainedAccess> uses) {
    List<UnexplainedCall> unexplained = new ArrayList<>();
    for (UnexplainedAccess use : uses) {
      Seen s = successful.get(use.access());
      if (s == null) {
        continue; // an unrecorded part, not a call: checked to be allowed by the grant before it was kept
      }
      unexplained.add(new UnexplainedCall(use.access().action(), use.access().resource(), s.count(), s.first(),
          s.last(), use.reason()));
    }
    return unexplained;
  }

  /**
   * Whether a successful call of the action may fall under this resource pattern (null: the
   * NotResource statement). An observed resource is itself a pattern: one that overlaps the
   * granted pattern may have used it, so the grant is not called unused.
   */
  boolean usedUnder(IamAction action, String pattern, Statement statement, GrantedPolicy policy,
      Optional<ActionInfo> info) {
    for (ActionOnResource access : successful.keySet()) {
      if (!access.action().equals(action)) {
        continue;
      }
      boolean resourceUnknown = access.resource().equals(ActionOnResource.ANY_RESOURCE)
          && info.map(ActionInfo::hasResourceTypes).orElse(true);
      if (resourceUnknown) {
        return true;
      }
      boolean under = pattern == null
          ? PolicyEvaluator.allowResourceApplies(statement, access.resource(), policy.document())
          : Patterns.resourceOverlaps(pattern, access.resource(), policy.document().supportsPolicyVariables()
              ? Patterns.Variables.MATCH_NOTHING : Patterns.Variables.LITERAL);
      if (under) {
        return true;
      }
    }
    return false;
  }

  private List<UsedPermission> usedPermissions(IamCatalog catalog, Function<ActionOnResource, UsedResource> row) {
    Map<IamAction, List<UsedResource>> byAction = new TreeMap<>();
    for (ActionOnResource access : successful.keySet()) {
      byAction.computeIfAbsent(access.action(), a -> new ArrayList<>()).add(row.apply(access));
    }
    List<UsedPermission> used = new ArrayList<>();
    byAction.forEach((action, resources) -> used.add(new UsedPermission(action,
        catalog.action(action).map(ActionInfo::accessLevel).orElse(null), resources)));
    return used;
  }

  private static UsedResource usedResource(ActionOnResource access, Seen s, GrantSet grantSet, IamCatalog catalog) {
    boolean resourceUnknown = access.resource().equals(ActionOnResource.ANY_RESOURCE)
        && catalog.action(access.action()).map(ActionInfo::hasResourceTypes).orElse(true);
    if (resourceUnknown) {
      for (var policy : grantSet.policies()) {
        List<Statement> statements = policy.document().statements();
        for (int i = 0; i < statements.size(); i++) {
          if (statements.get(i).effect() == Effect.ALLOW
              && PolicyEvaluator.actionApplies(statements.get(i), access.action())) {
            StatementRef ref = new StatementRef(policy.label(), i + 1, statements.get(i));
            return new UsedResource(access.resource(), s.count(), s.first(), s.last(), ref.toString(),
                ref.conditional(), RULE_RESOURCE_UNKNOWN);
          }
        }
      }
      return new UsedResource(access.resource(), s.count(), s.first(), s.last(), null, false, RULE_NOT_EXPLAINED);
    }
    Decision decision = PolicyEvaluator.evaluate(grantSet, access.action(), access.resource());
    if (!decision.allowedUnlessConditionalDeny()) {
      return new UsedResource(access.resource(), s.count(), s.first(), s.last(), null, false, RULE_NOT_EXPLAINED);
    }
    return new UsedResource(access.resource(), s.count(), s.first(), s.last(), decision.allowedBy().toString(),
        decision.allowConditional(), decision.allowed() ? RULE_ALLOWED : RULE_ALLOWED_UNLESS_DENY);
  }
}
