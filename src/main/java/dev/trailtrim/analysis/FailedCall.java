package dev.trailtrim.analysis;

import dev.trailtrim.model.IamAction;
import java.util.Comparator;
import java.util.Objects;

/**
 * Calls that failed for a reason other than IAM refusing them (see
 * {@link dev.trailtrim.model.ErrorCodes}).
 *
 * @param countsAsUse true when the call got past authorization (ParameterNotFound and the like):
 *                    the permission is then kept in the suggestion like a successful call's
 */
public record FailedCall(IamAction action, String resource, String errorCode, long count, long firstSeenMillis,
    long lastSeenMillis, boolean countsAsUse) implements Comparable<FailedCall> {

  private static final Comparator<FailedCall> ORDER = Comparator.comparing(FailedCall::action)
      .thenComparing(FailedCall::resource).thenComparing(FailedCall::errorCode);

  public FailedCall {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(errorCode, "errorCode");
  }

  @Override
  public int compareTo(FailedCall o) {
    return ORDER.compare(this, o);
  }
}
