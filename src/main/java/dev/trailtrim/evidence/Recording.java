package dev.trailtrim.evidence;

import java.util.List;
import java.util.Objects;

/**
 * Whether CloudTrail records uses of one granted permission, for one account and region.
 *
 * @param unrecorded empty when {@link Status#RECORDED}; otherwise IAM resource patterns, each within
 *                   the granted one, that together cover every resource whose use is not recorded (they
 *                   may cover some recorded ones too), or null when IAM patterns cannot say which part that
 *                   is: then the whole grant counts as unrecorded
 * @param reason     one sentence naming the trails and selectors the answer rests on
 */
public record Recording(Status status, List<String> unrecorded, String reason) {

  public enum Status {
    /** Every resource the grant reaches is recorded: absence from the logs means unused. */
    RECORDED,
    /** Some are; {@link #unrecorded} says which are not, where it can. */
    PARTLY_RECORDED,
    /** No resource the grant reaches is provably recorded: absence proves nothing. */
    NOT_RECORDED
  }

  public Recording {
    Objects.requireNonNull(status, "status");
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("A recording answer needs a reason");
    }
    if (status == Status.RECORDED && (unrecorded == null || !unrecorded.isEmpty())) {
      throw new IllegalArgumentException("A recorded permission has no unrecorded part, got " + unrecorded);
    }
    if (status == Status.NOT_RECORDED && unrecorded != null) {
      throw new IllegalArgumentException("A permission not recorded at all has null as its unrecorded part");
    }
    if (status == Status.PARTLY_RECORDED && unrecorded != null && unrecorded.isEmpty()) {
      throw new IllegalArgumentException("A partly recorded permission needs its unrecorded part, or null");
    }
    unrecorded = unrecorded == null ? null : List.copyOf(unrecorded);
  }

  static Recording recorded(String reason) {
    return new Recording(Status.RECORDED, List.of(), reason);
  }

  static Recording notRecorded(String reason) {
    return new Recording(Status.NOT_RECORDED, null, reason);
  }

  /** Whether the absence of this permission from the logs proves it unused everywhere it reaches. */
  public boolean absenceMeansUnused() {
    return status == Status.RECORDED;
  }
}
