package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Nightly runs against an S3-compatible server, counted from the server's side: a night reads
 * (GETs) exactly the CloudTrail objects of the delivery days it has not stored, a rerun reads none
 * and changes nothing, and a run that dies half-way leaves {@code latest.json} on the previous run.
 */
@Slow
class S3NightlyRunTest {

  private static final Clock NOV_4_NOON = Clock.fixed(Instant.parse("2026-11-04T12:00:00Z"), ZoneOffset.UTC);
  private static final Clock NOV_6_NOON = Clock.fixed(Instant.parse("2026-11-06T12:00:00Z"), ZoneOffset.UTC);

  private static S3ProxyServer server;
  private static String logs;
  /** Keys of the sample CloudTrail files by delivery day ("01".."05"). */
  private static final Map<String, TreeSet<String>> keysByDay = new TreeMap<>();

  @BeforeAll
  static void uploadSampleLogs() throws IOException {
    server = S3ProxyServer.shared();
    logs = server.createUniqueBucket("nightly-logs");
    Path samples = JobRuns.sampleLogs();
    Map<String, byte[]> objects = new TreeMap<>();
    for (String folder : List.of("cloudtrail", "iam")) {
      Path dir = samples.resolve(folder);
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          String relative = dir.relativize(file).toString().replace('\\', '/');
          String key = folder.equals("iam") ? "snapshots/" + relative : relative;
          objects.put(key, Files.readAllBytes(file));
          if (key.contains("/CloudTrail/")) {
            String day = key.replaceAll(".*/2026/11/(\\d\\d)/.*", "$1");
            keysByDay.computeIfAbsent(day, d -> new TreeSet<>()).add(key);
          }
        }
      }
    }
    server.putObjectsDirectly(logs, objects);
  }

  private static JobConfig config(String output, String runId, String to, Clock clock) {
    return JobConfigLoader.load(new JobConfigLoader.Flags(List.of("s3://" + logs + "/AWSLogs/"),
        List.of("s3://" + logs + "/snapshots/"), false, output, "2026-11-01", to, null, runId, null, false),
        JobRuns.sampleConfig(), clock);
  }

  private static TrailtrimJob.Outcome run(String output, String runId, String to, Clock clock, Consumer<String> log)
      throws IOException {
    return new TrailtrimJob(SparkTestSession.withS3(server), config(output, runId, to, clock), log, clock).run();
  }

  /** The CloudTrail objects GET since the last reset, each as often as it was fetched. */
  private static List<String> cloudTrailObjectsGot() {
    return server.requests().objectsGot(logs + "/AWSLogs/").stream().map(o -> o.substring(logs.length() + 1))
        .sorted().toList();
  }

  private static TreeSet<String> keysOf(String... days) {
    TreeSet<String> keys = new TreeSet<>();
    for (String day : days) {
      keys.addAll(keysByDay.get(day));
    }
    return keys;
  }

  /** A run's files on S3, read back with the SDK, without _SUCCESS (it holds the run's timing). */
  private static Map<String, String> runFiles(S3Client s3, String bucket, String prefix) {
    Map<String, String> files = new TreeMap<>();
    for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      String path = object.key().substring(prefix.length());
      if (!path.equals("_SUCCESS")) {
        files.put(path,
            JobRuns.content(path, s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray()));
      }
    }
    return files;
  }

  private static String latestRunId(S3Client s3, String bucket) throws IOException {
    return new ObjectMapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key("out/latest.json"))
        .asUtf8String()).path("runId").asText();
  }

  @Test
  void eachNightGetsOnlyTheObjectsOfDaysItHasNotStored() throws IOException {
    String results = server.createUniqueBucket("nightly-out");
    String output = "s3a://" + results + "/out";
    server.requests().reset();
    // Night of Nov 4: the window Nov 1-3 and the late-arrival day; Nov 4 is too young to store.
    run(output, "n1", "2026-11-03", NOV_4_NOON, line -> {});
    assertEquals(List.copyOf(keysOf("01", "02", "03", "04")), cloudTrailObjectsGot(),
        "the first night gets every object of its days, each once");

    // Night of Nov 6, window Nov 1-5: only the days not stored (Nov 4, now complete, and Nov 5).
    server.requests().reset();
    TrailtrimJob.Outcome second = run(output, "n2", "2026-11-05", NOV_6_NOON, line -> {});
    assertEquals(List.copyOf(keysOf("04", "05")), cloudTrailObjectsGot());
    assertEquals(keysOf("04", "05").size(), second.filesReadNow());
    assertTrue(keysOf("01", "02", "03").size() > 20, "the stored days are the larger part of the window");

    // The same night again: no CloudTrail object is fetched, and the reports are the same.
    server.requests().reset();
    run(output, "n3", "2026-11-05", NOV_6_NOON, line -> {});
    assertEquals(List.of(), cloudTrailObjectsGot());
    try (S3Client s3 = server.newS3Client()) {
      Map<String, String> n2 = runFiles(s3, results, "out/runs/n2/");
      assertTrue(n2.containsKey("summary.json") && n2.keySet().stream().anyMatch(k -> k.startsWith("policies/")));
      // n3 follows n2 and n2 follows n1: the same reports, compared with different runs.
      assertEquals(JobRuns.withoutChanges(n2), JobRuns.withoutChanges(runFiles(s3, results, "out/runs/n3/")));
      assertEquals("n3", latestRunId(s3, results));
    }
  }

  @Test
  void anInterruptedRunOnS3LeavesLatestOnThePreviousCompleteRun() throws IOException {
    String results = server.createUniqueBucket("commit-out");
    String output = "s3a://" + results + "/out";
    run(output, "first", "2026-11-05", NOV_6_NOON, line -> {});
    int[] roles = {0};
    RuntimeException crash = assertThrows(RuntimeException.class, () -> run(output, "second", "2026-11-05",
        NOV_6_NOON, line -> {
          if (line.startsWith("  ") && ++roles[0] == 3) {
            throw new RuntimeException("executor lost");
          }
        }));
    assertEquals("executor lost", crash.getMessage());
    try (S3Client s3 = server.newS3Client()) {
      assertFalse(runFiles(s3, results, "out/runs/second/").isEmpty(), "the interrupted run had written files");
      assertThrows(NoSuchKeyException.class,
          () -> s3.headObject(b -> b.bucket(results).key("out/runs/second/_SUCCESS")));
      assertEquals("first", latestRunId(s3, results));

      run(output, "second", "2026-11-05", NOV_6_NOON, line -> {});
      assertEquals("second", latestRunId(s3, results));
      s3.headObject(b -> b.bucket(results).key("out/runs/second/_SUCCESS"));
    }
  }
}
