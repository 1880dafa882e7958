package dev.trailtrim.policy;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * What a role is granted: its identity policies (inline and attached managed) and its optional
 * permissions boundary. Policies are kept sorted by label so every answer is deterministic.
 *
 * @param boundary null when the role has no permissions boundary
 */
public record GrantSet(List<LabeledPolicy> policies, LabeledPolicy boundary) implements Serializable {

  public GrantSet {
    policies = policies.stream().sorted(Comparator.comparing(LabeledPolicy::label)).toList();
  }

  public static GrantSet of(LabeledPolicy... policies) {
    return new GrantSet(List.of(policies), null);
  }

  public GrantSet withPolicies(List<LabeledPolicy> replacement) {
    return new GrantSet(replacement, boundary);
  }
}
