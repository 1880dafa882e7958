package dev.trailtrim.aggregate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.ingest.IngestStats;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The nightly state kept in the JVM, for tests that need a state without files. Each day keeps
 * the counters as {@link ParquetDayStateStore} writes them (so a load hands out fresh counters,
 * as a load from files does) and its usage rows, collected to the driver: small states only.
 */
public final class InMemoryDayStateStore implements DayStateStore {

  private record StoredDay(ObjectNode counters, List<Tuple2<UsageKey, UsageStats>> rows) {}

  private final SparkSession spark;
  private final int samplesPerReason;
  private final Map<String, StoredDay> days = new TreeMap<>();

  public InMemoryDayStateStore(SparkSession spark, int samplesPerReason) {
    this.spark = spark;
    this.samplesPerReason = samplesPerReason;
  }

  @Override
  public String location() {
    return "memory";
  }

  @Override
  public synchronized Map<String, Long> storedDays() {
    Map<String, Long> stored = new TreeMap<>();
    days.forEach((day, content) -> stored.put(day, content.counters().path("files").asLong()));
    return stored;
  }

  @Override
  public synchronized void store(Set<String> folderDays, UsagePipeline.Result read) {
    if (folderDays.isEmpty()) {
      return;
    }
    Set<String> toStore = new TreeSet<>(folderDays);
    Map<String, List<Tuple2<UsageKey, UsageStats>>> rowsPerDay = new TreeMap<>();
    toStore.forEach(day -> rowsPerDay.put(day, new ArrayList<>()));
    read.usage().filter(e -> toStore.contains(e._1().folderDay())).collect()
        .forEach(row -> rowsPerDay.get(row._1().folderDay()).add(row));
    for (String day : toStore) {
      ObjectNode counters = JsonNodeFactory.instance.objectNode();
      ParquetDayStateStore.putCounters(counters, read, day);
      days.put(day, new StoredDay(counters, List.copyOf(rowsPerDay.get(day))));
    }
  }

  @Override
  public synchronized UsagePipeline.Result load(Set<String> folderDays) throws FileNotFoundException {
    if (folderDays.isEmpty()) {
      return UsagePipeline.Result.empty(spark);
    }
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    List<Tuple2<UsageKey, UsageStats>> rows = new ArrayList<>();
    for (String day : folderDays) {
      StoredDay stored = days.get(day);
      if (stored == null) {
        // As a load from files fails on a day whose JSON is missing.
        throw new FileNotFoundException("The state has no day " + day);
      }
      ParquetDayStateStore.readCounters(stored.counters(), day, samplesPerReason, stats);
      rows.addAll(stored.rows());
    }
    return new UsagePipeline.Result(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelizePairs(rows),
        stats);
  }
}
