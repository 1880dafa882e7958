package dev.trailtrim.tools.bench;

import dev.trailtrim.aggregate.DayKey;
import dev.trailtrim.aggregate.UsageKey;
import dev.trailtrim.aggregate.UsageStats;
import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.FileIngestor;
import dev.trailtrim.ingest.IngestStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * trailtrim's per-record work without Spark: each thread reads its share of the files and hands
 * them to {@link FileIngestor} (gunzip, parse, attribution, translation, accounting) with the
 * same task-local maps (usage, and counters per day) as {@code UsagePipeline}'s tasks. Between
 * the floor and the trailtrim job, it tells trailtrim's own cost per record from what Spark adds
 * (tasks, shuffle, results).
 * The IAM catalog and rules are loaded inside the measured phase, as a read task does.
 *
 * <p>Usage: {@code IngestOnlyBench --corpus DIR --cores N}; {@code -Dbench.warm.passes=N} runs N warm
 * passes instead of one and also reports their medians, wall time and the CPU time of the worker
 * threads alone (without JIT and GC threads), and the smallest worker CPU time: steadier figures on
 * a machine shared with other load.
 */
public final class IngestOnlyBench {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private IngestOnlyBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("ingest-only", args);
    run.startPhase();
    long loading = System.nanoTime();
    EventTranslator translator = EventTranslator.create(IamCatalog.loadDefault());
    double catalogSeconds = (System.nanoTime() - loading) / 1e9;
    List<Path> files = FloorBench.corpusFiles(run.corpus.awsLogs());
    IngestStats stats = new IngestStats(20);
    AtomicLong taskCpu = new AtomicLong();
    int keys = pass(files, run.cores, translator, stats, taskCpu);
    run.endPhase();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("usage_keys", keys);
    extra.put("catalog_s", BenchRun.fmt(catalogSeconds));
    extra.put("task_cpu_s", BenchRun.fmt(taskCpu.get() / 1e9));
    extra.putAll(FloorBench.warmPass(() -> pass(files, run.cores, translator, new IngestStats(20), new AtomicLong())));
    int passes = Integer.getInteger("bench.warm.passes", 1);
    if (passes > 1) {
      double[] walls = new double[passes];
      double[] cpus = new double[passes];
      for (int p = 0; p < passes; p++) {
        AtomicLong cpu = new AtomicLong();
        long wall = System.nanoTime();
        pass(files, run.cores, translator, new IngestStats(20), cpu);
        walls[p] = (System.nanoTime() - wall) / 1e9;
        cpus[p] = cpu.get() / 1e9;
      }
      extra.put("warm_passes", passes);
      extra.put("warm_median_wall_s", BenchRun.fmt(median(walls)));
      extra.put("warm_median_task_cpu_s", BenchRun.fmt(median(cpus)));
      // The least-disturbed pass: on a machine other processes load, the closest to the code's own cost.
      extra.put("warm_min_task_cpu_s", BenchRun.fmt(Arrays.stream(cpus).min().orElseThrow()));
    }
    run.finish(stats.counter("records.read"), extra);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The UTC day of an event, as UsagePipeline keys it. */
  private static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  /** One pass over every file; returns the number of usage keys (days, role, action, resource, outcome). */
  private static int pass(List<Path> files, int threads, EventTranslator translator, IngestStats total,
      AtomicLong taskCpuNanos) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Map<UsageKey, UsageStats>>> shares = new ArrayList<>();
      List<IngestStats> statsOfShares = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        IngestStats stats = new IngestStats(20);
        statsOfShares.add(stats);
        shares.add(pool.submit(() -> {
          long cpuAtStart = THREADS.getCurrentThreadCpuTime();
          Map<UsageKey, UsageStats> usage = new HashMap<>();
          Map<DayKey, IngestStats> byDay = new HashMap<>();
          // No window while reading, as in UsagePipeline: per-day states are windowed afterwards.
          FileIngestor ingestor = new FileIngestor(translator, null, Long.MAX_VALUE);
          // The sink and key of UsagePipeline's read tasks; the folder day is that of the file.
          String[] folderDay = {""};
          FileIngestor.UsageSink sink = (role, access, errorCode, time) -> usage.merge(
              new UsageKey(folderDay[0], day(time), role, access.action().toString(), access.resource(),
                  errorCode == null ? "" : errorCode),
              UsageStats.of(time), UsageStats::merge);
          for (int i = first; i < files.size(); i += threads) {
            Path file = files.get(i);
            folderDay[0] = CloudTrailFiles.folderDay(file.toUri().toString());
            // UsagePipeline's router: file counters per folder day, record counters per event day.
            FileIngestor.StatsRouter router = new FileIngestor.StatsRouter() {
              @Override
              public IngestStats files() {
                return byDay.computeIfAbsent(new DayKey(folderDay[0], DayKey.FILES), k -> new IngestStats(20));
              }

              @Override
              public IngestStats records(long eventTimeMillis) {
                return byDay.computeIfAbsent(new DayKey(folderDay[0], day(eventTimeMillis)), k -> new IngestStats(20));
              }
            };
            ingestor.ingest(file.toString(), Files.readAllBytes(file), router, sink);
          }
          byDay.values().forEach(stats::merge);
          taskCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuAtStart);
          return usage;
        }));
      }
      Map<UsageKey, UsageStats> merged = new HashMap<>();
      for (Future<Map<UsageKey, UsageStats>> share : shares) {
        share.get().forEach((key, value) -> merged.merge(key, value, UsageStats::merge));
      }
      statsOfShares.forEach(total::merge);
      return merged.size();
    } finally {
      pool.shutdown();
    }
  }
}
