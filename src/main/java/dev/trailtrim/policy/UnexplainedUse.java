package dev.trailtrim.policy;

import dev.trailtrim.model.ActionOnResource;
import java.util.Objects;

/**
 * A successful call the known grants do not allow (e.g. allowed by a policy the snapshot lacks,
 * or a grant changed since): never added to a suggestion.
 */
public record UnexplainedUse(ActionOnResource access, Decision.Verdict verdict, String reason) {

  public UnexplainedUse {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
  }
}
