package dev.trailtrim.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a main class of the test class path in a JVM of its own, with the flags this JVM got
 * (Spark's {@code --add-opens}) and the build's system properties: for what only a second JVM
 * shows (its own identity hash codes, its own process to kill).
 */
public final class ChildJvm {

  private static final List<String> PROPERTIES = List.of("trailtrim.project.dir", "trailtrim.s3proxy.jar",
      "trailtrim.shared.data", "hadoop.tmp.dir");

  private ChildJvm() {}

  /**
   * A started JVM running {@code mainClass} with {@code args}; its stdout and stderr go to
   * {@code log}. The caller waits for it (with a bound) or kills it.
   */
  public static Process start(Class<?> mainClass, Path log, String... args) throws IOException {
    return start(mainClass, log, Map.of(), args);
  }

  /** As {@link #start(Class, Path, String...)}, with {@code environment} added to this JVM's. */
  public static Process start(Class<?> mainClass, Path log, Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Spark's add-opens and the like; not the heap (the child needs less), agents, debuggers, or the
      // collector and compiler chosen below (a second collector would stop the JVM from starting).
      if (!flag.startsWith("-Xmx") && !flag.startsWith("-agentlib") && !flag.startsWith("-javaagent")
          && !flag.startsWith("-D") && !flag.matches("-XX:[+-]Use\\w*GC")
          && !flag.startsWith("-XX:TieredStopAtLevel")) {
        command.add(flag);
      }
    }
    command.add("-Xmx1g");
    // A child lives seconds: C1's quick code is all it gets to use, and C2 compiling for it (or a parallel
    // collector's threads) would take CPU from the tests' JVM on two cores.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    for (String property : PROPERTIES) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }
}
