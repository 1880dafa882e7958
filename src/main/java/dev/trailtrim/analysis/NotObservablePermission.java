package dev.trailtrim.analysis;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Visibility;
import java.util.Comparator;
import java.util.Objects;

/**
 * A granted permission whose use CloudTrail cannot show: kept in the suggestion, never called unused.
 *
 * @param reason one sentence from {@link dev.trailtrim.model.Observability#reason}
 */
public record NotObservablePermission(IamAction action, String resource, GrantRef grantedBy, Visibility visibility,
    String reason) implements Comparable<NotObservablePermission> {

  private static final Comparator<NotObservablePermission> ORDER = Comparator.comparing(NotObservablePermission::action)
      .thenComparing(NotObservablePermission::resource).thenComparing(NotObservablePermission::grantedBy);

  public NotObservablePermission {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(grantedBy, "grantedBy");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public int compareTo(NotObservablePermission o) {
    return ORDER.compare(this, o);
  }
}
