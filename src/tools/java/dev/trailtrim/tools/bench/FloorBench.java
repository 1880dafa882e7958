package dev.trailtrim.tools.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The per-core floor: no Spark, each thread gunzips its share of the files and runs Jackson's
 * streaming parser over every token, keeping the same three fields the Spark jobs group by
 * (session issuer ARN, eventSource, eventName) and counting calls per group in a hash map. With
 * {@code --cores 1} a single thread; with N, N threads over interleaved shares of the files.
 * Nothing a real job must do beyond that (records kept as objects, translation, accounting) is
 * done, so this is what one core can do at best with gzip and Jackson.
 *
 * <p>Usage: {@code FloorBench --corpus DIR --cores N}
 */
public final class FloorBench {

  private static final JsonFactory JSON = new JsonFactory();

  private FloorBench() {}

  public static void main(String[] args) throws Exception {
    BenchRun run = BenchRun.start("floor", args);
    run.startPhase();
    List<Path> files = corpusFiles(run.corpus.awsLogs());
    Map<String, long[]> total = pass(files, run.cores);
    run.endPhase();
    long records = total.values().stream().mapToLong(c -> c[0]).sum();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("groups", total.size());
    extra.putAll(warmPass(() -> pass(files, run.cores).size()));
    run.finish(records, extra);
  }

  /** The corpus's log files in a stable order. */
  static List<Path> corpusFiles(Path awsLogs) throws IOException {
    try (Stream<Path> walk = Files.walk(awsLogs)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".json.gz")).sorted().toList();
    }
  }

  /**
   * Runs {@code pass} once more, JIT-compiled by now, and reports its rates: the first, measured
   * pass of a short run pays for compilation, this one shows the steady state.
   */
  static Map<String, Object> warmPass(Callable<Integer> pass) throws Exception {
    return warmPass(pass, true);
  }

  /** @param record whether {@code -Dbench.jfr.warm} records this pass (of several, the last one) */
  static Map<String, Object> warmPass(Callable<Integer> pass, boolean record) throws Exception {
    // -Dbench.jfr.warm=FILE records this pass alone: the steady state, without JIT warm-up.
    String jfr = record ? System.getProperty("bench.jfr.warm") : null;
    Recording recording = null;
    if (jfr != null && !jfr.isBlank()) {
      recording = new Recording(Configuration.getConfiguration("profile"));
      recording.setDestination(Paths.get(jfr));
      recording.start();
    }
    long wall = System.nanoTime();
    long cpu = BenchRun.processCpuNanos();
    pass.call();
    if (recording != null) {
      recording.stop();
      recording.close();
    }
    Map<String, Object> rates = new LinkedHashMap<>();
    rates.put("warm_wall_s", BenchRun.fmt((System.nanoTime() - wall) / 1e9));
    rates.put("warm_cpu_s", BenchRun.fmt((BenchRun.processCpuNanos() - cpu) / 1e9));
    return rates;
  }

  private static Map<String, long[]> pass(List<Path> files, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Map<String, long[]>>> shares = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        shares.add(pool.submit(() -> {
          Map<String, long[]> counts = new HashMap<>();
          for (int i = first; i < files.size(); i += threads) {
            read(files.get(i), counts);
          }
          return counts;
        }));
      }
      Map<String, long[]> total = new HashMap<>();
      for (Future<Map<String, long[]>> share : shares) {
        share.get().forEach((key, count) -> total.computeIfAbsent(key, k -> new long[1])[0] += count[0]);
      }
      return total;
    } finally {
      pool.shutdown();
    }
  }

  private static void read(Path file, Map<String, long[]> counts) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 64 * 1024);
        JsonParser parser = JSON.createParser(in)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, file);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        if (parser.currentName().equals("Records") && parser.nextToken() == JsonToken.START_ARRAY) {
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            record(parser, counts);
          }
        } else {
          parser.nextToken();
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** One record; the parser is on its START_OBJECT and ends on its END_OBJECT. */
  private static void record(JsonParser parser, Map<String, long[]> counts) throws IOException {
    String source = null;
    String name = null;
    String role = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "eventSource" -> source = parser.getText();
        case "eventName" -> name = parser.getText();
        case "userIdentity" -> role = value == JsonToken.START_OBJECT ? issuerArn(parser) : null;
        default -> parser.skipChildren();
      }
    }
    counts.computeIfAbsent(role + "|" + source + "|" + name, k -> new long[1])[0]++;
  }

  /** userIdentity.sessionContext.sessionIssuer.arn; the parser ends on userIdentity's END_OBJECT. */
  private static String issuerArn(JsonParser parser) throws IOException {
    String arn = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("sessionContext") && value == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String inner = parser.currentName();
          JsonToken innerValue = parser.nextToken();
          if (inner.equals("sessionIssuer") && innerValue == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String issuerField = parser.currentName();
              parser.nextToken();
              if (issuerField.equals("arn")) {
                arn = parser.getText();
              } else {
                parser.skipChildren();
              }
            }
          } else {
            parser.skipChildren();
          }
        }
      } else {
        parser.skipChildren();
      }
    }
    return arn;
  }

  private static void expect(JsonToken actual, JsonToken expected, Path file) throws IOException {
    if (actual != expected) {
      throw new IOException(file + " starts with " + actual + ", expected " + expected + " ({\"Records\":[...]})");
    }
  }
}
