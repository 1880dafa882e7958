package dev.trailtrim.analysis;

import dev.trailtrim.model.IamAction;
import java.util.Comparator;
import java.util.Objects;

/** Calls the role made that IAM refused: reported, never added to a suggestion. */
public record DeniedCall(IamAction action, String resource, String errorCode, long count, long firstSeenMillis,
    long lastSeenMillis) implements Comparable<DeniedCall> {

  private static final Comparator<DeniedCall> ORDER = Comparator.comparing(DeniedCall::action)
      .thenComparing(DeniedCall::resource).thenComparing(DeniedCall::errorCode);

  public DeniedCall {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(errorCode, "errorCode");
  }

  @Override
  public int compareTo(DeniedCall o) {
    return ORDER.compare(this, o);
  }
}
