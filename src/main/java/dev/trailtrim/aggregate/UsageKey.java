package dev.trailtrim.aggregate;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.util.KnownSizeEstimation;

/**
 * The grouping key of usage: one role, one permission, one outcome, on one day, from one
 * delivery folder, by one function. {@code errorCode} is the empty string for successful calls so
 * the key has no nulls. {@code eventDay} (from eventTime) decides the window a call belongs to;
 * {@code folderDay} (the YYYY/MM/DD folder CloudTrail delivered the file to, or empty outside that
 * layout) is the unit the nightly state is stored and replaced in. {@code function} is the session
 * name of a call from the Lambda runtime (Lambda names a role's session after its function), and
 * the empty string for every other call: other sessions' names are random, and keying by them
 * would multiply the rows.
 */
public record UsageKey(String folderDay, String eventDay, String roleArn, String function, String action,
    String resource, String errorCode) implements Serializable, KnownSizeEstimation {

  /** A key of a call no function is known for. */
  public UsageKey(String folderDay, String eventDay, String roleArn, String action, String resource,
      String errorCode) {
    this(folderDay, eventDay, roleArn, "", action, resource, errorCode);
  }

  // equals and hashCode are written out: the generated ones go through method handles, and the
  // shuffle and the window's sum call them for every row. They compute what the generated ones do
  // (null-safe, the same hash), over every component: the check below fails loudly when a component
  // is added and they do not name it.
  private static final int COMPARED_COMPONENTS = 7;

  static {
    int components = UsageKey.class.getRecordComponents().length;
    if (components != COMPARED_COMPONENTS) {
      throw new IllegalStateException("UsageKey has " + components + " components but its equals and hashCode"
          + " compare " + COMPARED_COMPONENTS + ": add the new ones to both");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UsageKey k && Objects.equals(resource, k.resource) && Objects.equals(roleArn, k.roleArn)
        && Objects.equals(action, k.action) && Objects.equals(function, k.function)
        && Objects.equals(eventDay, k.eventDay) && Objects.equals(folderDay, k.folderDay)
        && Objects.equals(errorCode, k.errorCode);
  }

  @Override
  public int hashCode() {
    int h = Objects.hashCode(folderDay);
    h = 31 * h + Objects.hashCode(eventDay);
    h = 31 * h + Objects.hashCode(roleArn);
    h = 31 * h + Objects.hashCode(function);
    h = 31 * h + Objects.hashCode(action);
    h = 31 * h + Objects.hashCode(resource);
    return 31 * h + Objects.hashCode(errorCode);
  }

  /**
   * Its heap size, told to Spark's size estimates: the shuffle's and the window's maps size themselves
   * every few inserts, and walking each key's seven strings by reflection was a tenth of the reduce
   * side's CPU. Counts every string as its own (after a shuffle they are), so it never underestimates.
   */
  @Override
  public long estimatedSize() {
    return OBJECT_BYTES + stringBytes(folderDay) + stringBytes(eventDay) + stringBytes(roleArn)
        + stringBytes(function) + stringBytes(action) + stringBytes(resource) + stringBytes(errorCode);
  }

  /** A header and seven references, rounded to 8 bytes. */
  private static final long OBJECT_BYTES = 48;

  /** A String and its byte array (Latin-1, or two bytes a character), each with its header. */
  static long stringBytes(String s) {
    return s == null ? 0 : 24 + 16 + ((long) s.length() << 1);
  }
}
