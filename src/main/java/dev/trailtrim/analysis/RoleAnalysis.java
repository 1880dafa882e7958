package dev.trailtrim.analysis;

import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.ObservedOnlyPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicySize;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The diff for one role: what it used, what it is granted and did not use, what cannot be known,
 * what was refused, and the suggested policy.
 *
 * @param grantsKnown      false when the role is not in the snapshot: no unused, no suggestion
 * @param suggestedPolicy  null when the grants are unknown or the role is skipped
 * @param suggestedSize    null when the grants are unknown or the role is skipped
 * @param keptBySafety     unused permissions a safety control keeps in the suggestion (not in {@code unused})
 * @param safety           safety controls that acted on the whole role (skipped, too new, window too short)
 * @param roleCreateDate   the role's CreateDate from the snapshot; null when unknown
 * @param suggestedParts   the documents to write: the suggested policy itself when it fits inline, else the
 *                         managed policies it is split into ({@link PolicySize#layout()}); empty without a suggestion
 * @param evidence         what the logs could show about the role (accounts, regions, covered days); null when
 *                         the analysis was not told
 * @param observedOnly     for a role missing from the snapshot, a policy of its successful calls alone, checked
 *                         against no grant; null otherwise
 */
public record RoleAnalysis(RoleContext context, boolean grantsKnown, List<UsedPermission> used,
    List<UnusedPermission> unused, List<NotObservablePermission> notObservable, List<DeniedCall> denied,
    List<FailedCall> failed, List<UnexplainedCall> notGrantedButUsed, PolicyDocument suggestedPolicy, PolicySize suggestedSize,
    GrantedSummary granted, List<String> problems, List<KeptBySafety> keptBySafety, List<SafetyDecision> safety,
    Instant roleCreateDate, List<PolicyDocument> suggestedParts, LogEvidence evidence,
    ObservedOnlyPolicy observedOnly) {

  public RoleAnalysis {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(granted, "granted");
    used = used.stream().sorted().toList();
    unused = unused.stream().sorted().distinct().toList();
    notObservable = notObservable.stream().sorted().distinct().toList();
    denied = denied.stream().sorted().toList();
    failed = failed.stream().sorted().toList();
    notGrantedButUsed = notGrantedButUsed.stream().sorted().toList();
    problems = problems.stream().distinct().sorted().toList();
    keptBySafety = keptBySafety.stream().sorted().distinct().toList();
    safety = List.copyOf(safety);
    suggestedParts = List.copyOf(suggestedParts);
    if ((suggestedPolicy == null) != (suggestedSize == null) || (suggestedPolicy == null) != suggestedParts.isEmpty()) {
      throw new IllegalArgumentException("A suggested policy, its size and its parts come together for "
          + context.roleArn());
    }
    if (observedOnly != null && (grantsKnown || suggestedPolicy != null)) {
      throw new IllegalArgumentException("An observed-only policy is only for a role whose grants are unknown, not "
          + context.roleArn());
    }
  }

  /** Without an observed-only policy: the role's grants are known, or it made no successful call. */
  public RoleAnalysis(RoleContext context, boolean grantsKnown, List<UsedPermission> used,
      List<UnusedPermission> unused, List<NotObservablePermission> notObservable, List<DeniedCall> denied,
      List<FailedCall> failed, List<UnexplainedCall> notGrantedButUsed, PolicyDocument suggestedPolicy,
      PolicySize suggestedSize, GrantedSummary granted, List<String> problems, List<KeptBySafety> keptBySafety,
      List<SafetyDecision> safety, Instant roleCreateDate, List<PolicyDocument> suggestedParts, LogEvidence evidence) {
    this(context, grantsKnown, used, unused, notObservable, denied, failed, notGrantedButUsed, suggestedPolicy,
        suggestedSize, granted, problems, keptBySafety, safety, roleCreateDate, suggestedParts, evidence, null);
  }

  /** Without evidence of the logs' coverage. */
  public RoleAnalysis(RoleContext context, boolean grantsKnown, List<UsedPermission> used,
      List<UnusedPermission> unused, List<NotObservablePermission> notObservable, List<DeniedCall> denied,
      List<FailedCall> failed, List<UnexplainedCall> notGrantedButUsed, PolicyDocument suggestedPolicy,
      PolicySize suggestedSize, GrantedSummary granted, List<String> problems, List<KeptBySafety> keptBySafety,
      List<SafetyDecision> safety, Instant roleCreateDate, List<PolicyDocument> suggestedParts) {
    this(context, grantsKnown, used, unused, notObservable, denied, failed, notGrantedButUsed, suggestedPolicy,
        suggestedSize, granted, problems, keptBySafety, safety, roleCreateDate, suggestedParts, null, null);
  }

  /** Whether the role's grants are incomplete or contradictory: no removal, no suggestion. */
  public boolean grantsIncomplete() {
    return safety.stream().anyMatch(d -> d.rule().equals(RoleAnalyzer.RULE_GRANTS_INCOMPLETE));
  }

  /** Whether a safety control skipped the role: no diff, no suggestion. */
  public boolean skipped() {
    return safety.stream().anyMatch(d -> d.rule().equals(RoleAnalyzer.RULE_SKIPPED));
  }
}
