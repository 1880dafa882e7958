package dev.trailtrim.model;

import java.util.Locale;

/** Whether CloudTrail could have recorded a use of a permission in the analysed logs. */
public enum Visibility {
  /** A management event: always recorded by a trail, so absence means unused. */
  MANAGEMENT_EVENT,
  /** A data event, and the logs show the trail records this kind of data event. */
  DATA_EVENT_LOGGED,
  /** A data event the logs show no sign of being recorded: absence proves nothing. */
  DATA_EVENT_NOT_LOGGED,
  /** CloudTrail never records this action (or the catalog cannot say): absence proves nothing. */
  NOT_LOGGED,
  /** The trails' configuration records no use of it (selectors, excluded sources, regions). */
  NOT_RECORDED_BY_TRAIL,
  /**
   * The trails record its use on some of the resources the grant reaches: absence proves non-use
   * there; the unrecorded part ({@link Observability#unrecordedPart}) is kept.
   */
  PARTLY_RECORDED,
  /** Recorded by a trail, but the logs hold nothing of the role's account in the window. */
  NO_LOGS_FOR_ACCOUNT,
  /** Recorded by a trail, but the logs hold nothing of a region where the role acts. */
  REGION_NOT_COVERED,
  /** Recorded by a trail, but a region where the role acts has fewer covered days than required. */
  TOO_FEW_COVERED_DAYS,
  /** Rejected files that name no account, region or day may hold the use. */
  REJECTED_FILES_OF_UNKNOWN_ORIGIN;

  public boolean absenceMeansUnused() {
    return this == MANAGEMENT_EVENT || this == DATA_EVENT_LOGGED || this == PARTLY_RECORDED;
  }

  /** The rule name reports and tables show: {@code too-few-covered-days}. */
  public String rule() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The value whose {@link #rule()} is {@code rule}. */
  public static Visibility ofRule(String rule) {
    return valueOf(rule.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
