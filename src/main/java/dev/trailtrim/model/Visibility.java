package dev.trailtrim.model;

/** Whether CloudTrail could have recorded a use of a permission in the analysed logs. */
public enum Visibility {
  /** A management event: always recorded by a trail, so absence means unused. */
  MANAGEMENT_EVENT,
  /** A data event, and the logs show the trail records this kind of data event. */
  DATA_EVENT_LOGGED,
  /** A data event the logs show no sign of being recorded: absence proves nothing. */
  DATA_EVENT_NOT_LOGGED,
  /** CloudTrail never records this action (or the catalog cannot say): absence proves nothing. */
  NOT_LOGGED;

  public boolean absenceMeansUnused() {
    return this == MANAGEMENT_EVENT || this == DATA_EVENT_LOGGED;
  }
}
