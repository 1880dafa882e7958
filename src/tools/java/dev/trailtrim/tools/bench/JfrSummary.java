package dev.trailtrim.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Says where a JFR recording's CPU time went: method samples grouped into categories (gunzip,
 * JSON tokenising, JSON trees, translation, aggregation, serialization, Spark, Hadoop, ...), by
 * thread, and the hottest leaf methods; plus GC pauses and the CPU load the recording saw (how
 * much of the machine other processes took).
 *
 * <p>A sample's category is decided by the first frame from the top that is not JDK or Scala
 * plumbing (collections, strings, reflection): a {@code HashMap.merge} called by the pipeline's
 * sink counts as aggregation, a {@code String} built by Jackson as JSON. A few JDK packages are
 * categories of their own: {@code java.util.zip}, {@code java.util.regex}, {@code java.time},
 * Java serialization, class loading. Java samples are weighted by their 10 ms period and native
 * samples by 20 ms (JFR's {@code profile} settings, which {@code scripts/bench.sh --profile}
 * uses); only native samples of CPU work (inflating, file reads) count, not threads waiting in
 * native code.
 *
 * <p>Usage: {@code JfrSummary RECORDING.jfr [--top N] [--callers TEXT] [--inclusive TEXT,TEXT,...]};
 * {@code --callers} also prints the most frequent call paths (up to 14 frames) of samples with a
 * frame containing TEXT; {@code --inclusive} the share of samples with such a frame, per TEXT.
 */
public final class JfrSummary {

  private static final int JAVA_PERIOD_MS = 10;
  private static final int NATIVE_PERIOD_MS = 20;

  private JfrSummary() {}

  public static void main(String[] args) throws IOException {
    int top = 25;
    String callers = null;
    List<String> inclusive = List.of();
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--top" -> top = Integer.parseInt(args[i + 1]);
        case "--callers" -> callers = args[i + 1];
        case "--inclusive" -> inclusive = List.of(args[i + 1].split(","));
        default -> args = new String[0];
      }
    }
    if (args.length == 0 || args.length % 2 == 0) {
      System.err.println("Usage: JfrSummary RECORDING.jfr [--top N] [--callers TEXT] [--inclusive TEXT,TEXT,...]");
      System.exit(2);
    }
    System.out.print(summarise(Paths.get(args[0]), top, callers, inclusive));
  }

  static String summarise(Path recording, int top, String callers, List<String> inclusive) throws IOException {
    Map<String, Long> paths = new HashMap<>();
    Map<String, Long> byFrame = new HashMap<>();
    Map<String, Long> byCategory = new HashMap<>();
    Map<String, Long> byThread = new HashMap<>();
    Map<String, Long> byLeaf = new HashMap<>();
    long totalMs = 0;
    long gcCount = 0;
    long[] compiles = {Long.MAX_VALUE, Long.MIN_VALUE};
    long[] compileMillis = {Long.MAX_VALUE, Long.MIN_VALUE};
    Duration gcPause = Duration.ZERO;
    double jvmLoad = 0;
    double machineLoad = 0;
    int loadSamples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      String type = event.getEventType().getName();
      switch (type) {
        case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
          RecordedStackTrace stack = event.getStackTrace();
          if (stack == null || stack.getFrames().isEmpty()) {
            continue;
          }
          List<RecordedFrame> frames = stack.getFrames();
          boolean nativeSample = type.equals("jdk.NativeMethodSample");
          if (nativeSample && !isNativeWork(frames.get(0))) {
            continue;
          }
          long weight = nativeSample ? NATIVE_PERIOD_MS : JAVA_PERIOD_MS;
          totalMs += weight;
          byCategory.merge(category(frames), weight, Long::sum);
          RecordedThread thread = event.getThread("sampledThread");
          byThread.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), weight, Long::sum);
          byLeaf.merge(name(frames.get(0)), weight, Long::sum);
          for (String text : inclusive) {
            if (frames.stream().anyMatch(f -> name(f).contains(text))) {
              byFrame.merge("stacks with " + text, weight, Long::sum);
            }
          }
          if (callers != null && frames.stream().anyMatch(f -> name(f).contains(callers))) {
            StringBuilder path = new StringBuilder();
            for (RecordedFrame frame : frames.subList(0, Math.min(14, frames.size()))) {
              path.append("\n        ").append(name(frame)).append(':').append(frame.getLineNumber());
            }
            paths.merge(path.toString(), weight, Long::sum);
          }
        }
        case "jdk.GarbageCollection" -> {
          gcCount++;
          gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
        }
        case "jdk.CompilerStatistics" -> {
          // Cumulative since the JVM started: the recording's share is last minus first.
          long count = event.getLong("compileCount");
          long millis = event.getLong("totalTimeSpent");
          compiles[0] = Math.min(compiles[0], count);
          compiles[1] = Math.max(compiles[1], count);
          compileMillis[0] = Math.min(compileMillis[0], millis);
          compileMillis[1] = Math.max(compileMillis[1], millis);
        }
        case "jdk.CPULoad" -> {
          jvmLoad += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
          machineLoad += event.getFloat("machineTotal");
          loadSamples++;
        }
        default -> {}
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "JFR profile %s: %.1f s in samples (Java every %d ms, native every %d ms);"
        + " under CPU contention the sampler falls behind: read the shares, not the seconds%n",
        recording.getFileName(), totalMs / 1e3, JAVA_PERIOD_MS, NATIVE_PERIOD_MS));
    section(out, "by category (first frame beyond JDK/Scala plumbing)", byCategory, totalMs, 100);
    section(out, "by thread", byThread, totalMs, 8);
    section(out, "hottest leaf methods (self time)", byLeaf, totalMs, top);
    if (!inclusive.isEmpty()) {
      section(out, "inclusive (a sample can count under several)", byFrame, totalMs, inclusive.size());
    }
    if (callers != null) {
      section(out, "call paths through '" + callers + "'", paths, totalMs, 8);
    }
    out.append(String.format(Locale.ROOT, "GC: %d collections, %.2f s paused in total%n", gcCount,
        gcPause.toNanos() / 1e9));
    if (compiles[1] >= compiles[0]) {
      out.append(String.format(Locale.ROOT, "JIT: %d methods compiled, %.2f s in the compiler threads"
          + " (not in the samples above)%n", compiles[1] - compiles[0], (compileMillis[1] - compileMillis[0]) / 1e3));
    }
    if (loadSamples > 0) {
      out.append(String.format(Locale.ROOT, "CPU load while recording: this JVM %.0f%%, whole machine %.0f%%"
          + " (of all cores; the difference is other processes)%n", 100 * jvmLoad / loadSamples,
          100 * machineLoad / loadSamples));
    }
    return out.toString();
  }

  private static void section(StringBuilder out, String title, Map<String, Long> values, long total, int limit) {
    out.append("  ").append(title).append(":\n");
    List<Map.Entry<String, Long>> entries = new ArrayList<>(values.entrySet());
    entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    for (Map.Entry<String, Long> entry : entries.subList(0, Math.min(limit, entries.size()))) {
      out.append(String.format(Locale.ROOT, "    %5.1f%%  %7.2f s  %s%n", 100.0 * entry.getValue() / Math.max(1, total),
          entry.getValue() / 1e3, entry.getKey()));
    }
  }

  /** Native frames that burn CPU rather than wait. */
  private static boolean isNativeWork(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.startsWith("java.util.zip.") || type.equals("java.io.FileInputStream")
        || type.equals("java.io.RandomAccessFile") || type.equals("sun.nio.ch.FileDispatcherImpl")
        || type.equals("java.io.UnixFileSystem");
  }

  static String category(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      String category = categoryOf(type);
      if (category != null) {
        return category;
      }
    }
    return "other: " + packageOf(frames.get(0).getMethod().getType().getName());
  }

  /** The category a frame's class decides, or null for plumbing that says nothing by itself. */
  private static String categoryOf(String type) {
    if (type.startsWith("java.util.zip.")) {
      return "gunzip (java.util.zip)";
    }
    if (type.startsWith("java.util.regex.")) {
      return "regular expressions (java.util.regex)";
    }
    if (type.startsWith("java.time.")) {
      return "time parsing (java.time)";
    }
    if (type.startsWith("java.io.Object") || type.equals("java.io.ObjectStreamClass")) {
      return "Java serialization (task results, shuffle)";
    }
    if (type.startsWith("java.lang.ClassLoader") || type.startsWith("jdk.internal.loader.")
        || type.startsWith("java.net.URLClassLoader")) {
      return "class loading";
    }
    if (type.equals("java.io.FileInputStream") || type.startsWith("sun.nio.ch.File")) {
      return "file reads";
    }
    if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("scala.")
        || type.startsWith("com.sun.")) {
      return null;
    }
    if (type.startsWith("com.fasterxml.jackson.core.")) {
      return "JSON tokenising (jackson-core)";
    }
    if (type.startsWith("com.fasterxml.jackson.databind.")) {
      return "JSON trees (jackson-databind)";
    }
    if (type.startsWith("dev.trailtrim.ingest.CloudTrailFileParser")) {
      return "trailtrim: record building (CloudTrailFileParser)";
    }
    if (type.startsWith("dev.trailtrim.ingest.CloudTrailFiles")) {
      return "trailtrim: decode (CloudTrailFiles)";
    }
    if (type.startsWith("dev.trailtrim.ingest.IngestStats")) {
      return "trailtrim: accounting (IngestStats)";
    }
    if (type.startsWith("dev.trailtrim.catalog.")) {
      return "trailtrim: translation (catalog)";
    }
    if (type.startsWith("dev.trailtrim.aggregate.")) {
      return "trailtrim: task-local aggregation and reads (UsagePipeline)";
    }
    if (type.startsWith("dev.trailtrim.io.")) {
      return "trailtrim: file reads (HadoopFiles)";
    }
    if (type.startsWith("dev.trailtrim.")) {
      String pkg = packageOf(type);
      // A test class in the top package (a lambda's host class, say) has no subpackage to name.
      return pkg.length() > "dev.trailtrim.".length() ? "trailtrim: " + pkg.substring("dev.trailtrim.".length())
          : "trailtrim";
    }
    if (type.startsWith("org.apache.spark.sql.catalyst.json.")
        || type.startsWith("org.apache.spark.sql.execution.datasources.json.")) {
      return "Spark JSON reader/inference";
    }
    if (type.startsWith("org.codehaus.janino.") || type.startsWith("org.codehaus.commons.")) {
      return "Spark code generation (janino)";
    }
    if (type.startsWith("org.apache.spark.sql.catalyst.expressions.") || type.contains("GeneratedClass")
        || type.startsWith("org.apache.spark.sql.execution.")) {
      return "Spark SQL execution (generated code, operators)";
    }
    if (type.startsWith("org.apache.spark.shuffle.") || type.startsWith("org.apache.spark.storage.")
        || type.startsWith("org.apache.spark.util.collection.") || type.startsWith("org.apache.spark.serializer.")) {
      return "Spark shuffle, storage, serializers";
    }
    if (type.startsWith("org.apache.spark.")) {
      return "Spark scheduling, RPC, other";
    }
    if (type.startsWith("org.apache.hadoop.")) {
      return "Hadoop (file system, codecs, line reader)";
    }
    if (type.startsWith("org.apache.logging.") || type.startsWith("org.slf4j.")) {
      return "logging";
    }
    return "other: " + packageOf(type);
  }

  private static String packageOf(String type) {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static String threadGroup(String name) {
    return name == null ? "?" : name.replaceAll("[0-9]+", "#");
  }
}
