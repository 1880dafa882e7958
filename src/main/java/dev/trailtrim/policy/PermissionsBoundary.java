package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Patterns.Variables;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a role's permissions boundary leaves of its identity grants. IAM allows a call only when
 * an identity policy and the boundary both allow it, so a permission the boundary blocks is not
 * effectively granted: it is neither kept, nor unused, nor "not observable", and the suggestion
 * never writes it (suggested &sube; identity &cap; boundary, invariant 1). Without a boundary
 * everything granted is effective.
 */
public final class PermissionsBoundary {

  private PermissionsBoundary() {}

  /**
   * Where one identity statement's grant of one action lies within the boundary.
   *
   * @param resources    Resource patterns to write (empty with notResources, or when nothing is left)
   * @param notResources NotResource patterns to write (only when the identity statement had them
   *                     and the boundary allows the action everywhere)
   * @param dropped      identity patterns left out because the boundary's patterns for the action
   *                     neither contain them nor lie within them
   */
  record Narrowed(List<String> resources, List<String> notResources, List<Dropped> dropped) {
    boolean isEmpty() {
      return resources.isEmpty() && notResources.isEmpty();
    }
  }

  /** An identity pattern left out of the suggestion, and the boundary patterns that only overlap it. */
  record Dropped(String identityPattern, List<String> boundaryPatterns) {}

  /**
   * Whether the boundary allows {@code action} on at least some of what an identity statement
   * grants it on; true when the role has no boundary. When unsure it answers true, so nothing is
   * called blocked without proof (the suggestion is narrowed anyway).
   *
   * @param identityPattern a Resource pattern of the identity statement, or null for a NotResource statement
   * @param source          the identity policy the pattern comes from (its Version decides what {@code $} means)
   * @param requestStar     the action has no resource type: IAM asks about the resource {@code *} only
   */
  public static boolean allowsSomewhere(GrantSet granted, IamAction action, String identityPattern,
      PolicyDocument source, boolean requestStar) {
    LabeledPolicy boundary = granted.boundary();
    if (boundary == null) {
      return true;
    }
    String candidate = identityPattern == null ? "*" : portable(identityPattern, source);
    Variables variables = PolicyEvaluator.variablesOf(boundary.document());
    for (Statement statement : boundary.document().statements()) {
      if (statement.effect() == Effect.DENY && !statement.conditional()
          && PolicyEvaluator.actionApplies(statement, action)
          && surelyApplies(statement, candidate, variables, requestStar)) {
        return false;
      }
    }
    for (Statement statement : boundary.document().statements()) {
      if (statement.effect() == Effect.ALLOW && PolicyEvaluator.actionApplies(statement, action)
          && mayApply(statement, candidate, variables, requestStar)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The part of an identity statement's resources for {@code action} that the boundary allows:
   * an identity pattern the evaluator finds wholly inside the boundary stays; where the
   * boundary's patterns for the action are narrower (the identity pattern contains them), those
   * are written instead; where they only overlap, the identity pattern is dropped and reported.
   *
   * @param resources    the statement's Resource patterns, already valid in a 2012-10-17 document
   * @param notResources its NotResource patterns, likewise (one of the two lists is empty)
   */
  static Narrowed narrow(GrantSet granted, IamAction action, List<String> resources, List<String> notResources,
      boolean requestStar) {
    LabeledPolicy boundary = granted.boundary();
    if (boundary == null) {
      return new Narrowed(resources, notResources, List.of());
    }
    List<Statement> allows = boundary.document().statements().stream()
        .filter(s -> s.effect() == Effect.ALLOW && PolicyEvaluator.actionApplies(s, action)).toList();
    if (allows.isEmpty()) {
      return new Narrowed(List.of(), List.of(), List.of());
    }
    BoundaryAllows boundaryAllows = BoundaryAllows.of(allows, boundary.document());
    if (!requestStar && boundaryAllows.usesNotResource() && resources.contains("*")
        && !allowedByBoundary(granted, action, "*", false)) {
      return everyResourceWithinNotResource(boundaryAllows);
    }
    if (!notResources.isEmpty()) {
      if (allowedByBoundary(granted, action, "*", requestStar)) {
        return new Narrowed(List.of(), notResources, List.of());
      }
      return notResourceWithin(boundaryAllows, notResources);
    }
    return resourcesWithin(granted, action, resources, requestStar, boundaryAllows);
  }

  /**
   * The Allow statements of the boundary for one action.
   *
   * @param patterns     their Resource patterns, portable
   * @param notResources the NotResource lists of those that use NotResource, portable, in order
   */
  private record BoundaryAllows(List<String> patterns, List<List<String>> notResources) {
    static BoundaryAllows of(List<Statement> allows, PolicyDocument boundary) {
      List<String> patterns = new ArrayList<>();
      Set<List<String>> notResources = new LinkedHashSet<>();
      for (Statement statement : allows) {
        patterns.addAll(PolicyTightener.portable(statement.resources(), boundary));
        if (!statement.notResources().isEmpty()) {
          notResources.add(PolicyTightener.portable(statement.notResources(), boundary));
        }
      }
      return new BoundaryAllows(patterns, List.copyOf(notResources));
    }

    boolean usesNotResource() {
      return !notResources.isEmpty();
    }
  }

  /**
   * Every resource, within "all but these" of the boundary: exactly the boundary's (first)
   * NotResource. What the boundary allows besides (another NotResource statement, Resource
   * patterns outside it) is left out.
   */
  private static Narrowed everyResourceWithinNotResource(BoundaryAllows boundary) {
    List<String> first = boundary.notResources().get(0);
    List<Dropped> lost = new ArrayList<>();
    boundary.notResources().stream().skip(1)
        .forEach(other -> lost.add(new Dropped("*", List.of("NotResource " + other))));
    List<String> outside = boundary.patterns().stream().filter(p -> first.stream()
        .anyMatch(n -> Patterns.resourceOverlaps(n, p, Variables.MATCH_ANYTHING))).toList();
    if (!outside.isEmpty()) {
      lost.add(new Dropped("*", outside));
    }
    return new Narrowed(List.of(), first, lost);
  }

  /** Everything but the NotResource patterns: a boundary pattern they do not touch lies within it. */
  private static Narrowed notResourceWithin(BoundaryAllows boundary, List<String> notResources) {
    Set<String> kept = new LinkedHashSet<>();
    for (String pattern : boundary.patterns()) {
      if (notResources.stream().noneMatch(n -> Patterns.resourceOverlaps(n, pattern, Variables.MATCH_ANYTHING))) {
        kept.add(pattern);
      }
    }
    List<Dropped> dropped = new ArrayList<>();
    List<String> partly = boundary.patterns().stream().filter(p -> !kept.contains(p)).toList();
    if (!partly.isEmpty() || boundary.usesNotResource()) {
      dropped.add(new Dropped("NotResource " + notResources, partly));
    }
    return new Narrowed(List.copyOf(kept), List.of(), dropped);
  }

  /** Each identity pattern kept, replaced by the narrower boundary patterns it contains, or dropped. */
  private static Narrowed resourcesWithin(GrantSet granted, IamAction action, List<String> resources,
      boolean requestStar, BoundaryAllows boundary) {
    Variables variables = PolicyEvaluator.variablesOf(granted.boundary().document());
    Set<String> kept = new LinkedHashSet<>();
    List<Dropped> dropped = new ArrayList<>();
    for (String identity : resources) {
      if (allowedByBoundary(granted, action, identity, requestStar)) {
        kept.add(identity);
        continue;
      }
      if (requestStar) {
        continue;
      }
      List<String> overlapping = new ArrayList<>();
      for (String pattern : boundary.patterns()) {
        if (Patterns.resourceCovers(identity, pattern, Variables.MATCH_NOTHING)) {
          kept.add(pattern);
        } else if (Patterns.resourceOverlaps(pattern, identity, variables == Variables.LITERAL ? variables
            : Variables.MATCH_ANYTHING)) {
          overlapping.add(pattern);
        }
      }
      if (!overlapping.isEmpty() || (boundary.usesNotResource() && !kept.contains(identity))) {
        dropped.add(new Dropped(identity, overlapping));
      }
    }
    return new Narrowed(List.copyOf(kept), List.of(), dropped);
  }

  /** The evaluator's word: does a boundary Allow cover every resource the pattern names? */
  private static boolean allowedByBoundary(GrantSet granted, IamAction action, String pattern, boolean requestStar) {
    if (pattern.equals("*") && !requestStar) {
      // "*" as every resource (not the request resource "*"): only a boundary statement on every resource covers it.
      return granted.boundary().document().statements().stream().anyMatch(s -> s.effect() == Effect.ALLOW
          && PolicyEvaluator.actionApplies(s, action) && s.resources().contains("*"));
    }
    return PolicyEvaluator.evaluate(granted, action, pattern).boundaryAllowedBy() != null;
  }

  /** Whether the boundary has an Allow whose Action names this action pattern itself (or more) on every resource. */
  static boolean allowsActionPattern(GrantSet granted, String actionPattern) {
    LabeledPolicy boundary = granted.boundary();
    if (boundary == null) {
      return true;
    }
    String service = actionPattern.substring(0, actionPattern.indexOf(':') + 1);
    return boundary.document().statements().stream().anyMatch(s -> s.effect() == Effect.ALLOW
        && s.resources().contains("*")
        && s.actions().stream().anyMatch(p -> p.equals("*") || p.equalsIgnoreCase(service + "*")
            || p.equalsIgnoreCase(actionPattern)));
  }

  /**
   * Whether one boundary Allow statement allows every action the action side stands for (the
   * catalog's and future ones) on every resource of the resource side. Patterns are as written in
   * a 2012-10-17 document ({@link PolicyTightener#portable}). Like the evaluator, a boundary
   * statement's Condition is not evaluated. When unsure it answers false.
   *
   * @param actions      Action patterns, or empty with notActions
   * @param notActions   NotAction patterns, or empty with actions
   * @param resources    Resource patterns, or empty with notResources
   * @param notResources NotResource patterns, or empty with resources
   */
  static boolean coversWhole(GrantSet granted, List<String> actions, List<String> notActions, List<String> resources,
      List<String> notResources) {
    LabeledPolicy boundary = granted.boundary();
    if (boundary == null) {
      return true;
    }
    if (resources.stream().anyMatch(Patterns::hasPolicyVariable)
        || notResources.stream().anyMatch(Patterns::hasPolicyVariable)) {
      return false;
    }
    for (Statement statement : boundary.document().statements()) {
      if (statement.effect() == Effect.ALLOW && actionsCover(statement, actions, notActions)
          && resourcesCover(PolicyTightener.portable(statement.resources(), boundary.document()),
              PolicyTightener.portable(statement.notResources(), boundary.document()), resources, notResources)) {
        return true;
      }
    }
    return false;
  }

  private static boolean actionsCover(Statement boundary, List<String> actions, List<String> notActions) {
    if (boundary.actions().contains("*")) {
      return true;
    }
    if (!notActions.isEmpty()) {
      // All but N_S lies within all but N_B when every pattern of N_B is inside one of N_S.
      return !boundary.notActions().isEmpty() && boundary.notActions().stream()
          .allMatch(excluded -> notActions.stream().anyMatch(n -> actionPatternCovers(n, excluded)));
    }
    for (String pattern : actions) {
      boolean covered = !boundary.actions().isEmpty()
          ? boundary.actions().stream().anyMatch(q -> actionPatternCovers(q, pattern))
          : boundary.notActions().stream().noneMatch(excluded -> mayShareService(excluded, pattern));
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  /** Whether every action {@code inner} stands for, {@code outer} does too (exact for the forms IAM policies use). */
  static boolean actionPatternCovers(String outer, String inner) {
    if (outer.equals("*") || outer.equalsIgnoreCase(inner)) {
      return true;
    }
    if (Patterns.isWildcardFree(inner)) {
      return inner.indexOf(':') > 0 && Patterns.actionMatches(outer, IamAction.parse(inner));
    }
    String stem = outer.substring(0, outer.length() - 1);
    return outer.endsWith("*") && Patterns.isWildcardFree(stem) && stem.indexOf(':') > 0
        && inner.toLowerCase(java.util.Locale.ROOT).startsWith(stem.toLowerCase(java.util.Locale.ROOT));
  }

  private static boolean mayShareService(String a, String b) {
    String serviceA = a.indexOf(':') < 0 ? "*" : a.substring(0, a.indexOf(':'));
    String serviceB = b.indexOf(':') < 0 ? "*" : b.substring(0, b.indexOf(':'));
    return !Patterns.isWildcardFree(serviceA) || !Patterns.isWildcardFree(serviceB)
        || serviceA.equalsIgnoreCase(serviceB);
  }

  private static boolean resourcesCover(List<String> boundaryResources, List<String> boundaryNotResources,
      List<String> resources, List<String> notResources) {
    if (boundaryResources.contains("*")) {
      return true;
    }
    if (!resources.isEmpty() && !boundaryResources.isEmpty()) {
      return resources.stream().allMatch(r -> boundaryResources.stream()
          .anyMatch(b -> Patterns.resourceCovers(b, r, Variables.MATCH_NOTHING)));
    }
    if (!resources.isEmpty()) {
      return !resources.contains("*") && resources.stream().allMatch(r -> boundaryNotResources.stream()
          .noneMatch(n -> Patterns.resourceOverlaps(n, r, Variables.MATCH_ANYTHING)));
    }
    return !boundaryNotResources.isEmpty() && boundaryNotResources.stream()
        .allMatch(n -> notResources.stream().anyMatch(r -> Patterns.resourceCovers(r, n, Variables.MATCH_NOTHING)));
  }

  /** Boundary Deny statements with an unconditional verdict over the whole candidate. */
  private static boolean surelyApplies(Statement statement, String candidate, Variables variables,
      boolean requestStar) {
    Variables inResource = variables == Variables.LITERAL ? variables : Variables.MATCH_NOTHING;
    Variables inNotResource = variables == Variables.LITERAL ? variables : Variables.MATCH_ANYTHING;
    if (requestStar) {
      return !statement.resources().isEmpty()
          ? statement.resources().stream().anyMatch(p -> Patterns.resourceMatches(p, "*", inResource))
          : statement.notResources().stream().noneMatch(p -> Patterns.resourceMatches(p, "*", inNotResource));
    }
    return !statement.resources().isEmpty()
        ? statement.resources().stream().anyMatch(p -> Patterns.resourceCovers(p, candidate, inResource))
        : statement.notResources().stream().noneMatch(p -> Patterns.resourceOverlaps(p, candidate, inNotResource));
  }

  /** Whether a boundary Allow may allow some of what the candidate names. */
  private static boolean mayApply(Statement statement, String candidate, Variables variables, boolean requestStar) {
    Variables inResource = variables == Variables.LITERAL ? variables : Variables.MATCH_ANYTHING;
    Variables inNotResource = variables == Variables.LITERAL ? variables : Variables.MATCH_NOTHING;
    if (requestStar) {
      return !statement.resources().isEmpty()
          ? statement.resources().stream().anyMatch(p -> Patterns.resourceMatches(p, "*", inResource))
          : statement.notResources().stream().noneMatch(p -> Patterns.resourceMatches(p, "*", inNotResource));
    }
    return !statement.resources().isEmpty()
        ? statement.resources().stream().anyMatch(p -> Patterns.resourceOverlaps(p, candidate, inResource))
        : statement.notResources().stream().noneMatch(p -> Patterns.resourceCovers(p, candidate, inNotResource));
  }

  private static String portable(String pattern, PolicyDocument source) {
    return PolicyTightener.portable(List.of(pattern), source).get(0);
  }
}
