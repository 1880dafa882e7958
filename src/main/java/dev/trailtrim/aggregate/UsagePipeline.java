package dev.trailtrim.aggregate;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.EventIdSet;
import dev.trailtrim.ingest.FileIngestor;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.ingest.RepeatedDeliveries;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.SerializableConfiguration;
import dev.trailtrim.model.ActionOnResource;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The Spark part of the job: read the planned files in parallel and aggregate usage per
 * (delivery folder, event day, role, function, action, resource, outcome). Each task reads its files
 * itself (not through Spark's file sources, whose per-file overhead dominates on CloudTrail's
 * many small objects), keeps a task-local map, and emits its partial states; one shuffle merges
 * them. No window is applied here: the per-day states it returns can be stored, and any window
 * of days is then a sum of them ({@link UsageWindow}).
 */
public final class UsagePipeline {

  /**
   * Knobs of the read.
   *
   * @param maxTaskEntries usage entries a task holds before it hands them to the shuffle, which
   *                       merges and spills them: what bounds a task's memory however many
   *                       distinct resources its files name
   */
  public record Settings(long maxDecodedBytes, int readAheadPerTask, int rejectSamplesPerReason, int tasksPerCore,
      int maxTaskEntries, boolean keepCallContexts) implements Serializable {

    public static final int DEFAULT_MAX_TASK_ENTRIES = 100_000;

    /** Settings that keep no request contexts of calls. */
    public Settings(long maxDecodedBytes, int readAheadPerTask, int rejectSamplesPerReason, int tasksPerCore,
        int maxTaskEntries) {
      this(maxDecodedBytes, readAheadPerTask, rejectSamplesPerReason, tasksPerCore, maxTaskEntries, false);
    }

    /** Counts for one slice of a task's read, keeping the calls' request contexts when asked to. */
    IngestStats newStats() {
      IngestStats stats = new IngestStats(rejectSamplesPerReason);
      return keepCallContexts ? stats.keepCallContexts() : stats;
    }

    public Settings(long maxDecodedBytes, int readAheadPerTask, int rejectSamplesPerReason, int tasksPerCore) {
      this(maxDecodedBytes, readAheadPerTask, rejectSamplesPerReason, tasksPerCore, DEFAULT_MAX_TASK_ENTRIES);
    }
  }

  /**
   * Usage states per (folder day, event day, role, function, action, resource, outcome), kept where Spark
   * holds them (only the window's compact result ever reaches the driver), and what reading
   * counted per folder and event day (small: counters per day).
   *
   * @param cached what Spark keeps of the read (cached, spilling to disk) so that counting,
   *               storing and windowing do not read the files again; null when nothing is
   */
  public record Result(JavaPairRDD<UsageKey, UsageStats> usage, Map<DayKey, IngestStats> stats,
      JavaPairRDD<?, ?> cached) {

    public Result(JavaPairRDD<UsageKey, UsageStats> usage, Map<DayKey, IngestStats> stats) {
      this(usage, stats, null);
    }

    public static Result empty(SparkSession spark) {
      return new Result(JavaSparkContext.fromSparkContext(spark.sparkContext()).<Tuple2<UsageKey, UsageStats>>emptyRDD()
          .mapToPair(t -> t), Map.of());
    }

    /** The usage of both, side by side (the same key in both is merged when a window is taken). */
    public Result union(Result other) {
      Map<DayKey, IngestStats> slices = new TreeMap<>(stats);
      other.stats.forEach((key, value) -> slices.merge(key, value, IngestStats::merge));
      return new Result(usage.union(other.usage), slices, null);
    }

    /** Frees what Spark keeps of the read. */
    public void release() {
      if (cached != null) {
        cached.unpersist(false);
      }
    }
  }

  private UsagePipeline() {}

  public static Result run(SparkSession spark, List<PlannedFile> files, Settings settings) {
    if (files.isEmpty()) {
      return Result.empty(spark);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    List<ReadUnit> units = readUnits(files);
    List<List<ReadUnit>> groups = balanceUnits(units,
        readTasks(units, jsc.defaultParallelism(), settings.tasksPerCore()));
    // Tasks already merge what they read; a map-side combine would only measure and copy it again.
    JavaPairRDD<Serializable, Serializable> merged = jsc.parallelize(groups, groups.size())
        .mapPartitionsToPair(new ReadFiles(conf, settings))
        .combineByKey(v -> v, UsagePipeline::merge, UsagePipeline::merge,
            new UsagePartitioner(groups.size()), false, null)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    for (Tuple2<Serializable, Serializable> entry : merged.filter(e -> e._1() instanceof DayKey).collect()) {
      stats.put((DayKey) entry._1(), ((PackedStats) entry._2()).unpack());
    }
    // A cast only: the partitioning by window key stays, for WindowAggregation.
    JavaPairRDD<UsageKey, UsageStats> usage = merged.filter(e -> e._1() instanceof UsageKey)
        .mapPartitionsToPair(rows -> MappingIterator.of(rows,
            row -> new Tuple2<>((UsageKey) row._1(), (UsageStats) row._2())), true);
    return new Result(usage, stats, merged);
  }

  /**
   * What one read task does, without Spark: reads and ingests {@code files} on the calling thread
   * (with the task's read-ahead) and yields its partial usage states and counters as Spark would
   * shuffle them. For measuring the per-record cost apart from Spark's: the ingest-only benchmark
   * reaches it through ReadTaskAccess, which lives with the tools, so the job's API stays as it was.
   */
  static Iterator<Tuple2<Serializable, Serializable>> readOneTask(List<PlannedFile> files,
      Configuration hadoop, Settings settings) {
    return new TaskRead(readUnits(files), hadoop, settings);
  }

  /**
   * Files one task reads in a row: one file, or the files of an account, region and delivery day
   * that several trail prefixes hold ({@link RepeatedDeliveries.Overlap}), read with one set of
   * the eventIDs seen so that an event delivered twice is used once.
   */
  record ReadUnit(List<PlannedFile> files, boolean dropRepeatedEvents) implements Serializable, Comparable<ReadUnit> {

    ReadUnit {
      if (files.isEmpty()) {
        throw new IllegalArgumentException("A read unit needs at least one file");
      }
      files = List.copyOf(files);
    }

    long weight() {
      return files.stream().mapToLong(file -> Math.max(1, file.length())).sum();
    }

    @Override
    public int compareTo(ReadUnit o) {
      return files.get(0).compareTo(o.files.get(0));
    }
  }

  /**
   * The files as read units: the files of each overlap together (the rest as they are), so no
   * day's repeated events are split over tasks that cannot see each other's eventIDs. An overlap
   * lies within one delivery folder day, so a day read now or loaded from the state is whole.
   */
  static List<ReadUnit> readUnits(List<PlannedFile> files) {
    List<RepeatedDeliveries.Overlap> overlaps = RepeatedDeliveries.overlaps(files);
    List<ReadUnit> units = new ArrayList<>(files.size());
    Set<PlannedFile> grouped = new HashSet<>();
    for (RepeatedDeliveries.Overlap overlap : overlaps) {
      units.add(new ReadUnit(overlap.files(), true));
      grouped.addAll(overlap.files());
    }
    for (PlannedFile file : files) {
      if (!grouped.contains(file)) {
        units.add(new ReadUnit(List.of(file), false));
      }
    }
    return units;
  }

  /** What opening a file costs, in bytes read: the default of Spark's file sources (spark.sql.files.openCostInBytes). */
  static final long OPEN_COST_BYTES = 4L << 20;
  /** A read task's fill: the default of Spark's file sources (spark.sql.files.maxPartitionBytes). */
  static final long TASK_BYTES = 128L << 20;

  /**
   * How many tasks read {@code units}: as Spark's file sources split, enough that none weighs much more
   * than {@link #TASK_BYTES}, a file weighing its length plus {@link #OPEN_COST_BYTES}; but at least one
   * per core and at most {@code tasksPerCore} per core. A small read (a quiet night, a test) runs as one
   * task per core instead of paying Spark's cost per task {@code tasksPerCore} times over in every stage
   * after it (each is partitioned as the read); a large one keeps the smaller tasks that balance uneven files.
   */
  static int readTasks(List<ReadUnit> units, int cores, int tasksPerCore) {
    long weight = 0;
    for (ReadUnit unit : units) {
      for (PlannedFile file : unit.files()) {
        weight += Math.max(0, file.length()) + OPEN_COST_BYTES;
      }
    }
    long filled = (weight + TASK_BYTES - 1) / TASK_BYTES;
    int most = Math.max(1, cores * tasksPerCore);
    int least = Math.min(most, Math.max(1, cores));
    return (int) Math.min(most, Math.max(least, filled));
  }

  /** Groups files into tasks of similar total size (largest first into the lightest group). */
  static List<List<PlannedFile>> balance(List<PlannedFile> files, int maxGroups) {
    return balanceUnits(files.stream().map(file -> new ReadUnit(List.of(file), false)).toList(), maxGroups).stream()
        .map(group -> group.stream().flatMap(unit -> unit.files().stream()).toList()).toList();
  }

  /** Groups read units into tasks of similar total size (largest first into the lightest group). */
  static List<List<ReadUnit>> balanceUnits(List<ReadUnit> units, int maxGroups) {
    int groups = Math.min(units.size(), maxGroups);
    List<List<ReadUnit>> result = new ArrayList<>();
    PriorityQueue<long[]> lightest = new PriorityQueue<>(
        Comparator.<long[]>comparingLong(g -> g[0]).thenComparingLong(g -> g[1]));
    for (int i = 0; i < groups; i++) {
      result.add(new ArrayList<>());
      lightest.add(new long[] {0, i});
    }
    List<ReadUnit> bySize = new ArrayList<>(units);
    bySize.sort(Comparator.comparingLong(ReadUnit::weight).reversed().thenComparing(unit -> unit));
    for (ReadUnit unit : bySize) {
      long[] group = lightest.poll();
      result.get((int) group[1]).add(unit);
      group[0] += unit.weight();
      lightest.add(group);
    }
    result.forEach(group -> group.sort(null));
    return result;
  }

  static Serializable merge(Serializable a, Serializable b) {
    if (a instanceof UsageStats left) {
      return left.merge((UsageStats) b);
    }
    return ((PackedStats) a).merge((PackedStats) b);
  }

  /** One task: read its files (a few in flight at once), ingest them, emit partial states. */
  static final class ReadFiles
      implements PairFlatMapFunction<Iterator<List<ReadUnit>>, Serializable, Serializable> {

    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableConfiguration> conf;
    private final Settings settings;

    ReadFiles(Broadcast<SerializableConfiguration> conf, Settings settings) {
      this.conf = conf;
      this.settings = settings;
    }

    @Override
    public Iterator<Tuple2<Serializable, Serializable>> call(Iterator<List<ReadUnit>> groups) {
      List<ReadUnit> units = new ArrayList<>();
      groups.forEachRemaining(units::addAll);
      return new TaskRead(units, conf.value().get(), settings);
    }
  }

  /**
   * What one task emits, produced as Spark pulls it: files are fetched a few at a time
   * (on S3 each is a GET of tens of milliseconds) and ingested in order on the task's thread;
   * whenever the task-local usage map reaches {@link Settings#maxTaskEntries} it is handed on,
   * and the counters follow at the end.
   */
  static final class TaskRead implements Iterator<Tuple2<Serializable, Serializable>> {

    private final List<PlannedFile> files = new ArrayList<>();
    /** Per file: whether it begins a unit that drops repeated events, and whether it ends its unit. */
    private final List<Boolean> beginsDroppingUnit = new ArrayList<>();
    private final List<Boolean> endsUnit = new ArrayList<>();
    /** The eventIDs of the unit being read, when it drops repeated events; null otherwise. */
    private EventIdSet seen;
    private final Configuration hadoop;
    private final Settings settings;
    private final FileIngestor ingestor;
    private final Map<DayKey, IngestStats> stats = new HashMap<>();
    private final TaskUsage usage = new TaskUsage();
    private final EventDays days = new EventDays();
    private final ExecutorService pool;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private int submitted;
    private int ingested;
    private Iterator<Tuple2<Serializable, Serializable>> ready = Collections.emptyIterator();
    private boolean countersEmitted;

    TaskRead(List<ReadUnit> units, Configuration hadoop, Settings settings) {
      for (ReadUnit unit : units) {
        for (int i = 0; i < unit.files().size(); i++) {
          files.add(unit.files().get(i));
          beginsDroppingUnit.add(i == 0 && unit.dropRepeatedEvents());
          endsUnit.add(i == unit.files().size() - 1);
        }
      }
      this.hadoop = hadoop;
      this.settings = settings;
      this.ingestor = new FileIngestor(SharedTranslator.get(), null, settings.maxDecodedBytes());
      this.pool = Executors.newFixedThreadPool(Math.max(1, settings.readAheadPerTask()), r -> {
        Thread t = new Thread(r, "trailtrim-read");
        t.setDaemon(true);
        return t;
      });
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskContext done) -> pool.shutdownNow());
      }
    }

    @Override
    public boolean hasNext() {
      while (!ready.hasNext()) {
        if (ingested < files.size()) {
          ingestNext();
          if (usage.size() >= settings.maxTaskEntries()) {
            ready = drainUsage();
          }
        } else if (!countersEmitted) {
          countersEmitted = true;
          pool.shutdownNow();
          List<Tuple2<Serializable, Serializable>> rest = new ArrayList<>(usage.size() + stats.size());
          drainUsage().forEachRemaining(rest::add);
          // Counters travel packed: decoded once, on the driver (PackedStats).
          stats.forEach((key, value) -> rest.add(new Tuple2<>(key, PackedStats.of(value))));
          ready = rest.iterator();
        } else {
          return false;
        }
      }
      return true;
    }

    @Override
    public Tuple2<Serializable, Serializable> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.next();
    }

    private Iterator<Tuple2<Serializable, Serializable>> drainUsage() {
      return usage.drain();
    }

    /** Keeps up to readAheadPerTask GETs in flight, then ingests the next file in order. */
    private void ingestNext() {
      int inFlight = Math.max(1, settings.readAheadPerTask());
      while (submitted < files.size() && pending.size() < inFlight) {
        PlannedFile file = files.get(submitted++);
        pending.add(pool.submit(() -> HadoopFiles.readFully(hadoop, file.uri(), file.length())));
      }
      int index = ingested++;
      PlannedFile file = files.get(index);
      if (beginsDroppingUnit.get(index)) {
        seen = new EventIdSet();
      }
      String folderDay = CloudTrailFiles.folderDay(file.uri());
      FileIngestor.StatsRouter router = new FileIngestor.StatsRouter() {
        /** The event day of the last record and its slice: a file's records are mostly of one day. */
        private String lastDay;
        private IngestStats lastSlice;

        @Override
        public IngestStats files() {
          return stats.computeIfAbsent(new DayKey(folderDay, DayKey.FILES), k -> settings.newStats());
        }

        @Override
        public IngestStats records(long eventTimeMillis) {
          String day = days.of(eventTimeMillis);
          if (day != lastDay) {
            lastSlice = stats.computeIfAbsent(new DayKey(folderDay, day),
                k -> settings.newStats());
            lastDay = day;
          }
          return lastSlice;
        }
      };
      byte[] bytes = null;
      try {
        bytes = pending.poll().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while reading " + file.uri(), e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        router.files().reject(SkipReason.UNREADABLE, file.uri(),
            cause.getClass().getSimpleName() + ": " + cause.getMessage());
      }
      if (bytes != null) {
        ingestor.ingest(file.uri(), bytes, router, seen, new FileIngestor.UsageSink() {
          @Override
          public void accept(String role, ActionOnResource access, String errorCode, long time) {
            accept(role, "", access, errorCode, time);
          }

          @Override
          public void accept(String role, String function, ActionOnResource access, String errorCode, long time) {
            usage.add(folderDay, days.of(time), role, function, access.action(), access.resource(),
                errorCode == null ? "" : errorCode, time);
          }
        });
      }
      if (endsUnit.get(index)) {
        // The next unit is another account, region or day: its events cannot repeat these.
        seen = null;
      }
    }
  }

  /** The UTC day of an epoch time, as yyyy-MM-dd, computed once per day rather than per record. */
  static final class EventDays {
    private long epochDay = Long.MIN_VALUE;
    private String text;

    String of(long epochMillis) {
      long day = Math.floorDiv(epochMillis, 86_400_000L);
      if (day != epochDay) {
        epochDay = day;
        text = LocalDate.ofEpochDay(day).toString();
      }
      return text;
    }
  }

  /** One translator per executor JVM: the catalog and rules are parsed once, not per task. */
  static final class SharedTranslator {
    private static volatile EventTranslator instance;

    static EventTranslator get() {
      if (instance == null) {
        synchronized (SharedTranslator.class) {
          if (instance == null) {
            instance = EventTranslator.create(IamCatalog.loadDefault());
          }
        }
      }
      return instance;
    }
  }
}
