package dev.trailtrim.analysis;

import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicySize;
import java.util.List;
import java.util.Objects;

/**
 * The diff for one role: what it used, what it is granted and did not use, what cannot be known,
 * what was refused, and the suggested policy.
 *
 * @param grantsKnown      false when the role is not in the snapshot: no unused, no suggestion
 * @param suggestedPolicy  null when the grants are unknown
 * @param suggestedSize    null when the grants are unknown
 */
public record RoleAnalysis(RoleContext context, boolean grantsKnown, List<UsedPermission> used,
    List<UnusedPermission> unused, List<NotObservablePermission> notObservable, List<DeniedCall> denied,
    List<FailedCall> failed, List<UnexplainedCall> notGrantedButUsed, PolicyDocument suggestedPolicy, PolicySize suggestedSize,
    GrantedSummary granted, List<String> problems) {

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
    if ((suggestedPolicy == null) != (suggestedSize == null)) {
      throw new IllegalArgumentException("A suggested policy and its size come together for " + context.roleArn());
    }
  }
}
