package dev.trailtrim.evidence;

import java.util.Arrays;

/**
 * Which calls a basic event selector records by whether they only read. It applies to the
 * selector's management and data events alike.
 */
public enum ReadWriteType {
  READ_ONLY("ReadOnly"),
  WRITE_ONLY("WriteOnly"),
  ALL("All");

  private final String cliName;

  ReadWriteType(String cliName) {
    this.cliName = cliName;
  }

  /** The spelling of {@code get-event-selectors}: {@code ReadOnly}, {@code WriteOnly}, {@code All}. */
  public String cliName() {
    return cliName;
  }

  public boolean includes(boolean readOnly) {
    return this == ALL || (this == READ_ONLY) == readOnly;
  }

  /** @param where names the selector in the error, e.g. "EventSelectors[0] of trail 'arn:...'" */
  static ReadWriteType parse(String text, String where) {
    for (ReadWriteType type : values()) {
      if (type.cliName.equals(text)) {
        return type;
      }
    }
    throw new IllegalArgumentException("ReadWriteType of " + where + " must be one of "
        + Arrays.stream(values()).map(ReadWriteType::cliName).toList() + ", got '" + text
        + "': pass the output of 'aws cloudtrail get-event-selectors' unchanged");
  }
}
