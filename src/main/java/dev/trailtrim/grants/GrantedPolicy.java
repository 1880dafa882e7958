package dev.trailtrim.grants;

import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyDocument;
import java.util.Objects;

/**
 * One policy of a role as the snapshot showed it.
 *
 * @param name the inline policy's name, or the managed policy's name
 * @param arn  the managed policy's ARN; null for inline policies
 */
public record GrantedPolicy(Kind kind, String name, String arn, PolicyDocument document) {

  public enum Kind { INLINE, MANAGED, BOUNDARY }

  public GrantedPolicy {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(document, "document");
    if ((kind == Kind.INLINE) != (arn == null)) {
      throw new IllegalArgumentException("A " + kind + " policy '" + name + "' "
          + (arn == null ? "needs its ARN" : "has no ARN, got '" + arn + "'"));
    }
  }

  /** {@code inline:<name>}, {@code managed:<arn>} or {@code boundary:<arn>}: how reports name the policy. */
  public String label() {
    return switch (kind) {
      case INLINE -> "inline:" + name;
      case MANAGED -> "managed:" + arn;
      case BOUNDARY -> "boundary:" + arn;
    };
  }

  public LabeledPolicy labeled() {
    return new LabeledPolicy(label(), document);
  }
}
