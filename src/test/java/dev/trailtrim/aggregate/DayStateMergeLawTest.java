package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.model.ObservationWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The merge law of the nightly state without Spark, over random calls (seeded): a window's usage
 * and counters from the days stored one by one (each its own state, the counters through the
 * stored JSON of {@link ParquetDayStateStore}) equal those of reading all the days at once, in
 * whatever order the days were stored; {@link UsageStats#merge} is associative and commutative.
 * The Spark side (the same law through {@link UsagePipeline}) is {@code UsagePipelineTest}'s.
 */
class DayStateMergeLawTest {

  private static final int CASES = Integer.getInteger("trailtrim.property.cases", 200);
  private static final int SAMPLES_PER_REASON = 3;
  private static final List<String> FOLDER_DAYS = List.of("2026-11-01", "2026-11-02", "2026-11-03");
  private static final long NOV_1 = LocalDate.of(2026, 11, 1).toEpochDay() * 86_400_000L;

  /** One call as the pipeline keys it: the folder it was delivered to, its event time, and what it was. */
  private record Call(String folderDay, long timeMillis, String role, String action, String resource,
      String errorCode) {

    String eventDay() {
      return LocalDate.ofEpochDay(Math.floorDiv(timeMillis, 86_400_000L)).toString();
    }
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static List<Call> randomCalls(Random random, String folderDay) {
    List<Call> calls = new ArrayList<>();
    for (int n = random.nextInt(40); n > 0; n--) {
      // Mostly the folder's own day, some late arrivals of the day before, a few of the day after.
      long day = LocalDate.parse(folderDay).toEpochDay() - LocalDate.of(2026, 11, 1).toEpochDay()
          + pick(random, List.of(0, 0, 0, -1, 1));
      calls.add(new Call(folderDay, NOV_1 + day * 86_400_000L + random.nextInt(86_400_000),
          pick(random, List.of("arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b")),
          pick(random, List.of("s3:GetObject", "s3:PutObject", "sqs:SendMessage")),
          pick(random, List.of("arn:aws:s3:::b/1", "arn:aws:s3:::b/2", "*")),
          pick(random, List.of("", "", "", "AccessDenied"))));
    }
    return calls;
  }

  /** A read of these calls: usage per key, as the pipeline's per-task maps and reduce make it. */
  private static Map<UsageKey, UsageStats> usage(List<Call> calls) {
    Map<UsageKey, UsageStats> usage = new TreeMap<>(java.util.Comparator.comparing(UsageKey::toString));
    for (Call call : calls) {
      usage.merge(new UsageKey(call.folderDay(), call.eventDay(), call.role(), call.action(), call.resource(),
          call.errorCode()), UsageStats.of(call.timeMillis()), UsageStats::merge);
    }
    return usage;
  }

  /** A read's counters by (folder day, event day), as the pipeline counts files and records. */
  private static Map<DayKey, IngestStats> counters(List<Call> calls, Random random) {
    Map<DayKey, IngestStats> slices = new TreeMap<>();
    for (Call call : calls) {
      slices.computeIfAbsent(new DayKey(call.folderDay(), DayKey.FILES), k -> new IngestStats(SAMPLES_PER_REASON))
          .increment("files.read");
      IngestStats records = slices.computeIfAbsent(new DayKey(call.folderDay(), call.eventDay()),
          k -> new IngestStats(SAMPLES_PER_REASON));
      records.increment("records.read");
      if (random.nextInt(5) == 0) {
        records.reject(SkipReason.RECORD_BAD_ARN, "s3://b/" + call.folderDay() + "/f" + random.nextInt(9), "bad");
      }
    }
    return slices;
  }

  /** The window's usage rows from a state, per day as stored (not yet summed: the view sums them). */
  private static List<WindowedUsage> windowRows(Map<UsageKey, UsageStats> state, ObservationWindow window) {
    List<WindowedUsage> rows = new ArrayList<>();
    state.forEach((key, stats) -> {
      if (window.contains(LocalDate.parse(key.eventDay()))) {
        rows.add(new WindowedUsage(key.roleArn(), key.action(), key.resource(), key.errorCode(), stats, 1));
      }
    });
    return rows;
  }

  /** The day's counters through the JSON the state keeps, read back as a load does. */
  private static Map<DayKey, IngestStats> storedAndLoaded(Map<DayKey, IngestStats> read, String day) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ParquetDayStateStore.putCounters(json, new UsagePipeline.Result(null, read), day);
    Map<DayKey, IngestStats> loaded = new TreeMap<>();
    ParquetDayStateStore.readCounters(json, day, SAMPLES_PER_REASON, loaded);
    return loaded;
  }

  @Test
  void theDaysStoredOneByOneGiveTheWindowOfReadingThemAtOnce() {
    Random random = new Random(20261204L);
    int merged = 0;
    for (int c = 0; c < CASES; c++) {
      ObservationWindow window = new ObservationWindow(LocalDate.of(2026, 11, 1 + random.nextInt(2)),
          LocalDate.of(2026, 11, 2 + random.nextInt(3)));
      List<Call> all = new ArrayList<>();
      List<Map<UsageKey, UsageStats>> dayStates = new ArrayList<>();
      List<Map<DayKey, IngestStats>> dayCounters = new ArrayList<>();
      Map<DayKey, IngestStats> allCounters = new TreeMap<>();
      for (String day : FOLDER_DAYS) {
        List<Call> calls = randomCalls(random, day);
        all.addAll(calls);
        dayStates.add(usage(calls));
        long seed = random.nextLong();
        dayCounters.add(storedAndLoaded(counters(calls, new Random(seed)), day));
        counters(calls, new Random(seed)).forEach((key, slice) -> allCounters.merge(key, slice, IngestStats::merge));
      }
      String context = "case " + c + " " + window;

      var atOnce = UsageWindow.byRole(windowRows(usage(all), window));
      List<WindowedUsage> stored = new ArrayList<>();
      dayStates.forEach(state -> stored.addAll(windowRows(state, window)));
      assertEquals(atOnce, UsageWindow.byRole(stored), context + ": usage");
      List<WindowedUsage> reversed = new ArrayList<>();
      for (int i = dayStates.size() - 1; i >= 0; i--) {
        reversed.addAll(windowRows(dayStates.get(i), window));
      }
      assertEquals(atOnce, UsageWindow.byRole(reversed), context + ": usage, days stored the other way round");

      Map<DayKey, IngestStats> loaded = new TreeMap<>();
      dayCounters.forEach(loaded::putAll);
      assertEquals(UsageWindow.stats(allCounters, window, SAMPLES_PER_REASON).toJson(),
          UsageWindow.stats(loaded, window, SAMPLES_PER_REASON).toJson(), context + ": counters");
      merged += stored.size() > atOnce.values().stream().mapToInt(r -> r.usages().size()).sum() ? 1 : 0;
    }
    assertTrue(merged > CASES / 2, "the same use on several days must be exercised, got " + merged);
  }

  @Test
  void usageStatsMergeIsAssociativeAndCommutative() {
    Random random = new Random(7L);
    for (int c = 0; c < 1_000; c++) {
      UsageStats a = random(random);
      UsageStats b = random(random);
      UsageStats d = random(random);
      assertEquals(a.merge(b).merge(d), a.merge(b.merge(d)), a + " " + b + " " + d);
      assertEquals(a.merge(b), b.merge(a), a + " " + b);
    }
  }

  private static UsageStats random(Random random) {
    long first = NOV_1 + random.nextInt(1_000_000);
    return new UsageStats(1 + random.nextInt(100), first, first + random.nextInt(1_000_000));
  }
}
