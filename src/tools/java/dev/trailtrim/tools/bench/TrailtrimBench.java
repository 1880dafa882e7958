package dev.trailtrim.tools.bench;

import dev.trailtrim.aggregate.UsagePipeline;
import dev.trailtrim.aggregate.UsageWindow;
import dev.trailtrim.aggregate.WindowAggregation;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.InputPlanner;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * trailtrim's own read: the input planner, {@link UsagePipeline} over every planned file (a first
 * run, or {@code --rebuild}: no nightly state) and {@link UsageWindow} on the driver, with the
 * settings of the bundled {@code trailtrim.properties} (read ahead, tasks per core, ...), as the
 * job runs them. The IAM side (snapshot, analysis, reports) is not measured.
 *
 * <p>Usage: {@code TrailtrimBench --corpus DIR --cores N}; {@code -Dbench.warm.passes=N} also runs the
 * measured phase N times more and reports the smallest and the median process CPU time of those passes;
 * {@code -Dbench.jfr.warm=FILE} records the last of them with JFR
 */
public final class TrailtrimBench {

  private TrailtrimBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("trailtrim", args);
    BenchRun.Corpus corpus = run.corpus;
    // The job's own defaults; the IAM flags only satisfy validation, nothing reads them.
    JobConfig config = JobConfigLoader.load(new JobConfigLoader.Flags(List.of(corpus.awsLogs().toString()),
        List.of("unused-iam-snapshot"), false, "unused-output", corpus.from().toString(), corpus.to().toString(),
        null, "bench"), null, Clock.systemUTC());
    try (SparkSession spark = run.spark()) {
      run.startPhase();
      Pass pass = Pass.of(spark, config);
      UsagePipeline.Result result = pass.result();
      UsageWindow.View usage = pass.usage();
      // What follows only describes the result (day_usage_rows is one more Spark job): not part of the measure.
      run.endPhase();
      IngestStats stats = usage.stats();
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("plan_s", BenchRun.fmt((pass.planned() - run.phaseStartNanos()) / 1e9));
      extra.put("pipeline_s", BenchRun.fmt((pass.read() - pass.planned()) / 1e9));
      extra.put("window_s", BenchRun.fmt((pass.windowed() - pass.read()) / 1e9));
      extra.put("files_read", stats.counter("files.read"));
      extra.put("roles", usage.usageByRole().size());
      extra.put("day_usage_rows", result.usage().count());
      extra.put("compacted_resources", usage.compactedResources());
      extra.put("usage_keys", usage.usageByRole().values().stream().mapToInt(u -> u.usages().size()).sum());
      extra.put("tasks", spark.sparkContext().defaultParallelism() * config.tasksPerCore());
      result.release();
      extra.putAll(warmPasses(spark, config));
      run.finish(result.stats().values().stream().mapToLong(s -> s.counter("records.read")).sum(), extra);
    }
  }

  /**
   * With {@code -Dbench.warm.passes=N}, the measured phase N times more in the same JVM and session: its
   * steady cost once the JIT and Spark are warm, less noisy than the first pass's on a shared machine (the
   * smallest process CPU time of the passes, and the median).
   */
  private static Map<String, Object> warmPasses(SparkSession spark, JobConfig config) throws Exception {
    int passes = Integer.getInteger("bench.warm.passes", 0);
    Map<String, Object> extra = new LinkedHashMap<>();
    if (passes < 1) {
      return extra;
    }
    double[] cpus = new double[passes];
    for (int p = 0; p < passes; p++) {
      // -Dbench.jfr.warm=FILE records the last pass alone: Spark and the JIT warm.
      Map<String, Object> rates = FloorBench.warmPass(() -> onePass(spark, config), p == passes - 1);
      cpus[p] = Double.parseDouble(String.valueOf(rates.get("warm_cpu_s")));
    }
    double[] sorted = cpus.clone();
    java.util.Arrays.sort(sorted);
    extra.put("warm_passes", passes);
    extra.put("warm_min_cpu_s", BenchRun.fmt(sorted[0]));
    extra.put("warm_median_cpu_s", BenchRun.fmt(sorted[passes / 2]));
    return extra;
  }

  /** The measured phase once more; returns how many files it planned. */
  private static int onePass(SparkSession spark, JobConfig config) throws java.io.IOException {
    Pass pass = Pass.of(spark, config);
    pass.result().release();
    return pass.files();
  }

  /** One measured phase: what it read and windowed, and when each step ended ({@link System#nanoTime}). */
  private record Pass(int files, UsagePipeline.Result result, UsageWindow.View usage, long planned, long read,
      long windowed) {

    static Pass of(SparkSession spark, JobConfig config) throws java.io.IOException {
      InputPlanner.Plan plan = new InputPlanner(spark.sparkContext().hadoopConfiguration(), config.window(),
          config.lateArrivalDays(), config.plannerThreads()).plan(config.cloudTrailRoots());
      long planned = System.nanoTime();
      // Every planned file is read, as on a first run or with --rebuild: no nightly state.
      UsagePipeline.Result result = UsagePipeline.run(spark, plan.files(), new UsagePipeline.Settings(
          config.maxFileBytes(), config.readAheadPerTask(), config.rejectSamplesPerReason(), config.tasksPerCore(),
          config.maxTaskEntries()));
      long read = System.nanoTime();
      // The job's window step; without grants, compacted patterns are bounded by nothing (as for refused calls).
      WindowAggregation.Result inWindow = WindowAggregation.compute(result.usage(), config.window(), Map.of(),
          config.maxResourcesPerAction());
      UsageWindow.View usage = UsageWindow.of(inWindow, result.stats(), config.window(),
          config.rejectSamplesPerReason());
      return new Pass(plan.files().size(), result, usage, planned, read, System.nanoTime());
    }
  }
}
