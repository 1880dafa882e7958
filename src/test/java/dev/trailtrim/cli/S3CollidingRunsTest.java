package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.testing.S3ProxyServer;
import dev.trailtrim.testing.Slow;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Colliding runs on an S3 output (the in-process S3Proxy, which answers a second
 * {@code If-None-Match: *} PUT with 412 as S3 does): the second run fails at once naming the
 * first, and a stale or dead holder's lock is taken over.
 */
@Slow
class S3CollidingRunsTest {

  private static S3ProxyServer server;
  private static S3Client s3;
  private static String logs;
  /** The reports of an undisturbed run on S3. */
  private static Map<String, String> cleanFiles;

  @BeforeAll
  static void uploadSampleLogsAndRunOnce() throws IOException {
    server = S3ProxyServer.shared();
    SparkTestSession.withS3(server);
    s3 = server.newS3Client();
    logs = server.createUniqueBucket("colliding-logs");
    Map<String, byte[]> objects = new TreeMap<>();
    for (String folder : List.of("cloudtrail", "iam")) {
      Path dir = JobRuns.sampleLogs().resolve(folder);
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          objects.put(folder + "/" + dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
        }
      }
    }
    server.putObjectsDirectly(logs, objects);
    String clean = server.createUniqueBucket("colliding-clean");
    CollidingRunsTest.job(config("s3a://" + clean + "/out", "nightly"), line -> {}).run();
    cleanFiles = runFiles(clean, "nightly");
  }

  @AfterAll
  static void closeClient() {
    s3.close();
  }

  private static JobConfig config(String output, String runId) {
    return JobConfigLoader.load(new JobConfigLoader.Flags(List.of("s3a://" + logs + "/cloudtrail/"),
        List.of("s3a://" + logs + "/iam/"), false, output, JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO, null, runId, null,
        false), JobRuns.sampleConfig(), CollidingRunsTest.NOV_6_NOON);
  }

  private static TreeSet<String> keys(String bucket, String prefix) {
    TreeSet<String> keys = new TreeSet<>();
    for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      keys.add(object.key());
    }
    return keys;
  }

  /** A run's files read back with the SDK, without _SUCCESS (timing). */
  private static Map<String, String> runFiles(String bucket, String runId) {
    String prefix = "out/runs/" + runId + "/";
    Map<String, String> files = new TreeMap<>();
    for (String key : keys(bucket, prefix)) {
      String path = key.substring(prefix.length());
      if (!path.equals("_SUCCESS")) {
        files.put(path, JobRuns.content(path, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
      }
    }
    return files;
  }

  /** The run folders under out/runs/. */
  private static List<String> runs(String bucket) {
    return new ArrayList<>(new TreeSet<>(keys(bucket, "out/runs/").stream()
        .map(key -> key.substring("out/runs/".length()).split("/")[0]).toList()));
  }

  private static String latestRunId(String bucket) throws IOException {
    return new ObjectMapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key("out/latest.json"))
        .asUtf8String()).path("runId").asText();
  }

  private static void putLock(String bucket, String host, long pid, String runId, Instant startedAt) {
    s3.putObject(b -> b.bucket(bucket).key("out/lock.json"), RequestBody.fromString("{\"host\": \"" + host
        + "\", \"pid\": " + pid + ", \"runId\": \"" + runId + "\", \"startedAt\": \"" + startedAt + "\"}\n"));
  }

  @Test
  void theSecondOfTwoRunsInTheSameSecondFailsAtOnceNamingTheFirst() throws Exception {
    String bucket = server.createUniqueBucket("same-second");
    String output = "s3a://" + bucket + "/out";
    CollidingRunsTest.OutputLockHeld collision = CollidingRunsTest.collide(config(output, null), config(output, null));
    assertTrue(collision.message().startsWith("cannot run: " + output + " is held by run "
        + CollidingRunsTest.DEFAULT_RUN_ID + " (host "), collision.message());
    assertTrue(collision.failedAfterMillis() < 10_000, "failed fast: " + collision.failedAfterMillis() + " ms");
    assertEquals(List.of(CollidingRunsTest.DEFAULT_RUN_ID), runs(bucket));
    assertEquals(cleanFiles, runFiles(bucket, CollidingRunsTest.DEFAULT_RUN_ID));
    assertEquals(CollidingRunsTest.DEFAULT_RUN_ID, latestRunId(bucket));
    assertEquals(Set.of(), keys(bucket, "out/lock.json"), "released");
  }

  @Test
  void theSameRunIdIsRefusedWhileItRunsAndOnceItIsComplete() throws Exception {
    String bucket = server.createUniqueBucket("same-id");
    String output = "s3a://" + bucket + "/out";
    CollidingRunsTest.OutputLockHeld collision = CollidingRunsTest.collide(config(output, "nightly"),
        config(output, "nightly"));
    assertTrue(collision.message().contains(" is held by run nightly (host "), collision.message());
    IllegalArgumentException complete = assertThrows(IllegalArgumentException.class,
        () -> CollidingRunsTest.job(config(output, "nightly"), line -> {}).run());
    assertTrue(complete.getMessage().endsWith("/out/runs/nightly already exists and is complete: pick another"
        + " --run-id"), complete.getMessage());
    assertEquals(cleanFiles, runFiles(bucket, "nightly"));
    assertEquals(Set.of(), keys(bucket, "out/lock.json"));
  }

  @Test
  void aStaleLockIsTakenOver() throws IOException {
    String bucket = server.createUniqueBucket("stale");
    putLock(bucket, "ip-10-0-1-2.ec2.internal", 4242, "stuck", Instant.now().minusSeconds(13 * 3600));
    List<String> log = new ArrayList<>();
    CollidingRunsTest.job(config("s3a://" + bucket + "/out", "nightly"), log::add).run();
    assertTrue(log.stream().anyMatch(line -> line.startsWith("trailtrim: took over the lock s3a://" + bucket
        + "/out/lock.json of run stuck (host ip-10-0-1-2.ec2.internal, process 4242")
        && line.contains("it is older than lock.max.age.hours (12 hours")), log.toString());
    assertEquals(cleanFiles, runFiles(bucket, "nightly"));
    assertEquals(Set.of(), keys(bucket, "out/lock.json"));
  }

  @Test
  void theLockOfADeadProcessOnThisHostIsTakenOverAndItsRunRedone() throws Exception {
    String bucket = server.createUniqueBucket("dead");
    Process ended = new ProcessBuilder("true").start();
    assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
    putLock(bucket, java.net.InetAddress.getLocalHost().getHostName(), ended.pid(), "nightly", Instant.now());
    s3.putObject(b -> b.bucket(bucket).key("out/runs/nightly/stray.json"), RequestBody.fromString("{}\n"));
    List<String> log = new ArrayList<>();
    CollidingRunsTest.job(config("s3a://" + bucket + "/out", "nightly"), log::add).run();
    assertTrue(log.stream().anyMatch(line -> line.endsWith("its process " + ended.pid() + " on this host is gone")),
        log.toString());
    assertEquals(cleanFiles, runFiles(bucket, "nightly"));
    assertEquals("nightly", latestRunId(bucket));
  }
}
