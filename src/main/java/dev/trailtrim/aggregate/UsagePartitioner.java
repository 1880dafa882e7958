package dev.trailtrim.aggregate;

import java.util.Objects;
import org.apache.spark.Partitioner;

/**
 * Places a usage key by its role, action, resource and outcome only, not by its days nor its
 * function. All the per-day states of one window key then sit in one partition of the read, so
 * summing the window ({@link WindowAggregation}), per function and per role, needs no second
 * shuffle of a run's fresh read. Counters ({@link DayKey})
 * are placed by their own hash.
 */
final class UsagePartitioner extends Partitioner {

  private static final long serialVersionUID = 1L;
  private final int partitions;

  UsagePartitioner(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("A partitioner needs at least 1 partition, got " + partitions);
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    int hash = key instanceof UsageKey usage
        ? Objects.hash(usage.roleArn(), usage.action(), usage.resource(), usage.errorCode())
        : Objects.hashCode(key);
    return Math.floorMod(hash, partitions);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UsagePartitioner that && that.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
