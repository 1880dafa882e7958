package dev.trailtrim.evidence;

/** What {@code get-trail-status} said of a trail's {@code IsLogging}, if it was read at all. */
public enum LoggingStatus {
  LOGGING,
  /** Stopped now: it may have logged during the window, but nothing says it did. */
  STOPPED,
  /** No {@code get-trail-status} output was given; taken as logging (coverage of the logs is checked elsewhere). */
  NOT_READ
}
