package dev.trailtrim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout of DESIGN.md §2, read from the main sources: the package graph has no cycle, only
 * cli, ingest, aggregate and io touch Spark or Hadoop, and no tool is among them (src/tools/java,
 * not read here, holds the generators and benchmarks). Plain source reading (imports and qualified
 * names in code, not in comments or strings), so it needs no library and sees what javac sees.
 */
class ArchitectureTest {

  private static final Path MAIN = Path.of("src/main/java/dev/trailtrim");
  private static final Set<String> SPARK_PACKAGES = Set.of("cli", "ingest", "aggregate", "io");
  /** dev.trailtrim.PKG.Name or dev.trailtrim.PKG.*: the package is the lower-case part. */
  private static final Pattern TRAILTRIM_NAME =
      Pattern.compile("\\bdev\\.trailtrim((?:\\.[a-z_]\\w*)+)\\.(?:[A-Z]|\\*)");
  private static final Pattern SPARK_OR_HADOOP = Pattern.compile("\\borg\\.apache\\.(?:spark|hadoop)\\b");
  private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+dev\\.trailtrim\\.([\\w.]+)\\s*;");

  /** A main source file: its path under dev/trailtrim, its package, and its code without comments or literals. */
  record Source(String file, String pkg, String code) {}

  /** A reference from code: where it is, for the failure message. */
  record Site(String file, int line) {
    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Map<String, List<Site>>> graph = graph(mainSources());
    List<String> cycles = new ArrayList<>();
    for (Set<String> component : stronglyConnected(graph)) {
      if (component.size() > 1) {
        cycles.add(describeCycle(graph, component));
      }
    }
    if (!cycles.isEmpty()) {
      fail("The package graph must have no cycle (DESIGN.md §2); move the class that closes it to the package"
          + " it belongs with, or put what both need where both may import it:\n" + String.join("\n", cycles));
    }
  }

  @Test
  void onlyCliIngestAggregateAndIoTouchSparkOrHadoop() throws IOException {
    List<String> outside = new ArrayList<>();
    for (Source source : mainSources()) {
      if (SPARK_PACKAGES.contains(source.pkg())) {
        continue;
      }
      Matcher spark = SPARK_OR_HADOOP.matcher(source.code());
      if (spark.find()) {
        outside.add("  " + new Site(source.file(), line(source.code(), spark.start())) + " (package " + source.pkg()
            + ") names " + spark.group());
      }
    }
    if (!outside.isEmpty()) {
      fail("Only cli, ingest, aggregate and io may import org.apache.spark or org.apache.hadoop (DESIGN.md §2):"
          + " keep the rest plain Java, testable without a session:\n" + String.join("\n", outside));
    }
  }

  /** Tools are not product (DESIGN.md §2): they live in src/tools/java, so the job jar never ships them. */
  @Test
  void toolsAreNotInTheMainSources() throws IOException {
    List<String> tools = mainSources().stream()
        .filter(source -> source.pkg().equals("tools") || source.pkg().startsWith("tools."))
        .map(Source::file).toList();
    assertEquals(List.of(), tools, "generators and benchmarks belong in src/tools/java, not src/main/java");
  }

  @Test
  void readsImportsAndQualifiedNamesInCodeOnly() {
    Source source = source("a/B.java", """
        package dev.trailtrim.a;

        import dev.trailtrim.b.Thing;
        import static dev.trailtrim.c.Helpers.help;
        import dev.trailtrim.d.*;
        // import dev.trailtrim.commented.Out;
        /* dev.trailtrim.blocked.Out */
        class B {
          String s = "dev.trailtrim.quoted.Out \\" dev.trailtrim.escaped.Out";
          String t = \"""
              dev.trailtrim.textblock.Out
              \""";
          char c = '"';
          Object o = new dev.trailtrim.e.f.Qualified();
          Object same = dev.trailtrim.a.Other.VALUE;
        }
        """);
    assertEquals("a", source.pkg());
    assertEquals(Map.of("a", Map.of("b", List.of(new Site("a/B.java", 3)), "c", List.of(new Site("a/B.java", 4)),
        "d", List.of(new Site("a/B.java", 5)), "e.f", List.of(new Site("a/B.java", 14)))), graph(List.of(source)));
  }

  @Test
  void findsTheCycleAndTheFilesThatCloseIt() {
    Map<String, Map<String, List<Site>>> graph = graph(List.of(
        source("x/A.java", "package dev.trailtrim.x; import dev.trailtrim.y.B; class A {}"),
        source("y/B.java", "package dev.trailtrim.y; import dev.trailtrim.z.C; class B {}"),
        source("z/C.java", "package dev.trailtrim.z;\n\nclass C { dev.trailtrim.x.A a; dev.trailtrim.y.B b; }"),
        source("w/D.java", "package dev.trailtrim.w; import dev.trailtrim.x.A; class D {}")));
    List<Set<String>> components = stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
    assertEquals(List.of(Set.of("x", "y", "z")), components);
    assertEquals("  y -> z -> y\n    y -> z: y/B.java:1\n    z -> y: z/C.java:3\n"
        + "    other edges among [x, y, z]: x -> y, z -> x", describeCycle(graph, components.get(0)));
  }

  private static List<Source> mainSources() throws IOException {
    List<Source> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        sources.add(source(MAIN.relativize(file).toString().replace('\\', '/'),
            Files.readString(file, StandardCharsets.UTF_8)));
      }
    }
    // Guards against passing on nothing (the sources moved, or the test runs from elsewhere).
    Set<String> packages = new TreeSet<>();
    sources.forEach(s -> packages.add(s.pkg()));
    assertTrue(packages.containsAll(Set.of("cli", "config", "model", "catalog", "ingest", "aggregate", "policy",
        "analysis", "report", "io")), "the main sources under " + MAIN.toAbsolutePath() + " hold " + packages);
    return sources;
  }

  static Source source(String file, String text) {
    String code = codeOnly(text);
    Matcher pkg = PACKAGE.matcher(code);
    assertTrue(pkg.find(), file + " declares no package under dev.trailtrim");
    return new Source(file, pkg.group(1), code);
  }

  /** package -> the packages it names -> where, first place per file. */
  static Map<String, Map<String, List<Site>>> graph(List<Source> sources) {
    Map<String, Map<String, List<Site>>> graph = new TreeMap<>();
    for (Source source : sources) {
      Map<String, Site> firstPerPackage = new TreeMap<>();
      Matcher name = TRAILTRIM_NAME.matcher(source.code());
      while (name.find()) {
        String target = name.group(1).substring(1);
        if (!target.equals(source.pkg())) {
          firstPerPackage.putIfAbsent(target, new Site(source.file(), line(source.code(), name.start())));
        }
      }
      firstPerPackage.forEach((target, site) -> graph.computeIfAbsent(source.pkg(), p -> new TreeMap<>())
          .computeIfAbsent(target, t -> new ArrayList<>()).add(site));
    }
    return graph;
  }

  /** Tarjan's strongly connected components: each is a cycle's packages if it has more than one. */
  static List<Set<String>> stronglyConnected(Map<String, Map<String, List<Site>>> graph) {
    Set<String> nodes = new TreeSet<>(graph.keySet());
    graph.values().forEach(targets -> nodes.addAll(targets.keySet()));
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<Set<String>> components = new ArrayList<>();
    for (String node : nodes) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, components);
      }
    }
    return components;
  }

  private static void connect(String node, Map<String, Map<String, List<Site>>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, List<Set<String>> components) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, components);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        component.add(member);
      } while (!member.equals(node));
      components.add(component);
    }
  }

  /**
   * The shortest cycle in the component (a new import back is often a cycle of two), each edge
   * with the files that make it; then the other edges inside the component by name, since cutting
   * one cycle may leave another.
   */
  static String describeCycle(Map<String, Map<String, List<Site>>> graph, Set<String> component) {
    List<String> path = null;
    for (String start : component) {
      List<String> cycle = shortestCycle(graph, component, start);
      if (path == null || cycle.size() < path.size()) {
        path = cycle;
      }
    }
    StringBuilder out = new StringBuilder("  " + String.join(" -> ", path));
    Set<String> described = new TreeSet<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      List<String> sites = graph.get(path.get(i)).get(path.get(i + 1)).stream().map(Site::toString).toList();
      out.append("\n    ").append(path.get(i)).append(" -> ").append(path.get(i + 1)).append(": ")
          .append(String.join(", ", sites));
      described.add(path.get(i) + " -> " + path.get(i + 1));
    }
    List<String> others = new ArrayList<>();
    for (String from : component) {
      for (String to : graph.getOrDefault(from, Map.of()).keySet()) {
        if (component.contains(to) && !described.contains(from + " -> " + to)) {
          others.add(from + " -> " + to);
        }
      }
    }
    if (!others.isEmpty()) {
      out.append("\n    other edges among ").append(component).append(": ").append(String.join(", ", others));
    }
    return out.toString();
  }

  /** Breadth first from {@code start} back to it, inside the component: start, ..., start. */
  private static List<String> shortestCycle(Map<String, Map<String, List<Site>>> graph, Set<String> component,
      String start) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String node = queue.poll();
      for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
        if (next.equals(start)) {
          List<String> path = new ArrayList<>(List.of(start));
          for (String back = node; !back.equals(start); back = cameFrom.get(back)) {
            path.add(1, back);
          }
          path.add(start);
          return path;
        }
        if (component.contains(next) && !cameFrom.containsKey(next)) {
          cameFrom.put(next, node);
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException(start + " is on no cycle in " + component);
  }

  private static int line(String code, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * The source with comments, string, text block and char literals blanked out (line breaks kept,
   * so lines still count): a name in a Javadoc or a message is not a dependency.
   */
  static String codeOnly(String text) {
    StringBuilder code = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int end;
      if (text.startsWith("//", i)) {
        end = text.indexOf('\n', i);
        end = end < 0 ? text.length() : end;
      } else if (text.startsWith("/*", i)) {
        end = text.indexOf("*/", i + 2);
        end = end < 0 ? text.length() : end + 2;
      } else if (text.startsWith("\"\"\"", i)) {
        end = literalEnd(text, i + 3, "\"\"\"");
      } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
        end = literalEnd(text, i + 1, String.valueOf(text.charAt(i)));
      } else {
        code.append(text.charAt(i++));
        continue;
      }
      for (; i < end; i++) {
        code.append(text.charAt(i) == '\n' ? '\n' : ' ');
      }
    }
    return code.toString();
  }

  /** Where a literal that closes with {@code close} ends, skipping escapes. */
  private static int literalEnd(String text, int from, String close) {
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
      } else if (text.startsWith(close, i)) {
        return i + close.length();
      }
    }
    return text.length();
  }
}
