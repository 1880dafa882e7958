package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;

/**
 * Keeps a role's usage small when it calls one action on very many resources (a function that
 * reads millions of S3 objects): such resources are grouped into families (an S3 bucket's keys,
 * the names that change per invocation, else the resource's parent path) and each family becomes
 * one resource pattern. Pure, so Spark can apply it where the usage lives and the driver only
 * ever sees the compact result.
 *
 * <p>Safe by construction: a family is keyed by its {@link #bound}, the granted pattern that
 * allows each of its members, and its pattern never reaches beyond that bound. The suggested
 * policy therefore still allows every call the role made successfully, and still grants nothing
 * the role does not have. A policy of that many single resources could not be written anyway
 * (IAM's size limits); the tightener would widen it the same way.
 */
public final class UsageCompaction {

  private UsageCompaction() {}

  /** The family a used resource pattern is grouped in: the part of it that does not vary. */
  public static String family(String resource) {
    String[] parts = resource.split(":", 6);
    if (parts.length < 6) {
      return resource;
    }
    String service = parts[2];
    String name = parts[5];
    String arnPrefix = resource.substring(0, resource.length() - name.length());
    if (service.equals("s3") && parts[3].isEmpty() && parts[4].isEmpty() && name.indexOf('/') > 0) {
      return arnPrefix + name.substring(0, name.indexOf('/') + 1);
    }
    String stable = PolicyTightener.stablePart(service, name);
    if (stable != null) {
      return arnPrefix + stable;
    }
    int parent = Math.max(name.lastIndexOf('/'), name.lastIndexOf(':'));
    return arnPrefix + name.substring(0, parent + 1);
  }

  /**
   * The widest pattern a compacted family of this resource may use: a resource pattern of the
   * statement that allows the call (or of the boundary statement, whichever the evaluator proves
   * allows all of it), or the empty string when none does (the call is not explained by the
   * grants, or only through NotResource). Members with different bounds are never compacted
   * together.
   */
  public static String bound(GrantSet grants, IamAction action, String resource) {
    if (grants == null) {
      return "";
    }
    Decision decision = PolicyEvaluator.evaluate(grants, action, resource);
    if (!decision.allowedUnlessConditionalDeny()) {
      return "";
    }
    for (StatementRef ref : new StatementRef[] {decision.allowedBy(), decision.boundaryAllowedBy()}) {
      String pattern = ref == null ? null : coveringPattern(grants, ref, resource);
      if (pattern != null && PolicyEvaluator.evaluate(grants, action, pattern).allowedUnlessConditionalDeny()) {
        return pattern;
      }
    }
    return "";
  }

  private static String coveringPattern(GrantSet grants, StatementRef ref, String resource) {
    LabeledPolicy policy = grants.boundary() != null && grants.boundary().label().equals(ref.policyLabel())
        ? grants.boundary()
        : grants.policies().stream().filter(p -> p.label().equals(ref.policyLabel())).findFirst().orElse(null);
    if (policy == null) {
      return null;
    }
    Patterns.Variables variables = PolicyEvaluator.variablesOf(policy.document());
    return ref.statement().resources().stream().filter(p -> Patterns.resourceCovers(p, resource, variables))
        .findFirst().orElse(null);
  }

  /** The longest common start of two resource patterns: associative and commutative, so Spark may merge in any order. */
  public static String commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i == a.length() ? a : a.substring(0, i);
  }

  /**
   * The one pattern a family of {@code members} resources stands for: their common prefix, cut
   * back to a whole path segment (so tomorrow's object {@code obj-10000} is as covered as today's
   * {@code obj-00001}), + {@code *} where the bound allows all of it, else the bound. A family of
   * one member is that member.
   *
   * @param commonPrefix the members' {@link #commonPrefix}
   * @param bound        the members' {@link #bound}; empty when there is none
   */
  public static String compacted(String commonPrefix, String bound, long members) {
    if (members == 1) {
      return commonPrefix;
    }
    String whole = wholeEscapes(commonPrefix);
    String candidate = whole.substring(0, Math.max(whole.lastIndexOf('/'), whole.lastIndexOf(':')) + 1) + "*";
    if (bound.isEmpty()) {
      // Refused, failed or unexplained calls: the pattern only reports them, it grants nothing.
      return candidate;
    }
    return Patterns.resourceCovers(bound, candidate, Patterns.Variables.MATCH_NOTHING) ? candidate : bound;
  }

  /** The prefix without a trailing, incomplete {@code ${x}} escape. */
  static String wholeEscapes(String prefix) {
    int i = 0;
    while (i < prefix.length()) {
      if (prefix.charAt(i) == '$') {
        if (i + 3 >= prefix.length() || prefix.charAt(i + 1) != '{' || prefix.charAt(i + 3) != '}') {
          return prefix.substring(0, i);
        }
        i += 4;
      } else {
        i++;
      }
    }
    return prefix;
  }
}
