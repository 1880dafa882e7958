package dev.trailtrim.aggregate;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.UsageCompaction;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The window's usage per role, computed where Spark holds the per-day states: the days of the
 * window are summed per (role, action, resource, outcome), and a role that used one action on
 * more than {@code maxResourcesPerAction} resources has them compacted into resource patterns
 * ({@link UsageCompaction}) before anything is collected. The driver receives at most about
 * that many rows per role and action, however many distinct resources the logs name. For a role
 * whose calls came from more than one function (or from functions and from sessions no function
 * is known for), the same is computed per function as well, compacted where the role's use is.
 */
public final class WindowAggregation {

  /**
   * The window's compact usage, and how much compaction there was.
   *
   * @param usage         each role's use as a whole
   * @param functionUsage per function ({@link WindowedUsage#function()}, empty for calls no function is known
   *                      for), the use of each role whose calls came from more than one
   * @param onlyFunction  for every other role that made calls, the one function they all came from (empty when
   *                      none is known): its use as a whole is that function's
   */
  public record Result(List<WindowedUsage> usage, long compactedActions, long compactedResources,
      List<WindowedUsage> functionUsage, Map<String, String> onlyFunction) {

    public Result(List<WindowedUsage> usage, long compactedActions, long compactedResources) {
      this(usage, compactedActions, compactedResources, List.of(), Map.of());
    }
  }

  private WindowAggregation() {}

  /**
   * @param grants what each role is granted (roles not in it: no grants), used only to bound
   *               compacted patterns by what allows them
   */
  public static Result compute(JavaPairRDD<UsageKey, UsageStats> dayUsage, ObservationWindow window,
      Map<String, GrantSet> grants, int maxResourcesPerAction) {
    String from = window.from().toString();
    String to = window.to().toString();
    // ISO dates compare as text; the folder and event days are dropped, the rest summed. A fresh
    // read is already partitioned by the window key (UsagePartitioner, which ignores the function):
    // the sums per function and per role are then local. Otherwise one shuffle places them so.
    boolean byWindowKeyAlready = dayUsage.partitioner().isPresent()
        && dayUsage.partitioner().get() instanceof UsagePartitioner;
    Partitioner byWindowKey = byWindowKeyAlready ? dayUsage.partitioner().get()
        : new UsagePartitioner(Math.max(1, dayUsage.getNumPartitions()));
    JavaPairRDD<UsageKey, UsageStats> perFunction = dayUsage
        .filter(e -> e._1().eventDay().compareTo(from) >= 0 && e._1().eventDay().compareTo(to) <= 0)
        .mapPartitionsToPair(rows -> MappingIterator.of(rows, e -> new Tuple2<>(new UsageKey("", "", e._1().roleArn(),
            e._1().function(), e._1().action(), e._1().resource(), e._1().errorCode()), e._2())), byWindowKeyAlready)
        .reduceByKey(byWindowKey, UsageStats::merge)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    JavaPairRDD<UsageKey, UsageStats> perResource = perFunction
        .mapPartitionsToPair(rows -> MappingIterator.of(rows, e -> new Tuple2<>(new UsageKey("", "", e._1().roleArn(),
            e._1().action(), e._1().resource(), e._1().errorCode()), e._2())), true)
        .reduceByKey(byWindowKey, UsageStats::merge)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      // One pass, no shuffle: each partition counts its own (both RDDs are partitioned alike), the driver sums.
      WindowShape shape = perResource.zipPartitions(perFunction, WindowShape::of).collect().stream()
          .reduce(new WindowShape(), WindowShape::merge);
      Set<RoleAction> crowded = new HashSet<>();
      shape.resources.forEach((roleAction, resources) -> {
        if (resources > maxResourcesPerAction) {
          crowded.add(roleAction);
        }
      });
      Map<String, Set<String>> functionsOfRole = shape.functions;
      Set<String> split = new HashSet<>();
      Map<String, String> onlyFunction = new TreeMap<>();
      functionsOfRole.forEach((role, functions) -> {
        if (functions.size() > 1) {
          split.add(role);
        } else {
          onlyFunction.put(role, functions.iterator().next());
        }
      });
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(perResource.context());
      Broadcast<Set<RoleAction>> crowdedB = jsc.broadcast(crowded);
      Map<String, GrantSet> crowdedGrants = new HashMap<>();
      crowded.forEach(c -> {
        if (grants.containsKey(c.role())) {
          crowdedGrants.put(c.role(), grants.get(c.role()));
        }
      });
      Broadcast<Map<String, GrantSet>> grantsB = jsc.broadcast(crowdedGrants);
      List<WindowedUsage> usage = windowed(perResource, crowdedB, grantsB);
      long compactedResources = usage.stream().filter(u -> u.resources() > 1).mapToLong(WindowedUsage::resources)
          .sum();
      List<WindowedUsage> functionUsage = List.of();
      if (!split.isEmpty()) {
        Broadcast<Set<String>> splitB = jsc.broadcast(split);
        functionUsage = windowed(perFunction.filter(e -> splitB.value().contains(e._1().roleArn())), crowdedB,
            grantsB);
      }
      return new Result(usage, crowded.size(), compactedResources, functionUsage, onlyFunction);
    } finally {
      perResource.unpersist(false);
      perFunction.unpersist(false);
    }
  }

  /** The window's rows as collected: each resource on its own, those of crowded (role, action)s compacted. */
  private static List<WindowedUsage> windowed(JavaPairRDD<UsageKey, UsageStats> perResource,
      Broadcast<Set<RoleAction>> crowded, Broadcast<Map<String, GrantSet>> grants) {
    if (crowded.value().isEmpty()) {
      return perResource.map(e -> new WindowedUsage(e._1().roleArn(), e._1().function(), e._1().action(),
          e._1().resource(), e._1().errorCode(), e._2(), 1)).collect();
    }
    return perResource
        .mapPartitionsToPair(rows -> {
          Map<List<String>, Map<String, Boolean>> memos = new HashMap<>();
          return MappingIterator.of(rows, e -> familyOf(e._1(), e._2(), crowded.value(), grants.value(),
              memos.computeIfAbsent(List.of(e._1().roleArn(), e._1().action()), k -> new HashMap<>())));
        })
        .reduceByKey(Family::merge)
        .map(e -> new WindowedUsage(e._1().role(), e._1().function(), e._1().action(),
            e._2().resource(e._1().bound()), e._1().errorCode(), e._2().stats(), e._2().members()))
        .collect();
  }

  private static Tuple2<FamilyKey, Family> familyOf(UsageKey key, UsageStats stats, Set<RoleAction> crowded,
      Map<String, GrantSet> grants, Map<String, Boolean> boundMemo) {
    Family one = new Family(1, stats, key.resource());
    if (!crowded.contains(RoleAction.of(key))) {
      return new Tuple2<>(new FamilyKey(key.roleArn(), key.function(), key.action(), key.errorCode(), key.resource(),
          null), one);
    }
    String bound = key.errorCode().isEmpty()
        ? UsageCompaction.bound(grants.get(key.roleArn()), IamAction.parse(key.action()), key.resource(), boundMemo)
        : "";
    return new Tuple2<>(new FamilyKey(key.roleArn(), key.function(), key.action(), key.errorCode(),
        UsageCompaction.family(key.resource()), bound), one);
  }

  /**
   * What the window's rows say of its roles: how many resources each (role, action, outcome) used, and
   * which functions each role's calls came from; of one partition, or summed over several.
   */
  static final class WindowShape implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<RoleAction, Long> resources = new HashMap<>();
    private final Map<String, Set<String>> functions = new TreeMap<>();

    static Iterator<WindowShape> of(Iterator<Tuple2<UsageKey, UsageStats>> perResource,
        Iterator<Tuple2<UsageKey, UsageStats>> perFunction) {
      WindowShape shape = new WindowShape();
      perResource.forEachRemaining(row -> shape.resources.merge(RoleAction.of(row._1()), 1L, Long::sum));
      perFunction.forEachRemaining(
          row -> shape.functions.computeIfAbsent(row._1().roleArn(), r -> new TreeSet<>()).add(row._1().function()));
      return List.of(shape).iterator();
    }

    WindowShape merge(WindowShape other) {
      other.resources.forEach((roleAction, count) -> resources.merge(roleAction, count, Long::sum));
      other.functions.forEach((role, names) -> functions.computeIfAbsent(role, r -> new TreeSet<>()).addAll(names));
      return this;
    }
  }

  /** One role's calls of one action with one outcome. */
  record RoleAction(String role, String action, String errorCode) implements Serializable {
    static RoleAction of(UsageKey key) {
      return new RoleAction(key.roleArn(), key.action(), key.errorCode());
    }
  }

  /**
   * Resources compacted together: one family under one bound, of one function (empty for the
   * role's use as a whole). {@code bound} is null for a resource of an uncrowded action (a family
   * of itself).
   */
  record FamilyKey(String role, String function, String action, String errorCode, String family, String bound)
      implements Serializable {}

  /** A family's members so far: a commutative monoid, so any partitioning gives the same result. */
  record Family(long members, UsageStats stats, String commonPrefix) implements Serializable {

    Family merge(Family other) {
      return new Family(members + other.members, stats.merge(other.stats),
          UsageCompaction.commonPrefix(commonPrefix, other.commonPrefix));
    }

    String resource(String bound) {
      return bound == null ? commonPrefix : UsageCompaction.compacted(commonPrefix, bound, members);
    }
  }
}
