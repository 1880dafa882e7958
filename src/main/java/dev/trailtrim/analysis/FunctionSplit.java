package dev.trailtrim.analysis;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicySize;
import dev.trailtrim.policy.PolicyTightener;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.policy.SuggestionCheck;
import dev.trailtrim.policy.TighteningResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A role that several functions share, split by function: for each, the role's suggestion tightened to the calls
 * of that function's sessions (Lambda names them after the function), made the way the role's is (the same
 * grants, the same kept permissions and statements, only the observed calls differ), so it lies within the
 * role's suggestion and allows every successful call of the function. Calls no function is known for (made by a
 * service on a function's behalf, or in a session that names no function of the role) could be any function's:
 * every function's policy allows them. A function that made no successful call of its own in the window gets no
 * policy: its needs are unknown (it may not have run, or runs less often than the window), and a policy of the
 * others' shared calls alone could break it; it is withheld with the reason, and stays on the role's suggestion.
 * The split is a proposal: giving each function a role of its own is the team's choice.
 *
 * @param functions    one per function of the role that has a policy, by name
 * @param unattributed the successful calls no function is known for, kept in every function's policy
 * @param withheld     the functions given no policy, by name, each with why
 */
public record FunctionSplit(List<FunctionPolicy> functions, List<ActionOnResource> unattributed,
    List<Withheld> withheld) {

  /** The role-level finding that proposes the split. */
  public static final String RULE_SHARED = "shared-by-functions";
  /** Why a function that made no successful call of its own gets no policy. */
  static final String NO_OWN_CALLS = "it made no successful call of its own in the window (it may not have run, or"
      + " runs less often), so its needs are unknown and a policy of the other functions' shared calls could break"
      + " it; it stays on the role's suggestion";
  /** The key of the calls no function is known for, in a usage split by function. */
  public static final String NO_FUNCTION = "";

  public FunctionSplit {
    functions = functions.stream().sorted((a, b) -> a.function().compareTo(b.function())).toList();
    unattributed = unattributed.stream().sorted().distinct().toList();
    withheld = withheld.stream().sorted((a, b) -> a.function().compareTo(b.function())).toList();
  }

  /** A function of the role given no policy of its own, and why. */
  public record Withheld(String function, String reason) {

    public Withheld {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * One function's suggested policy.
   *
   * @param actions    the catalog actions its Allow statements grant, counted as the role suggestion's are
   * @param used       the (action, resource) it used successfully, its own calls only
   * @param needsAlone what its policy allows and no other function's policy does: each action of its Allow
   *                   statements on each of their resource patterns
   */
  public record FunctionPolicy(String function, PolicyDocument policy, PolicySize size, int actions,
      List<ActionOnResource> used, List<ActionOnResource> needsAlone) {

    public FunctionPolicy {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(policy, "policy");
      used = used.stream().sorted().distinct().toList();
      needsAlone = needsAlone.stream().sorted().distinct().toList();
    }
  }

  /**
   * The sentence of the {@link #RULE_SHARED} finding: what each function needs that the others do not, and what
   * every function's policy keeps for calls no function is known for.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (FunctionPolicy function : functions) {
      parts.add(function.function() + " alone needs " + (function.needsAlone().isEmpty() ? "nothing the others do not"
          : String.join(", ", function.needsAlone().stream().map(a -> a.action() + " on " + a.resource()).toList())));
    }
    for (Withheld function : withheld) {
      parts.add(function.function() + " gets no policy of its own: " + function.reason());
    }
    String shared = unattributed.isEmpty() || functions.isEmpty() ? ""
        : "; each function's policy also allows the " + unattributed.size()
            + " permissions of calls no function is known for (made by a service on a function's behalf, or in other"
            + " sessions)";
    String apply = functions.isEmpty() ? ". No function has a policy of its own: the role's suggestion stays theirs"
        : ". Each function's policy under per-function/ lies within the role's suggestion: a role per function, each"
            + " with its own policy, would apply the split";
    return (functions.size() + withheld.size()) + " functions share the role: " + String.join("; ", parts) + shared
        + apply;
  }

  /**
   * What {@code policy} allows that none of {@code others} does, in the policies' own terms: each action of its
   * Allow statements on each of their resource patterns (so a bucket's objects stay one pattern, not a list).
   */
  static List<ActionOnResource> allowedAlone(PolicyDocument policy, List<PolicyDocument> others, IamCatalog catalog) {
    List<GrantSet> otherGrants = others.stream().map(o -> GrantSet.of(new LabeledPolicy("other", o))).toList();
    Set<ActionOnResource> alone = new TreeSet<>();
    for (Statement statement : policy.statements()) {
      if (statement.effect() != Effect.ALLOW) {
        continue;
      }
      for (IamAction action : PolicyTightener.grantedActions(statement, catalog)) {
        for (String resource : statement.resources()) {
          if (otherGrants.stream().noneMatch(o -> PolicyEvaluator.evaluate(o, action, resource).allowed())) {
            alone.add(new ActionOnResource(action, resource));
          }
        }
      }
    }
    return List.copyOf(alone);
  }

  /**
   * A role's usage as the split takes it: one entry per function of the role (empty for one that made no call in
   * the window), and under {@link #NO_FUNCTION} the calls of sessions that name none of them.
   *
   * @param functions the names of the role's functions (from the inventory, or inferred from the logs)
   * @param observed  the role's usage by session function name, as the window holds it; null when unknown
   * @return empty when fewer than two functions share the role: nothing to split
   */
  public static Map<String, RoleUsage> usageOf(String roleArn, Set<String> functions,
      Map<String, RoleUsage> observed) {
    if (functions.size() < 2) {
      return Map.of();
    }
    Map<String, RoleUsage> byFunction = new TreeMap<>();
    List<ActionUsage> unattributed = new ArrayList<>();
    Map<String, RoleUsage> seen = observed == null ? Map.of() : observed;
    seen.forEach((function, usage) -> {
      if (!functions.contains(function)) {
        unattributed.addAll(usage.usages());
      }
    });
    for (String function : functions) {
      byFunction.put(function, seen.getOrDefault(function, new RoleUsage(roleArn, List.of())));
    }
    byFunction.put(NO_FUNCTION, new RoleUsage(roleArn, unattributed));
    return byFunction;
  }

  /**
   * The split of a role whose diff is {@code diff}: each function's suggestion made as the role's is, from its own
   * calls and those no function is known for, and checked to lie within {@code roleSuggestion} (withheld if not).
   * Null when fewer than two functions share the role.
   */
  static FunctionSplit of(StatementDiff diff, Map<String, RoleUsage> usageByFunction, GrantSet grants,
      GrantSet roleSuggestion, IamCatalog catalog) {
    Set<String> functions = new TreeSet<>(usageByFunction.keySet());
    functions.remove(NO_FUNCTION);
    if (functions.size() < 2) {
      return null;
    }
    RoleUsage unattributed = usageByFunction.get(NO_FUNCTION);
    List<ActionUsage> sharedCalls = unattributed == null ? List.of() : unattributed.usages();
    Map<String, TighteningResult> tightened = new TreeMap<>();
    Map<String, List<ActionOnResource>> ownSuccessful = new TreeMap<>();
    List<Withheld> withheld = new ArrayList<>();
    for (String function : functions) {
      RoleUsage own = usageByFunction.get(function);
      ownSuccessful.put(function, List.copyOf(ObservedCalls.sort(own, catalog).successful().keySet()));
      if (ownSuccessful.get(function).isEmpty()) {
        withheld.add(new Withheld(function, NO_OWN_CALLS));
        continue;
      }
      List<ActionUsage> calls = new ArrayList<>(own.usages());
      calls.addAll(sharedCalls);
      ObservedCalls observed = ObservedCalls.sort(new RoleUsage(own.roleArn(), calls), catalog);
      TighteningResult result = RoleAnalyzer.suggest(diff, observed, grants, catalog);
      // Within the role's suggestion (itself checked against the grants), allowing what the function must keep.
      List<String> violations = SuggestionCheck.violations(roleSuggestion, result.parts(),
          RoleAnalyzer.mustKeep(diff, observed), catalog);
      if (violations.isEmpty()) {
        tightened.put(function, result);
      } else {
        withheld.add(new Withheld(function, RoleAnalyzer.selfCheckFailed("Its policy", violations).detail()));
      }
    }
    List<FunctionPolicy> policies = new ArrayList<>();
    for (String function : tightened.keySet()) {
      PolicyDocument policy = tightened.get(function).policy();
      List<PolicyDocument> others = new ArrayList<>();
      tightened.forEach((other, result) -> {
        if (!other.equals(function)) {
          others.add(result.policy());
        }
      });
      policies.add(new FunctionPolicy(function, policy, tightened.get(function).size(),
          RoleAnalyzer.allowedActions(policy, catalog),
          ownSuccessful.get(function),
          allowedAlone(policy, others, catalog)));
    }
    return new FunctionSplit(policies, unattributed == null ? List.of()
        : List.copyOf(ObservedCalls.sort(unattributed, catalog).successful().keySet()), withheld);
  }
}
