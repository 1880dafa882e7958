package dev.trailtrim.aggregate;

import java.io.Serializable;

/**
 * A role's use of one action on one resource pattern with one outcome over the whole window.
 *
 * @param errorCode the empty string for successful calls
 * @param resources how many distinct resources the pattern stands for: 1, or more where the
 *                  usage was compacted ({@link dev.trailtrim.policy.UsageCompaction})
 */
public record WindowedUsage(String roleArn, String action, String resource, String errorCode, UsageStats stats,
    long resources) implements Serializable {}
