package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.aggregate.ParquetDayStateStore;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.testing.ChildJvm;
import dev.trailtrim.testing.Slow;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that collide on one local output never mix: the second of two runs started in the same
 * second (or with the same --run-id) fails at once naming the first, a crashed run's lock is
 * taken over, and a run killed with SIGKILL between storing a day's rows and its JSON is redone
 * into exactly the files and state of a clean run.
 */
@Slow
class CollidingRunsTest {

  static final Clock NOV_6_NOON = Clock.fixed(Instant.parse("2026-11-06T12:00:00Z"), ZoneOffset.UTC);
  /** What a run without --run-id is called at NOV_6_NOON. */
  static final String DEFAULT_RUN_ID = "20261106T120000Z";
  private static final String PAUSED = "CHILD PAUSED after committing state rows to ";

  @TempDir
  static Path work;
  /** A run of the sample window on an output of its own, undisturbed. */
  static Path clean;

  @BeforeAll
  static void cleanRun() throws IOException {
    clean = work.resolve("clean");
    job(config(clean, "nightly"), line -> {}).run();
  }

  static JobConfig config(Path output, String runId) {
    return JobConfigLoader
        .load(new JobConfigLoader.Flags(List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString()),
            List.of(JobRuns.sampleLogs().resolve("iam").toString()), false, output.toString(), JobRuns.SAMPLE_FROM,
            JobRuns.SAMPLE_TO, null, runId, null, false), JobRuns.sampleConfig(), NOV_6_NOON);
  }

  static TrailtrimJob job(JobConfig config, Consumer<String> log) {
    return new TrailtrimJob(SparkTestSession.get(), config, line -> {
      System.out.println("[job] " + line);
      log.accept(line);
    }, NOV_6_NOON);
  }

  /** A run's files, without _SUCCESS (its timing). */
  static Map<String, String> runFiles(Path output, String runId) {
    Map<String, String> files = new TreeMap<>(JobRuns.files(output.resolve("runs").resolve(runId)));
    files.remove("_SUCCESS");
    return files;
  }

  /** Each stored day's JSON without the names of its attempt folder and row file (unique per store). */
  static Map<String, String> stateDays(Path output) {
    Map<String, String> days = new TreeMap<>();
    JobRuns.files(output.resolve("state/days"))
        .forEach((day, json) -> days.put(day, RunOutputs.withoutStoreNames(json)));
    return days;
  }

  /** Every stored usage row, as the loader reads it: from the attempt each day's JSON names. */
  static List<String> stateRows(Path output, JobConfig config) throws IOException {
    IamCatalog catalog = IamCatalog.loadDefault();
    ParquetDayStateStore store = new ParquetDayStateStore(SparkTestSession.get(), output.resolve("state").toString(),
        ParquetDayStateStore.fingerprint(catalog.source(), catalog.generatedOn(), config.cloudTrailRoots()), 20);
    List<String> rows = new ArrayList<>(store.load(store.storedDays().keySet()).usage()
        .map(row -> row._1() + " " + row._2()).collect());
    Collections.sort(rows);
    return rows;
  }

  static List<String> attemptFolders(Path output) throws IOException {
    try (Stream<Path> attempts = Files.list(output.resolve("state/usage"))) {
      return attempts.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static List<String> runFolders(Path output) throws IOException {
    try (Stream<Path> runs = Files.list(output.resolve("runs"))) {
      return runs.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static String latestRunId(Path output) throws IOException {
    return new ObjectMapper().readTree(output.resolve("latest.json").toFile()).path("runId").asText();
  }

  /**
   * Starts {@code first}, and while it holds the output (it has logged its first line) runs
   * {@code second}, which must fail; then lets the first finish.
   */
  static OutputLockHeld collide(JobConfig first, JobConfig second) throws Exception {
    CountDownLatch firstHolds = new CountDownLatch(1);
    CountDownLatch secondTried = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<TrailtrimJob.Outcome> running = pool.submit(() -> job(first, line -> {
        if (firstHolds.getCount() > 0) {
          firstHolds.countDown();
          try {
            secondTried.await(120, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }).run());
      assertTrue(firstHolds.await(120, TimeUnit.SECONDS), "the first run started");
      long before = System.nanoTime();
      dev.trailtrim.io.OutputLock.HeldException held;
      try {
        held = assertThrows(dev.trailtrim.io.OutputLock.HeldException.class, () -> job(second, line -> {}).run());
      } finally {
        secondTried.countDown();
      }
      long failedAfterMillis = (System.nanoTime() - before) / 1_000_000;
      System.out.println("[test] the second run failed after " + failedAfterMillis + " ms: " + held.getMessage());
      TrailtrimJob.Outcome outcome = running.get(300, TimeUnit.SECONDS);
      return new OutputLockHeld(held.getMessage(), failedAfterMillis, outcome);
    } finally {
      pool.shutdownNow();
    }
  }

  record OutputLockHeld(String message, long failedAfterMillis, TrailtrimJob.Outcome first) {}

  @Test
  void theSecondOfTwoRunsInTheSameSecondFailsAtOnceAndTheFirstIsClean() throws Exception {
    Path output = work.resolve("same-second");
    // No --run-id: both are named after the same start second.
    OutputLockHeld collision = collide(config(output, null), config(output, null));
    assertTrue(collision.message().startsWith("cannot run: " + output + " is held by run " + DEFAULT_RUN_ID
        + " (host "), collision.message());
    assertTrue(collision.failedAfterMillis() < 10_000, "failed fast: " + collision.failedAfterMillis() + " ms");

    assertEquals(TrailtrimJob.Status.COMPLETE, collision.first().status());
    assertEquals(List.of(DEFAULT_RUN_ID), runFolders(output));
    assertEquals(runFiles(clean, "nightly"), runFiles(output, DEFAULT_RUN_ID), "only the first run's files");
    assertEquals(DEFAULT_RUN_ID, latestRunId(output));
    assertEquals(stateDays(clean), stateDays(output));
    assertEquals(1, attemptFolders(output).size(), "each day stored once: " + attemptFolders(output));
    assertFalse(Files.exists(output.resolve("lock.json")), "released");
  }

  @Test
  void theSameRunIdIsRefusedWhileItRunsAndOnceItIsComplete() throws Exception {
    Path output = work.resolve("same-id");
    OutputLockHeld collision = collide(config(output, "nightly"), config(output, "nightly"));
    assertTrue(collision.message().contains(" is held by run nightly (host "), collision.message());
    assertEquals(runFiles(clean, "nightly"), runFiles(output, "nightly"));

    IllegalArgumentException complete = assertThrows(IllegalArgumentException.class,
        () -> job(config(output, "nightly"), line -> {}).run());
    assertTrue(complete.getMessage().endsWith(output + "/runs/nightly already exists and is complete: pick another"
        + " --run-id"), complete.getMessage());
    assertEquals(runFiles(clean, "nightly"), runFiles(output, "nightly"), "the complete run is left as it was");
    assertFalse(Files.exists(output.resolve("lock.json")));
  }

  @Test
  void aStaleLockIsTakenOverAndTheLogSaysSo() throws IOException {
    Path output = work.resolve("stale");
    Files.createDirectories(output);
    Files.writeString(output.resolve("lock.json"), "{\"host\": \"ip-10-0-1-2.ec2.internal\", \"pid\": 4242,"
        + " \"runId\": \"stuck\", \"startedAt\": \"" + Instant.now().minusSeconds(13 * 3600) + "\"}\n");
    List<String> log = new ArrayList<>();
    job(config(output, "nightly"), log::add).run();
    assertTrue(log.stream().anyMatch(line -> line.startsWith("trailtrim: took over the lock ")
        && line.contains("run stuck (host ip-10-0-1-2.ec2.internal, process 4242")
        && line.contains("it is older than lock.max.age.hours (12 hours")), log.toString());
    assertEquals(runFiles(clean, "nightly"), runFiles(output, "nightly"));
    assertFalse(Files.exists(output.resolve("lock.json")));
  }

  @Test
  void theLockOfADeadProcessOnThisHostIsTakenOverAndItsRunRedoneFromScratch() throws Exception {
    Path output = work.resolve("dead");
    Process ended = new ProcessBuilder("true").start();
    assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
    Files.createDirectories(output.resolve("runs/nightly/roles/111122223333"));
    // What the crashed attempt had written: a report of the wrong content, and a stray file.
    Files.writeString(output.resolve("runs/nightly/roles/111122223333/orders-api-role.json"), "{}\n");
    Files.writeString(output.resolve("runs/nightly/stray.json"), "{}\n");
    Files.writeString(output.resolve("lock.json"), new ObjectMapper().createObjectNode()
        .put("host", java.net.InetAddress.getLocalHost().getHostName()).put("pid", ended.pid())
        .put("runId", "nightly").put("startedAt", Instant.now().toString()).toString());
    List<String> log = new ArrayList<>();
    job(config(output, "nightly"), log::add).run();
    assertTrue(log.stream().anyMatch(line -> line.startsWith("trailtrim: took over the lock ")
        && line.endsWith("its process " + ended.pid() + " on this host is gone")), log.toString());
    assertEquals(runFiles(clean, "nightly"), runFiles(output, "nightly"));
    assertEquals("nightly", latestRunId(output));
  }

  @Test
  void aDayStoredAgainReplacesItsRowsInsteadOfAddingToThem() throws IOException {
    Path output = work.resolve("stored-twice");
    job(config(output, "first"), line -> {}).run();
    List<String> firstAttempts = attemptFolders(output);
    // --rebuild reads and stores every day again.
    JobConfig rebuild = JobConfigLoader.load(new JobConfigLoader.Flags(
        List.of(JobRuns.sampleLogs().resolve("cloudtrail").toString()), List.of(JobRuns.sampleLogs().resolve("iam")
            .toString()),
        false, output.toString(), JobRuns.SAMPLE_FROM, JobRuns.SAMPLE_TO, null, "second", null, true),
        JobRuns.sampleConfig(), NOV_6_NOON);
    job(rebuild, line -> {}).run();
    List<String> attempts = attemptFolders(output);
    assertEquals(1, attempts.size(), attempts.toString());
    assertFalse(attempts.contains(firstAttempts.get(0)), "the first store's rows are deleted");
    assertEquals(stateRows(clean, config(clean, "nightly")), stateRows(output, rebuild), "no day counted twice");
    // A third run takes every day from the state and still reports what the clean run did.
    TrailtrimJob.Outcome third = job(config(output, "third"), line -> {}).run();
    assertEquals(0, third.filesReadNow());
    // The third night follows the second: what changed since is its own, the rest is the clean run's.
    assertEquals(JobRuns.withoutChanges(runFiles(clean, "nightly")), JobRuns.withoutChanges(runFiles(output, "third")));
  }

  /**
   * Run in a child JVM by {@link #aRunKilledBetweenTheStateRowsAndTheirJsonIsRedoneIntoACleanRunsFiles}:
   * the job on {@code args[0]} as run {@code args[1]}, on a local file system that stops the job
   * for good once a day's rows are written into the state, before its JSON is written.
   */
  public static void main(String[] args) throws IOException {
    var hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    hadoop.set("fs.file.impl", PausingFileSystem.class.getName());
    hadoop.setBoolean("fs.file.impl.disable.cache", true);
    job(config(Path.of(args[0]), args[1]), line -> {}).run();
    System.out.println("CHILD FINISHED (it should have been killed)");
    System.exit(0);
  }

  /** The local file system, but closing the file of a day's rows in a state attempt never returns. */
  public static final class PausingFileSystem extends LocalFileSystem {
    @Override
    public FSDataOutputStream create(org.apache.hadoop.fs.Path f, FsPermission permission, boolean overwrite,
        int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
      FSDataOutputStream out = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
      if (!f.toString().matches(".*/state/usage/attempt-[^/]+/day=[^/]+/[^/]+\\.parquet")) {
        return out;
      }
      return new FSDataOutputStream(out, null) {
        @Override
        public void close() throws IOException {
          super.close();
          System.out.println(PAUSED + f);
          System.out.flush();
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    }
  }

  @Test
  void aRunKilledBetweenTheStateRowsAndTheirJsonIsRedoneIntoACleanRunsFiles() throws Exception {
    Path output = work.resolve("killed");
    Path childLog = work.resolve("killed-child.log");
    Process child = ChildJvm.start(CollidingRunsTest.class, childLog, output.toString(), "nightly");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (!(Files.exists(childLog) && Files.readString(childLog).contains(PAUSED))) {
        assertTrue(child.isAlive(), () -> "the child ended before the pause: " + read(childLog));
        assertTrue(System.nanoTime() < deadline, () -> "the child did not reach the pause in 240 s: " + read(childLog));
        Thread.sleep(200);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook of the job runs
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
    // What the kill left: the lock of the dead process, rows of an attempt no day's JSON names.
    assertTrue(Files.readString(output.resolve("lock.json")).contains("\"pid\": " + child.pid()));
    List<String> leftAttempts = attemptFolders(output);
    assertEquals(1, leftAttempts.size(), leftAttempts.toString());
    assertFalse(Files.exists(output.resolve("state/days")), "no day's JSON was written");
    assertFalse(Files.exists(output.resolve("latest.json")));

    List<String> log = new ArrayList<>();
    job(config(output, "nightly"), log::add).run();
    assertTrue(log.stream().anyMatch(line -> line.endsWith("its process " + child.pid() + " on this host is gone")),
        log.toString());
    assertEquals(runFiles(clean, "nightly"), runFiles(output, "nightly"));
    assertEquals("nightly", latestRunId(output));
    assertEquals(stateDays(clean), stateDays(output));
    assertEquals(stateRows(clean, config(clean, "nightly")), stateRows(output, config(output, "nightly")));
    List<String> attempts = attemptFolders(output);
    assertEquals(1, attempts.size(), "the killed attempt is gone: " + attempts);
    assertFalse(attempts.contains(leftAttempts.get(0)));
    assertFalse(Files.exists(output.resolve("lock.json")));
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
