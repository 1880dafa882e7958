package dev.trailtrim.aggregate;

import java.io.Serializable;

/**
 * A role's use of one action on one resource pattern with one outcome over the whole window: by
 * all its sessions together ({@code function} empty), or by one function's sessions.
 *
 * @param function  the function whose calls these are ({@link UsageKey#function()}); empty for the role's
 *                  calls as a whole, and for calls of a shared role that no function is known for
 * @param errorCode the empty string for successful calls
 * @param resources how many distinct resources the pattern stands for: 1, or more where the
 *                  usage was compacted ({@link dev.trailtrim.policy.UsageCompaction})
 */
public record WindowedUsage(String roleArn, String function, String action, String resource, String errorCode,
    UsageStats stats, long resources) implements Serializable {

  /** The role's use as a whole. */
  public WindowedUsage(String roleArn, String action, String resource, String errorCode, UsageStats stats,
      long resources) {
    this(roleArn, "", action, resource, errorCode, stats, resources);
  }
}
