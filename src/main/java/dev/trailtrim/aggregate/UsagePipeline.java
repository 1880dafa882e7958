package dev.trailtrim.aggregate;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.FileIngestor;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.SerializableConfiguration;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
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
 * (delivery folder, event day, role, action, resource, outcome). Each task reads its files
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
      int maxTaskEntries) implements Serializable {

    public static final int DEFAULT_MAX_TASK_ENTRIES = 100_000;

    public Settings(long maxDecodedBytes, int readAheadPerTask, int rejectSamplesPerReason, int tasksPerCore) {
      this(maxDecodedBytes, readAheadPerTask, rejectSamplesPerReason, tasksPerCore, DEFAULT_MAX_TASK_ENTRIES);
    }
  }

  /**
   * Usage states per (folder day, event day, role, action, resource, outcome), kept where Spark
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
    List<List<PlannedFile>> groups = balance(files, Math.max(1, jsc.defaultParallelism() * settings.tasksPerCore()));
    // Tasks already merge what they read; a map-side combine would only measure and copy it again.
    JavaPairRDD<Serializable, Serializable> merged = jsc.parallelize(groups, groups.size())
        .mapPartitionsToPair(new ReadFiles(conf, settings))
        .combineByKey(v -> v, UsagePipeline::merge, UsagePipeline::merge,
            new UsagePartitioner(groups.size()), false, null)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    for (Tuple2<Serializable, Serializable> entry : merged.filter(e -> e._1() instanceof DayKey).collect()) {
      stats.put((DayKey) entry._1(), (IngestStats) entry._2());
    }
    // A cast only: the partitioning by window key stays, for WindowAggregation.
    JavaPairRDD<UsageKey, UsageStats> usage = merged.filter(e -> e._1() instanceof UsageKey)
        .mapPartitionsToPair(rows -> LazyMap.of(rows,
            row -> new Tuple2<>((UsageKey) row._1(), (UsageStats) row._2())), true);
    return new Result(usage, stats, merged);
  }

  /**
   * What one read task does, without Spark: reads and ingests {@code files} on the calling thread
   * (with the task's read-ahead) and yields its partial usage states and counters as Spark would
   * shuffle them. For measuring the per-record cost apart from Spark's.
   */
  public static Iterator<Tuple2<Serializable, Serializable>> readOneTask(List<PlannedFile> files,
      Configuration hadoop, Settings settings) {
    return new TaskRead(files, hadoop, settings);
  }

  /** Groups files into tasks of similar total size (largest first into the lightest group). */
  static List<List<PlannedFile>> balance(List<PlannedFile> files, int maxGroups) {
    int groups = Math.min(files.size(), maxGroups);
    List<List<PlannedFile>> result = new ArrayList<>();
    PriorityQueue<long[]> lightest = new PriorityQueue<>(
        Comparator.<long[]>comparingLong(g -> g[0]).thenComparingLong(g -> g[1]));
    for (int i = 0; i < groups; i++) {
      result.add(new ArrayList<>());
      lightest.add(new long[] {0, i});
    }
    List<PlannedFile> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(PlannedFile::length).reversed().thenComparing(f -> f));
    for (PlannedFile file : bySize) {
      long[] group = lightest.poll();
      result.get((int) group[1]).add(file);
      group[0] += Math.max(1, file.length());
      lightest.add(group);
    }
    result.forEach(group -> group.sort(null));
    return result;
  }

  static Serializable merge(Serializable a, Serializable b) {
    if (a instanceof UsageStats left) {
      return left.merge((UsageStats) b);
    }
    return ((IngestStats) a).merge((IngestStats) b);
  }

  /** One task: read its files (a few in flight at once), ingest them, emit partial states. */
  static final class ReadFiles
      implements PairFlatMapFunction<Iterator<List<PlannedFile>>, Serializable, Serializable> {

    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableConfiguration> conf;
    private final Settings settings;

    ReadFiles(Broadcast<SerializableConfiguration> conf, Settings settings) {
      this.conf = conf;
      this.settings = settings;
    }

    @Override
    public Iterator<Tuple2<Serializable, Serializable>> call(Iterator<List<PlannedFile>> groups) {
      List<PlannedFile> files = new ArrayList<>();
      groups.forEachRemaining(files::addAll);
      return new TaskRead(files, conf.value().get(), settings);
    }
  }

  /**
   * What one task emits, produced as Spark pulls it: files are fetched a few at a time
   * (on S3 each is a GET of tens of milliseconds) and ingested in order on the task's thread;
   * whenever the task-local usage map reaches {@link Settings#maxTaskEntries} it is handed on,
   * and the counters follow at the end.
   */
  static final class TaskRead implements Iterator<Tuple2<Serializable, Serializable>> {

    private final List<PlannedFile> files;
    private final Configuration hadoop;
    private final Settings settings;
    private final FileIngestor ingestor;
    private final Map<DayKey, IngestStats> stats = new HashMap<>();
    private Map<UsageKey, UsageStats> usage = new HashMap<>();
    private final EventDays days = new EventDays();
    private final ExecutorService pool;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private int submitted;
    private int ingested;
    private Iterator<Tuple2<Serializable, Serializable>> ready = Collections.emptyIterator();
    private boolean countersEmitted;

    TaskRead(List<PlannedFile> files, Configuration hadoop, Settings settings) {
      this.files = files;
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
          stats.forEach((key, value) -> rest.add(new Tuple2<>(key, value)));
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
      Map<UsageKey, UsageStats> full = usage;
      usage = new HashMap<>();
      return full.entrySet().stream()
          .map(e -> new Tuple2<Serializable, Serializable>(e.getKey(), e.getValue())).iterator();
    }

    /** Keeps up to readAheadPerTask GETs in flight, then ingests the next file in order. */
    private void ingestNext() {
      int inFlight = Math.max(1, settings.readAheadPerTask());
      while (submitted < files.size() && pending.size() < inFlight) {
        PlannedFile file = files.get(submitted++);
        pending.add(pool.submit(() -> HadoopFiles.readFully(hadoop, file.uri(), file.length())));
      }
      PlannedFile file = files.get(ingested++);
      String folderDay = CloudTrailFiles.folderDay(file.uri());
      FileIngestor.StatsRouter router = new FileIngestor.StatsRouter() {
        @Override
        public IngestStats files() {
          return stats.computeIfAbsent(new DayKey(folderDay, DayKey.FILES),
              k -> new IngestStats(settings.rejectSamplesPerReason()));
        }

        @Override
        public IngestStats records(long eventTimeMillis) {
          return stats.computeIfAbsent(new DayKey(folderDay, days.of(eventTimeMillis)),
              k -> new IngestStats(settings.rejectSamplesPerReason()));
        }
      };
      byte[] bytes;
      try {
        bytes = pending.poll().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while reading " + file.uri(), e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        router.files().reject(SkipReason.UNREADABLE, file.uri(),
            cause.getClass().getSimpleName() + ": " + cause.getMessage());
        return;
      }
      ingestor.ingest(file.uri(), bytes, router, (role, access, errorCode, time) -> usage.merge(
          new UsageKey(folderDay, days.of(time), role, access.action().toString(), access.resource(),
              errorCode == null ? "" : errorCode),
          UsageStats.of(time), UsageStats::merge));
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
