package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;
import java.util.Objects;

/**
 * A granted permission whose use CloudTrail cannot show: the suggestion keeps it as granted
 * (this action, the granting statement's resources and Condition).
 *
 * @param action    a concrete catalog action the statement grants
 * @param grantedBy the identity Allow statement that grants it
 */
public record KeptPermission(IamAction action, StatementRef grantedBy) {

  public KeptPermission {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(grantedBy, "grantedBy");
    if (grantedBy.statement().effect() != Effect.ALLOW) {
      throw new IllegalArgumentException("Only an Allow statement grants " + action + ", got " + grantedBy);
    }
  }
}
