package dev.trailtrim.analysis;

import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.ObservedOnlyPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicySize;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The diff for one role: what it used, what it is granted and did not use, what cannot be known,
 * what was refused, and the suggested policy. Built only by {@link Builder}, so no caller depends
 * on the order of its parts.
 *
 * @param grantsKnown    false when the role is not in the snapshot: no unused, no suggestion
 * @param roleCreateDate the role's CreateDate from the snapshot; null when unknown
 * @param suggestion     null when the grants are unknown or incomplete, or the role is skipped
 * @param evidence       what the logs could show about the role (accounts, regions, covered days); null when
 *                       the analysis was not told
 * @param observedOnly   for a role missing from the snapshot, a policy of its successful calls alone, checked
 *                       against no grant; null otherwise
 * @param split          for a role with a suggestion that two or more functions share, a policy per function
 *                       within it; null otherwise
 */
public record RoleAnalysis(RoleContext context, boolean grantsKnown, GrantedSummary granted, Instant roleCreateDate,
    Findings findings, Suggestion suggestion, Safety safety, List<String> problems, LogEvidence evidence,
    ObservedOnlyPolicy observedOnly, FunctionSplit split) {

  public RoleAnalysis {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(granted, "granted");
    Objects.requireNonNull(findings, "findings");
    Objects.requireNonNull(safety, "safety");
    problems = problems.stream().distinct().sorted().toList();
    if (observedOnly != null && (grantsKnown || suggestion != null)) {
      throw new IllegalArgumentException("An observed-only policy is only for a role whose grants are unknown, not "
          + context.roleArn());
    }
    if (split != null && suggestion == null) {
      throw new IllegalArgumentException("A split by function tightens the role's suggestion, and "
          + context.roleArn() + " has none");
    }
  }

  /**
   * What the window shows about the role's grants, each list sorted.
   *
   * @param unexplained successful calls the known grants do not explain
   */
  public record Findings(List<UsedPermission> used, List<UnusedPermission> unused,
      List<NotObservablePermission> notObservable, List<DeniedCall> denied, List<FailedCall> failed,
      List<UnexplainedCall> unexplained) {

    public Findings {
      used = used.stream().sorted().toList();
      unused = unused.stream().sorted().distinct().toList();
      notObservable = notObservable.stream().sorted().distinct().toList();
      denied = denied.stream().sorted().toList();
      failed = failed.stream().sorted().toList();
      unexplained = unexplained.stream().sorted().toList();
    }
  }

  /**
   * The suggested policy.
   *
   * @param parts   the documents to write: the policy itself when it fits inline, else the managed policies it is
   *                split into ({@link PolicySize#layout()})
   * @param actions the catalog actions its Allow statements grant, wildcards expanded as on the granted side (a
   *                kept {@code s3:*} is every S3 action), so that granted and suggested counts compare
   */
  public record Suggestion(PolicyDocument policy, PolicySize size, List<PolicyDocument> parts, int actions) {

    public Suggestion {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(size, "size");
      parts = List.copyOf(parts);
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("A suggestion is written as at least one document");
      }
    }
  }

  /**
   * What the safety controls did.
   *
   * @param kept      unused permissions a safety control keeps in the suggestion (not in {@code unused})
   * @param decisions safety controls that acted on the whole role (skipped, too new, window too short,
   *                  grants incomplete)
   */
  public record Safety(List<KeptBySafety> kept, List<SafetyDecision> decisions) {

    public static final Safety NONE = new Safety(List.of(), List.of());

    public Safety {
      kept = kept.stream().sorted().distinct().toList();
      decisions = List.copyOf(decisions);
    }
  }

  /** Whether the role's grants are incomplete or contradictory: no removal, no suggestion. */
  public boolean grantsIncomplete() {
    return safety.decisions().stream().anyMatch(d -> d.rule().equals(RoleAnalyzer.RULE_GRANTS_INCOMPLETE));
  }

  /** Whether the suggestion failed trailtrim's own check ({@link RoleAnalyzer#RULE_SELF_CHECK}): withheld. */
  public boolean selfCheckFailed() {
    return safety.decisions().stream().anyMatch(d -> d.rule().equals(RoleAnalyzer.RULE_SELF_CHECK));
  }

  /** Whether a safety control skipped the role: no diff, no suggestion. */
  public boolean skipped() {
    return safety.decisions().stream().anyMatch(d -> d.rule().equals(RoleAnalyzer.RULE_SKIPPED));
  }

  static Builder builder(RoleContext context) {
    return new Builder(context);
  }

  /** The one place a {@link RoleAnalysis} is put together; what is not set is empty or unknown. */
  static final class Builder {
    private final RoleContext context;
    private boolean grantsKnown;
    private GrantedSummary granted = GrantedSummary.UNKNOWN;
    private Instant roleCreateDate;
    private List<UsedPermission> used = List.of();
    private List<UnusedPermission> unused = List.of();
    private List<NotObservablePermission> notObservable = List.of();
    private List<DeniedCall> denied = List.of();
    private List<FailedCall> failed = List.of();
    private List<UnexplainedCall> unexplained = List.of();
    private Suggestion suggestion;
    private List<KeptBySafety> keptBySafety = List.of();
    private final List<SafetyDecision> decisions = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private LogEvidence evidence;
    private ObservedOnlyPolicy observedOnly;
    private FunctionSplit split;

    private Builder(RoleContext context) {
      this.context = context;
    }

    /** The role is in the snapshot: what it is granted, and when it was created (null when unknown). */
    Builder grants(GrantedSummary granted, Instant roleCreateDate) {
      this.grantsKnown = true;
      this.granted = granted;
      this.roleCreateDate = roleCreateDate;
      return this;
    }

    Builder calls(List<DeniedCall> denied, List<FailedCall> failed) {
      this.denied = denied;
      this.failed = failed;
      return this;
    }

    Builder used(List<UsedPermission> used) {
      this.used = used;
      return this;
    }

    Builder unused(List<UnusedPermission> unused) {
      this.unused = unused;
      return this;
    }

    Builder notObservable(List<NotObservablePermission> notObservable) {
      this.notObservable = notObservable;
      return this;
    }

    Builder unexplained(List<UnexplainedCall> unexplained) {
      this.unexplained = unexplained;
      return this;
    }

    Builder suggestion(PolicyDocument policy, PolicySize size, List<PolicyDocument> parts, int actions) {
      this.suggestion = new Suggestion(policy, size, parts, actions);
      return this;
    }

    Builder keptBySafety(List<KeptBySafety> keptBySafety) {
      this.keptBySafety = keptBySafety;
      return this;
    }

    Builder decision(SafetyDecision decision) {
      decisions.add(decision);
      return this;
    }

    Builder decisions(List<SafetyDecision> decisions) {
      this.decisions.addAll(decisions);
      return this;
    }

    Builder problem(String problem) {
      problems.add(problem);
      return this;
    }

    Builder problems(List<String> problems) {
      this.problems.addAll(problems);
      return this;
    }

    Builder evidence(LogEvidence evidence) {
      this.evidence = evidence;
      return this;
    }

    /** A role missing from the snapshot: its successful calls as a policy checked against no grant. */
    Builder observedOnly(ObservedOnlyPolicy observedOnly) {
      this.observedOnly = observedOnly;
      return this;
    }

    /** The role's suggestion split by function; null when no two functions share the role. */
    Builder split(FunctionSplit split) {
      this.split = split;
      return this;
    }

    RoleAnalysis build() {
      return new RoleAnalysis(context, grantsKnown, granted, roleCreateDate,
          new Findings(used, unused, notObservable, denied, failed, unexplained), suggestion,
          new Safety(keptBySafety, decisions), problems, evidence, observedOnly, split);
    }
  }
}
