package dev.trailtrim.analysis;

import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.model.IamAction;
import java.util.List;
import java.util.Objects;

/**
 * An action the role used successfully in the window, with the resources it used it on.
 *
 * @param accessLevel null when the catalog does not know the action
 */
public record UsedPermission(IamAction action, AccessLevel accessLevel, List<UsedResource> resources)
    implements Comparable<UsedPermission> {

  public UsedPermission {
    Objects.requireNonNull(action, "action");
    resources = resources.stream().sorted().toList();
    if (resources.isEmpty()) {
      throw new IllegalArgumentException("A used permission " + action + " needs at least one resource");
    }
  }

  public long count() {
    return resources.stream().mapToLong(UsedResource::count).sum();
  }

  public long firstSeenMillis() {
    return resources.stream().mapToLong(UsedResource::firstSeenMillis).min().orElseThrow();
  }

  public long lastSeenMillis() {
    return resources.stream().mapToLong(UsedResource::lastSeenMillis).max().orElseThrow();
  }

  @Override
  public int compareTo(UsedPermission o) {
    return action.compareTo(o.action);
  }
}
