package dev.trailtrim.policy;

import dev.trailtrim.model.ActionOnResource;
import java.util.Objects;

/**
 * An unexplained call as the tightener sees it: a successful (action, resource) the known grants
 * do not allow (e.g. allowed by a policy the snapshot lacks, or a grant changed since); never added
 * to a suggestion. The analysis reports it with its counts as an {@code analysis.UnexplainedCall}.
 */
public record UnexplainedAccess(ActionOnResource access, Decision.Verdict verdict, String reason) {

  public UnexplainedAccess {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
  }
}
