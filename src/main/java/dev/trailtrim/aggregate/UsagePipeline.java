package dev.trailtrim.aggregate;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.FileIngestor;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.SerializableConfiguration;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleUsage;
import java.io.IOException;
import java.io.Serializable;
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
 * (role, action, resource, outcome). Each task reads its files itself (not through Spark's
 * file sources, whose per-file overhead dominates on CloudTrail's many small objects), keeps a
 * task-local map, and emits its partial states; one shuffle merges them.
 */
public final class UsagePipeline {

  /** Knobs of the read. */
  public record Settings(ObservationWindow window, long maxDecodedBytes, int readAheadPerTask,
      int rejectSamplesPerReason, int tasksPerCore) implements Serializable {}

  /** Usage per role, and what reading counted. */
  public record Result(Map<String, RoleUsage> usageByRole, IngestStats stats) {}

  private UsagePipeline() {}

  public static Result run(SparkSession spark, List<PlannedFile> files, Settings settings) {
    IngestStats stats = new IngestStats(settings.rejectSamplesPerReason());
    if (files.isEmpty()) {
      return new Result(Map.of(), stats);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    List<List<PlannedFile>> groups = balance(files, Math.max(1, jsc.defaultParallelism() * settings.tasksPerCore()));
    List<Tuple2<Serializable, Serializable>> merged = jsc.parallelize(groups, groups.size())
        .mapPartitionsToPair(new ReadFiles(conf, settings))
        .reduceByKey(UsagePipeline::merge)
        .collect();
    Map<String, List<ActionUsage>> byRole = new TreeMap<>();
    for (Tuple2<Serializable, Serializable> entry : merged) {
      if (entry._1() instanceof UsageKey key) {
        UsageStats usage = (UsageStats) entry._2();
        byRole.computeIfAbsent(key.roleArn(), r -> new ArrayList<>()).add(new ActionUsage(
            new ActionOnResource(IamAction.parse(key.action()), key.resource()),
            key.errorCode().isEmpty() ? null : key.errorCode(), usage.count(), usage.firstSeenMillis(),
            usage.lastSeenMillis()));
      } else {
        stats.merge((IngestStats) entry._2());
      }
    }
    Map<String, RoleUsage> usageByRole = new TreeMap<>();
    byRole.forEach((role, usages) -> usageByRole.put(role, new RoleUsage(role, usages)));
    return new Result(usageByRole, stats);
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

  /** The single key under which every task's {@link IngestStats} is merged. */
  record StatsKey() implements Serializable {}

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
      IngestStats stats = new IngestStats(settings.rejectSamplesPerReason());
      Map<UsageKey, UsageStats> usage = new HashMap<>();
      FileIngestor ingestor = new FileIngestor(SharedTranslator.get(), settings.window(), settings.maxDecodedBytes());
      FileIngestor.UsageSink sink = (role, access, errorCode, time) -> usage.merge(
          new UsageKey(role, access.action().toString(), access.resource(), errorCode == null ? "" : errorCode),
          UsageStats.of(time), UsageStats::merge);
      readAhead(files, conf.value().get(), (file, bytes, error) -> {
        if (error != null) {
          stats.reject(SkipReason.UNREADABLE, file.uri(), error.getClass().getSimpleName() + ": " + error.getMessage());
        } else {
          ingestor.ingest(file.uri(), bytes, stats, sink);
        }
      });
      List<Tuple2<Serializable, Serializable>> out = new ArrayList<>(usage.size() + 1);
      usage.forEach((key, value) -> out.add(new Tuple2<>(key, value)));
      out.add(new Tuple2<>(new StatsKey(), stats));
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
