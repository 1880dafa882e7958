package dev.trailtrim.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a large synthetic CloudTrail corpus for {@code scripts/bench.sh}, in the layout a trail
 * delivers ({@code AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_
 * <yyyyMMdd>T<HHmm>Z_<16 chars>.json.gz}, each file one {@code {"Records":[...]}} line), over
 * several accounts, regions and days, with file sizes spread log-uniformly (many small files,
 * a few large ones), thousands of Lambda execution roles and a high-cardinality resource mix.
 * Also writes {@value #MANIFEST} (what was written, sorted keys) for the bench jobs.
 *
 * <p>The same options give byte-identical files: the plan is drawn from the seed in order, and
 * each file's content from a random stream of its own, so the thread count does not matter.
 * Sizes are uncompressed bytes, in decimal megabytes (10^6).
 */
public final class BenchCorpusGenerator {

  public static final long DEFAULT_SEED = 20261101L;
  public static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
  public static final String MANIFEST = "corpus.properties";
  static final long MB = 1_000_000L;
  private static final Set<String> OUTPUT_ENTRIES = Set.of("AWSLogs", MANIFEST);
  private static final String USAGE =
      "Usage: BenchCorpusGenerator [--uncompressed-mb N (2048)] [--out DIR (bench-data)]"
          + " [--seed N] [--days N (7)] [--accounts N (6)] [--roles N (3000)] [--min-file-kb N (6)]"
          + " [--max-file-kb N (2000)] [--threads N (all cores)]";

  private BenchCorpusGenerator() {}

  /**
   * @param uncompressedBytes total JSON to write; each file ends at the record boundary nearest its
   *                          planned size, so the total is off by less than half a record per file
   * @param minFileBytes      smallest file, uncompressed (a file always holds at least one record)
   * @param maxFileBytes      largest file, uncompressed; sizes in between are log-uniform
   */
  public record Options(long seed, long uncompressedBytes, Path out, int days, int accounts, int roles,
      int minFileBytes, int maxFileBytes, int threads) {

    public Options {
      if (uncompressedBytes < 1) {
        throw new IllegalArgumentException("Corpus size must be at least 1 byte, got " + uncompressedBytes);
      }
      if (days < 1 || days > 366) {
        throw new IllegalArgumentException("--days must be 1..366, got " + days);
      }
      if (accounts < 1 || accounts > 100) {
        throw new IllegalArgumentException("--accounts must be 1..100, got " + accounts);
      }
      if (roles < 1) {
        throw new IllegalArgumentException("--roles must be at least 1, got " + roles);
      }
      if (minFileBytes < 1 || maxFileBytes < minFileBytes || maxFileBytes > 256 * 1024 * 1024) {
        throw new IllegalArgumentException("File sizes must satisfy 0 < min <= max <= 256 MiB, got min "
            + minFileBytes + " and max " + maxFileBytes + " bytes: check --min-file-kb and --max-file-kb");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
      }
    }

    /** The defaults of the command line, writing {@code megabytes} of JSON into {@code out}. */
    public static Options defaults(Path out, long megabytes) {
      return new Options(DEFAULT_SEED, megabytes * MB, out, 7, 6, 3000, 6_000, 2_000_000,
          Runtime.getRuntime().availableProcessors());
    }
  }

  /** What a generation wrote; gzip sizes are of the files as stored. */
  public record Summary(int files, long records, long uncompressedBytes, long compressedBytes, int roles,
      LocalDate from, LocalDate to, long smallestGzipBytes, long medianGzipBytes, long largestGzipBytes) {}

  /** One file of the plan: where it goes and the random stream its records come from. */
  private record FilePlan(String path, int account, int region, String day, int minute, int targetBytes, long seed) {}

  public static void main(String[] args) throws IOException {
    Path out = Paths.get("bench-data");
    Options defaults = Options.defaults(out, 2048);
    long seed = defaults.seed();
    long megabytes = 2048;
    int days = defaults.days();
    int accounts = defaults.accounts();
    int roles = defaults.roles();
    int minKb = defaults.minFileBytes() / 1000;
    int maxKb = defaults.maxFileBytes() / 1000;
    int threads = defaults.threads();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--uncompressed-mb" -> megabytes = number(args, ++i, flag);
        case "--out" -> out = Paths.get(value(args, ++i, flag));
        case "--seed" -> seed = number(args, ++i, flag);
        case "--days" -> days = (int) number(args, ++i, flag);
        case "--accounts" -> accounts = (int) number(args, ++i, flag);
        case "--roles" -> roles = (int) number(args, ++i, flag);
        case "--min-file-kb" -> minKb = (int) number(args, ++i, flag);
        case "--max-file-kb" -> maxKb = (int) number(args, ++i, flag);
        case "--threads" -> threads = (int) number(args, ++i, flag);
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        default -> fail("Unknown flag '" + flag + "'");
      }
    }
    Options options;
    try {
      options = new Options(seed, megabytes * MB, out, days, accounts, roles, minKb * 1000, maxKb * 1000, threads);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
      return;
    }
    long started = System.nanoTime();
    Summary s = generate(options);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "Wrote %d files, %d records, %.1f MB uncompressed (%.1f MB gzip'd; files %.1f KB"
        + " .. median %.1f KB .. %.1f KB gzip'd), %d roles, %s..%s, to %s in %.1f s%n",
        s.files(), s.records(), s.uncompressedBytes() / 1e6, s.compressedBytes() / 1e6, s.smallestGzipBytes() / 1e3,
        s.medianGzipBytes() / 1e3, s.largestGzipBytes() / 1e3, s.roles(), s.from(), s.to(),
        out.toAbsolutePath().normalize(), seconds);
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      fail("Flag " + flag + " needs a value");
    }
    return args[index];
  }

  private static long number(String[] args, int index, String flag) {
    String text = value(args, index, flag);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      fail(flag + " must be a whole number, got '" + text + "'");
      return 0;
    }
  }

  private static void fail(String message) {
    System.err.println(message + ". " + USAGE);
    System.exit(2);
  }

  /** Deletes a previous corpus in {@code options.out()} and writes a new one. */
  public static Summary generate(Options options) throws IOException {
    BenchRecords world = new BenchRecords(options.seed(), options.accounts(), options.roles());
    List<FilePlan> plan = plan(options, world);
    GeneratedOutput.clear(options.out(), OUTPUT_ENTRIES, "BenchCorpusGenerator",
        "Pass --out with an empty folder or a previous corpus.");
    Files.createDirectories(options.out());

    long[] records = new long[plan.size()];
    long[] uncompressed = new long[plan.size()];
    long[] compressed = new long[plan.size()];
    int threads = Math.min(options.threads(), plan.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> stripes = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        stripes.add(pool.submit(() -> {
          BenchRecords.Json json = new BenchRecords.Json(options.maxFileBytes() + 64 * 1024);
          for (int i = first; i < plan.size(); i += threads) {
            long[] written = write(options.out(), plan.get(i), world, json);
            records[i] = written[0];
            uncompressed[i] = written[1];
            compressed[i] = written[2];
          }
          return null;
        }));
      }
      for (Future<?> stripe : stripes) {
        stripe.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while writing the corpus", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    long[] sortedGzip = compressed.clone();
    Arrays.sort(sortedGzip);
    Summary summary = new Summary(plan.size(), Arrays.stream(records).sum(), Arrays.stream(uncompressed).sum(),
        Arrays.stream(compressed).sum(), options.roles(), FIRST_DAY, FIRST_DAY.plusDays(options.days() - 1L),
        sortedGzip[0], sortedGzip[sortedGzip.length / 2], sortedGzip[sortedGzip.length - 1]);
    writeManifest(options, summary);
    return summary;
  }

  /** Draws every file's place, time, size and seed in order, so the plan depends on the seed alone. */
  private static List<FilePlan> plan(Options options, BenchRecords world) {
    SplittableRandom rnd = new SplittableRandom(options.seed() * 31 + 17);
    double logMin = Math.log(options.minFileBytes());
    double logMax = Math.log(options.maxFileBytes());
    List<FilePlan> plan = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    long planned = 0;
    while (planned < options.uncompressedBytes()) {
      int target = (int) Math.round(Math.exp(logMin + rnd.nextDouble() * (logMax - logMin)));
      target = (int) Math.max(options.minFileBytes(), Math.min(target, options.uncompressedBytes() - planned));
      planned += target;
      int account = BenchRecords.skewed(rnd, options.accounts());
      int region = world.regionIndex(rnd);
      LocalDate day = FIRST_DAY.plusDays(rnd.nextInt(options.days()));
      // Delivered at least 6 minutes into the day, so its last 5 minutes of records are that day's.
      int minute = 6 + rnd.nextInt(24 * 60 - 6);
      String accountId = world.accounts[account];
      String regionName = BenchRecords.REGIONS[region];
      String path;
      do {
        path = String.format(Locale.ROOT,
            "AWSLogs/%s/CloudTrail/%s/%04d/%02d/%02d/%s_CloudTrail_%s_%04d%02d%02dT%02d%02dZ_%s.json.gz",
            accountId, regionName, day.getYear(), day.getMonthValue(), day.getDayOfMonth(), accountId, regionName,
            day.getYear(), day.getMonthValue(), day.getDayOfMonth(), minute / 60, minute % 60,
            BenchRecords.alnum(rnd, 16, false));
      } while (!paths.add(path));
      plan.add(new FilePlan(path, account, region, day.toString(), minute, target, rnd.nextLong()));
    }
    return plan;
  }

  /** Writes one file; returns {records, uncompressed bytes, gzip'd bytes}. */
  private static long[] write(Path out, FilePlan file, BenchRecords world, BenchRecords.Json json) {
    SplittableRandom rnd = new SplittableRandom(file.seed());
    json.reset();
    json.begin().beginArray("Records");
    long records = 0;
    int end = file.minute() * 60;
    while (true) {
      int before = json.out.length();
      // The five minutes before delivery, as CloudTrail batches them.
      world.record(json, rnd, file.account(), file.region(), file.day(), end - 300 + rnd.nextInt(300));
      records++;
      int after = json.out.length();
      if (after >= file.targetBytes()) {
        // End at the record boundary nearest the planned size, so small files do not add up to more.
        if (records > 1 && after - file.targetBytes() > file.targetBytes() - before) {
          json.out.setLength(before);
          records--;
        }
        break;
      }
    }
    json.endArray().end();
    byte[] content = ascii(json.out);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length / 4 + 64);
    // GZIPOutputStream writes no modification time or name: the same content gives the same bytes.
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path target = out.resolve(file.path());
      Files.createDirectories(target.getParent());
      Files.write(target, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file.path() + " under " + out, e);
    }
    return new long[] {records, content.length, bytes.size()};
  }

  private static byte[] ascii(StringBuilder text) {
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) text.charAt(i);
    }
    return bytes;
  }

  private static void writeManifest(Options options, Summary summary) throws IOException {
    TreeMap<String, String> entries = new TreeMap<>();
    entries.put("accounts", Integer.toString(options.accounts()));
    entries.put("compressedBytes", Long.toString(summary.compressedBytes()));
    entries.put("files", Integer.toString(summary.files()));
    entries.put("from", summary.from().toString());
    entries.put("maxFileBytes", Integer.toString(options.maxFileBytes()));
    entries.put("minFileBytes", Integer.toString(options.minFileBytes()));
    entries.put("records", Long.toString(summary.records()));
    entries.put("roles", Integer.toString(summary.roles()));
    entries.put("seed", Long.toString(options.seed()));
    entries.put("to", summary.to().toString());
    entries.put("uncompressedBytes", Long.toString(summary.uncompressedBytes()));
    StringBuilder text =
        new StringBuilder("# Written by BenchCorpusGenerator: what this corpus holds (sizes in bytes).\n");
    entries.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Files.writeString(options.out().resolve(MANIFEST), text.toString(), StandardCharsets.UTF_8);
  }

}
