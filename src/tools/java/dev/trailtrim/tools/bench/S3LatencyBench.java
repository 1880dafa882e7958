package dev.trailtrim.tools.bench;

import dev.trailtrim.aggregate.UsagePipeline;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.ingest.InputPlanner;
import dev.trailtrim.testing.RequestLog;
import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * trailtrim's read from S3, where every small CloudTrail object is a GET of tens of milliseconds:
 * the corpus is put into the in-process S3 server (S3Proxy, as the tests use it) that answers every
 * request {@code -Dbench.s3.latency.ms} late (default 30), and the job's planner and
 * {@link UsagePipeline} read it through Hadoop's s3a with the bundled settings (read ahead per task,
 * tasks per core). Reports records/s and the GETs the server had in flight: at its peak, and on
 * average over the read (every GET takes at least the latency, so GETs times latency over the wall
 * time is a lower bound), each divided by the cores to give the figure per task. Listing is part of
 * the measured phase, as in the job.
 *
 * <p>Usage: {@code S3LatencyBench --corpus DIR --cores N}
 */
public final class S3LatencyBench {

  private S3LatencyBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("s3-latency", args);
    long latencyMillis = Long.getLong("bench.s3.latency.ms", 30);
    JobConfig config = JobConfigLoader.load(new JobConfigLoader.Flags(List.of("s3a://unused/"),
        List.of("unused-iam-snapshot"), false, "unused-output", run.corpus.from().toString(),
        run.corpus.to().toString(), null, "bench"), null, Clock.systemUTC());
    try (S3ProxyServer server = S3ProxyServer.startWithLatency(Duration.ofMillis(latencyMillis));
        SparkSession spark = run.spark()) {
      String bucket = server.createUniqueBucket("bench");
      server.putObjectsDirectly(bucket, objects(run.corpus.root()));
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      server.applyTo(hadoop);
      server.requests().reset();
      run.startPhase();
      InputPlanner.Plan plan = new InputPlanner(hadoop, config.window(), config.lateArrivalDays(),
          config.plannerThreads()).plan(List.of("s3a://" + bucket + "/AWSLogs/"));
      long planned = System.nanoTime();
      UsagePipeline.Result result = UsagePipeline.run(spark, plan.files(), new UsagePipeline.Settings(
          config.maxFileBytes(), config.readAheadPerTask(), config.rejectSamplesPerReason(), config.tasksPerCore(),
          config.maxTaskEntries()));
      long read = System.nanoTime();
      run.endPhase();
      RequestLog log = server.requests();
      double readSeconds = (read - planned) / 1e9;
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("latency_ms", latencyMillis);
      extra.put("read_ahead_per_task", config.readAheadPerTask());
      extra.put("tasks", spark.sparkContext().defaultParallelism() * config.tasksPerCore());
      extra.put("plan_s", BenchRun.fmt((planned - run.phaseStartNanos()) / 1e9));
      extra.put("pipeline_s", BenchRun.fmt(readSeconds));
      extra.put("gets", log.gets());
      extra.put("max_gets_in_flight", log.maxGetsInFlight());
      extra.put("max_gets_in_flight_per_task", BenchRun.fmt(log.maxGetsInFlight() / (double) run.cores));
      extra.put("mean_gets_in_flight_per_task",
          BenchRun.fmt(log.gets() * latencyMillis / 1e3 / readSeconds / run.cores));
      long records = result.stats().values().stream().mapToLong(s -> s.counter("records.read")).sum();
      result.release();
      // Pooled keep-alive connections would hold up the server's stop.
      FileSystem.get(URI.create("s3a://" + bucket + "/"), hadoop).close();
      run.finish(records, extra);
    }
  }

  /** The corpus's log files by key ({@code AWSLogs/...}), as CloudTrail lays them out in its bucket. */
  private static Map<String, byte[]> objects(Path corpus) throws IOException {
    Map<String, byte[]> objects = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(corpus.resolve("AWSLogs"))) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        objects.put(corpus.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
    return objects;
  }
}
