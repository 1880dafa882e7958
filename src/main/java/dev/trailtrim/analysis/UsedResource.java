package dev.trailtrim.analysis;

import java.util.Objects;

/**
 * One resource an action was used on, successfully.
 *
 * @param allowedBy which statement allows it ({@code inline:x#2 (Sid S)}), or null when the grants
 *                  are unknown or do not explain it
 * @param decidedBy the rule that decided, e.g. {@code allowed-by-grant}, {@code resource-unknown}
 */
public record UsedResource(String resource, long count, long firstSeenMillis, long lastSeenMillis, String allowedBy,
    boolean allowConditional, String decidedBy) implements Comparable<UsedResource> {

  public UsedResource {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(decidedBy, "decidedBy");
  }

  @Override
  public int compareTo(UsedResource o) {
    return resource.compareTo(o.resource);
  }
}
