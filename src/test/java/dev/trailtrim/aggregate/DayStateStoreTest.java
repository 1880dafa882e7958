package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.Tuple2;

/**
 * Both stores keep the same contract, so a test may use the in-memory one where the Parquet one
 * would need files: what a store keeps is what a load gives back, per day, and a store replaces.
 */
class DayStateStoreTest {

  private static final String ROLE = "arn:aws:iam::111122223333:role/app";
  private static final int SAMPLES = 20;

  @TempDir
  Path state;

  private DayStateStore store(String kind) {
    return kind.equals("parquet")
        ? new ParquetDayStateStore(SparkTestSession.get(), state.toString(), "test", SAMPLES)
        : new InMemoryDayStateStore(SparkTestSession.get(), SAMPLES);
  }

  /** A read of three folder days; {@code calls} tells the rows and counters of one read from another's. */
  private static UsagePipeline.Result read(long calls) {
    List<Tuple2<UsageKey, UsageStats>> rows = new ArrayList<>();
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    for (String day : List.of("2026-11-02", "2026-11-03", "2026-11-04")) {
      rows.add(new Tuple2<>(new UsageKey(day, day, ROLE, "s3:GetObject", "arn:aws:s3:::data/k", ""),
          new UsageStats(calls, 1_000L, 2_000L)));
      rows.add(
          new Tuple2<>(new UsageKey(day, "2026-11-01", ROLE, "s3:PutObject", "arn:aws:s3:::data/k", "AccessDenied"),
              new UsageStats(1, 3_000L, 3_000L)));
      // The same permission used by a function of the role: a row of its own, kept with its function.
      rows.add(new Tuple2<>(new UsageKey(day, day, ROLE, "invoice-renderer", "s3:GetObject", "arn:aws:s3:::data/k", ""),
          new UsageStats(2, 1_500L, 1_500L)));
      IngestStats files = new IngestStats(SAMPLES);
      files.add("files.read", calls);
      files.add("files.rejected.corrupt", 1);
      stats.put(new DayKey(day, DayKey.FILES), files);
      IngestStats records = new IngestStats(SAMPLES);
      records.add("records.read", calls * 10);
      stats.put(new DayKey(day, day), records);
    }
    return new UsagePipeline.Result(JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext())
        .parallelizePairs(rows), stats);
  }

  private static List<String> rows(UsagePipeline.Result result) {
    List<String> rows = new ArrayList<>(result.usage().map(row -> row._1() + " " + row._2()).collect());
    Collections.sort(rows);
    return rows;
  }

  private static Map<DayKey, String> counters(UsagePipeline.Result result) {
    Map<DayKey, String> counters = new TreeMap<>();
    result.stats().forEach((key, stats) -> counters.put(key, stats.toJson().toString()));
    return counters;
  }

  /** What a load of {@code days} must give: the read's rows and counters of those days only. */
  private static UsagePipeline.Result only(UsagePipeline.Result read, Set<String> days) {
    Map<DayKey, IngestStats> stats = new TreeMap<>(read.stats());
    stats.keySet().removeIf(key -> !days.contains(key.folderDay()));
    return new UsagePipeline.Result(read.usage().filter(row -> days.contains(row._1().folderDay())), stats);
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "memory"})
  void keepsWhatItStoresPerDay(String kind) throws IOException {
    DayStateStore store = store(kind);
    UsagePipeline.Result read = read(5);
    store.store(Set.of("2026-11-02", "2026-11-03"), read);

    // files: the files read and rejected of the day
    assertEquals(Map.of("2026-11-02", 6L, "2026-11-03", 6L), store.storedDays());
    UsagePipeline.Result loaded = store.load(Set.of("2026-11-02", "2026-11-03"));
    UsagePipeline.Result expected = only(read, Set.of("2026-11-02", "2026-11-03"));
    assertEquals(rows(expected), rows(loaded));
    assertEquals(counters(expected), counters(loaded));
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "memory"})
  void aStoreReplacesTheDaysItStores(String kind) throws IOException {
    DayStateStore store = store(kind);
    store.store(Set.of("2026-11-02", "2026-11-03"), read(5));
    UsagePipeline.Result again = read(7);
    store.store(Set.of("2026-11-03"), again);

    assertEquals(Map.of("2026-11-02", 6L, "2026-11-03", 8L), store.storedDays());
    UsagePipeline.Result loaded = store.load(Set.of("2026-11-03"));
    assertEquals(rows(only(again, Set.of("2026-11-03"))), rows(loaded));
    assertEquals(counters(only(again, Set.of("2026-11-03"))), counters(loaded));
    assertEquals(rows(only(read(5), Set.of("2026-11-02"))), rows(store.load(Set.of("2026-11-02"))),
        "the day not stored again is as it was");
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "memory"})
  void eachLoadHandsOutCountersOfItsOwn(String kind) throws IOException {
    DayStateStore store = store(kind);
    store.store(Set.of("2026-11-02"), read(5));
    Function<UsagePipeline.Result, Long> filesRead = r -> r.stats().get(new DayKey("2026-11-02", DayKey.FILES))
        .counter("files.read");
    // A union merges counters into the first result's: that must not reach the store.
    UsagePipeline.Result first = store.load(Set.of("2026-11-02"));
    first.union(read(100));

    assertEquals(5L, filesRead.apply(store.load(Set.of("2026-11-02"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "memory"})
  void nothingToStoreOrLoadIsNothing(String kind) throws IOException {
    DayStateStore store = store(kind);
    store.store(Set.of(), read(5));

    assertEquals(Map.of(), store.storedDays());
    UsagePipeline.Result loaded = store.load(Set.of());
    assertTrue(rows(loaded).isEmpty());
    assertTrue(loaded.stats().isEmpty());
    assertThrows(IOException.class, () -> store.load(Set.of("2026-11-02")), "a day never stored");
  }
}
