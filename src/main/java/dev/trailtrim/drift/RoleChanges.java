package dev.trailtrim.drift;

import java.util.List;
import java.util.Objects;

/**
 * What changed for one role between the previous run and this one.
 *
 * @param previousStatus the role's {@link RoleState#status()} in the previous run, when it differs; else null
 * @param newlyGranted   (action, resource) its policies allow now and did not then
 * @param newlyRevoked   (action, resource) its policies allowed then and do not now
 * @param newlyUsed      actions used in this window and not in the previous one
 * @param newlyUnused    actions used in the previous window, not in this one, and unused in it: their last use left
 *                       the window
 * @param newlyDenied    actions with denied calls now and none then
 * @param deniedSpikes   actions denied in both runs, now more often by the rule of {@link DriftComparison#spike}
 * @param suggestion     how the suggested policy changed; null when it did not
 * @param notes          why part of the role could not be compared (its analysis failed, its grants are unknown)
 */
public record RoleChanges(String roleArn, String previousStatus, String status, List<Grant> newlyGranted,
    List<Grant> newlyRevoked, List<String> newlyUsed, List<String> newlyUnused, List<DeniedChange> newlyDenied,
    List<DeniedChange> deniedSpikes, SuggestionChange suggestion, List<String> notes) {

  public RoleChanges {
    Objects.requireNonNull(roleArn, "roleArn");
    newlyGranted = List.copyOf(newlyGranted);
    newlyRevoked = List.copyOf(newlyRevoked);
    newlyUsed = List.copyOf(newlyUsed);
    newlyUnused = List.copyOf(newlyUnused);
    newlyDenied = List.copyOf(newlyDenied);
    deniedSpikes = List.copyOf(deniedSpikes);
    notes = List.copyOf(notes);
  }

  /** Whether anything changed (notes alone are not a change). */
  public boolean changed() {
    return previousStatus != null || !newlyGranted.isEmpty() || !newlyRevoked.isEmpty() || !newlyUsed.isEmpty()
        || !newlyUnused.isEmpty() || !newlyDenied.isEmpty() || !deniedSpikes.isEmpty() || suggestion != null;
  }

  /** Denied calls of one action in the window, then and now. */
  public record DeniedChange(String action, long previousCount, long count) {}

  /**
   * The suggested policy changed.
   *
   * @param previousHash null when the previous run suggested nothing
   * @param hash         null when this run suggests nothing
   */
  public record SuggestionChange(List<String> actionsAdded, List<String> actionsRemoved, String previousHash,
      String hash) {
    public SuggestionChange {
      actionsAdded = List.copyOf(actionsAdded);
      actionsRemoved = List.copyOf(actionsRemoved);
    }
  }
}
