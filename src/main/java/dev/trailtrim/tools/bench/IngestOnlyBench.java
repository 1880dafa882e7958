package dev.trailtrim.tools.bench;

import dev.trailtrim.aggregate.UsageKey;
import dev.trailtrim.aggregate.UsageStats;
import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.FileIngestor;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.model.ObservationWindow;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * them to {@link FileIngestor} (gunzip, parse, window, attribution, translation, accounting) with
 * the same task-local map as {@code UsagePipeline}'s tasks. Between the floor and the trailtrim
 * job, it tells trailtrim's own cost per record from what Spark adds (tasks, shuffle, results).
 * The IAM catalog and rules are loaded inside the measured phase, as a read task does.
 *
 * <p>Usage: {@code IngestOnlyBench --corpus DIR --cores N}
 */
public final class IngestOnlyBench {

  private IngestOnlyBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("ingest-only", args);
    ObservationWindow window = new ObservationWindow(run.corpus.from(), run.corpus.to());
    run.startPhase();
    long loading = System.nanoTime();
    EventTranslator translator = EventTranslator.create(IamCatalog.loadDefault());
    double catalogSeconds = (System.nanoTime() - loading) / 1e9;
    List<Path> files = FloorBench.corpusFiles(run.corpus.awsLogs());
    IngestStats stats = new IngestStats(20);
    int keys = pass(files, run.cores, translator, window, stats);
    run.endPhase();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("usage_keys", keys);
    extra.put("catalog_s", BenchRun.fmt(catalogSeconds));
    extra.putAll(FloorBench.warmPass(() -> pass(files, run.cores, translator, window, new IngestStats(20))));
    run.finish(stats.counter("records.read"), extra);
  }

  /** One pass over every file; returns the number of usage keys (role, action, resource, outcome). */
  private static int pass(List<Path> files, int threads, EventTranslator translator, ObservationWindow window,
      IngestStats total) throws Exception {
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
          FileIngestor ingestor = new FileIngestor(translator, window, Long.MAX_VALUE);
          // The sink of UsagePipeline's read tasks.
          FileIngestor.UsageSink sink = (role, access, errorCode, time) -> usage.merge(
              new UsageKey(role, access.action().toString(), access.resource(), errorCode == null ? "" : errorCode),
              UsageStats.of(time), UsageStats::merge);
          for (int i = first; i < files.size(); i += threads) {
            Path file = files.get(i);
            ingestor.ingest(file.toString(), Files.readAllBytes(file), stats, sink);
          }
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
