package dev.trailtrim.policy;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision.Verdict;
import dev.trailtrim.policy.Patterns.Variables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the suggested policy: observed successful use intersected with what is granted, plus
 * the granted permissions whose use cannot be observed (kept as granted), plus the granted Deny
 * statements (of the identity policies and the boundary) that touch any of it. Everything it
 * allows, the identity policies and the permissions boundary both allow (each allowed (action,
 * resource pattern) is checked with {@link PolicyEvaluator}; generalised resources are proved to
 * be covered by a granted pattern; kept and widened scopes are narrowed by
 * {@link PermissionsBoundary}); every observed call the grants allow, it allows.
 */
public final class PolicyTightener {

  private PolicyTightener() {}

  /** Resources of a statement plus its Condition: statements group actions by this. */
  record Scope(List<String> resources, List<String> notResources, Conditions conditions)
      implements Comparable<Scope> {
    Scope {
      resources = resources.stream().sorted().distinct().toList();
      notResources = notResources.stream().sorted().distinct().toList();
    }

    @Override
    public int compareTo(Scope o) {
      return Comparator.comparing((Scope s) -> s.resources.toString())
          .thenComparing(s -> s.notResources.toString())
          .thenComparing(s -> s.conditions.toString()).compare(this, o);
    }
  }

  /** One observed call on a known ARN and the statement that allows it. */
  record Used(IamAction action, String resource, StatementRef allowedBy) {}

  public static TighteningResult tighten(GrantSet granted, Collection<ActionOnResource> observedSuccessful,
      Collection<KeptPermission> keep, IamCatalog catalog) {
    return tighten(granted, observedSuccessful, keep, List.of(), catalog);
  }

  /**
   * @param keepAsIs identity statements to keep exactly as they are (an opt-out, or a role whose
   *                 observation is too short to remove anything). An Allow statement is written
   *                 verbatim when the permissions boundary provably allows all it grants; otherwise
   *                 its catalog actions are kept as granted within the boundary, and a note says so.
   *                 A Deny statement is always written as it is.
   */
  public static TighteningResult tighten(GrantSet granted, Collection<ActionOnResource> observedSuccessful,
      Collection<KeptPermission> keep, Collection<StatementRef> keepAsIs, IamCatalog catalog) {
    List<String> notes = new ArrayList<>();
    // Identity patterns the boundary only partly allows, with the actions they were left out for.
    Map<String, TreeSet<String>> dropped = new TreeMap<>();
    KeptAsIs asIs = keptAsIs(granted, keepAsIs, catalog, notes);
    Observed observed = observed(granted, observedSuccessful, asIs.refs(), catalog, dropped, notes);
    Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> kept = keptScopesByWhy(granted, keep, asIs, dropped, catalog);
    Fitted fitted = fitted(granted, asIs.verbatim(), observed, kept, dropped, catalog, notes);
    List<PolicyDocument> parts = parts(fitted, catalog, notes);
    dropped.forEach((what, actions) -> notes.add("Left out of the suggestion for " + String.join(", ", actions) + ": "
        + what));
    if (fitted.policy().statements().isEmpty()) {
      notes.add("Nothing to suggest: no successful call is explained by the grants and nothing is kept;"
          + " the policy has no statements and is not a valid IAM policy as it stands");
    }
    int size = fitted.size();
    PolicySize.Layout layout = size > PolicyJson.INLINE_ROLE_LIMIT ? PolicySize.Layout.MANAGED_POLICIES
        : PolicySize.Layout.INLINE;
    PolicySize policySize = new PolicySize(size, PolicyJson.INLINE_ROLE_LIMIT, size <= PolicyJson.INLINE_ROLE_LIMIT,
        fitted.generalised(), layout == PolicySize.Layout.INLINE ? 0 : parts.size(), layout,
        parts.stream().map(PolicyJson::sizeWithoutWhitespace).toList());
    return new TighteningResult(fitted.policy(), parts, observed.unexplained(), notes.stream().distinct().sorted()
        .toList(), policySize);
  }

  /**
   * Statements kept as they are.
   *
   * @param verbatim   written as they are (portable), under their own Sid where they have one
   * @param refs       the statements written verbatim
   * @param asGranted  statements kept as they are only within the boundary: their actions, written as kept
   *                   permissions are
   */
  record KeptAsIs(List<Statement> verbatim, Set<StatementRef> refs, Map<StatementRef, TreeSet<IamAction>> asGranted) {}

  /** Step 1: the statements to keep as they are, verbatim where the boundary allows all they grant. */
  static KeptAsIs keptAsIs(GrantSet granted, Collection<StatementRef> keepAsIs, IamCatalog catalog,
      List<String> notes) {
    List<Statement> verbatim = new ArrayList<>();
    Set<StatementRef> verbatimRefs = new HashSet<>();
    Map<StatementRef, TreeSet<IamAction>> keptAsGranted = new TreeMap<>(STATEMENT_ORDER);
    for (StatementRef ref : keepAsIs.stream().sorted(STATEMENT_ORDER).distinct().toList()) {
      Statement statement = ref.statement();
      PolicyDocument source = sourceOf(ref, granted);
      Statement portableStatement = new Statement(statement.sid(), statement.effect(), statement.actions(),
          statement.notActions(), portable(statement.resources(), source), portable(statement.notResources(), source),
          statement.conditions());
      if (statement.effect() == Effect.DENY || whollyWithinBoundary(granted, ref, catalog)) {
        verbatim.add(portableStatement);
        verbatimRefs.add(ref);
        continue;
      }
      notes.add(ref + " is kept as it is only within the permissions boundary " + granted.boundary().label()
          + ": its actions are written one by one on the resources the boundary allows");
      keptAsGranted.put(ref, grantedActions(statement, catalog));
    }
    return new KeptAsIs(verbatim, verbatimRefs, keptAsGranted);
  }

  /**
   * The observed calls as the suggestion allows them.
   *
   * @param used        calls on known resources with the statement that allows each
   * @param wholeScopes actions whose resource is unknown, kept on the resources their grant names
   * @param unexplained calls the grants do not explain
   */
  record Observed(List<Used> used, Map<Scope, TreeSet<IamAction>> wholeScopes, List<UnexplainedAccess> unexplained) {}

  /** Step 2: each observed successful call explained by the statement that allows it, or not explained. */
  static Observed observed(GrantSet granted, Collection<ActionOnResource> observedSuccessful,
      Set<StatementRef> verbatimRefs, IamCatalog catalog, Map<String, TreeSet<String>> dropped, List<String> notes) {
    Observed observed = new Observed(new ArrayList<>(), new TreeMap<>(), new ArrayList<>());
    for (ActionOnResource access : new TreeSet<>(observedSuccessful)) {
      Optional<ActionInfo> info = catalog.action(access.action());
      IamAction action = info.map(ActionInfo::action).orElse(access.action());
      boolean resourceUnknown = access.resource().equals(ActionOnResource.ANY_RESOURCE)
          && info.map(ActionInfo::hasResourceTypes).orElse(true);
      if (resourceUnknown) {
        resourceUnknown(granted, access, action, verbatimRefs, observed, dropped, notes);
        continue;
      }
      Decision decision = PolicyEvaluator.evaluate(granted, action, access.resource());
      if (!decision.allowedUnlessConditionalDeny()) {
        observed.unexplained().add(new UnexplainedAccess(access, decision.verdict(), explain(decision)));
      } else if (!verbatimRefs.contains(decision.allowedBy())) { // else the statement is written as it is
        observed.used().add(new Used(action, access.resource(), decision.allowedBy()));
      }
    }
    return observed;
  }

  /** A call whose resource is unknown: kept on the resources its grants name, within the boundary. */
  private static void resourceUnknown(GrantSet granted, ActionOnResource access, IamAction action,
      Set<StatementRef> verbatimRefs, Observed observed, Map<String, TreeSet<String>> dropped, List<String> notes) {
    List<StatementRef> granting = grantingStatements(granted, action);
    if (granting.isEmpty()) {
      observed.unexplained().add(new UnexplainedAccess(access, Verdict.NOT_ALLOWED,
          "no statement of the known policies allows " + action + " on any resource"));
      return;
    }
    boolean withinBoundary = false;
    for (StatementRef ref : granting) {
      if (verbatimRefs.contains(ref)) {
        withinBoundary = true; // written as it is, with all its resources
        continue;
      }
      Scope scope = withinBoundary(granted, action, ref, false, dropped);
      if (scope != null) {
        observed.wholeScopes().computeIfAbsent(scope, s -> new TreeSet<>()).add(action);
        withinBoundary = true;
      }
    }
    if (!withinBoundary) {
      observed.unexplained().add(new UnexplainedAccess(access, Verdict.NOT_ALLOWED_BY_BOUNDARY, "allowed by "
          + granting.get(0) + " but the permissions boundary allows it on no resource, yet it succeeded: the snapshot"
          + " differs from the policies in force then"));
      return;
    }
    notes.add("The resource of " + action + " calls is unknown; kept the resources its grant names"
        + (granted.boundary() == null ? "" : " within the permissions boundary"));
  }

  /** Step 3: the kept permissions (and the statements kept only within the boundary) as scopes, by why kept. */
  static Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> keptScopesByWhy(GrantSet granted,
      Collection<KeptPermission> keep, KeptAsIs asIs, Map<String, TreeSet<String>> dropped, IamCatalog catalog) {
    Map<KeptPermission.Why, Map<StatementRef, TreeSet<IamAction>>> keptByWhy = new TreeMap<>();
    for (KeptPermission kept : keep) {
      if (asIs.refs().contains(kept.grantedBy())) {
        continue;
      }
      IamAction action = catalog.action(kept.action()).map(ActionInfo::action).orElse(kept.action());
      keptByWhy.computeIfAbsent(kept.why(), w -> new TreeMap<>(STATEMENT_ORDER))
          .computeIfAbsent(kept.grantedBy(), s -> new TreeSet<>()).add(action);
    }
    asIs.asGranted().forEach((ref, actions) -> keptByWhy.computeIfAbsent(KeptPermission.Why.AS_GRANTED,
        w -> new TreeMap<>(STATEMENT_ORDER)).computeIfAbsent(ref, r -> new TreeSet<>()).addAll(actions));
    Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> keptScopesByWhy = new TreeMap<>();
    keptByWhy.forEach((why, byStatement) -> keptScopesByWhy.put(why, keptScopes(granted, byStatement, dropped,
        catalog)));
    return keptScopesByWhy;
  }

  /** The assembled policy, its size without whitespace, and whether resources were widened to make it fit. */
  record Fitted(PolicyDocument policy, int size, boolean generalised) {}

  /**
   * Step 4: the policy with the observed resources (generalised where the grant provably covers
   * them); when that is over IAM's inline limit, with the granted patterns that allow them instead,
   * if that is smaller.
   */
  static Fitted fitted(GrantSet granted, List<Statement> verbatim, Observed observed,
      Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> kept, Map<String, TreeSet<String>> dropped,
      IamCatalog catalog, List<String> notes) {
    PolicyDocument policy = assemble(granted, verbatim, literalScopes(granted, observed.used(), true),
        observed.wholeScopes(), kept, catalog);
    int size = PolicyJson.sizeWithoutWhitespace(policy);
    if (size <= PolicyJson.INLINE_ROLE_LIMIT) {
      return new Fitted(policy, size, false);
    }
    PolicyDocument coarse = assemble(granted, verbatim, coarseScopes(granted, observed.used(), dropped),
        observed.wholeScopes(), kept, catalog);
    int coarseSize = PolicyJson.sizeWithoutWhitespace(coarse);
    if (coarseSize >= size) {
      return new Fitted(policy, size, false);
    }
    notes.add("The suggestion was " + size + " characters, over IAM's " + PolicyJson.INLINE_ROLE_LIMIT
        + " for a role's inline policies; resources were widened to the granted patterns that allow them");
    return new Fitted(coarse, coarseSize, true);
  }

  /** Step 5: the documents to write: the policy itself, or the managed policies it is split into when too big. */
  static List<PolicyDocument> parts(Fitted fitted, IamCatalog catalog, List<String> notes) {
    int size = fitted.size();
    if (size <= PolicyJson.INLINE_ROLE_LIMIT) {
      return List.of(fitted.policy());
    }
    PolicySplitter.Split split = PolicySplitter.split(fitted.policy(), PolicyJson.MANAGED_POLICY_LIMIT, catalog);
    List<PolicyDocument> parts = split.parts();
    notes.addAll(split.notes());
    notes.add("Split: the suggestion is " + size + " characters, over IAM's " + PolicyJson.INLINE_ROLE_LIMIT
        + " for a role's inline policies; it is written as " + parts.size() + " managed policies of at most "
        + PolicyJson.MANAGED_POLICY_LIMIT + " characters each, which together allow exactly what it allows");
    if (parts.size() > MANAGED_POLICIES_PER_ROLE) {
      notes.add("The split needs " + parts.size() + " managed policies, more than the " + MANAGED_POLICIES_PER_ROLE
          + " IAM attaches to a role by default: raise the quota (up to 20) or trim the suggestion by hand");
    }
    return parts;
  }

  /** Managed policies IAM attaches to one role unless the account's quota is raised. */
  static final int MANAGED_POLICIES_PER_ROLE = 10;

  private static final Comparator<StatementRef> STATEMENT_ORDER = Comparator.comparing(StatementRef::policyLabel)
      .thenComparing(StatementRef::statementNumber);

  /** Kept actions per statement as statements' scopes, each narrowed to the boundary. */
  private static Map<Scope, TreeSet<String>> keptScopes(GrantSet granted,
      Map<StatementRef, TreeSet<IamAction>> keptByStatement, Map<String, TreeSet<String>> dropped, IamCatalog catalog) {
    Map<Scope, TreeSet<String>> keptScopes = new TreeMap<>();
    for (Map.Entry<StatementRef, TreeSet<IamAction>> entry : keptByStatement.entrySet()) {
      StatementRef ref = entry.getKey();
      Scope statementScope = scopeOf(ref, granted);
      // The boundary may leave each action a different part of the statement's resources, but leaves the same part
      // to actions of one boundary key: each group is narrowed once (a NotAction or "*" statement keeps thousands).
      Map<List<Object>, List<IamAction>> byBoundaryKey = new LinkedHashMap<>();
      for (IamAction action : entry.getValue()) {
        boolean requestStar = !catalog.action(action).map(ActionInfo::hasResourceTypes).orElse(true);
        byBoundaryKey.computeIfAbsent(boundaryKey(granted, action, requestStar), k -> new ArrayList<>()).add(action);
      }
      Map<Scope, TreeSet<IamAction>> byScope = new TreeMap<>();
      byBoundaryKey.forEach((key, actions) -> {
        PermissionsBoundary.Narrowed narrowed = PermissionsBoundary.narrow(granted, actions.get(0),
            statementScope.resources(), statementScope.notResources(), (Boolean) key.get(0));
        recordDropped(granted, actions, ref, narrowed, dropped);
        if (!narrowed.isEmpty()) {
          byScope.computeIfAbsent(new Scope(narrowed.resources(), narrowed.notResources(), statementScope.conditions()),
              s -> new TreeSet<>()).addAll(actions);
        }
      });
      byScope.forEach(
          (scope, actions) -> keptScopes.computeIfAbsent(scope, s -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
              .addAll(compactKept(ref.statement(), actions, scope, granted, catalog)));
    }
    return keptScopes;
  }

  /**
   * Whether the permissions boundary provably allows everything an identity Allow statement
   * grants, so that the statement can be written as it is (true without a boundary): each
   * action pattern is allowed by the boundary on every resource, or is one action whose resources
   * the boundary leaves whole.
   */
  private static boolean whollyWithinBoundary(GrantSet granted, StatementRef ref, IamCatalog catalog) {
    if (granted.boundary() == null) {
      return true;
    }
    Statement statement = ref.statement();
    Scope scope = scopeOf(ref, granted);
    if (PermissionsBoundary.coversWhole(granted, statement.actions(), statement.notActions(), scope.resources(),
        scope.notResources())) {
      return true;
    }
    if (!statement.notActions().isEmpty()) {
      return false;
    }
    for (String pattern : statement.actions()) {
      if (pattern.contains(":") && PermissionsBoundary.allowsActionPattern(granted, pattern)) {
        continue;
      }
      if (pattern.equals("*") || !Patterns.isWildcardFree(pattern)) {
        return false;
      }
      IamAction action = catalog.action(pattern).map(ActionInfo::action).orElse(IamAction.parse(pattern));
      boolean requestStar = !catalog.action(action).map(ActionInfo::hasResourceTypes).orElse(true);
      PermissionsBoundary.Narrowed narrowed = PermissionsBoundary.narrow(granted, action, scope.resources(),
          scope.notResources(), requestStar);
      if (!narrowed.dropped().isEmpty() || !new TreeSet<>(narrowed.resources()).equals(new TreeSet<>(scope.resources()))
          || !new TreeSet<>(narrowed.notResources()).equals(new TreeSet<>(scope.notResources()))) {
        return false;
      }
    }
    return true;
  }

  /** The catalog actions an Allow statement grants (and the unknown ones it names literally). */
  public static TreeSet<IamAction> grantedActions(Statement statement, IamCatalog catalog) {
    TreeSet<IamAction> actions = new TreeSet<>();
    if (!statement.actions().isEmpty()) {
      for (String pattern : statement.actions()) {
        if (Patterns.isWildcardFree(pattern)) {
          actions.add(catalog.action(pattern).map(ActionInfo::action).orElse(IamAction.parse(pattern)));
        } else {
          catalog.matching(pattern).forEach(info -> actions.add(info.action()));
        }
      }
      return actions;
    }
    // Every catalog action but those a NotAction pattern names: the sorted copy is linear, the removals few.
    TreeSet<IamAction> allBut = new TreeSet<>(catalog.allActions());
    statement.notActions().forEach(p -> catalog.matching(p).forEach(info -> allBut.remove(info.action())));
    return allBut;
  }

  private static PolicyDocument sourceOf(StatementRef ref, GrantSet granted) {
    return granted.policies().stream().filter(p -> p.label().equals(ref.policyLabel()))
        .map(LabeledPolicy::document).findFirst().orElse(null);
  }

  /** Why a successful call is not explained by the known grants. */
  public static String explain(Decision decision) {
    return switch (decision.verdict()) {
      case NOT_ALLOWED -> "no statement of the known policies allows it; a policy the snapshot lacks"
          + " (or a resource policy, or a change since the snapshot) must have";
      case EXPLICITLY_DENIED -> "explicitly denied by " + decision.denies().get(0)
          + ", yet it succeeded: the snapshot differs from the policies in force then";
      case NOT_ALLOWED_BY_BOUNDARY -> "allowed by " + decision.allowedBy()
          + " but outside the permissions boundary, yet it succeeded: the snapshot differs from the policies in force then";
      case ALLOWED, DENIED_OR_CONDITIONAL -> "allowed by " + decision.allowedBy();
    };
  }

  private static List<StatementRef> grantingStatements(GrantSet granted, IamAction action) {
    List<StatementRef> refs = new ArrayList<>();
    for (LabeledPolicy policy : granted.policies()) {
      List<Statement> statements = policy.document().statements();
      for (int i = 0; i < statements.size(); i++) {
        Statement statement = statements.get(i);
        if (statement.effect() == Effect.ALLOW && PolicyEvaluator.actionApplies(statement, action)) {
          refs.add(new StatementRef(policy.label(), i + 1, statement));
        }
      }
    }
    return refs;
  }

  private static Scope scopeOf(StatementRef ref, GrantSet granted) {
    PolicyDocument source = sourceOf(ref, granted);
    Statement statement = ref.statement();
    return new Scope(portable(statement.resources(), source), portable(statement.notResources(), source),
        statement.conditions());
  }

  /**
   * The statement's scope for one action, narrowed to what the permissions boundary allows
   * ({@link PermissionsBoundary#narrow}); null when the boundary leaves nothing of it. Identity
   * patterns the boundary only partly allows are recorded in {@code dropped}.
   */
  private static Scope withinBoundary(GrantSet granted, IamAction action, StatementRef ref, boolean requestStar,
      Map<String, TreeSet<String>> dropped) {
    Scope scope = scopeOf(ref, granted);
    PermissionsBoundary.Narrowed narrowed = PermissionsBoundary.narrow(granted, action, scope.resources(),
        scope.notResources(), requestStar);
    recordDropped(granted, List.of(action), ref, narrowed, dropped);
    return narrowed.isEmpty() ? null : new Scope(narrowed.resources(), narrowed.notResources(), scope.conditions());
  }

  /**
   * What narrowing a statement's scope depends on besides the statement: whether the request is on "*" and the
   * boundary Allow statements that name the action. Actions of one key are narrowed alike.
   */
  private static List<Object> boundaryKey(GrantSet granted, IamAction action, boolean requestStar) {
    List<Object> key = new ArrayList<>(List.of(requestStar));
    if (granted.boundary() != null) {
      List<Statement> boundaryStatements = granted.boundary().document().statements();
      for (int i = 0; i < boundaryStatements.size(); i++) {
        if (boundaryStatements.get(i).effect() == Effect.ALLOW
            && PolicyEvaluator.actionApplies(boundaryStatements.get(i), action)) {
          key.add(i);
        }
      }
    }
    return key;
  }

  /** Notes the identity patterns the boundary only partly allows, with the actions they were left out for. */
  private static void recordDropped(GrantSet granted, List<IamAction> actions, StatementRef ref,
      PermissionsBoundary.Narrowed narrowed, Map<String, TreeSet<String>> dropped) {
    for (PermissionsBoundary.Dropped drop : narrowed.dropped()) {
      TreeSet<String> leftOut = dropped.computeIfAbsent(drop.identityPattern() + " granted by " + ref
          + "; the permissions boundary " + granted.boundary().label() + " allows them only on "
          + drop.boundaryPatterns() + ", which neither contains it nor lies within it",
          k -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER));
      actions.forEach(action -> leftOut.add(action.toString()));
    }
  }

  /** Resource patterns of an old (2008-10-17) document mean the same in a 2012-10-17 one once '$' is escaped. */
  static List<String> portable(List<String> patterns, PolicyDocument source) {
    if (source == null || source.supportsPolicyVariables()) {
      return patterns;
    }
    return patterns.stream().map(p -> p.replace("$", "${$}")).toList();
  }

  /** Observed resources per (conditions, action), generalised where the grant provably covers it. */
  private static Map<Scope, TreeSet<IamAction>> literalScopes(GrantSet granted, List<Used> used, boolean generalise) {
    Map<IamAction, Map<Conditions, TreeSet<String>>> resources = new TreeMap<>();
    Map<IamAction, Map<Conditions, List<String>>> literals = new TreeMap<>();
    for (Used use : used) {
      Conditions conditions = use.allowedBy().statement().conditions();
      literals.computeIfAbsent(use.action(), a -> new TreeMap<>(Comparator.comparing(Conditions::toString)))
          .computeIfAbsent(conditions, c -> new ArrayList<>()).add(use.resource());
    }
    for (Map.Entry<IamAction, Map<Conditions, List<String>>> byAction : literals.entrySet()) {
      for (Map.Entry<Conditions, List<String>> byConditions : byAction.getValue().entrySet()) {
        TreeSet<String> patterns = generalise
            ? generalised(granted, byAction.getKey(), byConditions.getKey(), byConditions.getValue())
            : new TreeSet<>(byConditions.getValue());
        resources.computeIfAbsent(byAction.getKey(), a -> new TreeMap<>(Comparator.comparing(Conditions::toString)))
            .put(byConditions.getKey(), patterns);
      }
    }
    Map<Scope, TreeSet<IamAction>> scopes = new TreeMap<>();
    for (Map.Entry<IamAction, Map<Conditions, TreeSet<String>>> byAction : resources.entrySet()) {
      for (Map.Entry<Conditions, TreeSet<String>> byConditions : byAction.getValue().entrySet()) {
        scopes.computeIfAbsent(new Scope(List.copyOf(byConditions.getValue()), List.of(), byConditions.getKey()),
            s -> new TreeSet<>()).add(byAction.getKey());
      }
    }
    return scopes;
  }

  /**
   * Names that change with every invocation, deployment or execution, so that the ones observed
   * say little about tomorrow's: per service, the part of the resource that stays (group 1) and
   * the name that follows it.
   */
  private record ChangingName(String service, Pattern resource) {}

  private static final List<ChangingName> CHANGING_NAMES = List.of(
      // A new log stream per Lambda execution environment (2026/11/01/[$LATEST]217c...).
      new ChangingName("logs", Pattern.compile("(log-group:[^:]+:log-stream:).+")),
      // A new version number per publish; aliases and $LATEST are stable names and stay unless a version is seen.
      new ChangingName("lambda", Pattern.compile("(function:[^:]+:)\\d+")),
      // A new name per state machine execution.
      new ChangingName("states", Pattern.compile("((?:execution|express):[^:]+:).+")),
      // A new id per ECS task and per CodeBuild build.
      new ChangingName("ecs", Pattern.compile("(task/[^/]+/).+")),
      new ChangingName("codebuild", Pattern.compile("(build/[^:]+:).+")),
      // Indexes of a table are used as a set; a stream's label changes when the stream is re-enabled.
      new ChangingName("dynamodb", Pattern.compile("(table/[^/]+/(?:index|stream)/).+")));

  /**
   * S3 object keys of one bucket become their common prefix + {@code *}; names that change with
   * every invocation ({@link #CHANGING_NAMES}: log streams, Lambda versions, executions, tasks,
   * builds, table indexes and streams) become their stable part + {@code *}, even when only one was
   * seen. Each only where a granted pattern (with the same Condition) and the boundary cover the
   * result and the evaluator allows it.
   */
  private static TreeSet<String> generalised(GrantSet granted, IamAction action, Conditions conditions,
      List<String> arns) {
    TreeSet<String> result = new TreeSet<>();
    Map<String, List<String>> s3KeysByBucket = new TreeMap<>();
    Map<String, List<String>> byStablePart = new TreeMap<>();
    for (String arn : arns) {
      String[] parts = arn.split(":", 6);
      String stable = parts.length == 6 ? stablePart(parts[2], parts[5]) : null;
      if (parts.length == 6 && parts[2].equals("s3") && parts[3].isEmpty() && parts[4].isEmpty()
          && parts[5].indexOf('/') > 0) {
        int slash = parts[5].indexOf('/');
        String bucketArn = String.join(":", parts[0], parts[1], parts[2], "", "", parts[5].substring(0, slash + 1));
        s3KeysByBucket.computeIfAbsent(bucketArn, b -> new ArrayList<>()).add(parts[5].substring(slash + 1));
      } else if (stable != null) {
        String prefix = String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], stable);
        byStablePart.computeIfAbsent(prefix, t -> new ArrayList<>()).add(arn);
      } else {
        result.add(arn);
      }
    }
    for (Map.Entry<String, List<String>> bucket : s3KeysByBucket.entrySet()) {
      List<String> keys = bucket.getValue().stream().distinct().sorted().toList();
      if (keys.size() >= 2) {
        String prefix = commonPrefix(keys);
        prefix = prefix.substring(0, prefix.lastIndexOf('/') + 1);
        String keyPrefix = bucket.getKey() + prefix;
        if (grantCovers(granted, action, conditions, keyPrefix)) {
          result.add(keyPrefix + "*");
          continue;
        }
      }
      keys.forEach(key -> result.add(bucket.getKey() + key));
    }
    for (Map.Entry<String, List<String>> group : byStablePart.entrySet()) {
      if (grantCovers(granted, action, conditions, group.getKey())) {
        String generalisedName = group.getKey() + "*";
        result.removeIf(other -> other.startsWith(group.getKey())); // e.g. an alias of the same function
        result.add(generalisedName);
      } else {
        result.addAll(group.getValue());
      }
    }
    return result;
  }

  /** The stable part of a resource whose last name changes with every invocation, or null. */
  static String stablePart(String service, String resource) {
    for (ChangingName name : CHANGING_NAMES) {
      if (name.service().equals(service)) {
        Matcher m = name.resource().matcher(resource);
        if (m.matches()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  /**
   * Whether {@code prefix*} is covered by the grant for the action under the same Condition.
   * {@code prefix} is the start of an observed resource pattern (escapes and all).
   */
  static boolean grantCovers(GrantSet granted, IamAction action, Conditions conditions, String prefix) {
    String candidate = prefix + "*";
    boolean identity = false;
    for (LabeledPolicy policy : granted.policies()) {
      for (Statement statement : policy.document().statements()) {
        if (statement.effect() == Effect.ALLOW && statement.conditions().equals(conditions)
            && PolicyEvaluator.actionApplies(statement, action)
            && statement.resources().stream().anyMatch(p -> Patterns.resourceCovers(p, candidate,
                PolicyEvaluator.variablesOf(policy.document())))) {
          identity = true;
        }
      }
    }
    if (!identity) {
      return false;
    }
    if (granted.boundary() != null) {
      LabeledPolicy boundary = granted.boundary();
      boolean inBoundary = boundary.document().statements().stream()
          .anyMatch(statement -> statement.effect() == Effect.ALLOW && PolicyEvaluator.actionApplies(statement, action)
              && statement.resources().stream().anyMatch(p -> Patterns.resourceCovers(p, candidate,
                  PolicyEvaluator.variablesOf(boundary.document()))));
      if (!inBoundary) {
        return false;
      }
    }
    Decision probe = PolicyEvaluator.evaluate(granted, action, candidate);
    return probe.allowedUnlessConditionalDeny() && probe.allowedBy().statement().conditions().equals(conditions);
  }

  /**
   * Each observed resource replaced by the granted patterns of the allowing statement that cover
   * it, narrowed to the permissions boundary; the observed resource itself where they do not
   * cover it any more.
   */
  private static Map<Scope, TreeSet<IamAction>> coarseScopes(GrantSet granted, List<Used> used,
      Map<String, TreeSet<String>> dropped) {
    Map<Scope, TreeSet<IamAction>> scopes = new TreeMap<>();
    Map<IamAction, Map<Conditions, TreeSet<String>>> resources = new TreeMap<>();
    // Calls of one action allowed by one statement share its scope: narrowed once, not once per call (large
    // roles make thousands of calls under statements of thousands of patterns). Null stays a valid answer.
    // A statement is known by its policy and number (hashing the whole statement per call cost more than narrowing).
    Map<List<Object>, Scope> narrowedScopes = new HashMap<>();
    Map<List<Object>, CoveringPatterns> coveringPatterns = new HashMap<>();
    for (Used use : used) {
      Statement statement = use.allowedBy().statement();
      List<Object> key = List.of(use.action(), use.allowedBy().policyLabel(), use.allowedBy().statementNumber());
      Scope widened = narrowedScopes.containsKey(key) ? narrowedScopes.get(key)
          : withinBoundary(granted, use.action(), use.allowedBy(), false, dropped);
      narrowedScopes.putIfAbsent(key, widened);
      if (widened != null && !widened.notResources().isEmpty()) {
        scopes.computeIfAbsent(widened, s -> new TreeSet<>()).add(use.action());
        continue;
      }
      List<String> matching = widened == null ? List.of()
          : coveringPatterns.computeIfAbsent(key, k -> CoveringPatterns.of(widened.resources()))
              .covering(use.resource());
      if (matching.isEmpty()) {
        matching = List.of(use.resource());
      }
      resources.computeIfAbsent(use.action(), a -> new TreeMap<>(Comparator.comparing(Conditions::toString)))
          .computeIfAbsent(statement.conditions(), c -> new TreeSet<>()).addAll(matching);
    }
    for (Map.Entry<IamAction, Map<Conditions, TreeSet<String>>> byAction : resources.entrySet()) {
      for (Map.Entry<Conditions, TreeSet<String>> byConditions : byAction.getValue().entrySet()) {
        scopes.computeIfAbsent(new Scope(List.copyOf(byConditions.getValue()), List.of(), byConditions.getKey()),
            s -> new TreeSet<>()).add(byAction.getKey());
      }
    }
    return scopes;
  }

  /**
   * A scope's resource patterns, split to find those that cover one resource fast: a plain-text pattern covers
   * only its own text, so those are looked up, not compared one by one (statements of thousands of ARNs).
   */
  private record CoveringPatterns(Set<String> plainText, List<String> others) {
    static CoveringPatterns of(List<String> patterns) {
      Set<String> plainText = new HashSet<>();
      List<String> others = new ArrayList<>();
      patterns.forEach(p -> (Patterns.isPlainText(p) ? plainText : others).add(p));
      return new CoveringPatterns(plainText, others);
    }

    /** {@link Patterns#resourceCovers} of each pattern and the resource, in no particular order. */
    List<String> covering(String resource) {
      List<String> covering = new ArrayList<>();
      for (String pattern : others) {
        if (Patterns.resourceCovers(pattern, resource, Variables.MATCH_NOTHING)) {
          covering.add(pattern);
        }
      }
      if (plainText.contains(resource)) {
        covering.add(resource);
      }
      return covering;
    }
  }

  /**
   * Kept actions of one statement as patterns: a pattern of the statement whose every catalog
   * match is kept is written as granted ({@code s3:Get*}); for NotAction statements a whole
   * service becomes {@code svc:*} when no NotAction pattern can touch that service.
   */
  private static List<String> compactKept(Statement statement, Set<IamAction> kept, Scope scope, GrantSet granted,
      IamCatalog catalog) {
    Set<IamAction> remaining = new TreeSet<>(kept);
    List<String> patterns = new ArrayList<>();
    Map<String, List<IamAction>> byService = new TreeMap<>();
    kept.forEach(a -> byService.computeIfAbsent(a.service().toLowerCase(Locale.ROOT), s -> new ArrayList<>()).add(a));
    for (String service : byService.keySet()) {
      List<IamAction> all = catalog.actionsOf(service).stream().map(ActionInfo::action).toList();
      boolean wholeServiceGranted = !statement.actions().isEmpty()
          ? statement.actions().stream().anyMatch(p -> p.equals("*") || p.equalsIgnoreCase(service + ":*"))
          : statement.notActions().stream().noneMatch(p -> p.equals("*")
              || Patterns.actionMatches(p.substring(0, p.indexOf(':')) + ":x", new IamAction(service, "x")));
      // A wildcard also stands for actions the catalog does not know yet: only where the boundary allows it too.
      if (wholeServiceGranted && !all.isEmpty() && kept.containsAll(all)
          && boundaryAllows(granted, service + ":*", scope)) {
        patterns.add(service + ":*");
        all.forEach(remaining::remove);
      } else if (wholeServiceGranted) {
        // The statement grants the whole service, so any svc:Verb* it fully keeps can be written as that pattern.
        Set<String> verbs = new TreeSet<>();
        byService.get(service).forEach(a -> verbs.add(leadingWord(a.name())));
        for (String verb : verbs) {
          List<IamAction> matches =
              catalog.matching(service + ":" + verb + "*").stream().map(ActionInfo::action).toList();
          if (matches.size() > 1 && kept.containsAll(matches)
              && boundaryAllows(granted, service + ":" + verb + "*", scope)) {
            patterns.add(service + ":" + verb + "*");
            matches.forEach(remaining::remove);
          }
        }
      }
    }
    for (String pattern : statement.actions()) {
      if (Patterns.isWildcardFree(pattern) || pattern.equals("*")) {
        continue;
      }
      List<IamAction> matches = catalog.matching(pattern).stream().map(ActionInfo::action).toList();
      if (!matches.isEmpty() && kept.containsAll(matches) && matches.stream().anyMatch(remaining::contains)
          && boundaryAllows(granted, pattern, scope)) {
        patterns.add(pattern);
        matches.forEach(remaining::remove);
      }
    }
    remaining.forEach(a -> patterns.add(a.toString()));
    return patterns;
  }

  /** Whether the boundary allows an action pattern, future actions and all, on the whole scope it is written with. */
  private static boolean boundaryAllows(GrantSet granted, String pattern, Scope scope) {
    return PermissionsBoundary.allowsActionPattern(granted, pattern)
        || PermissionsBoundary.coversWhole(granted, List.of(pattern), List.of(), scope.resources(),
            scope.notResources());
  }

  /** {@code GetObjectAcl} gives {@code Get}: the verb IAM action names start with. */
  private static String leadingWord(String name) {
    int end = 1;
    while (end < name.length() && !Character.isUpperCase(name.charAt(end))) {
      end++;
    }
    return name.substring(0, end);
  }

  /** The suggested policy from its parts: verbatim statements, allowed scopes, kept scopes and the Denies they need. */
  private static PolicyDocument assemble(GrantSet granted, List<Statement> verbatim,
      Map<Scope, TreeSet<IamAction>> literal, Map<Scope, TreeSet<IamAction>> whole,
      Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> keptByWhy, IamCatalog catalog) {
    Map<Scope, TreeSet<IamAction>> allowed = new TreeMap<>();
    literal.forEach((scope, actions) -> allowed.computeIfAbsent(scope, s -> new TreeSet<>()).addAll(actions));
    whole.forEach((scope, actions) -> allowed.computeIfAbsent(scope, s -> new TreeSet<>()).addAll(actions));

    List<Statement> allowStatements = new ArrayList<>();
    allowed.forEach((scope, actions) -> allowStatements.add(statement(scope,
        actions.stream().map(IamAction::toString).toList())));
    Map<KeptPermission.Why, List<Statement>> keptStatements = new TreeMap<>();
    keptByWhy.forEach((why, kept) -> kept.forEach((scope, actions) -> keptStatements
        .computeIfAbsent(why, w -> new ArrayList<>()).add(statement(scope, List.copyOf(actions)))));
    List<Statement> denyStatements = denies(granted, verbatim, allowed, keptByWhy, catalog);
    Comparator<Statement> order = Comparator.comparing((Statement s) -> firstAction(s).toLowerCase(Locale.ROOT))
        .thenComparing(s -> s.resources().toString()).thenComparing(s -> s.conditions().toString());
    allowStatements.sort(order);
    keptStatements.values().forEach(list -> list.sort(order));
    return new PolicyDocument(PolicyDocument.CURRENT_VERSION,
        withSids(verbatim, allowStatements, keptStatements, denyStatements));
  }

  /**
   * The granted Deny statements (of the identity policies and the boundary) that may touch what
   * the suggestion allows: its boundary's Denies cap the role too, so the suggestion must not lose them.
   */
  static List<Statement> denies(GrantSet granted, List<Statement> verbatim, Map<Scope, TreeSet<IamAction>> allowed,
      Map<KeptPermission.Why, Map<Scope, TreeSet<String>>> keptByWhy, IamCatalog catalog) {
    Set<IamAction> allowedActions = new HashSet<>();
    allowed.values().forEach(allowedActions::addAll);
    List<String> allowedPatterns = new ArrayList<>();
    keptByWhy.values().forEach(kept -> kept.values().forEach(allowedPatterns::addAll));
    List<Statement> verbatimAllows = verbatim.stream().filter(s -> s.effect() == Effect.ALLOW).toList();
    boolean everyAction = verbatimAllows.stream().anyMatch(s -> !s.notActions().isEmpty());
    verbatimAllows.forEach(s -> allowedPatterns.addAll(s.actions()));
    // The catalog's matches of each wildcard, searched as they are: copying them into one set cost more than the
    // search (a verbatim "*" stands for every action of the catalog).
    List<List<ActionInfo>> matchesOfPatterns = new ArrayList<>();
    for (String pattern : new LinkedHashSet<>(allowedPatterns)) {
      if (Patterns.isWildcardFree(pattern)) {
        allowedActions.add(IamAction.parse(pattern));
      } else {
        matchesOfPatterns.add(catalog.matching(pattern));
      }
    }
    // A verbatim wildcard also stands for actions the catalog does not know yet: keep any Deny that may touch them.
    List<String> wildcardPatterns = verbatimAllows.stream().flatMap(v -> v.actions().stream())
        .filter(p -> !Patterns.isWildcardFree(p)).toList();
    List<Statement> denyStatements = new ArrayList<>();
    List<LabeledPolicy> withDenies = new ArrayList<>(granted.policies());
    if (granted.boundary() != null) {
      withDenies.add(granted.boundary());
    }
    for (LabeledPolicy policy : withDenies) {
      for (Statement statement : policy.document().statements()) {
        if (statement.effect() != Effect.DENY) {
          continue;
        }
        Statement deny = new Statement(statement.sid(), Effect.DENY, statement.actions(), statement.notActions(),
            portable(statement.resources(), policy.document()), portable(statement.notResources(), policy.document()),
            statement.conditions());
        if (!verbatim.contains(deny) && (everyAction
            || allowedActions.stream().anyMatch(a -> PolicyEvaluator.actionApplies(statement, a))
            || matchesOfPatterns.stream().flatMap(List::stream)
                .anyMatch(info -> PolicyEvaluator.actionApplies(statement, info.action()))
            || wildcardPatterns.stream().anyMatch(p -> mayOverlap(statement, p)))) {
          denyStatements.add(deny);
        }
      }
    }
    return denyStatements;
  }

  /**
   * The statements in their order, each under a Sid unique in the policy that says what it holds:
   * why it is there ({@code Allow} for observed use, {@link KeptPermission.Why#sidPrefix()} for what
   * is kept, {@code KeptDeny}, {@code KeptAsGranted}) and its services ({@link #holdsWord}). A
   * statement kept as it is keeps its own Sid where it has one.
   */
  static List<Statement> withSids(List<Statement> verbatim, List<Statement> allowStatements,
      Map<KeptPermission.Why, List<Statement>> keptStatements, List<Statement> denyStatements) {
    List<Statement> statements = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    // Statements kept as they are come first, under their own Sid where they have one.
    for (Statement s : verbatim) {
      String base = s.sid() != null && s.sid().matches("[A-Za-z0-9]+") ? s.sid()
          : s.sid() != null && !sidWord(s.sid()).isEmpty() ? sidWord(s.sid())
          : (s.effect() == Effect.DENY ? "KeptDeny" : "KeptAsGranted") + holdsWord(s);
      statements.add(s.withSid(uniqueSid(base, taken)));
    }
    for (Statement s : allowStatements) {
      statements.add(s.withSid(uniqueSid("Allow" + holdsWord(s), taken)));
    }
    keptStatements.forEach(
        (why, list) -> list.forEach(s -> statements.add(s.withSid(uniqueSid(why.sidPrefix() + holdsWord(s), taken)))));
    for (Statement s : denyStatements) {
      String base = s.sid() != null && !sidWord(s.sid()).isEmpty() ? "KeptDeny" + sidWord(s.sid())
          : "KeptDeny" + holdsWord(s);
      statements.add(s.withSid(uniqueSid(base, taken)));
    }
    return statements;
  }

  /** A Sid names at most this many services; beyond, the first ones and how many more. */
  static final int SID_SERVICES = 3;

  /**
   * The services a statement's actions belong to, as one Sid word in alphabetical order:
   * {@code DynamodbLogs}; {@code All} for {@code "*"}; {@code AllExceptIam} for NotAction;
   * over {@link #SID_SERVICES} services, {@code DynamodbLogsAnd2More}.
   */
  static String holdsWord(Statement s) {
    boolean except = s.actions().isEmpty();
    List<String> patterns = except ? s.notActions() : s.actions();
    if (!except && patterns.contains("*")) {
      return "All";
    }
    Set<String> services = new TreeSet<>();
    for (String pattern : patterns) {
      int colon = pattern.indexOf(':');
      services.add(colon < 0 ? "*" : pattern.substring(0, colon).toLowerCase(Locale.ROOT));
    }
    List<String> words = services.stream().map(service -> service.equals("*") ? "All" : sidWord(service)).toList();
    String named = words.size() <= SID_SERVICES ? String.join("", words)
        : String.join("", words.subList(0, SID_SERVICES - 1)) + "And" + (words.size() - SID_SERVICES + 1) + "More";
    return except ? "AllExcept" + named : named;
  }

  /**
   * Whether a Deny may apply to some action an allowed wildcard pattern stands for, the catalog's
   * or a future one: a NotAction Deny may; otherwise a Deny pattern of the same (or any) service.
   */
  static boolean mayOverlap(Statement deny, String allowedPattern) {
    if (!deny.notActions().isEmpty() || allowedPattern.equals("*")) {
      return true;
    }
    String service = allowedPattern.substring(0, Math.max(0, allowedPattern.indexOf(':')));
    for (String pattern : deny.actions()) {
      String denyService = pattern.indexOf(':') < 0 ? "*" : pattern.substring(0, pattern.indexOf(':'));
      if (denyService.equals("*") || !Patterns.isWildcardFree(service) || !Patterns.isWildcardFree(denyService)
          || denyService.equalsIgnoreCase(service)) {
        return true;
      }
    }
    return false;
  }

  private static Statement statement(Scope scope, List<String> actions) {
    return new Statement(null, Effect.ALLOW, actions, List.of(), scope.resources(), scope.notResources(),
        scope.conditions());
  }

  private static String firstAction(Statement s) {
    return s.actions().isEmpty() ? s.notActions().get(0) : s.actions().get(0);
  }

  /** IAM Sids allow only ASCII letters and digits. */
  private static String sidWord(String text) {
    StringBuilder word = new StringBuilder();
    boolean upper = true;
    for (char c : text.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        word.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    return word.toString();
  }

  /** The base itself, or the first of {@code base}Stmt2, Stmt3... that no statement of the policy has yet. */
  static String uniqueSid(String base, Set<String> taken) {
    String sid = base;
    for (int n = 2; !taken.add(sid); n++) {
      sid = base + "Stmt" + n;
    }
    return sid;
  }

  private static String commonPrefix(List<String> values) {
    String prefix = values.get(0);
    for (String value : values) {
      int i = 0;
      while (i < prefix.length() && i < value.length() && prefix.charAt(i) == value.charAt(i)) {
        i++;
      }
      prefix = prefix.substring(0, i);
    }
    return prefix;
  }
}
