package dev.trailtrim.model;

import java.util.List;

/**
 * What one CloudTrail call needed in IAM terms.
 *
 * @param outcome   whether the call mapped to actions, needed none, or could not be translated
 * @param accesses  the permissions it needed; empty unless {@code outcome == MAPPED}
 * @param rule      the name of the rule that decided, for reports (e.g. {@code s3.object-key})
 */
public record Translation(Outcome outcome, List<ActionOnResource> accesses, String rule) {

  public enum Outcome {
    /** Translated to one or more IAM actions. */
    MAPPED,
    /** A call that needs no IAM permission (e.g. sts:GetCallerIdentity). */
    NO_PERMISSION_NEEDED,
    /** Neither the rules nor the catalog know this (eventSource, eventName). */
    UNMAPPED
  }

  public Translation {
    accesses = List.copyOf(accesses);
    if (outcome == Outcome.MAPPED && accesses.isEmpty()) {
      throw new IllegalArgumentException("A mapped translation needs at least one access (rule " + rule + ")");
    }
  }

  public static Translation mapped(String rule, List<ActionOnResource> accesses) {
    return new Translation(Outcome.MAPPED, accesses, rule);
  }

  public static Translation noPermissionNeeded(String rule) {
    return new Translation(Outcome.NO_PERMISSION_NEEDED, List.of(), rule);
  }

  public static Translation unmapped(String reason) {
    return new Translation(Outcome.UNMAPPED, List.of(), reason);
  }
}
