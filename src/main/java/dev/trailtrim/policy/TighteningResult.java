package dev.trailtrim.policy;

import java.util.List;
import java.util.Objects;

/**
 * @param policy            the suggested policy; it may have no statements when nothing was used or kept
 * @param parts             how it is written: {@code policy} itself, or the managed policies it was split
 *                          into (together they allow exactly what {@code policy} allows)
 * @param unexplained successful calls the grants do not explain; not in {@code policy}
 * @param notes             what the tightener did that a reader should know
 */
public record TighteningResult(PolicyDocument policy, List<PolicyDocument> parts, List<UnexplainedAccess> unexplained,
    List<String> notes, PolicySize size) {

  public TighteningResult {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(size, "size");
    parts = List.copyOf(parts);
    unexplained = List.copyOf(unexplained);
    notes = List.copyOf(notes);
  }
}
