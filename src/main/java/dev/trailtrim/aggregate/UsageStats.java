package dev.trailtrim.aggregate;

import java.io.Serializable;
import org.apache.spark.util.KnownSizeEstimation;

/**
 * Count and first/last time of calls with one {@link UsageKey}. A commutative monoid under
 * {@link #merge}: merging per-day states equals aggregating the days together, so nightly runs
 * can persist one day at a time and combine any window of days.
 */
public record UsageStats(long count, long firstSeenMillis, long lastSeenMillis)
    implements Serializable, KnownSizeEstimation {

  public static UsageStats of(long eventTimeMillis) {
    return new UsageStats(1, eventTimeMillis, eventTimeMillis);
  }

  public UsageStats merge(UsageStats other) {
    return new UsageStats(count + other.count, Math.min(firstSeenMillis, other.firstSeenMillis),
        Math.max(lastSeenMillis, other.lastSeenMillis));
  }

  /** A header and three longs, told to Spark's size estimates so they need not walk it ({@link UsageKey#estimatedSize}). */
  @Override
  public long estimatedSize() {
    return 40;
  }
}
