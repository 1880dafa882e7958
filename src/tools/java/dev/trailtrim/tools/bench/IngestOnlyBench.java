package dev.trailtrim.tools.bench;

import dev.trailtrim.aggregate.ReadTaskAccess;
import dev.trailtrim.aggregate.UsageKey;
import dev.trailtrim.aggregate.UsagePipeline;
import dev.trailtrim.aggregate.UsageStats;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.hadoop.conf.Configuration;

/**
 * trailtrim's per-record work without Spark: each thread runs {@code UsagePipeline}'s own read
 * task on its share of the files (read-ahead, gunzip, parse, attribution, translation, the
 * task-local maps of usage and counters per day), and nothing is shuffled. Between
 * the floor and the trailtrim job, it tells trailtrim's own cost per record from what Spark adds
 * (tasks, shuffle, results).
 * The IAM catalog is loaded inside the measured phase, as a read task does.
 *
 * <p>Usage: {@code IngestOnlyBench --corpus DIR --cores N}; {@code -Dbench.warm.passes=N} runs N warm
 * passes instead of one and also reports their medians, wall time and the CPU time of the worker
 * threads alone (without JIT and GC threads), and the smallest worker CPU time: steadier figures on
 * a machine shared with other load.
 */
public final class IngestOnlyBench {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Files a task fetches at once, as conf/trailtrim.properties sets read.ahead.per.task. */
  private static final int READ_AHEAD = 8;

  private IngestOnlyBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("ingest-only", args);
    run.startPhase();
    long loading = System.nanoTime();
    IamCatalog.loadDefault();
    double catalogSeconds = (System.nanoTime() - loading) / 1e9;
    List<Path> files = FloorBench.corpusFiles(run.corpus.awsLogs());
    IngestStats stats = new IngestStats(20);
    AtomicLong taskCpu = new AtomicLong();
    int keys = pass(files, run.cores, stats, taskCpu);
    run.endPhase();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("usage_keys", keys);
    extra.put("catalog_s", BenchRun.fmt(catalogSeconds));
    extra.put("task_cpu_s", BenchRun.fmt(taskCpu.get() / 1e9));
    extra.putAll(FloorBench.warmPass(() -> pass(files, run.cores, new IngestStats(20), new AtomicLong())));
    int passes = Integer.getInteger("bench.warm.passes", 1);
    if (passes > 1) {
      double[] walls = new double[passes];
      double[] cpus = new double[passes];
      for (int p = 0; p < passes; p++) {
        AtomicLong cpu = new AtomicLong();
        long wall = System.nanoTime();
        pass(files, run.cores, new IngestStats(20), cpu);
        walls[p] = (System.nanoTime() - wall) / 1e9;
        cpus[p] = cpu.get() / 1e9;
      }
      extra.put("warm_passes", passes);
      extra.put("warm_median_wall_s", BenchRun.fmt(median(walls)));
      extra.put("warm_median_task_cpu_s", BenchRun.fmt(median(cpus)));
      // The least-disturbed pass: on a machine other processes load, the closest to the code's own cost.
      extra.put("warm_min_task_cpu_s", BenchRun.fmt(Arrays.stream(cpus).min().orElseThrow()));
    }
    extra.put("warm_task_alloc_bytes_per_record",
        LAST_PASS_ALLOCATED.get() / Math.max(1, stats.counter("records.read")));
    run.finish(stats.counter("records.read"), extra);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * One pass over every file, each thread running a read task of UsagePipeline on its share;
   * returns the number of usage keys (days, role, action, resource, outcome).
   */
  /**
   * Bytes the worker threads allocated in the last pass (on the task thread; the read-ahead threads' buffers
   * are not counted): unlike CPU time, the same on a loaded machine, so a change to the per-record path
   * shows in it even when timings are noise.
   */
  private static final AtomicLong LAST_PASS_ALLOCATED = new AtomicLong();

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) THREADS).getCurrentThreadAllocatedBytes();
  }

  private static int pass(List<Path> files, int threads, IngestStats total, AtomicLong taskCpuNanos)
      throws Exception {
    LAST_PASS_ALLOCATED.set(0);
    // No flushing to a shuffle, and no size limit: the whole share's usage stays in the task's map.
    UsagePipeline.Settings settings = new UsagePipeline.Settings(Long.MAX_VALUE, READ_AHEAD, 20, 1, Integer.MAX_VALUE);
    Configuration hadoop = new Configuration();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Map<UsageKey, UsageStats>>> shares = new ArrayList<>();
      List<IngestStats> statsOfShares = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<PlannedFile> share = new ArrayList<>();
        for (int i = t; i < files.size(); i += threads) {
          share.add(new PlannedFile(files.get(i).toUri().toString(), Files.size(files.get(i))));
        }
        IngestStats stats = new IngestStats(20);
        statsOfShares.add(stats);
        shares.add(pool.submit(() -> {
          long cpuAtStart = THREADS.getCurrentThreadCpuTime();
          long allocatedAtStart = allocatedBytes();
          Map<UsageKey, UsageStats> usage = new HashMap<>();
          ReadTaskAccess.readOneTask(share, hadoop, settings).forEachRemaining(entry -> {
            if (entry._1() instanceof UsageKey key) {
              usage.put(key, (UsageStats) entry._2());
            } else {
              stats.merge(ReadTaskAccess.counters(entry._2()));
            }
          });
          taskCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuAtStart);
          LAST_PASS_ALLOCATED.addAndGet(allocatedBytes() - allocatedAtStart);
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
