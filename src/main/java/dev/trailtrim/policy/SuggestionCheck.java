package dev.trailtrim.policy;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision.Verdict;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Checks a suggested policy against the two promises it makes before anyone may download it: it allows nothing the
 * role's current grants do not (each action of each Allow statement on each of its resource patterns, under the same
 * Conditions; standing alone, without the boundary), and it allows every call it was made to keep that the grants
 * allow (a call of unknown resource, on every resource pattern the grants allow its action on). The tightener is built to keep both (TighteningInvariantsPropertyTest); this is the same test run on every
 * real role, so a defect in the catalog or the engine withholds a policy instead of widening or breaking a role.
 */
public final class SuggestionCheck {

  /** At most this many violations are named: one is enough to withhold the policy. */
  private static final int MAX_NAMED = 3;

  /** An action no service has: a statement allowing only it allows nothing. */
  private static final String NO_ACTION = "trailtrim:NeverAnAction";

  private SuggestionCheck() {}

  /**
   * @param granted   the role's grants as they are (identity policies and boundary)
   * @param suggested the suggestion, as the files hold it (all its parts)
   * @param mustAllow the (action, resource) the suggestion was made to keep: those the grants allow must stay
   * @return what breaks either promise, each naming the action and resource; empty when the suggestion keeps both
   */
  public static List<String> violations(GrantSet granted, List<PolicyDocument> suggested,
      Collection<ActionOnResource> mustAllow, IamCatalog catalog) {
    GrantSet suggestion = asGrants(suggested);
    ResourceProbes probes = new ResourceProbes(granted, suggestion);
    List<String> found = new ArrayList<>();
    widening(granted, suggestion, probes, catalog, found);
    if (found.size() < MAX_NAMED) {
      uncovered(granted, suggestion, probes, mustAllow, catalog, found);
    }
    return List.copyOf(found);
  }

  /** A suggestion's parts as the grants they would be, standing alone: labelled {@code suggested:<n>}. */
  public static GrantSet asGrants(List<PolicyDocument> suggested) {
    List<LabeledPolicy> parts = new ArrayList<>();
    for (int i = 0; i < suggested.size(); i++) {
      parts.add(new LabeledPolicy("suggested:" + (i + 1), suggested.get(i)));
    }
    return new GrantSet(parts, null);
  }

  /** Every action of every Allow statement of the suggestion, on each of its resource patterns, within the grants. */
  private static void widening(GrantSet granted, GrantSet suggestion, ResourceProbes probes, IamCatalog catalog,
      List<String> found) {
    Map<Conditions, GrantSet> vouching = new HashMap<>();
    ActionKinds kinds = new ActionKinds(granted, suggestion);
    for (LabeledPolicy part : suggestion.policies()) {
      for (Statement statement : part.document().statements()) {
        if (statement.effect() != Effect.ALLOW) {
          continue;
        }
        Map<IamAction, Integer> oneOfEach = kinds.oneOfEach(PolicyTightener.grantedActions(statement, catalog));
        List<String> resources = probes.coveredBy(statement);
        for (IamAction action : oneOfEach.keySet()) {
          for (String resource : resources) {
            Decision bySuggestion = PolicyEvaluator.evaluate(suggestion, action, resource);
            if (!bySuggestion.allowedUnlessConditionalDeny()) {
              continue; // a policy variable, or a Deny of the suggestion's own
            }
            // Vouched for under the Conditions of the statement that allows it (an unconditional one if any does).
            Decision byGrant = PolicyEvaluator.evaluate(vouching.computeIfAbsent(
                bySuggestion.allowedBy().statement().conditions(), c -> allowingUnder(granted, c)), action, resource);
            boolean within = bySuggestion.verdict() == Verdict.ALLOWED ? byGrant.verdict() == Verdict.ALLOWED
                : byGrant.allowedUnlessConditionalDeny();
            if (!within) {
              int alike = oneOfEach.get(action) - 1;
              found.add("it allows " + action + (alike == 0 ? "" : " (and " + alike + " more actions the policies treat"
                  + " alike)") + " on " + resource + " (" + part.label() + ", statement " + sidOrPlace(statement, part)
                  + "), which the role's grants do not (" + byGrant.verdict() + ")");
              if (found.size() >= MAX_NAMED) {
                return;
              }
            }
          }
        }
      }
    }
  }

  /**
   * Actions sorted into kinds that every statement of both grant sets treats alike: the evaluator reads an action
   * only through {@link PolicyEvaluator#actionApplies} (here {@link StatementActions}, the same answer), so actions of one kind get the same decision on any resource,
   * and one of each stands for all. A statement of thousands of actions ({@code NotAction}, {@code s3:*}) then costs
   * a few evaluations, not thousands.
   */
  private static final class ActionKinds {

    private final List<StatementActions> statements = new ArrayList<>();
    private final Map<IamAction, BitSet> kinds = new HashMap<>();

    ActionKinds(GrantSet... grantSets) {
      for (GrantSet grants : grantSets) {
        grants.policies().forEach(p -> p.document().statements().forEach(s -> statements.add(new StatementActions(s))));
        if (grants.boundary() != null) {
          grants.boundary().document().statements().forEach(s -> statements.add(new StatementActions(s)));
        }
      }
    }

    /** The first action of each kind among {@code actions}, in their order, with how many actions its kind has. */
    Map<IamAction, Integer> oneOfEach(Collection<IamAction> actions) {
      Map<BitSet, IamAction> first = new HashMap<>();
      Map<IamAction, Integer> counts = new LinkedHashMap<>();
      for (IamAction action : actions) {
        counts.merge(first.computeIfAbsent(kinds.computeIfAbsent(action, this::kind), k -> action), 1, Integer::sum);
      }
      return counts;
    }

    private BitSet kind(IamAction action) {
      BitSet applies = new BitSet(statements.size());
      String asciiKey = StatementActions.asciiKey(action);
      for (int i = 0; i < statements.size(); i++) {
        if (statements.get(i).applies(action, asciiKey)) {
          applies.set(i);
        }
      }
      return applies;
    }
  }

  /** Every call to keep that the grants allow, the suggestion allows too, and no more conditionally. */
  private static void uncovered(GrantSet granted, GrantSet suggestion, ResourceProbes probes,
      Collection<ActionOnResource> mustAllow, IamCatalog catalog, List<String> found) {
    for (ActionOnResource access : mustAllow) {
      // As the tightener tells them: "*" for an action that has resource types (or is not in the catalog).
      boolean resourceUnknown = access.resource().equals(ActionOnResource.ANY_RESOURCE)
          && catalog.action(access.action()).map(ActionInfo::hasResourceTypes).orElse(true);
      List<String> resources = resourceUnknown ? grantedResources(granted, access.action(), probes)
          : List.of(access.resource());
      for (String resource : resources) {
        Decision byGrant = PolicyEvaluator.evaluate(granted, access.action(), resource);
        if (!byGrant.allowedUnlessConditionalDeny()) {
          continue; // the grants' refusals stay refusals
        }
        Decision bySuggestion = PolicyEvaluator.evaluate(suggestion, access.action(), resource);
        if (!bySuggestion.allowedUnlessConditionalDeny() || bySuggestion.allowConditional()
            && !byGrant.allowConditional()) {
          found.add("it does not allow " + access.action() + " on " + resource + (resourceUnknown
              ? ", where the grants allow it and a call of it of unknown resource may have gone"
              : ", a call the role made successfully") + " (" + bySuggestion.verdict()
              + (bySuggestion.allowConditional() ? ", conditionally" : "") + ")");
          if (found.size() >= MAX_NAMED) {
            return;
          }
        }
      }
    }
  }

  /** The resource patterns of the identity Allow statements that grant the action: where a call may have gone. */
  private static List<String> grantedResources(GrantSet granted, IamAction action, ResourceProbes probes) {
    List<String> resources = new ArrayList<>();
    for (LabeledPolicy policy : granted.policies()) {
      for (Statement statement : policy.document().statements()) {
        if (statement.effect() == Effect.ALLOW && PolicyEvaluator.actionApplies(statement, action)) {
          resources.addAll(probes.coveredBy(statement));
        }
      }
    }
    return resources;
  }

  /**
   * The resources a statement's resource element is checked on: its Resource patterns, or, for a NotResource
   * statement (everything but its patterns), every pattern either policy set names that lies wholly outside them,
   * and a resource no policy names. Any widening of a NotResource statement shows on one of these: an excluded
   * pattern dropped, or a statement allowing beyond what the other set allows.
   */
  private static final class ResourceProbes {

    /** A resource of no real service: only wildcards reach it, as they reach any resource no policy names. */
    static final String ELSEWHERE = "arn:aws:trailtrim-probe:us-east-1:000000000000:elsewhere";

    private final GrantSet[] grantSets;
    /** Built for the first NotResource statement: most policies have none. */
    private List<String> named;

    ResourceProbes(GrantSet... grantSets) {
      this.grantSets = grantSets;
    }

    private List<String> named() {
      if (named != null) {
        return named;
      }
      LinkedHashSet<String> patterns = new LinkedHashSet<>();
      for (GrantSet grants : grantSets) {
        List<LabeledPolicy> all = new ArrayList<>(grants.policies());
        if (grants.boundary() != null) {
          all.add(grants.boundary());
        }
        for (LabeledPolicy policy : all) {
          for (Statement statement : policy.document().statements()) {
            patterns.addAll(statement.resources());
            patterns.addAll(statement.notResources());
          }
        }
      }
      patterns.add(ELSEWHERE);
      patterns.removeIf(p -> p.equals("*") || p.contains("${"));
      named = List.copyOf(patterns);
      return named;
    }

    List<String> coveredBy(Statement statement) {
      if (statement.notResources().isEmpty()) {
        return statement.resources();
      }
      return named().stream().filter(probe -> statement.notResources().stream()
          .noneMatch(excluded -> Patterns.resourceOverlaps(excluded, probe, Patterns.Variables.MATCH_ANYTHING)))
          .toList();
    }
  }

  /**
   * The grants with their Deny statements and only those Allow statements that vouch for an Allow under {@code
   * conditions}: unconditional ones and those with the very same Conditions. One under other Conditions cannot (it
   * may not hold when these do): it is replaced by one that matches nothing, so statement numbers stay.
   */
  public static GrantSet allowingUnder(GrantSet granted, Conditions conditions) {
    List<LabeledPolicy> policies = new ArrayList<>();
    for (LabeledPolicy policy : granted.policies()) {
      List<Statement> kept = policy.document().statements().stream()
          .map(s -> s.effect() == Effect.DENY || s.conditions().isEmpty() || s.conditions().equals(conditions) ? s
              : new Statement(s.sid(), Effect.ALLOW, List.of(NO_ACTION), List.of(), List.of("*"), List.of(),
                  Conditions.NONE))
          .toList();
      policies.add(new LabeledPolicy(policy.label(), new PolicyDocument(policy.document().version(), kept)));
    }
    return new GrantSet(policies, granted.boundary());
  }

  private static String sidOrPlace(Statement statement, LabeledPolicy part) {
    return statement.sid() != null ? statement.sid()
        : Integer.toString(part.document().statements().indexOf(statement) + 1);
  }
}
