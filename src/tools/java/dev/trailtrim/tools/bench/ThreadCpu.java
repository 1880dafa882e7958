package dev.trailtrim.tools.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads by kind, from {@code /proc/self/task/<tid>/stat} (Linux only;
 * empty elsewhere): the JIT compiler threads ({@code jit}) and the garbage collector's ({@code gc}).
 * A short benchmark spends a large share of its CPU compiling, which a longer run spreads thinner;
 * seeing it apart tells a fixed cost from a per-record one. Threads that end within the phase drop
 * out of the count, which the compiler and GC threads do not do.
 */
final class ThreadCpu {

  /** Clock ticks per second of {@code /proc} times (USER_HZ, 100 on every Linux in use). */
  private static final double TICKS_PER_SECOND = 100.0;

  private ThreadCpu() {}

  /** Ticks (user + system) per thread kind now; empty when {@code /proc/self/task} is not there. */
  static Map<String, Long> ticksByGroup() {
    Map<String, Long> ticks = new TreeMap<>();
    Path tasks = Paths.get("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return ticks;
    }
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        String stat;
        try {
          stat = Files.readString(thread.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String group = group(stat.substring(open + 1, close));
        if (group == null) {
          continue;
        }
        // Fields after the name: state is the 3rd field of the line, utime the 14th, stime the 15th.
        String[] rest = stat.substring(close + 2).split(" ");
        ticks.merge(group, Long.parseLong(rest[11]) + Long.parseLong(rest[12]), Long::sum);
      }
    } catch (IOException e) {
      return Map.of();
    }
    return ticks;
  }

  /** The ticks spent per kind since {@code start}. */
  static Map<String, Long> since(Map<String, Long> start) {
    Map<String, Long> now = ticksByGroup();
    Map<String, Long> spent = new TreeMap<>();
    now.forEach((group, ticks) -> spent.put(group, ticks - start.getOrDefault(group, 0L)));
    return spent;
  }

  static double seconds(long ticks) {
    return ticks / TICKS_PER_SECOND;
  }

  /** The kind of a thread by its (15-character) kernel name; null for the application's own threads. */
  private static String group(String name) {
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
      return "jit";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
      return "gc";
    }
    return null;
  }
}
