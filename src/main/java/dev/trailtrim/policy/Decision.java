package dev.trailtrim.policy;

import java.util.List;
import java.util.Objects;

/**
 * The evaluator's answer for one (action, resource).
 *
 * @param verdict           see {@link Verdict}
 * @param allowedBy         the identity statement that allows it (an unconditional one when there
 *                          is one), or null
 * @param boundaryAllowedBy the boundary statement that allows it, or null (also null without a boundary)
 * @param denies            identity or boundary Deny statements that apply or may apply
 */
public record Decision(Verdict verdict, StatementRef allowedBy, StatementRef boundaryAllowedBy,
    List<StatementRef> denies) {

  public enum Verdict {
    /** An Allow matches, the boundary (if any) allows, and no Deny can apply. */
    ALLOWED,
    /** Allowed, except that a Deny with a Condition (or a policy variable) may apply: treat as possibly denied. */
    DENIED_OR_CONDITIONAL,
    /** A Deny without Condition applies: explicitly denied. */
    EXPLICITLY_DENIED,
    /** No identity Allow matches: implicitly denied. */
    NOT_ALLOWED,
    /** An identity Allow matches, but the permissions boundary does not allow it. */
    NOT_ALLOWED_BY_BOUNDARY
  }

  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    denies = List.copyOf(denies);
  }

  /** Allowed for certain (apart from the Conditions of the allowing statement, see {@link #allowConditional}). */
  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }

  /**
   * Allowed unless one of the {@link #denies} applies. A policy that keeps those Deny statements
   * and allows this keeps the same effective permission.
   */
  public boolean allowedUnlessConditionalDeny() {
    return verdict == Verdict.ALLOWED || verdict == Verdict.DENIED_OR_CONDITIONAL;
  }

  /** Whether the allowing identity statement has a Condition (so the allow holds only when it is met). */
  public boolean allowConditional() {
    return allowedBy != null && allowedBy.conditional();
  }
}
