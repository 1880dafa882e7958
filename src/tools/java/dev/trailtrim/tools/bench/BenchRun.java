package dev.trailtrim.tools.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.trailtrim.aggregate.SparkSerialization;
import dev.trailtrim.tools.BenchCorpusGenerator;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.ParseException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.spark.sql.SparkSession;

/**
 * What every bench job shares: its two flags ({@code --corpus DIR --cores N}), the corpus
 * manifest, the measurement (wall and process CPU time of the measured phase, peak heap and peak
 * resident memory of the whole JVM) and the one result line {@code scripts/bench.sh} parses:
 * {@code BENCH job=... cores=... records=... wall_s=... ...}.
 *
 * <p>Peak heap: the larger of (a) the heap in use just before each collection, summed over the
 * heap pools, from the GC notifications of the {@code GarbageCollectorMXBean}s, and (b) the heap
 * in use sampled every 5 ms from the {@code MemoryMXBean}. Between collections the heap only grows,
 * so (a) catches the true peaks and (b) covers a peak after the last collection. Peak resident
 * memory is the kernel's VmHWM (heap, metaspace, thread stacks and direct buffers together).
 *
 * <p>With {@code -Dbench.jfr=FILE} the measured phase, and only it, is recorded with JFR's
 * {@code profile} settings into FILE (read it with {@link JfrSummary}).
 */
final class BenchRun {

  /** The corpus as {@link BenchCorpusGenerator} described it in its manifest. */
  record Corpus(Path root, long files, long records, long uncompressedBytes, long compressedBytes,
      LocalDate from, LocalDate to) {

    static Corpus load(Path root) throws IOException {
      Path manifest = root.resolve(BenchCorpusGenerator.MANIFEST);
      if (!Files.isRegularFile(manifest)) {
        throw new IllegalArgumentException("No " + BenchCorpusGenerator.MANIFEST + " in " + root
            + ": generate a corpus first (scripts/bench.sh does, or BenchCorpusGenerator --out " + root + ")");
      }
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(manifest)) {
        p.load(in);
      }
      return new Corpus(root, Long.parseLong(p.getProperty("files")), Long.parseLong(p.getProperty("records")),
          Long.parseLong(p.getProperty("uncompressedBytes")), Long.parseLong(p.getProperty("compressedBytes")),
          LocalDate.parse(p.getProperty("from")), LocalDate.parse(p.getProperty("to")));
    }

    Path awsLogs() {
      return root.resolve("AWSLogs");
    }
  }

  final String job;
  final int cores;
  final Corpus corpus;
  private final AtomicLong peakHeap = new AtomicLong();
  private long phaseStartNanos;
  private long phaseStartCpu;
  private double setupSeconds;
  private Recording recording;
  private long phaseWallNanos = -1;
  private long phaseCpuNanos;
  private Map<String, Long> phaseStartThreadTicks = Map.of();
  private Map<String, Long> phaseThreadTicks = Map.of();

  private BenchRun(String job, int cores, Corpus corpus) {
    this.job = job;
    this.cores = cores;
    this.corpus = corpus;
    watchHeap();
  }

  /** Parses {@code --corpus DIR --cores N}; exits with code 2 on a bad command line. */
  static BenchRun start(String job, String[] args) throws IOException {
    Path corpus = Paths.get("bench-data");
    int cores = 1;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        usage(job, "Flag " + flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--corpus" -> corpus = Paths.get(value);
        case "--cores" -> {
          try {
            cores = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            usage(job, "--cores must be a whole number, got '" + value + "'");
          }
          if (cores < 1) {
            usage(job, "--cores must be at least 1, got " + cores);
          }
        }
        default -> usage(job, "Unknown flag '" + flag + "'");
      }
    }
    return new BenchRun(job, cores, Corpus.load(corpus));
  }

  private static void usage(String job, String message) {
    System.err.println(message + ". Usage: " + job + " --corpus DIR --cores N");
    System.exit(2);
  }

  /** A local Spark session as scripts/run-local.sh makes one, with {@link #cores} cores. */
  SparkSession spark() {
    return SparkSerialization.configure(SparkSession.builder())
        .appName("bench-" + job)
        .master("local[" + cores + "]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  /** Starts the measured phase: everything before (JVM and Spark start) is reported as setup. */
  void startPhase() {
    String jfr = System.getProperty("bench.jfr");
    if (jfr != null && !jfr.isBlank()) {
      try {
        recording = new Recording(Configuration.getConfiguration("profile"));
        // Every compilation, not only those over a second: the JIT is half of a cold run's CPU.
        recording.enable("jdk.Compilation").withThreshold(java.time.Duration.ZERO);
        recording.setDestination(Paths.get(jfr));
        recording.start();
      } catch (IOException | ParseException e) {
        throw new IllegalStateException("Cannot start the JFR recording into " + jfr + ": " + e.getMessage(), e);
      }
    }
    phaseStartNanos = System.nanoTime();
    phaseStartCpu = processCpuNanos();
    phaseStartThreadTicks = ThreadCpu.ticksByGroup();
    setupSeconds = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
  }

  /**
   * Ends the measured phase (and its JFR recording) without printing, for jobs that do more
   * afterwards, e.g. a second, warm pass reported as an extra field. Idempotent.
   */
  void endPhase() {
    if (phaseWallNanos >= 0) {
      return;
    }
    phaseWallNanos = System.nanoTime() - phaseStartNanos;
    phaseCpuNanos = processCpuNanos() - phaseStartCpu;
    phaseThreadTicks = ThreadCpu.since(phaseStartThreadTicks);
    if (recording != null) {
      recording.stop();
      recording.close();
    }
  }

  long phaseStartNanos() {
    return phaseStartNanos;
  }

  /**
   * Ends the measured phase and prints the result line. {@code extra} adds job-specific fields
   * (no spaces in keys or values).
   */
  void finish(long records, Map<String, Object> extra) {
    endPhase();
    sampleHeap();
    double wall = phaseWallNanos / 1e9;
    double cpu = phaseCpuNanos / 1e9;
    StringBuilder line = new StringBuilder("BENCH");
    field(line, "job", job);
    field(line, "cores", cores);
    field(line, "files", corpus.files());
    field(line, "records", records);
    field(line, "records_ok", records == corpus.records());
    field(line, "setup_s", fmt(setupSeconds));
    field(line, "wall_s", fmt(wall));
    field(line, "cpu_s", fmt(cpu));
    field(line, "rec_per_s", fmt(records / wall));
    field(line, "mb_per_s", fmt(corpus.uncompressedBytes() / 1e6 / wall));
    field(line, "rec_per_cpu_s", fmt(records / Math.max(cpu, 1e-9)));
    field(line, "peak_heap_mb", Math.round(peakHeap.get() / 1e6));
    field(line, "max_heap_mb", Math.round(Runtime.getRuntime().maxMemory() / 1e6));
    field(line, "peak_rss_mb", peakRssMb());
    // What of the CPU time is the JVM's own (JIT compiler and GC threads): fixed costs a longer run spreads thinner.
    phaseThreadTicks.forEach((group, ticks) -> field(line, "cpu_" + group + "_s", fmt(ThreadCpu.seconds(ticks))));
    extra.forEach((key, value) -> field(line, key, value));
    System.out.println(line);
    System.out.flush();
  }

  private static void field(StringBuilder line, String key, Object value) {
    line.append(' ').append(key).append('=').append(String.valueOf(value).replace(' ', '_'));
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private void watchHeap() {
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long before = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
              if (heapPools.contains(pool.getKey())) {
                before += pool.getValue().getUsed();
              }
            }
            peakHeap.accumulateAndGet(before, Math::max);
          }
        }, null, null);
      }
    }
    Thread sampler = new Thread(() -> {
      while (true) {
        sampleHeap();
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sampleHeap() {
    peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
  }

  /** The JVM's peak resident set (VmHWM) in MB, or -1 where /proc is not there. */
  private static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024 / 1e6);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
