package dev.trailtrim.drift;

import java.util.List;
import java.util.Objects;

/**
 * What changed since the run {@code latest.json} named when this run started: the file
 * {@code runs/<run-id>/changes.json}.
 *
 * @param previousRunId null on a first run
 * @param reason        why nothing was compared (a first run, a previous run whose state is missing or
 *                      unreadable); null when compared
 * @param roles         the roles in both runs with a change or a note, sorted by ARN
 */
public record RunChanges(String runId, String previousRunId, Comparison comparison, String reason,
    List<String> rolesAdded, List<String> rolesRemoved, List<RoleChanges> roles) {

  /** Whether the run was compared with a previous one. */
  public enum Comparison {
    /** No {@code latest.json}: nothing ran on this output before. */
    FIRST_RUN("first-run"),
    COMPARED("compared"),
    /** A previous run exists but its state could not be read: the reason says why. */
    NOT_COMPARED("not-compared");

    private final String label;

    Comparison(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public RunChanges {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(comparison, "comparison");
    if ((comparison == Comparison.COMPARED) == (reason != null)) {
      throw new IllegalArgumentException("A comparison has a reason exactly when nothing was compared, got "
          + comparison + " with reason " + reason);
    }
    rolesAdded = rolesAdded.stream().sorted().toList();
    rolesRemoved = rolesRemoved.stream().sorted().toList();
    roles = List.copyOf(roles);
  }

  public static RunChanges firstRun(String runId) {
    return new RunChanges(runId, null, Comparison.FIRST_RUN, "first run: no latest.json in the output, so there is"
        + " no previous run to compare with", List.of(), List.of(), List.of());
  }

  /** @param reason why the previous run could not be compared with, naming what to do */
  public static RunChanges notCompared(String runId, String previousRunId, String reason) {
    return new RunChanges(runId, previousRunId, Comparison.NOT_COMPARED, reason, List.of(), List.of(), List.of());
  }

  /** The roles with a change (not those with only a note). */
  public List<RoleChanges> changedRoles() {
    return roles.stream().filter(RoleChanges::changed).toList();
  }
}
