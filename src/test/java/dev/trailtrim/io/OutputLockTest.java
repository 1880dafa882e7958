package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The output lock on a local folder and on S3 (the in-process S3Proxy, through the SDK's
 * conditional writes): one holder at a time, a clear refusal naming the holder, and takeover only
 * of a holder that is provably gone or too old, by exactly one of the runs that try.
 */
@SuppressWarnings("try") // a lock is held for its try block, which need not name it
class OutputLockTest {

  private static final Duration MAX_AGE = Duration.ofHours(12);

  @TempDir
  static Path work;
  private static S3Client s3;

  @AfterAll
  static void closeClient() {
    if (s3 != null) {
      s3.close();
    }
  }

  /** A fresh output folder, locally or in a fresh bucket, and raw access to its lock.json. */
  private record Place(String output, Configuration conf, String bucket, Path folder) {

    static Place of(String kind) throws IOException {
      if (kind.equals("local")) {
        return new Place(Files.createTempDirectory(work, "out").resolve("out").toString(), new Configuration(false),
            null, null);
      }
      S3ProxyServer server = S3ProxyServer.shared();
      if (s3 == null) {
        s3 = server.newS3Client();
      }
      String bucket = server.createUniqueBucket("lock");
      return new Place("s3a://" + bucket + "/trailtrim/out", server.newHadoopConfiguration(), bucket, null);
    }

    String lockContent() throws IOException {
      if (bucket == null) {
        Path lock = Path.of(output, OutputLock.FILE_NAME);
        return Files.exists(lock) ? Files.readString(lock) : null;
      }
      try {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key("trailtrim/out/" + OutputLock.FILE_NAME)).asUtf8String();
      } catch (NoSuchKeyException e) {
        return null;
      }
    }

    /** Puts a lock there as another run would have (no conditions: the test sets the scene). */
    void putLock(String content) throws IOException {
      if (bucket == null) {
        Files.createDirectories(Path.of(output));
        Files.writeString(Path.of(output, OutputLock.FILE_NAME), content);
      } else {
        s3.putObject(b -> b.bucket(bucket).key("trailtrim/out/" + OutputLock.FILE_NAME),
            RequestBody.fromString(content, StandardCharsets.UTF_8));
      }
    }

    OutputLock acquire(OutputLock.Holder holder, List<String> log) throws IOException {
      return OutputLock.acquire(conf, List.of(output), holder, MAX_AGE, log::add);
    }
  }

  private static OutputLock.Holder holder(String runId) {
    return OutputLock.Holder.thisProcess(runId, Instant.now());
  }

  /** A process id on this host that no process has: one that just ended. */
  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    long pid = process.pid();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    return pid;
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aSecondRunIsRefusedWithOneLineNamingTheHolderUntilTheFirstReleases(String kind) throws IOException {
    Place place = Place.of(kind);
    List<String> log = new ArrayList<>();
    OutputLock.Holder first = holder("20261129T020000Z");
    try (OutputLock lock = place.acquire(first, log)) {
      assertEquals(first, OutputLock.Holder.parse(place.lockContent().getBytes(StandardCharsets.UTF_8)));
      OutputLock.HeldException held = assertThrows(OutputLock.HeldException.class,
          () -> place.acquire(holder("20261129T020000Z"), log));
      String message = held.getMessage();
      assertFalse(message.contains("\n"), message);
      assertTrue(message.startsWith("cannot run: " + place.output() + " is held by run 20261129T020000Z (host "
          + OutputLock.localHost() + ", process " + ProcessHandle.current().pid() + ", started "
          + first.startedAt() + ")"), message);
      assertTrue(message.contains("lock.max.age.hours (12)"), message);
    }
    assertNull(place.lockContent(), "released at the end");
    try (OutputLock again = place.acquire(holder("next"), log)) {
      assertTrue(place.lockContent().contains("\"runId\": \"next\""));
    }
    assertEquals(List.of(), log, "no takeover was needed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aLockOlderThanTheMaximumAgeIsTakenOverAndTheLogSaysSo(String kind) throws IOException {
    Place place = Place.of(kind);
    Instant thirteenHoursAgo = Instant.now().minus(Duration.ofHours(13));
    place.putLock(new OutputLock.Holder("ip-10-0-1-2.ec2.internal", 4242, "stuck", thirteenHoursAgo).toJson());
    List<String> log = new ArrayList<>();
    OutputLock.Holder me = holder("fresh");
    try (OutputLock lock = place.acquire(me, log)) {
      assertEquals(me, OutputLock.Holder.parse(place.lockContent().getBytes(StandardCharsets.UTF_8)));
    }
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).startsWith("trailtrim: took over the lock "), log.get(0));
    assertTrue(log.get(0).contains("run stuck (host ip-10-0-1-2.ec2.internal, process 4242, started "
        + thirteenHoursAgo + "): it is older than lock.max.age.hours (12 hours"), log.get(0));
    assertNull(place.lockContent());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aYoungLockOfAnotherHostHolds(String kind) throws IOException {
    Place place = Place.of(kind);
    place.putLock(new OutputLock.Holder("ip-10-0-1-2.ec2.internal", 1, "elsewhere",
        Instant.now().minus(Duration.ofHours(11))).toJson());
    OutputLock.HeldException held = assertThrows(OutputLock.HeldException.class,
        () -> place.acquire(holder("mine"), new ArrayList<>()));
    assertTrue(held.getMessage().contains("held by run elsewhere (host ip-10-0-1-2.ec2.internal, process 1"),
        held.getMessage());
    assertTrue(place.lockContent().contains("elsewhere"), "the holder's lock is left as it was");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aLockOfADeadProcessOnThisHostIsTakenOverAndOfALiveOneNot(String kind) throws Exception {
    Place place = Place.of(kind);
    Process alive = new ProcessBuilder("sleep", "60").start();
    try {
      place.putLock(new OutputLock.Holder(OutputLock.localHost(), alive.pid(), "running", Instant.now()).toJson());
      assertThrows(OutputLock.HeldException.class, () -> place.acquire(holder("mine"), new ArrayList<>()));
    } finally {
      alive.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    long dead = deadPid();
    place.putLock(new OutputLock.Holder(OutputLock.localHost(), dead, "crashed", Instant.now()).toJson());
    List<String> log = new ArrayList<>();
    try (OutputLock lock = place.acquire(holder("mine"), log)) {
      assertTrue(place.lockContent().contains("\"runId\": \"mine\""));
    }
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).endsWith(": its process " + dead + " on this host is gone"), log.get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void ofRunsStartingTogetherOnAFreeOutputExactlyOneGetsIt(String kind) throws Exception {
    Place place = Place.of(kind);
    assertEquals(1, race(place, 6).winners());
    assertNull(place.lockContent());
  }

  /**
   * Locally only: S3Proxy emulates If-Match by a HEAD before the PUT, so two racers can both pass
   * it there; Amazon S3 evaluates If-Match atomically with the write.
   */
  @org.junit.jupiter.api.Test
  void ofRunsRacingForOneStaleLockExactlyOneTakesIt() throws Exception {
    Place place = Place.of("local");
    place.putLock(new OutputLock.Holder(OutputLock.localHost(), deadPid(), "crashed", Instant.now()).toJson());
    Race race = race(place, 6);
    assertEquals(1, race.winners());
    assertEquals(1, race.log().size(), "one takeover: " + race.log());
    assertNull(place.lockContent());
  }

  private record Race(int winners, List<String> log) {}

  /** {@code runs} threads acquire at once; each winner holds the lock until every racer has tried. */
  private static Race race(Place place, int runs) throws Exception {
    CyclicBarrier start = new CyclicBarrier(runs);
    CyclicBarrier release = new CyclicBarrier(runs);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String runId = "racer-" + i;
        results.add(pool.submit(() -> {
          start.await();
          boolean won;
          try (OutputLock lock = place.acquire(holder(runId), log)) {
            won = true;
            release.await(); // hold it until every racer has tried
          } catch (OutputLock.HeldException e) {
            won = false;
            release.await();
          }
          return won;
        }));
      }
      int winners = 0;
      for (Future<Boolean> result : results) {
        winners += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      return new Race(winners, List.copyOf(log));
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aReleaseLeavesALockThatWasTakenOverAlone(String kind) throws IOException {
    Place place = Place.of(kind);
    List<String> log = new ArrayList<>();
    OutputLock lock = place.acquire(holder("slow"), log);
    String successor = new OutputLock.Holder("other-host", 7, "successor", Instant.now()).toJson();
    place.putLock(successor); // it was presumed dead and taken over meanwhile
    lock.close();
    assertEquals(successor, place.lockContent());
    assertTrue(log.get(0).contains("no longer names this run"), log.toString());
  }

  @org.junit.jupiter.api.Test
  void anUnreadableLockHoldsUntilItIsOlderThanTheMaximumAge() throws IOException {
    Place place = Place.of("local");
    place.putLock("");
    OutputLock.HeldException held = assertThrows(OutputLock.HeldException.class,
        () -> place.acquire(holder("mine"), new ArrayList<>()));
    assertTrue(held.getMessage().contains("a holder it does not name (unreadable lock, written "), held.getMessage());
    Files.setLastModifiedTime(Path.of(place.output(), OutputLock.FILE_NAME),
        FileTime.from(Instant.now().minus(Duration.ofHours(13))));
    List<String> log = new ArrayList<>();
    try (OutputLock lock = place.acquire(holder("mine"), log)) {
      assertTrue(log.get(0).contains("an unreadable holder: it is older than"), log.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void anOutputThatIsAFileIsAnInputError(String kind) throws IOException {
    Place place = Place.of(kind);
    if (place.bucket() == null) {
      Files.createDirectories(Path.of(place.output()).getParent());
      Files.writeString(Path.of(place.output()), "not a folder");
    } else {
      s3.putObject(b -> b.bucket(place.bucket()).key("trailtrim/out"), RequestBody.fromString("not a folder"));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> place.acquire(holder("mine"), new ArrayList<>()));
    assertTrue(e.getMessage().startsWith("'" + place.output() + "' is a"), e.getMessage());
    assertTrue(e.getMessage().contains("not a folder: pass --output"), e.getMessage());
  }
}
