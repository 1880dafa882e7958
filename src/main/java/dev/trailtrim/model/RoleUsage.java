package dev.trailtrim.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything one role was seen doing in the window, sorted.
 *
 * @param roleArn the role's ARN with its path, as in {@code sessionIssuer.arn}
 * @param usages  one entry per (action, resource, outcome)
 */
public record RoleUsage(String roleArn, List<ActionUsage> usages) {

  public RoleUsage {
    Objects.requireNonNull(roleArn, "roleArn");
    usages = usages.stream().sorted().toList();
  }
}
