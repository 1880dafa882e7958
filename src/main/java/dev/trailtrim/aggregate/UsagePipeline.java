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
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
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

  /** Knobs of the read. */
  public record Settings(long maxDecodedBytes, int readAheadPerTask, int rejectSamplesPerReason, int tasksPerCore)
      implements Serializable {}

  /** Usage states, and what reading counted, per folder and event day. */
  public record Result(List<UsageRow> rows, Map<DayKey, IngestStats> stats) {

    public static Result empty() {
      return new Result(List.of(), Map.of());
    }
  }

  private UsagePipeline() {}

  public static Result run(SparkSession spark, List<PlannedFile> files, Settings settings) {
    if (files.isEmpty()) {
      return Result.empty();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    List<List<PlannedFile>> groups = balance(files, Math.max(1, jsc.defaultParallelism() * settings.tasksPerCore()));
    List<Tuple2<Serializable, Serializable>> merged = jsc.parallelize(groups, groups.size())
        .mapPartitionsToPair(new ReadFiles(conf, settings))
        .reduceByKey(UsagePipeline::merge)
        .collect();
    List<UsageRow> rows = new ArrayList<>();
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    for (Tuple2<Serializable, Serializable> entry : merged) {
      if (entry._1() instanceof UsageKey key) {
        rows.add(UsageRow.of(key, (UsageStats) entry._2()));
      } else {
        stats.put((DayKey) entry._1(), (IngestStats) entry._2());
      }
    }
    return new Result(rows, stats);
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

  static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
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
    public Iterator<Tuple2<Serializable, Serializable>> call(Iterator<List<PlannedFile>> groups) throws Exception {
      List<PlannedFile> files = new ArrayList<>();
      groups.forEachRemaining(files::addAll);
      Map<DayKey, IngestStats> stats = new HashMap<>();
      Map<UsageKey, UsageStats> usage = new HashMap<>();
      FileIngestor ingestor = new FileIngestor(SharedTranslator.get(), null, settings.maxDecodedBytes());
      readAhead(files, conf.value().get(), (file, bytes, error) -> {
        String folderDay = CloudTrailFiles.folderDay(file.uri());
        FileIngestor.StatsRouter router = new FileIngestor.StatsRouter() {
          @Override
          public IngestStats files() {
            return stats.computeIfAbsent(new DayKey(folderDay, DayKey.FILES),
                k -> new IngestStats(settings.rejectSamplesPerReason()));
          }

          @Override
          public IngestStats records(long eventTimeMillis) {
            return stats.computeIfAbsent(new DayKey(folderDay, day(eventTimeMillis)),
                k -> new IngestStats(settings.rejectSamplesPerReason()));
          }
        };
        if (error != null) {
          router.files().reject(SkipReason.UNREADABLE, file.uri(),
              error.getClass().getSimpleName() + ": " + error.getMessage());
        } else {
          ingestor.ingest(file.uri(), bytes, router, (role, access, errorCode, time) -> usage.merge(
              new UsageKey(folderDay, day(time), role, access.action().toString(), access.resource(),
                  errorCode == null ? "" : errorCode),
              UsageStats.of(time), UsageStats::merge));
        }
      });
      List<Tuple2<Serializable, Serializable>> out = new ArrayList<>(usage.size() + stats.size());
      usage.forEach((key, value) -> out.add(new Tuple2<>(key, value)));
      stats.forEach((key, value) -> out.add(new Tuple2<>(key, value)));
      return out.iterator();
    }

    interface FileConsumer {
      void accept(PlannedFile file, byte[] bytes, IOException error);
    }

    /**
     * Fetches up to {@code readAheadPerTask} files concurrently (on S3 each is a GET of tens of
     * milliseconds) and hands them to {@code consumer} in order, on this thread.
     */
    private void readAhead(List<PlannedFile> files, Configuration hadoop, FileConsumer consumer)
        throws InterruptedException {
      int inFlight = Math.max(1, settings.readAheadPerTask());
      ExecutorService pool = Executors.newFixedThreadPool(inFlight, r -> {
        Thread t = new Thread(r, "trailtrim-read");
        t.setDaemon(true);
        return t;
      });
      try {
        ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
        int next = 0;
        for (int done = 0; done < files.size(); done++) {
          while (next < files.size() && pending.size() < inFlight) {
            PlannedFile file = files.get(next++);
            pending.add(pool.submit(() -> HadoopFiles.readFully(hadoop, file.uri(), file.length())));
          }
          PlannedFile file = files.get(done);
          try {
            consumer.accept(file, pending.poll().get(), null);
          } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            consumer.accept(file, null, cause instanceof IOException io ? io : new IOException(cause));
          }
        }
      } finally {
        pool.shutdownNow();
      }
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
