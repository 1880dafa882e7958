package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.testing.S3Faults;
import dev.trailtrim.testing.S3Faults.Fault;
import dev.trailtrim.testing.S3Faults.Op;
import dev.trailtrim.testing.S3ProxyServer;
import dev.trailtrim.testing.Slow;
import dev.trailtrim.testing.SparkTestSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job against an S3 server that fails (S3Proxy with {@link S3Faults}, through the real s3a and
 * SDK clients, with the tests' short retry settings of {@link S3ProxyServer#hadoopProperties}):
 * transient 500s, 503 SlowDowns, GETs cut mid-body and slow bodies are retried into exactly the
 * files and state of a fault-free run; a GET cut on every attempt ends as a counted rejected file
 * that the next night reads again; an output that refuses every PUT fails the run (exit 1) and
 * leaves {@code latest.json} and the state as they were.
 *
 * <p>A longer run: {@code -Dtrailtrim.faults.oneIn=1} fails every listing, HEAD and PUT of the output once
 * (default one in 10; each fault costs a retry's backoff, from the tests' 50 ms),
 * {@code -Dtrailtrim.faults.speedKb=100} throttles every GET body with S3Proxy's own middleware (default off),
 * {@code -Dtrailtrim.faults.slowMillis=N} delays a quarter of the CloudTrail GETs (default 100).
 */
@Slow
class S3FaultInjectionRunTest {

  /** How fast the server sends every GET body (S3Proxy's own throttle, kB/s; 0: as fast as it can). */
  private static final long SPEED_KB = Long.getLong("trailtrim.faults.speedKb", 0);
  /** Of the output's listings, HEADs and PUTs, about one in this many fails once (1: all of them). */
  private static final int ONE_IN = Integer.getInteger("trailtrim.faults.oneIn", 10);
  /** How late a slow GET of a CloudTrail object comes. */
  private static final long SLOW_MILLIS = Long.getLong("trailtrim.faults.slowMillis", 100);
  private static final String FROM = "2026-11-01";
  private static final String TO = "2026-11-05";

  private static final S3Faults faults = new S3Faults();
  private static final List<String> buckets = new ArrayList<>();
  private static S3ProxyServer server;
  private static SparkSession spark;
  private static Configuration hadoop;
  private static String logs;
  /** The CloudTrail objects uploaded, by key. */
  private static final Map<String, byte[]> cloudTrail = new TreeMap<>();
  /** The fault-free run of the sample window, and how long it took. */
  private static String clean;
  private static long cleanMillis;
  private static Map<String, String> cleanFiles;
  private static RunOutputs.State cleanState;

  @BeforeAll
  static void uploadAndRunWithoutFaults() throws IOException {
    server = S3ProxyServer.startWithFaults(faults, Duration.ZERO, SPEED_KB);
    // The session's s3a settings (keys, short retries) are the shared server's; these buckets live on this one.
    spark = SparkTestSession.withS3(S3ProxyServer.shared());
    hadoop = spark.sparkContext().hadoopConfiguration();
    logs = bucket("faults-logs");
    Map<String, byte[]> objects = new TreeMap<>();
    for (String folder : List.of("cloudtrail", "iam")) {
      Path dir = JobRuns.sampleLogs().resolve(folder);
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          String relative = dir.relativize(file).toString().replace('\\', '/');
          objects.put(folder.equals("iam") ? "snapshots/" + relative : relative, Files.readAllBytes(file));
        }
      }
    }
    server.putObjectsDirectly(logs, objects);
    objects.forEach((key, bytes) -> {
      if (key.contains("/CloudTrail/")) {
        cloudTrail.put(key, bytes);
      }
    });
    clean = "s3://" + bucket("faults-clean") + "/out";
    long started = System.nanoTime();
    assertEquals(TrailtrimMain.COMPLETE, main(clean, "nightly", TO));
    cleanMillis = (System.nanoTime() - started) / 1_000_000;
    cleanFiles = RunOutputs.runFiles(hadoop, clean, "nightly");
    cleanState = RunOutputs.state(spark, clean + "/state");
  }

  @AfterEach
  void noFaults() {
    faults.clear();
  }

  @AfterAll
  static void stop() throws IOException {
    if (hadoop != null) {
      for (String bucket : buckets) {
        // Their pooled keep-alive connections would hold up the server's stop.
        for (String scheme : List.of("s3", "s3a")) {
          FileSystem.get(URI.create(scheme + "://" + bucket + "/"), hadoop).close();
        }
        hadoop.unset("fs.s3a.bucket." + bucket + ".endpoint");
        hadoop.unset("fs.s3a.bucket." + bucket + ".attempts.maximum");
      }
    }
    if (server != null) {
      server.close();
    }
  }

  /** A new bucket on the faulty server, reached by s3a and the job's SDK clients through its per-bucket endpoint. */
  private static String bucket(String prefix) {
    String bucket = server.createUniqueBucket(prefix);
    hadoop.set("fs.s3a.bucket." + bucket + ".endpoint", server.endpoint().toString());
    // No retries inside s3a's SDK client, whose throttling backoff (about half a second) ignores the short
    // fs.s3a.retry.* settings: s3a's own retry loop, which honours them, retries every fault here.
    hadoop.set("fs.s3a.bucket." + bucket + ".attempts.maximum", "0");
    buckets.add(bucket);
    return bucket;
  }

  /** The job's entry point, as spark-submit runs it, on the sample logs in S3; returns its exit code. */
  private static int main(String output, String runId, String to) {
    return TrailtrimMain.run(new String[] {"--cloudtrail", "s3://" + logs + "/AWSLogs/", "--iam-snapshot",
        "s3://" + logs + "/snapshots/", "--trail-config", JobRuns.sampleTrails().get(0), "--output", output,
        "--from", FROM, "--to", to, "--run-id", runId, "--config",
        JobRuns.projectDir().resolve("conf/sample-run.properties").toString()});
  }

  private static String bucketOf(String output) {
    return URI.create(output).getHost();
  }

  private static JsonNode summary(String output, String runId) throws IOException {
    return new ObjectMapper().readTree(HadoopFiles.readString(hadoop, output + "/runs/" + runId + "/summary.json"));
  }

  /** The run's files, latest.json, the state and the released lock equal those of the fault-free run. */
  private static void assertEqualsClean(String output, String runId) throws IOException {
    Map<String, String> files = RunOutputs.runFiles(hadoop, output, runId);
    assertTrue(files.containsKey("summary.json") && files.keySet().stream().anyMatch(f -> f.endsWith(".parquet")),
        files.keySet().toString());
    // A rerun follows the run before it on this output, the clean run none: what changed since differs.
    assertEquals(JobRuns.withoutChanges(cleanFiles), JobRuns.withoutChanges(files));
    assertTrue(RunOutputs.complete(hadoop, output, runId));
    assertEquals(runId, RunOutputs.latestRunId(hadoop, output));
    assertEquals(cleanState, RunOutputs.state(spark, output + "/state"));
    assertFalse(RunOutputs.exists(hadoop, output + "/lock.json"), "the lock is released");
  }

  @Test
  void transientFaultsAreRetriedAndTheRunEqualsAFaultFreeOne() throws IOException {
    String output = "s3://" + bucket("faults-transient") + "/out";
    String in = Pattern.quote(logs);
    String out = Pattern.quote(bucketOf(output));
    // The first attempt at an object (or a listed prefix) fails, or comes slowly. The CloudTrail objects
    // split by the last letter of their random name suffix, so each kind of fault hits some of them; of
    // the many listings and PUTs only about one in ONE_IN fails: each fault costs a backoff.
    // Of the input's listings one in ten is slowed down and the rest fail with a 500, whatever ONE_IN says of the
    // output's (with ONE_IN 1 this rule would take every input listing, and no 500 would be left for them).
    faults.transientFault(Op.LIST, in + "/.*", 1, Fault.SLOW_DOWN, 10)
        .transientFault(Op.LIST, in + "/.*", 1, Fault.INTERNAL_ERROR)
        .transientFault(Op.LIST, out + "/.*", 1, Fault.SLOW_DOWN, ONE_IN)
        // Every HEAD: a run makes few (its files are written in place, without a committer's probes).
        .transientFault(Op.HEAD, ".*", 1, Fault.INTERNAL_ERROR)
        .transientFault(Op.GET, in + "/AWSLogs/.*[A-Ga-g]\\.json\\.gz", 1, Fault.cutAt(512))
        .transientFault(Op.GET, in + "/AWSLogs/.*[H-Nh-n]\\.json\\.gz", 1, Fault.INTERNAL_ERROR)
        .transientFault(Op.GET, in + "/AWSLogs/.*[O-Ro-r]\\.json\\.gz", 1, Fault.SLOW_DOWN)
        .transientFault(Op.GET, in + "/AWSLogs/.*", 1, Fault.delay(SLOW_MILLIS))
        .transientFault(Op.GET, in + "/snapshots/.*", 1, Fault.cutAt(1000))
        .transientFault(Op.GET, out + "/.*", 1, Fault.cutAt(100))
        .transientFault(Op.PUT, out + "/out/latest\\.json", 1, Fault.SLOW_DOWN)
        .transientFault(Op.PUT, out + "/.*", 1, Fault.SLOW_DOWN, ONE_IN)
        // A run copies nothing (no renames: its files are written in place); a COPY would fail once too.
        .transientFault(Op.COPY, out + "/.*", 1, Fault.INTERNAL_ERROR)
        .transientFault(Op.DELETE, out + "/.*", 1, Fault.INTERNAL_ERROR);
    faults.resetLog();
    server.requests().reset();
    long started = System.nanoTime();
    int exit = main(output, "nightly", TO);
    long millis = (System.nanoTime() - started) / 1_000_000;
    faults.clear();

    Map<String, String> retries = faults.retrySummary();
    long slow = faults.requests().stream().filter(r -> r.fault() != null && !r.fault().fails()).count();
    System.out.printf("S3FaultInjectionRunTest: transient faults: exit %d in %d ms (fault-free: %d ms, speed %d kB/s);"
        + " %d requests, %d failed: %s; %d GETs %d ms late; the server served %d GETs of %d CloudTrail objects%n", exit,
        millis, cleanMillis, SPEED_KB, faults.requests().size(), faults.failed().size(), retries, slow, SLOW_MILLIS,
        server.requests().objectsGot(logs + "/AWSLogs/").size(), cloudTrail.size());
    assertEquals(TrailtrimMain.COMPLETE, exit);
    assertEquals(List.of(), faults.notRecovered(), "every failed request was retried until served");
    for (String kind : List.of("LIST 503 SlowDown", "LIST 500 InternalError", "HEAD 500 InternalError", "GET cut 512",
        "GET 500 InternalError",
        "GET 503 SlowDown", "GET cut 1000", "GET cut 100", "PUT 503 SlowDown", "DELETE 500 InternalError")) {
      assertTrue(retries.containsKey(kind), "no " + kind + " was injected: " + retries);
    }
    assertTrue(slow > 0, "no GET came late");
    // s3a reopens a cut object where the body broke off: the second GET asks for the rest.
    assertTrue(faults.requests().stream().anyMatch(r -> r.op() == Op.GET && r.object().startsWith(logs + "/AWSLogs/")
        && r.range() != null && r.range().startsWith("bytes=512-")),
        "a cut CloudTrail object was read on from byte 512");
    assertEqualsClean(output, "nightly");
  }

  /** Records in a CloudTrail file. */
  private static int records(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new ObjectMapper().readTree(in).path("Records").size();
    }
  }

  /**
   * Night 1 cannot read one object (cut at byte 512 on every attempt): it completes, counting the file as
   * unreadable. Night 2 meets an output that refuses every PUT, then every PUT but the lock's: it fails
   * (exit 1) and leaves latest.json and the state as they were. Its rerun, with S3 well again, reads
   * the unreadable file's day again and ends exactly as a fault-free run.
   */
  @Test
  void anUnreadableFileIsCountedAFailedWriteChangesNothingAndTheRerunMissesNothing() throws IOException {
    String output = "s3://" + bucket("faults-night") + "/out";
    String key = cloudTrail.keySet().stream().filter(k -> k.contains("/2026/11/02/")).findFirst().orElseThrow();
    faults.persistentFault(Op.GET, Pattern.quote(logs + "/" + key), Fault.cutAt(512));
    faults.resetLog();
    int exit = main(output, "first", TO);
    faults.clear();
    long gets = faults.requests().stream().filter(r -> r.op() == Op.GET && r.object().equals(logs + "/" + key)).count();
    JsonNode first = summary(output, "first");
    JsonNode full = summary(clean, "nightly");
    System.out.printf("S3FaultInjectionRunTest: %s cut at byte 512 on each of %d GETs: exit %d, files read %d"
        + " (fault-free %d), rejected %s, records %d (fault-free %d, the file holds %d)%n", key, gets, exit,
        first.path("files").path("read").asLong(), full.path("files").path("read").asLong(),
        first.path("files").path("rejected"), first.path("records").path("read").asLong(),
        full.path("records").path("read").asLong(), records(cloudTrail.get(key)));
    assertEquals(TrailtrimMain.COMPLETE, exit, "a file that cannot be read is counted, not fatal");
    assertTrue(gets > 1, "s3a retried the cut GET before giving up: " + gets);
    assertEquals(1, first.path("files").path("rejected").path("unreadable").asLong(), first.path("files").toString());
    assertEquals(full.path("files").path("read").asLong() - 1, first.path("files").path("read").asLong());
    assertEquals(full.path("records").path("read").asLong() - records(cloudTrail.get(key)),
        first.path("records").path("read").asLong(), "exactly the records of the unreadable file are missing");
    String rejects = HadoopFiles.readString(hadoop, output + "/runs/first/rejects/unreadable.jsonl");
    assertTrue(rejects.contains(key), rejects);

    Map<String, String> before = RunOutputs.files(hadoop, output);
    RunOutputs.State stateBefore = RunOutputs.state(spark, output + "/state");
    // Every PUT, the lock's included: the run cannot even start.
    faults.persistentFault(Op.PUT, Pattern.quote(bucketOf(output)) + "/.*", Fault.SLOW_DOWN);
    faults.resetLog();
    long started = System.nanoTime();
    exit = main(output, "second", TO);
    long lockMillis = (System.nanoTime() - started) / 1_000_000;
    long lockPuts = faults.failed().size();
    faults.clear();
    assertEquals(TrailtrimMain.FAILED, exit);
    assertEquals(before, RunOutputs.files(hadoop, output), "nothing was written, moved or deleted");

    // Every PUT but the lock's: the run starts, reads, and fails storing the state or writing its files.
    faults.persistentFault(Op.PUT, Pattern.quote(bucketOf(output)) + "/out/(?!lock\\.json$).*", Fault.SLOW_DOWN);
    faults.resetLog();
    started = System.nanoTime();
    exit = main(output, "second", TO);
    long runMillis = (System.nanoTime() - started) / 1_000_000;
    List<String> refused = faults.failed().stream().map(r -> r.object().substring(bucketOf(output).length() + 5))
        .distinct().toList();
    faults.clear();
    System.out.printf("S3FaultInjectionRunTest: every PUT refused: exit %d after %d ms (%d PUTs of lock.json);"
        + " every PUT but the lock's: exit %d after %d ms, PUTs refused for %s%n", TrailtrimMain.FAILED, lockMillis,
        lockPuts, exit, runMillis, refused);
    assertEquals(TrailtrimMain.FAILED, exit);
    Map<String, String> after = RunOutputs.files(hadoop, output);
    assertEquals(before.get("latest.json"), after.get("latest.json"));
    assertEquals(filesUnder(before, "state/"), filesUnder(after, "state/"), "the state is as it was");
    assertEquals(stateBefore, RunOutputs.state(spark, output + "/state"));
    assertFalse(RunOutputs.complete(hadoop, output, "second"));
    assertFalse(after.containsKey("lock.json"), "the failed run released its lock");

    // Once S3 takes writes again, the same run id is redone from scratch, and the day of the unreadable
    // file is read again: nothing is missing.
    faults.resetLog();
    assertEquals(TrailtrimMain.COMPLETE, main(output, "second", TO));
    assertTrue(faults.requests().stream().anyMatch(r -> r.op() == Op.GET && r.object().equals(logs + "/" + key)),
        "the rerun read " + key + " again");
    assertEqualsClean(output, "second");
  }

  private static Map<String, String> filesUnder(Map<String, String> files, String prefix) {
    Map<String, String> under = new TreeMap<>();
    files.forEach((path, content) -> {
      if (path.startsWith(prefix)) {
        under.put(path, content);
      }
    });
    return under;
  }
}
