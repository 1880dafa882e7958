package dev.trailtrim.tools.bench;

import dev.trailtrim.aggregate.DayKey;
import dev.trailtrim.aggregate.UsageKey;
import dev.trailtrim.aggregate.UsageStats;
import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.FileIngestor;
import dev.trailtrim.ingest.IngestStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * trailtrim's per-record work without Spark: each thread reads its share of the files and hands
 * them to {@link FileIngestor} (gunzip, parse, attribution, translation, accounting) with the
 * same task-local maps (usage, and counters per day) as {@code UsagePipeline}'s tasks. Between
 * the floor and the trailtrim job, it tells trailtrim's own cost per record from what Spark adds
 * (tasks, shuffle, results).
 * The IAM catalog and rules are loaded inside the measured phase, as a read task does.
 *
 * <p>Usage: {@code IngestOnlyBench --corpus DIR --cores N}
 */
public final class IngestOnlyBench {

  private IngestOnlyBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("ingest-only", args);
    run.startPhase();
    long loading = System.nanoTime();
    EventTranslator translator = EventTranslator.create(IamCatalog.loadDefault());
    double catalogSeconds = (System.nanoTime() - loading) / 1e9;
    List<Path> files = FloorBench.corpusFiles(run.corpus.awsLogs());
    IngestStats stats = new IngestStats(20);
    int keys = pass(files, run.cores, translator, stats);
    run.endPhase();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("usage_keys", keys);
    extra.put("catalog_s", BenchRun.fmt(catalogSeconds));
    extra.putAll(FloorBench.warmPass(() -> pass(files, run.cores, translator, new IngestStats(20))));
    run.finish(stats.counter("records.read"), extra);
  }

  /** The UTC day of an event, as UsagePipeline keys it. */
  private static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  /** One pass over every file; returns the number of usage keys (days, role, action, resource, outcome). */
  private static int pass(List<Path> files, int threads, EventTranslator translator, IngestStats total)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Map<UsageKey, UsageStats>>> shares = new ArrayList<>();
      List<IngestStats> statsOfShares = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        IngestStats stats = new IngestStats(20);
        statsOfShares.add(stats);
        shares.add(pool.submit(() -> {
          Map<UsageKey, UsageStats> usage = new HashMap<>();
          Map<DayKey, IngestStats> byDay = new HashMap<>();
          // No window while reading, as in UsagePipeline: per-day states are windowed afterwards.
          FileIngestor ingestor = new FileIngestor(translator, null, Long.MAX_VALUE);
          // The sink and key of UsagePipeline's read tasks; the folder day is that of the file.
          String[] folderDay = {""};
          FileIngestor.UsageSink sink = (role, access, errorCode, time) -> usage.merge(
              new UsageKey(folderDay[0], day(time), role, access.action().toString(), access.resource(),
                  errorCode == null ? "" : errorCode),
              UsageStats.of(time), UsageStats::merge);
          for (int i = first; i < files.size(); i += threads) {
            Path file = files.get(i);
            folderDay[0] = CloudTrailFiles.folderDay(file.toUri().toString());
            // UsagePipeline's router: file counters per folder day, record counters per event day.
            FileIngestor.StatsRouter router = new FileIngestor.StatsRouter() {
              @Override
              public IngestStats files() {
                return byDay.computeIfAbsent(new DayKey(folderDay[0], DayKey.FILES), k -> new IngestStats(20));
              }

              @Override
              public IngestStats records(long eventTimeMillis) {
                return byDay.computeIfAbsent(new DayKey(folderDay[0], day(eventTimeMillis)), k -> new IngestStats(20));
              }
            };
            ingestor.ingest(file.toString(), Files.readAllBytes(file), router, sink);
          }
          byDay.values().forEach(stats::merge);
          return usage;
        }));
      }
      Map<UsageKey, UsageStats> merged = new HashMap<>();
      for (Future<Map<UsageKey, UsageStats>> share : shares) {
        share.get().forEach((key, value) -> merged.merge(key, value, UsageStats::merge));
      }
      statsOfShares.forEach(total::merge);
      return merged.size();
    } finally {
      pool.shutdown();
    }
  }
}
