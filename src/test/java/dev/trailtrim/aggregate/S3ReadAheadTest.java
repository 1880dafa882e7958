package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.InputPlanner;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.testing.RequestLog;
import dev.trailtrim.testing.S3Faults;
import dev.trailtrim.testing.S3Faults.Fault;
import dev.trailtrim.testing.S3Faults.Op;
import dev.trailtrim.testing.S3ProxyServer;
import dev.trailtrim.testing.Slow;
import dev.trailtrim.testing.SparkTestSession;
import dev.trailtrim.tools.BenchCorpusGenerator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On S3 every small CloudTrail object costs a GET of tens of milliseconds, so one task must keep
 * several GETs in flight. Against S3Proxy with an injected latency per GET, one Spark task
 * reads ~50 gzip'd files through Hadoop's s3a, and the server's own count of concurrent GETs
 * shows the read-ahead.
 */
@Slow
class S3ReadAheadTest {

  // 75 ms let a loaded machine (load average 14 on two cores) miss the eighth GET in flight: keep 150.
  private static final Duration LATENCY = Duration.ofMillis(150);
  /**
   * Without read-ahead a task waits for each GET in turn: this much latency already shows two GETs in flight
   * at once if the task overlapped them, at a fifth of the serial read's wait.
   */
  private static final Duration SERIAL_LATENCY = Duration.ofMillis(30);
  private static final int READ_AHEAD = 8;

  private static final S3Faults faults = new S3Faults();

  @TempDir
  static Path corpus;
  private static S3ProxyServer slow;
  private static String bucket;
  private static SparkSession spark;
  private static BenchCorpusGenerator.Summary summary;
  private static List<PlannedFile> files;

  @BeforeAll
  static void putSmallLogsBehindALatency() throws IOException {
    summary = BenchCorpusGenerator.generate(new BenchCorpusGenerator.Options(11, 120_000, corpus, 2, 2, 40, 1_500,
        3_500, 1));
    slow = S3ProxyServer.startWithFaults(faults, Duration.ZERO, 0);
    bucket = slow.createUniqueBucket("readahead");
    Map<String, byte[]> objects = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(corpus.resolve("AWSLogs"))) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        objects.put(corpus.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
    slow.putObjectsDirectly(bucket, objects);

    // The session's s3a settings point at the shared server; this one bucket lives on the slow one.
    spark = SparkTestSession.withS3(S3ProxyServer.shared());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set("fs.s3a.bucket." + bucket + ".endpoint", slow.endpoint().toString());
    ObservationWindow window = new ObservationWindow(summary.from(), summary.to());
    files = new InputPlanner(conf, window, 0, 4).plan(List.of("s3a://" + bucket + "/AWSLogs/")).files();
    assertEquals(summary.files(), files.size(), "planned every generated file, through the per-bucket endpoint");
    assertTrue(files.size() >= 40, files.size() + " files");
    // The first Spark job of a JVM pays seconds of warm-up: not part of the figures below.
    UsagePipeline.run(spark, files.subList(0, 1), new UsagePipeline.Settings(64L << 20, 1, 5, 0)).release();
  }

  @AfterAll
  static void stop() throws IOException {
    if (spark != null) {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      // Its pooled keep-alive connections would hold up the server's graceful stop.
      FileSystem.get(URI.create("s3a://" + bucket + "/"), conf).close();
      conf.unset("fs.s3a.bucket." + bucket + ".endpoint");
    }
    if (slow != null) {
      slow.close();
    }
  }

  /**
   * Reads every file in one task ({@code tasksPerCore} 0 gives a single group), each GET {@code latency} late,
   * and returns what the server saw.
   */
  private static UsagePipeline.Result readInOneTask(int readAhead, Duration latency) {
    UsagePipeline.Settings settings = new UsagePipeline.Settings(64L << 20, readAhead, 5, 0);
    assertEquals(1, UsagePipeline.balance(files,
        Math.max(1, spark.sparkContext().defaultParallelism() * settings.tasksPerCore())).size(), "one task");
    slow.requests().reset();
    faults.persistentFault(Op.GET, ".*", Fault.delay(latency.toMillis()));
    long started = System.nanoTime();
    UsagePipeline.Result result;
    try {
      result = UsagePipeline.run(spark, files, settings);
    } finally {
      faults.clear();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    RequestLog log = slow.requests();
    System.out.printf("S3ReadAheadTest: readAheadPerTask=%d: one task read %d files (%d records) with %d ms per"
        + " GET in %d ms; the server saw %d GETs, at most %d in flight%n", readAhead, files.size(),
        records(result), latency.toMillis(), millis, log.gets(), log.maxGetsInFlight());
    assertEquals(files.size(), log.gets(), "one GET per file, no HEAD or re-read");
    assertEquals(summary.files(), result.stats().values().stream().mapToLong(s -> s.counter("files.read")).sum());
    assertEquals(summary.records(), records(result));
    return result;
  }

  /** The usage states, read back from Spark (persisted by the run: no second read) and released. */
  private static List<String> rows(UsagePipeline.Result result) {
    try {
      return result.usage().collect().stream().map(row -> row._1() + " " + row._2()).sorted().toList();
    } finally {
      result.release();
    }
  }

  private static long records(UsagePipeline.Result result) {
    return result.stats().values().stream().mapToLong(s -> s.counter("records.read")).sum();
  }

  @Test
  void oneTaskKeepsItsReadAheadOfGetsInFlightAndOneWithoutReadAhead() {
    UsagePipeline.Result ahead = readInOneTask(READ_AHEAD, LATENCY);
    int inFlight = slow.requests().maxGetsInFlight();
    assertTrue(inFlight >= READ_AHEAD, "one task had at most " + inFlight + " GETs in flight, wanted " + READ_AHEAD);

    List<String> aheadRows = rows(ahead);

    UsagePipeline.Result serial = readInOneTask(1, SERIAL_LATENCY);
    assertEquals(1, slow.requests().maxGetsInFlight(), "readAheadPerTask 1 reads one file after the other");

    assertEquals(aheadRows, rows(serial), "the same usage either way");
    assertTrue(!aheadRows.isEmpty());
    assertEquals(ahead.stats().keySet(), serial.stats().keySet());
  }
}
