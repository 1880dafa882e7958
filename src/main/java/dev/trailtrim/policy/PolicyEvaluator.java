package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision.Verdict;
import dev.trailtrim.policy.Patterns.Variables;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that decides whether a role's policies allow an action on a resource, following
 * IAM's evaluation logic for identity policies within one account: an explicit Deny in any
 * identity policy or the boundary wins; otherwise some identity Allow must match, and a
 * permissions boundary, when present, must allow it as well. Conditions are not evaluated (the
 * request context is unknown): an Allow with a Condition is reported as conditional, a Deny with
 * a Condition as possibly applying. Policy variables make an Allow match nothing and a Deny
 * match anything (possibly), so the answer never overstates what is allowed.
 */
public final class PolicyEvaluator {

  private PolicyEvaluator() {}

  /**
   * @param resource a resource pattern as {@link dev.trailtrim.model.ActionOnResource} defines it
   *                 (a concrete ARN with {@code *}, {@code ?}, {@code $} escaped is the pattern of
   *                 just itself), or {@code *} for an action that takes no resource. A pattern is
   *                 allowed when every resource it names is; a Deny applies when it applies to all
   *                 of them and may apply when it may apply to any of them.
   */
  public static Decision evaluate(GrantSet grants, IamAction action, String resource) {
    return evaluate(grants, action, resource, null);
  }

  /**
   * {@link #evaluate(GrantSet, IamAction, String)} for one request whose context is known: a statement whose
   * Condition is false for it does not apply, one whose Condition is true applies as an unconditional one does,
   * and one whose Condition it cannot decide ({@link ConditionEvaluator}) stays conditional.
   *
   * @param context the request's condition keys; null when unknown (every Condition is then undecided)
   */
  public static Decision evaluate(GrantSet grants, IamAction action, String resource, RequestContext context) {
    List<StatementRef> certainDenies = new ArrayList<>();
    List<StatementRef> possibleDenies = new ArrayList<>();
    List<LabeledPolicy> all = new ArrayList<>(grants.policies());
    if (grants.boundary() != null) {
      all.add(grants.boundary());
    }
    for (LabeledPolicy policy : all) {
      List<Statement> statements = policy.document().statements();
      for (int i = 0; i < statements.size(); i++) {
        Statement statement = statements.get(i);
        ConditionEvaluator.Outcome condition = conditionOutcome(statement, context);
        if (statement.effect() != Effect.DENY || !actionApplies(statement, action)
            || condition == ConditionEvaluator.Outcome.FALSE) {
          continue;
        }
        Variables variables = variablesOf(policy.document());
        boolean surely = resourceApplies(statement, resource, variables, true);
        boolean maybe = surely || resourceApplies(statement, resource, variables, false);
        StatementRef ref = new StatementRef(policy.label(), i + 1, statement);
        if (surely && condition == ConditionEvaluator.Outcome.TRUE) {
          certainDenies.add(ref);
        } else if (maybe) {
          possibleDenies.add(ref);
        }
      }
    }
    StatementRef allowedBy = findAllow(grants.policies(), action, resource, context);
    StatementRef boundaryAllowedBy = grants.boundary() == null ? null
        : findAllow(List.of(grants.boundary()), action, resource, context);
    List<StatementRef> denies = new ArrayList<>(certainDenies);
    denies.addAll(possibleDenies);
    Verdict verdict;
    if (!certainDenies.isEmpty()) {
      verdict = Verdict.EXPLICITLY_DENIED;
    } else if (allowedBy == null) {
      verdict = Verdict.NOT_ALLOWED;
    } else if (grants.boundary() != null && boundaryAllowedBy == null) {
      verdict = Verdict.NOT_ALLOWED_BY_BOUNDARY;
    } else if (!possibleDenies.isEmpty()) {
      verdict = Verdict.DENIED_OR_CONDITIONAL;
    } else {
      verdict = Verdict.ALLOWED;
    }
    return new Decision(verdict, allowedBy, boundaryAllowedBy, denies);
  }

  /**
   * Whether the request is allowed for certain under its own context: allowed, no Deny may apply, and the
   * Condition of the allowing statement (and of the boundary's) holds for it.
   */
  public static boolean allowsUnder(GrantSet grants, IamAction action, String resource, RequestContext context) {
    Decision decision = evaluate(grants, action, resource, context);
    return decision.allowed() && conditionOutcome(decision.allowedBy().statement(), context)
        == ConditionEvaluator.Outcome.TRUE
        && (decision.boundaryAllowedBy() == null
            || conditionOutcome(decision.boundaryAllowedBy().statement(), context) == ConditionEvaluator.Outcome.TRUE);
  }

  /** Whether the statement's Action/NotAction covers the action (Effect and Resource not considered). */
  public static boolean actionApplies(Statement statement, IamAction action) {
    if (!statement.actions().isEmpty()) {
      return statement.actions().stream().anyMatch(p -> Patterns.actionMatches(p, action));
    }
    return statement.notActions().stream().noneMatch(p -> Patterns.actionMatches(p, action));
  }

  /**
   * Whether an Allow statement's Resource/NotResource surely covers the resource (variables
   * never widen it).
   */
  public static boolean allowResourceApplies(Statement statement, String resource, PolicyDocument document) {
    return resourceApplies(statement, resource, variablesOf(document), true);
  }

  static Variables variablesOf(PolicyDocument document) {
    return document.supportsPolicyVariables() ? Variables.MATCH_NOTHING : Variables.LITERAL;
  }

  /**
   * @param surely true: answer "certainly applies" (variables in Resource match nothing, in
   *               NotResource anything); false: "may apply" (the reverse)
   */
  private static boolean resourceApplies(Statement statement, String resource, Variables variables, boolean surely) {
    Variables inResource = variables == Variables.LITERAL ? variables
        : surely ? Variables.MATCH_NOTHING : Variables.MATCH_ANYTHING;
    Variables inNotResource = variables == Variables.LITERAL ? variables
        : surely ? Variables.MATCH_ANYTHING : Variables.MATCH_NOTHING;
    if (resource.equals("*")) {
      // The request's resource "*" of an action without resource types: matched as the literal text.
      if (!statement.resources().isEmpty()) {
        return statement.resources().stream().anyMatch(p -> Patterns.resourceMatches(p, resource, inResource));
      }
      return statement.notResources().stream().noneMatch(p -> Patterns.resourceMatches(p, resource, inNotResource));
    }
    // "Surely" needs the statement to cover every resource the pattern names; "may" needs one in common.
    if (!statement.resources().isEmpty()) {
      return statement.resources().stream().anyMatch(p -> surely
          ? Patterns.resourceCovers(p, resource, inResource) : Patterns.resourceOverlaps(p, resource, inResource));
    }
    return statement.notResources().stream().noneMatch(p -> surely
        ? Patterns.resourceOverlaps(p, resource, inNotResource) : Patterns.resourceCovers(p, resource, inNotResource));
  }

  /** Whether the statement's Condition holds: TRUE without one, UNKNOWN with one and no context. */
  private static ConditionEvaluator.Outcome conditionOutcome(Statement statement, RequestContext context) {
    if (!statement.conditional()) {
      return ConditionEvaluator.Outcome.TRUE;
    }
    return context == null ? ConditionEvaluator.Outcome.UNKNOWN
        : ConditionEvaluator.evaluate(statement.conditions(), context);
  }

  /**
   * The first matching Allow whose Condition holds (or that has none), else the first whose Condition is
   * undecided, else null.
   */
  private static StatementRef findAllow(List<LabeledPolicy> policies, IamAction action, String resource,
      RequestContext context) {
    StatementRef conditional = null;
    for (LabeledPolicy policy : policies) {
      List<Statement> statements = policy.document().statements();
      for (int i = 0; i < statements.size(); i++) {
        Statement statement = statements.get(i);
        if (statement.effect() != Effect.ALLOW || !actionApplies(statement, action)
            || !resourceApplies(statement, resource, variablesOf(policy.document()), true)) {
          continue;
        }
        StatementRef ref = new StatementRef(policy.label(), i + 1, statement);
        ConditionEvaluator.Outcome condition = conditionOutcome(statement, context);
        if (condition == ConditionEvaluator.Outcome.TRUE) {
          return ref;
        }
        if (condition == ConditionEvaluator.Outcome.UNKNOWN && conditional == null) {
          conditional = ref;
        }
      }
    }
    return conditional;
  }
}
