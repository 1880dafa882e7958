package dev.trailtrim.aggregate;

import java.io.Serializable;

/**
 * The grouping key of usage: one role, one permission, one outcome, on one day, from one
 * delivery folder. {@code errorCode} is the empty string for successful calls so the key has no
 * nulls. {@code eventDay} (from eventTime) decides the window a call belongs to; {@code folderDay}
 * (the YYYY/MM/DD folder CloudTrail delivered the file to, or empty outside that layout) is the
 * unit the nightly state is stored and replaced in.
 */
public record UsageKey(String folderDay, String eventDay, String roleArn, String action, String resource,
    String errorCode) implements Serializable {}
