package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;
import java.util.Objects;

/**
 * A granted permission the suggestion keeps as granted (this action, the granting statement's
 * resources and Condition, within the permissions boundary), and why.
 *
 * @param action    a concrete catalog action the statement grants
 * @param grantedBy the identity Allow statement that grants it
 */
public record KeptPermission(IamAction action, StatementRef grantedBy, Why why) {

  /** Why it is kept; the suggested statement's Sid starts with {@link #sidPrefix()}. */
  public enum Why {
    /** CloudTrail cannot show its use (invariant 3). */
    NOT_OBSERVABLE("KeptNotObservable"),
    /** A safety control of the configuration protects it. */
    PROTECTED("KeptProtected"),
    /** Its statement is kept as it is, but only the part within the permissions boundary can be written. */
    AS_GRANTED("KeptAsGranted");

    private final String sidPrefix;

    Why(String sidPrefix) {
      this.sidPrefix = sidPrefix;
    }

    public String sidPrefix() {
      return sidPrefix;
    }
  }

  public KeptPermission {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(grantedBy, "grantedBy");
    Objects.requireNonNull(why, "why");
    if (grantedBy.statement().effect() != Effect.ALLOW) {
      throw new IllegalArgumentException("Only an Allow statement grants " + action + ", got " + grantedBy);
    }
  }

  /** A permission kept because its use cannot be observed. */
  public KeptPermission(IamAction action, StatementRef grantedBy) {
    this(action, grantedBy, Why.NOT_OBSERVABLE);
  }
}
