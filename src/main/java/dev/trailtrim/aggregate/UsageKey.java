package dev.trailtrim.aggregate;

import java.io.Serializable;

/**
 * The grouping key of usage: one role, one permission, one outcome. {@code errorCode} is the
 * empty string for successful calls so the key has no nulls.
 */
public record UsageKey(String roleArn, String action, String resource, String errorCode) implements Serializable {}
