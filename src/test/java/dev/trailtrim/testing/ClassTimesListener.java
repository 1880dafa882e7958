package dev.trailtrim.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Writes each top-level test class's wall time, this JVM's CPU time and its finished child processes'
 * CPU time (the AWS CLI, child JVMs) to {@code target/test-times.tsv}, one line per class with the load
 * average at its end. On a machine that others share, wall time says little about what a class costs;
 * CPU time says how much of two cores it needs. Registered through META-INF/services; never fails a test.
 * The CPU times are the whole JVM's: while classes run side by side (junit-platform.properties), they overlap.
 * Each line also has the class's start and end (epoch seconds) and the test JVM's pid: with two test JVMs, the
 * lines sorted by start show which classes held each JVM and which ran last.
 */
public final class ClassTimesListener implements TestExecutionListener {

  private static final Path TIMES = S3ProxyServer.targetDir().resolve("test-times.tsv");
  private static final Path PROC_SELF_STAT = Path.of("/proc/self/stat");
  private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
  /** Linux reports child CPU time in clock ticks, 100 a second on every common kernel configuration. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static final long JVM_STARTED_MILLIS = ManagementFactory.getRuntimeMXBean().getStartTime();

  private record Start(long epochMillis, long wallNanos, long cpuNanos, long childCpuNanos) {}

  private final Map<String, Start> started = new ConcurrentHashMap<>();

  @Override
  public void executionStarted(TestIdentifier test) {
    if (isTopLevelClass(test)) {
      started.put(test.getUniqueId(),
          new Start(System.currentTimeMillis(), System.nanoTime(), processCpuNanos(), childCpuNanos()));
    }
  }

  @Override
  public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
    Start start = started.remove(test.getUniqueId());
    if (start == null) {
      return;
    }
    String line = String.format(Locale.ROOT, "%s\t%.1f\t%.1f\t%.1f\t%s\t%s\t%.1f\t%.1f\t%d%n",
        ((ClassSource) test.getSource().orElseThrow()).getClassName(),
        (System.nanoTime() - start.wallNanos()) / 1e9, (processCpuNanos() - start.cpuNanos()) / 1e9,
        (childCpuNanos() - start.childCpuNanos()) / 1e9, loadAverage(), result.getStatus(),
        start.epochMillis() / 1e3, System.currentTimeMillis() / 1e3, ProcessHandle.current().pid());
    try {
      Files.createDirectories(TIMES.getParent());
      // A file older than this JVM is a previous run's: start it over (test JVMs running side by side append).
      if (!Files.exists(TIMES) || Files.getLastModifiedTime(TIMES).toMillis() < JVM_STARTED_MILLIS) {
        Files.writeString(TIMES, "class\twall_s\tcpu_s\tchild_cpu_s\tload1\tstatus\tstart_s\tend_s\tjvm\n",
            StandardCharsets.UTF_8);
      }
      Files.writeString(TIMES, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to " + TIMES + ": " + e.getMessage(), e);
    }
  }

  private static boolean isTopLevelClass(TestIdentifier test) {
    return test.isContainer() && test.getSource().orElse(null) instanceof ClassSource source
        && source.getJavaClass().getEnclosingClass() == null;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }

  /**
   * CPU time of this JVM's child processes: those that ended and were waited for (cutime + cstime of
   * this process), and every live descendant's so far (such as a server started once per JVM). 0 off Linux.
   */
  private static long childCpuNanos() {
    long ticks = ticks(PROC_SELF_STAT, 13);
    for (ProcessHandle descendant : ProcessHandle.current().descendants().toList()) {
      ticks += ticks(Path.of("/proc", Long.toString(descendant.pid()), "stat"), 11);
    }
    return ticks * NANOS_PER_TICK;
  }

  /**
   * Clock ticks from a /proc stat file: with {@code first} 11 a process's own and its waited-for children's
   * (utime, stime, cutime, cstime), with 13 the children's only.
   */
  private static long ticks(Path stat, int first) {
    try {
      String text = Files.readString(stat);
      // The fields after the command name (in parentheses, and it may hold spaces): utime is the 12th of them.
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      long sum = 0;
      for (int i = first; i <= 14; i++) {
        sum += Long.parseLong(fields[i]);
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(LOAD_AVERAGE).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
