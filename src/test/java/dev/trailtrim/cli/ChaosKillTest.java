package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.config.JobConfig;
import dev.trailtrim.config.JobConfigLoader;
import dev.trailtrim.testing.ChildJvm;
import dev.trailtrim.testing.Slow;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs killed with SIGKILL at random points are redone into exactly a clean run. A child JVM runs
 * a night on a copy of sample-logs/ with the state on; it is killed after a seeded random line of the
 * run's log, a seeded random moment into the step that follows (up to twice a step of a clean run
 * here, measured first); then, in this JVM, either the same
 * run id is run again and must equal the clean night (every file of the run folder, Parquet
 * included, latest.json, the state's days and the rows they name), or the next night runs and
 * must equal a clean next night.
 *
 * <p>Each kill point and outcome is printed with the seed. {@code -Dtrailtrim.chaos.seed=S}
 * repeats a sequence of kill lines and delays (the points they hit also depend on the machine's load);
 * {@code -Dtrailtrim.chaos.iterations=N} (default 3, to stay within the suite's time) sets the number
 * of kills: a longer local run takes {@code -Dtrailtrim.chaos.iterations=40}, about 4.5 s per kill.
 */
@Slow
class ChaosKillTest {

  private static final int ITERATIONS = Integer.getInteger("trailtrim.chaos.iterations", 3);
  private static final long SEED = Long.getLong("trailtrim.chaos.seed", System.nanoTime() & 0xffffff);
  /** Bounds every wait for a child: its start, its run. */
  private static final long TIMEOUT_SECONDS = Long.getLong("trailtrim.chaos.timeoutSeconds", 240);

  private static final String READY = "CHAOS CHILD READY";
  private static final String RUNNING = "CHAOS CHILD RUNNING";
  private static final String FINISHED = "CHAOS CHILD FINISHED";

  /** The first night stores Nov 1-4 (Nov 4 as a late-arrival day); the second reads Nov 5 and the rest from the state. */
  private record Night(String runId, String to, Clock clock) {}

  private static final Night FIRST = new Night("n1", "2026-11-03",
      Clock.fixed(Instant.parse("2026-11-04T12:00:00Z"), ZoneOffset.UTC));
  private static final Night SECOND = new Night("n2", "2026-11-05",
      Clock.fixed(Instant.parse("2026-11-06T12:00:00Z"), ZoneOffset.UTC));

  @TempDir
  static Path work;
  /** The small copy of sample-logs/ the runs read. */
  private static Path samples;
  private static final List<Process> children = new ArrayList<>();

  @BeforeAll
  static void copySamples() throws IOException {
    samples = work.resolve("samples");
    for (String folder : List.of("cloudtrail", "iam", "trail-config")) {
      Path from = JobRuns.sampleLogs().resolve(folder);
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          Path to = samples.resolve(folder).resolve(from.relativize(file).toString());
          Files.createDirectories(to.getParent());
          Files.copy(file, to);
        }
      }
    }
  }

  @AfterAll
  static void killLeftovers() {
    children.forEach(ChaosKillTest::kill);
  }

  private static JobConfig config(Path output, Night night) {
    return JobConfigLoader.load(new JobConfigLoader.Flags(List.of(samples.resolve("cloudtrail").toString()),
        List.of(samples.resolve("iam").toString()), false, output.toString(), JobRuns.SAMPLE_FROM, night.to(), null,
        night.runId(), null, false, List.of(samples.resolve("trail-config").toString()), false),
        JobRuns.sampleConfig(), night.clock());
  }

  /**
   * Run in a child JVM: starts Spark, says {@value #READY}, waits for {@code args[3]} to exist,
   * then runs night {@code args[1]} on the output {@code args[0]} with the samples {@code args[2]}.
   * Not warmed up by Spark jobs of its own (they took 3.7 of a whole child run's 10 CPU-s, in Spark's
   * writer, which the run does not use): a kill comes after a line of the run's own log, so a cold
   * run's first steps take no kills away from its later ones.
   */
  public static void main(String[] args) throws Exception {
    samples = Path.of(args[2]);
    Night night = args[1].equals(FIRST.runId()) ? FIRST : SECOND;
    SparkSession spark = SparkTestSession.get();
    System.out.println(READY);
    System.out.flush();
    Path go = Path.of(args[3]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!Files.exists(go)) {
      if (System.nanoTime() > deadline) {
        System.exit(2);
      }
      Thread.sleep(2);
    }
    System.out.println(RUNNING);
    System.out.flush();
    new TrailtrimJob(spark, config(Path.of(args[0]), night), line -> {
      System.out.println("[child] " + line);
      System.out.flush();
    }, night.clock()).run();
    System.out.println(FINISHED);
    System.out.flush();
    System.exit(0);
  }

  /** The first Spark jobs of a JVM pay seconds of warm-up: this JVM pays them before the clean run it measures. */
  private static void warmUp(SparkSession spark, Path scratch) {
    spark.range(0, 1000, 1, 2).selectExpr("id % 7 AS k").groupBy("k").count().write().parquet(scratch.toString());
    spark.read().parquet(scratch.toString()).collectAsList();
  }

  /** A child JVM that has started Spark and waits for its go. */
  private record Child(Process process, Path output, Path logFile, Path goFile) {

    static Child start(Path output, Night night) throws IOException {
      Files.createDirectories(output.getParent());
      Path log = Path.of(output + ".log");
      Path go = Path.of(output + ".go");
      // Spark's scratch space of a killed JVM is never cleaned up: keep it in the test's folder.
      Path local = Files.createDirectories(Path.of(output + ".spark-local"));
      Process process = ChildJvm.start(ChaosKillTest.class, log, Map.of("SPARK_LOCAL_DIRS", local.toString()),
          output.toString(), night.runId(), samples.toString(), go.toString());
      children.add(process);
      return new Child(process, output, log, go);
    }

    String log() {
      try {
        return Files.exists(logFile) ? Files.readString(logFile) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits (bounded) until the log has {@code marker}; fails, killing the child, if it ends or times out first. */
    void await(String marker) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (!log().contains(marker)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          kill(process);
          throw new AssertionError("child " + process.pid() + " did not reach " + marker + " ("
              + (process.isAlive() ? "timed out" : "it ended") + "):\n" + log());
        }
        Thread.sleep(5);
      }
    }

    /** Waits (bounded) until the run has logged {@code count} lines, or has ended. */
    void awaitJobLines(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (process.isAlive() && System.nanoTime() < deadline) {
        String log = log();
        if (log.contains(FINISHED) || log.split("\n\\[child\\] ", -1).length - 1 >= count) {
          return;
        }
        Thread.sleep(1);
      }
    }

    /** Starts the run; returns when. */
    long go() throws IOException {
      Files.writeString(goFile, "go");
      return System.nanoTime();
    }

    /** The last line the job logged before it was killed. */
    String lastJobLine() {
      String[] lines = log().split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (lines[i].startsWith("[child] ") || lines[i].equals(FINISHED)) {
          return lines[i].replace("[child] ", "");
        }
      }
      return "(nothing yet)";
    }
  }

  /** SIGKILL to the child and anything it started: no finally block or shutdown hook runs. Bounded. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("child " + process.pid() + " survived SIGKILL for 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a clean night leaves: its run's files, latest.json's run, the state. */
  private record Outputs(Map<String, String> run, String latest, RunOutputs.State state) {

    static Outputs of(Path output, Night night) throws IOException {
      Configuration hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
      // Every file of the run folder, hidden ones included, but _SUCCESS (the run's timing).
      Map<String, String> run = JobRuns.files(output.resolve("runs").resolve(night.runId()));
      assertTrue(run.remove("_SUCCESS") != null, "the run is complete");
      // Without what changed since the run before: a kill decides whether night 1 was committed before night 2.
      return new Outputs(JobRuns.withoutChanges(run), RunOutputs.latestRunId(hadoop, output.toString()),
          RunOutputs.state(SparkTestSession.get(), output.resolve("state").toString()));
    }
  }

  /** What a kill left under an output, for the log. */
  private static String leftBehind(Path output, Night night) throws IOException {
    Path run = output.resolve("runs").resolve(night.runId());
    List<String> left = new ArrayList<>();
    left.add(Files.exists(output.resolve("lock.json")) ? "lock" : "no lock");
    left.add(!Files.exists(run) ? "no run folder" : JobRuns.files(run).size() + " run files"
        + (Files.exists(run.resolve("_SUCCESS")) ? " with _SUCCESS" : ""));
    left.add(Files.exists(output.resolve("latest.json")) ? "latest.json" : "no latest.json");
    left.add(count(output.resolve("state/days"), ".json") + " stored days, " + count(output.resolve("state/usage"), "")
        + " attempt folders");
    return String.join(", ", left);
  }

  private static long count(Path folder, String suffix) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)
          && !f.getFileName().toString().startsWith(".")).count();
    }
  }

  /** Every attempt folder of the state is one that a stored day names: a killed store left nothing behind. */
  private static void assertNoStrayAttempts(Path output, String context) throws IOException {
    List<String> named = new ArrayList<>();
    try (Stream<Path> days = Files.list(output.resolve("state/days"))) {
      for (Path day : days.filter(d -> d.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}\\.json")).toList()) {
        named.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(day.toFile()).path("attempt").asText());
      }
    }
    try (Stream<Path> attempts = Files.list(output.resolve("state/usage"))) {
      for (Path attempt : attempts.toList()) {
        assertTrue(named.contains(attempt.getFileName().toString()), context + ": " + attempt + " is named by no day "
            + named);
      }
    }
  }

  private static TrailtrimJob job(Path output, Night night) {
    return job(output, night, new ArrayList<>());
  }

  /** The job, its log printed and kept in {@code lines}. */
  private static TrailtrimJob job(Path output, Night night, List<String> lines) {
    return new TrailtrimJob(SparkTestSession.get(), config(output, night), line -> {
      lines.add(line);
      System.out.println("[job] " + line);
    }, night.clock());
  }

  @Test
  void runsKilledAtRandomPointsAreRedoneIntoTheFilesAndStateOfACleanRun() throws Exception {
    System.out.printf("ChaosKillTest: seed %d, %d kills (-Dtrailtrim.chaos.seed=%d repeats the delays)%n", SEED,
        ITERATIONS, SEED);
    Random random = new Random(SEED);

    // The first child starts while this JVM runs the clean nights: the references, and how long a run takes.
    Child next = Child.start(work.resolve("kill-0/out"), FIRST);
    warmUp(SparkTestSession.get(), work.resolve("warm-up"));
    Path clean1 = work.resolve("clean-1/out");
    long started = System.nanoTime();
    List<String> cleanLines = new ArrayList<>();
    job(clean1, FIRST, cleanLines).run();
    long runMillis = (System.nanoTime() - started) / 1_000_000;
    Outputs cleanFirst = Outputs.of(clean1, FIRST);
    assertEquals(FIRST.runId(), cleanFirst.latest());
    Path clean2 = work.resolve("clean-2/out");
    copy(clean1, clean2);
    job(clean2, SECOND).run();
    Outputs cleanSecond = Outputs.of(clean2, SECOND);
    // A child runs slower than this warm JVM, so a kill at a random time would mostly land early in its run. A kill
    // comes after a random line of the run's log instead (each step, each role, the commit), a random moment into
    // the step that follows it.
    long stepMillis = Math.max(1, runMillis / cleanLines.size());
    System.out.printf("ChaosKillTest: a clean first night takes %d ms and logs %d lines: each kill comes 0-%d ms"
        + " after one of them%n", runMillis, cleanLines.size(), 2 * stepMillis);

    for (int i = 0; i < ITERATIONS; i++) {
      Child child = next;
      Path output = child.output();
      long waitedForChild = System.nanoTime();
      child.await(READY);
      waitedForChild = (System.nanoTime() - waitedForChild) / 1_000_000;
      int afterLine = 1 + random.nextInt(cleanLines.size());
      long extraMillis = random.nextLong(2 * stepMillis);
      long go = child.go();
      child.awaitJobLines(afterLine);
      TimeUnit.MILLISECONDS.sleep(extraMillis);
      long delay = (System.nanoTime() - go) / 1_000_000;
      boolean finished = child.log().contains(FINISHED);
      kill(child.process());
      int exit = child.process().exitValue();
      assertTrue(exit == 137 || exit == 0 && finished, "child exit " + exit + ":\n" + child.log());
      String killedAt = child.lastJobLine();
      String left = leftBehind(output, FIRST);
      // The next child starts while this rerun is checked (not while this child runs: on two cores
      // that slows the run being killed into mostly its first steps).
      if (i + 1 < ITERATIONS) {
        next = Child.start(work.resolve("kill-" + (i + 1) + "/out"), FIRST);
      }

      // Even kills: the same run again. Odd kills: the next night instead.
      boolean rerun = i % 2 == 0;
      String context = String.format("seed %d kill %d: %s after line %d of %d + %d ms, %d ms after go (last log"
          + " line: %s; left: %s)", SEED, i, rerun ? "rerun of n1" : "second night", afterLine, cleanLines.size(),
          extraMillis, delay, killedAt, left);
      String outcome;
      String expectedLatest = rerun ? FIRST.runId() : SECOND.runId();
      long rerunStarted = System.nanoTime();
      if (rerun && Files.exists(output.resolve("runs/n1/_SUCCESS"))) {
        // Killed after the commit: the run is complete, and its id is not reused. Killed in the moment
        // between _SUCCESS and latest.json, latest.json stays where it was (here: not written).
        expectedLatest = Files.exists(output.resolve("latest.json")) ? FIRST.runId() : null;
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> job(output, FIRST).run(), context);
        assertTrue(refused.getMessage().contains("already exists and is complete"), context + ": " + refused);
        outcome =
            "n1 was complete; its rerun is refused" + (expectedLatest == null ? " (latest.json not written)" : "");
      } else {
        job(output, rerun ? FIRST : SECOND).run();
        outcome = rerun ? "rerun of n1 equals the clean n1" : "n2 equals the clean n2";
      }
      Night night = rerun ? FIRST : SECOND;
      Outputs expected = rerun ? cleanFirst : cleanSecond;
      Outputs actual = Outputs.of(output, night);
      assertEquals(expected.run(), actual.run(), context + ": the run's files");
      assertEquals(expectedLatest, actual.latest(), context + ": latest.json");
      assertEquals(expected.state(), actual.state(), context + ": the state");
      assertNoStrayAttempts(output, context);
      assertFalse(Files.exists(output.resolve("lock.json")), context + ": the lock is released");
      String line = String.format("kill %d after line %2d of %d + %3d ms (%5d ms after go)%s, last log line \"%s\";"
          + " left %s -> %s (%d ms; waited %d ms for the child's start)", i, afterLine, cleanLines.size(),
          extraMillis, delay, finished ? " (the run had finished)" : "", killedAt, left, outcome,
          (System.nanoTime() - rerunStarted) / 1_000_000, waitedForChild);
      System.out.println("ChaosKillTest: seed " + SEED + " " + line);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }
}
