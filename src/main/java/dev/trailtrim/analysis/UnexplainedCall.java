package dev.trailtrim.analysis;

import dev.trailtrim.model.IamAction;
import java.util.Comparator;
import java.util.Objects;

/**
 * Successful calls the known grants do not explain (a policy missing from the snapshot, a
 * resource policy, a grant changed since): reported, not added to the suggestion. The tightener
 * finds them ({@link dev.trailtrim.policy.UnexplainedAccess}); the role report and the tables keep
 * their first name, {@code notGrantedButUsed} / {@code not_granted_but_used}, so the output is unchanged.
 */
public record UnexplainedCall(IamAction action, String resource, long count, long firstSeenMillis, long lastSeenMillis,
    String reason) implements Comparable<UnexplainedCall> {

  private static final Comparator<UnexplainedCall> ORDER = Comparator.comparing(UnexplainedCall::action)
      .thenComparing(UnexplainedCall::resource);

  public UnexplainedCall {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public int compareTo(UnexplainedCall o) {
    return ORDER.compare(this, o);
  }
}
