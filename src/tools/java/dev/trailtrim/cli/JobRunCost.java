package dev.trailtrim.cli;

import dev.trailtrim.testing.RequestLog;
import dev.trailtrim.testing.S3ProxyServer;
import dev.trailtrim.testing.SparkTestSession;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What one warm run of the job on the sample costs: CPU seconds (the whole JVM), wall seconds and
 * the Spark jobs, stages and tasks it starts, over repeated runs in one JVM; optionally a JFR
 * recording of the measured runs for {@code dev.trailtrim.tools.bench.JfrSummary}. Not part of the
 * suite (the name ends in neither Test nor Tests); run it on its own:
 * {@code mvn -B -o -q test -Dtest=JobRunCost -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dtrailtrim.cost.runs=10] [-Dtrailtrim.cost.jfr=target/jobcost.jfr] [-Dtrailtrim.cost.stages=true]}; the last
 * prints each stage with its tasks.
 */
class JobRunCost {

  private static final int WARM_UP_RUNS = 3;

  @FunctionalInterface
  private interface SampleRun {
    void run(Path output) throws Exception;
  }

  @Test
  void costOfOneSampleRun() throws Exception {
    measure(SparkTestSession.get(), output -> JobRuns.runOnSamples(output, "sample"), null, null);
  }

  /**
   * The same on S3 (S3Proxy in this JVM, so its CPU counts too): logs, snapshots and inventory
   * read through s3://, results written through s3a://, each run to a new output prefix; with
   * the listings and GETs the server saw per run.
   */
  @Test
  void costOfOneS3Run() throws Exception {
    S3ProxyServer server = S3ProxyServer.shared();
    String logs = server.createUniqueBucket("cloudtrail");
    String results = server.createUniqueBucket("trailtrim");
    try (S3Client s3 = server.newS3Client()) {
      S3EndToEndTest.uploadSamples(s3, logs);
    }
    SparkSession spark = SparkTestSession.withS3(server);
    measure(spark, output -> JobRuns.run(spark, List.of("s3://" + logs + "/AWSLogs/"),
        List.of("s3://" + logs + "/snapshots/"), List.of("s3a://" + logs + "/lambda-inventory/"),
        "s3a://" + results + "/" + output.getFileName(), "on-s3", JobRuns.sampleConfig()), server.requests(),
        results);
  }

  private static void measure(SparkSession spark, SampleRun sampleRun, RequestLog requests, String resultsBucket)
      throws Exception {
    AtomicInteger jobs = new AtomicInteger();
    AtomicInteger stages = new AtomicInteger();
    AtomicInteger tasks = new AtomicInteger();
    java.util.List<String> callSites = new java.util.concurrent.CopyOnWriteArrayList<>();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        jobs.incrementAndGet();
        StringBuilder names = new StringBuilder();
        scala.collection.JavaConverters.seqAsJavaList(jobStart.stageInfos())
            .forEach(stage -> names.append(names.length() == 0 ? "" : " <- ").append(stage.name()));
        callSites.add(names.toString());
      }

      @Override
      public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
        stages.incrementAndGet();
        if (Boolean.getBoolean("trailtrim.cost.stages")) {
          System.out
              .println("  stage " + stageCompleted.stageInfo().name() + ": " + stageCompleted.stageInfo().numTasks()
                  + " tasks");
        }
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        tasks.incrementAndGet();
      }
    });
    Path out = Files.createTempDirectory(Path.of("target"), "jobcost");
    int runs = Integer.getInteger("trailtrim.cost.runs", 10);
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      sampleRun.run(out.resolve("warm-" + i));
    }
    String jfr = System.getProperty("trailtrim.cost.jfr");
    Recording recording = jfr == null ? null : new Recording(Configuration.getConfiguration("profile"));
    if (recording != null) {
      recording.start();
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double cpuTotal = 0;
    double wallTotal = 0;
    double childTotal = 0;
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < runs; i++) {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      jobs.set(0);
      callSites.clear();
      stages.set(0);
      tasks.set(0);
      long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
      long gcMillis = gcMillis();
      long cpu = os.getProcessCpuTime();
      long childTicks = childCpuTicks();
      if (requests != null) {
        requests.reset();
      }
      long wall = System.nanoTime();
      sampleRun.run(out.resolve("run-" + i));
      double cpuS = (os.getProcessCpuTime() - cpu) / 1e9;
      double childS = (childCpuTicks() - childTicks) / 100.0;
      jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitMillis;
      gcMillis = gcMillis() - gcMillis;
      childTotal += childS;
      double wallS = (System.nanoTime() - wall) / 1e9;
      spark.sparkContext().listenerBus().waitUntilEmpty();
      cpuTotal += cpuS;
      wallTotal += wallS;
      lines.append(String.format("run %2d: %.2f CPU-s (+%.2f in child processes; JIT %d ms, GC %d ms), %.2f s wall,"
          + " %d jobs, %d stages, %d tasks%s%n", i, cpuS, childS, jitMillis, gcMillis, wallS, jobs.get(), stages.get(),
          tasks.get(),
          requests == null ? "" : String.format(", S3: %d listings, %d GETs", requests.listings().size(),
              requests.gets())));
    }
    if (recording != null) {
      recording.stop();
      recording.dump(Path.of(jfr));
      recording.close();
    }
    System.out.print(lines);
    if (requests != null) {
      System.out.println("the last run's listings of the results bucket (prefix, delimiter):");
      requests.listings(resultsBucket).forEach(l -> System.out.println("  " + l.prefix() + " " + l.delimiter()
          + " -> " + l.keys().size() + " keys, " + l.commonPrefixes().size() + " prefixes"));
    }
    System.out.println("the last run's Spark jobs, by call site:");
    callSites.forEach(site -> System.out.println("  " + site));
    System.out.printf("JOBCOST mean of %d warm runs: %.2f CPU-s (+%.2f in child processes), %.2f s wall per run%n",
        runs, cpuTotal / runs, childTotal / runs, wallTotal / runs);
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime()))
        .sum();
  }

  /** CPU ticks (1/100 s) of this JVM's ended child processes: Hadoop's shell commands, from /proc/self/stat. */
  private static long childCpuTicks() throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // cutime and cstime: the 16th and 17th fields of the line, the 14th and 15th after the name.
    return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
  }
}
