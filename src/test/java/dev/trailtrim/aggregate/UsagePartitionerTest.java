package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every day of one window key lands in one partition, so the window sum needs no shuffle. */
class UsagePartitionerTest {

  @Test
  void placesAKeyByRoleActionResourceAndOutcomeAlone() {
    UsagePartitioner partitioner = new UsagePartitioner(7);
    Set<Integer> partitionsOfOneKey = new HashSet<>();
    Set<Integer> partitionsOfAll = new HashSet<>();
    for (int day = 1; day <= 30; day++) {
      String date = String.format("2026-11-%02d", day);
      partitionsOfOneKey.add(partitioner.getPartition(new UsageKey("2026/11/" + day, date, "arn:aws:iam::1:role/r",
          "s3:GetObject", "arn:aws:s3:::b/k", "")));
      partitionsOfAll.add(partitioner.getPartition(new UsageKey("", "", "arn:aws:iam::1:role/r", "s3:GetObject",
          "arn:aws:s3:::b/k" + day, "")));
    }
    partitionsOfOneKey.add(partitioner.getPartition(new UsageKey("", "", "arn:aws:iam::1:role/r", "s3:GetObject",
        "arn:aws:s3:::b/k", "")));
    assertEquals(1, partitionsOfOneKey.size(), "the window key and all its days share a partition");
    assertNotEquals(1, partitionsOfAll.size(), "different resources spread");
    assertEquals(new UsagePartitioner(7), partitioner);
    assertNotEquals(new UsagePartitioner(8), partitioner);
  }
}
