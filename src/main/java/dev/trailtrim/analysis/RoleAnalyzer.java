package dev.trailtrim.analysis;

import dev.trailtrim.analysis.StatementDiff.Keep;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.ObservedOnlyPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyTightener;
import dev.trailtrim.policy.SuggestionCheck;
import dev.trailtrim.policy.TighteningResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The diff for one role: observed use against granted policies. Each finding records the rule
 * that decided it. The analysis runs as steps: sort the calls ({@link ObservedCalls}), stop early
 * for a skipped role or unknown or incomplete grants, guard the role as a whole
 * ({@link #roleGuards}), diff each statement ({@link StatementDiff}), suggest a policy
 * ({@link #suggest}) and rank what is unused ({@link UnusedCandidate#ranked}).
 */
public final class RoleAnalyzer {

  public static final String RULE_ALLOWED = "allowed-by-grant";
  public static final String RULE_ALLOWED_UNLESS_DENY = "allowed-unless-conditional-deny";
  public static final String RULE_RESOURCE_UNKNOWN = "resource-unknown-granted-for-action";
  public static final String RULE_NOT_EXPLAINED = "not-explained-by-grant";
  public static final String RULE_GRANTS_UNKNOWN = "grants-unknown";
  /** A policy of the role is missing from the snapshot, or two copies of the role disagree. */
  public static final String RULE_GRANTS_INCOMPLETE = "grants-incomplete";
  public static final String RULE_MANAGEMENT_NEVER_SEEN = "management-event-never-seen";
  public static final String RULE_DATA_NEVER_SEEN = "data-event-logged-never-seen";
  public static final String RULE_NEEDS_STAR = "action-needs-resource-star";
  public static final String RULE_SERVICE_NEVER_SEEN = "service-never-seen";
  /** Granted by an identity policy, but the permissions boundary allows the action on none of its resources. */
  public static final String RULE_BLOCKED_BY_BOUNDARY = "blocked-by-boundary";
  /** Safety controls ({@link SafetyControls}): what they keep, or that they skipped the role. */
  public static final String RULE_SKIPPED = "skipped-by-config";
  public static final String RULE_PROTECTED = "protected-by-config";
  public static final String RULE_OPTED_OUT = "opted-out-by-sid";
  public static final String RULE_WINDOW_TOO_SHORT = "observation-window-too-short";
  public static final String RULE_ROLE_TOO_NEW = "role-too-new";
  /** The suggestion would allow what the grants do not, or not a call the role made: withheld ({@link
   * SuggestionCheck}). A defect of trailtrim's, never of the role: the report asks for it to be reported. */
  public static final String RULE_SELF_CHECK = "suggestion-failed-self-check";

  private RoleAnalyzer() {}

  /** Without safety controls: everything unused may be suggested for removal. */
  public static RoleAnalysis analyze(RoleContext ctx, RoleGrants grants, RoleUsage usage, IamCatalog catalog,
      Observability observability) {
    return analyze(ctx, grants, usage, catalog, observability, SafetyControls.NONE);
  }

  /**
   * @param grants null when the role is not in the snapshot
   * @param safety what the configuration protects from removal
   */
  public static RoleAnalysis analyze(RoleContext ctx, RoleGrants grants, RoleUsage usage, IamCatalog catalog,
      Observability observability, SafetyControls safety) {
    return analyze(ctx, grants, usage, catalog, observability, safety, null);
  }

  /**
   * @param observability the role's view of the logs ({@link LogEvidence#over}): where its account
   *                      and regions are not covered, nothing is observable
   * @param evidence      what the logs could show about the role, for its report; null when unknown
   */
  public static RoleAnalysis analyze(RoleContext ctx, RoleGrants grants, RoleUsage usage, IamCatalog catalog,
      Observability observability, SafetyControls safety, LogEvidence evidence) {
    return analyze(ctx, grants, usage, catalog, observability, safety, evidence, Map.of());
  }

  /**
   * @param usageByFunction the role's usage split by function ({@link FunctionSplit#usageOf}); empty when fewer
   *                        than two functions share the role. With two or more, each gets a policy of its own
   *                        within the role's suggestion ({@link RoleAnalysis#split()})
   */
  public static RoleAnalysis analyze(RoleContext ctx, RoleGrants grants, RoleUsage usage, IamCatalog catalog,
      Observability observability, SafetyControls safety, LogEvidence evidence,
      Map<String, RoleUsage> usageByFunction) {
    ObservedCalls calls = ObservedCalls.sort(usage, catalog);
    RoleAnalysis.Builder analysis = RoleAnalysis.builder(ctx).calls(calls.denied(), calls.failed()).evidence(evidence);
    String skippedBy = safety.skipping(ctx.roleArn());
    if (skippedBy != null) {
      return skipped(analysis, grants, calls, catalog, skippedBy);
    }
    if (grants == null) {
      return analysis.used(calls.usedWithoutGrants(catalog)).problem("Role " + ctx.roleArn() + " is not in the IAM"
          + " snapshot: its grants are unknown, so nothing is called unused and no policy is suggested")
          .observedOnly(observedOnly(usage, calls.failed(), catalog)).build();
    }
    analysis.grants(summary(grants, Set.of()), grants.createDate()).problems(grants.problems())
        .used(calls.usedUnder(grants.grantSet(), catalog));
    if (!grants.complete()) {
      // A suggestion built on part of the grants could break what the missing part allows; one built
      // on the wrong copy could widen (DESIGN.md, invariant 6).
      return analysis.decision(new SafetyDecision(RULE_GRANTS_INCOMPLETE, "The role's grants are not fully known ("
          + String.join("; ", grants.missingGrants()) + "): nothing is called unused and no policy is suggested"))
          .build();
    }
    List<SafetyDecision> decisions = roleGuards(ctx, grants, safety);
    StatementDiff diff = new StatementDiff(calls, grants.grantSet(), observability, safety, catalog)
        .diffAll(grants.policies(), decisions.isEmpty() ? null : new Keep(decisions.get(0).rule(),
            decisions.get(0).detail()));
    TighteningResult tightened = suggest(diff, calls, grants.grantSet(), catalog);
    PrivilegeEscalation escalation = PrivilegeEscalation.loadDefault();
    analysis.grants(summary(grants, diff.grantedActions), grants.createDate()).problems(diff.problems)
        .problems(tightened.notes())
        .unused(diff.unused.stream().map(c -> c.ranked(diff.effective, escalation, catalog)).toList())
        .notObservable(diff.notObservable).unexplained(calls.unexplained(tightened.unexplained()))
        .keptBySafety(diff.keptBySafety).decisions(decisions);
    List<String> violations = SuggestionCheck.violations(grants.grantSet(), tightened.parts(),
        mustKeep(diff, calls), catalog);
    if (!violations.isEmpty()) {
      return analysis.decision(selfCheckFailed("The suggested policy", violations)).build();
    }
    return analysis.suggestion(tightened.policy(), tightened.size(), tightened.parts(),
        allowedActions(tightened.policy(), catalog))
        .split(FunctionSplit.of(diff, usageByFunction, grants.grantSet(), SuggestionCheck.asGrants(tightened.parts()),
            catalog))
        .build();
  }

  /** The decision that withholds a policy whose {@link SuggestionCheck} failed, naming what failed. */
  static SafetyDecision selfCheckFailed(String what, List<String> violations) {
    return new SafetyDecision(RULE_SELF_CHECK, what + " failed trailtrim's own check, so it is withheld: "
        + String.join("; ", violations) + ". This is a defect in trailtrim, not in the role: please report it with"
        + " this role's report; until then keep the role's current policies");
  }

  /** The catalog actions a policy's Allow statements grant, counted as the granted side is. */
  static int allowedActions(PolicyDocument policy, IamCatalog catalog) {
    Set<IamAction> actions = new HashSet<>();
    policy.statements().stream().filter(s -> s.effect() == Effect.ALLOW)
        .forEach(s -> actions.addAll(PolicyTightener.grantedActions(s, catalog)));
    return actions.size();
  }

  /** A role the configuration skips: what it used is reported, its grants are not diffed. */
  private static RoleAnalysis skipped(RoleAnalysis.Builder analysis, RoleGrants grants, ObservedCalls calls,
      IamCatalog catalog, String skippedBy) {
    analysis.decision(new SafetyDecision(RULE_SKIPPED, "The role ARN matches skip.roles pattern '" + skippedBy
        + "': its grants are not diffed and no policy is suggested"));
    if (grants == null) {
      return analysis.used(calls.usedWithoutGrants(catalog)).build();
    }
    return analysis.grants(summary(grants, Set.of()), grants.createDate())
        .used(calls.usedUnder(grants.grantSet(), catalog)).build();
  }

  /** The role's successful calls as a policy checked against no grant; the calls that failed after IAM allowed them named. */
  private static ObservedOnlyPolicy observedOnly(RoleUsage usage, List<FailedCall> failed, IamCatalog catalog) {
    Set<ActionOnResource> succeeded = new TreeSet<>();
    usage.usages().stream().filter(ActionUsage::succeeded).forEach(u -> succeeded.add(new ActionOnResource(
        catalog.action(u.access().action()).map(ActionInfo::action).orElse(u.access().action()),
        u.access().resource())));
    List<ActionOnResource> leftOut = failed.stream().filter(FailedCall::countsAsUse)
        .map(f -> new ActionOnResource(f.action(), f.resource())).toList();
    return ObservedOnlyPolicy.build(succeeded, leftOut, catalog);
  }

  /** The suggested policy: what was used, plus what the diff keeps, as narrow as the grants allow. */
  static TighteningResult suggest(StatementDiff diff, ObservedCalls calls, GrantSet grantSet, IamCatalog catalog) {
    return PolicyTightener.tighten(grantSet, mustKeep(diff, calls), diff.kept, diff.keepAsIs, catalog);
  }

  /** The (action, resource) a suggestion keeps: every successful call, and what the logs do not record. */
  static Set<ActionOnResource> mustKeep(StatementDiff diff, ObservedCalls calls) {
    Set<ActionOnResource> toKeep = new TreeSet<>(calls.successful().keySet());
    toKeep.addAll(diff.unrecorded);
    return toKeep;
  }

  private static GrantedSummary summary(RoleGrants grants, Set<IamAction> grantedActions) {
    return new GrantedSummary(grants.policies().stream().map(GrantedPolicy::label).toList(),
        grants.boundary() == null ? null : grants.boundary().label(), grantedActions.size());
  }

  /**
   * Whether the role was observed long enough for absence of use to mean anything: the window
   * must have {@code min.observation.days}, the role (from its CreateDate to the window's end)
   * {@code min.role.age.days}. Each shortfall keeps everything granted.
   */
  static List<SafetyDecision> roleGuards(RoleContext ctx, RoleGrants grants, SafetyControls safety) {
    List<SafetyDecision> decisions = new ArrayList<>();
    long windowDays = ctx.window().days();
    if (windowDays < safety.minObservationDays()) {
      decisions.add(new SafetyDecision(RULE_WINDOW_TOO_SHORT, "The window " + ctx.window().from() + ".."
          + ctx.window().to() + " has " + windowDays + " days, fewer than min.observation.days="
          + safety.minObservationDays()
          + ": nothing is suggested for removal, the suggestion keeps everything granted"));
    }
    if (safety.minRoleAgeDays() > 0) {
      Instant windowEnd = ctx.window().to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      if (grants.createDate() == null) {
        decisions.add(new SafetyDecision(RULE_ROLE_TOO_NEW, "The snapshot has no CreateDate for the role, so its age"
            + " is unknown and min.role.age.days=" + safety.minRoleAgeDays() + " cannot be met: the suggestion keeps"
            + " everything granted"));
      } else {
        long ageDays = Duration.between(grants.createDate(), windowEnd).toDays();
        if (ageDays < safety.minRoleAgeDays()) {
          decisions.add(new SafetyDecision(RULE_ROLE_TOO_NEW, "The role was created " + grants.createDate() + ", "
              + ageDays + " days before the window's end, fewer than min.role.age.days=" + safety.minRoleAgeDays()
              + ": nothing is suggested for removal, the suggestion keeps everything granted"));
        }
      }
    }
    return decisions;
  }
}
