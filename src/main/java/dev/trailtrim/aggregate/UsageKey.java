package dev.trailtrim.aggregate;

import java.io.Serializable;

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
    String resource, String errorCode) implements Serializable {

  /** A key of a call no function is known for. */
  public UsageKey(String folderDay, String eventDay, String roleArn, String action, String resource,
      String errorCode) {
    this(folderDay, eventDay, roleArn, "", action, resource, errorCode);
  }
}
