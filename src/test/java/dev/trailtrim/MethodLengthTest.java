package dev.trailtrim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine-free core reads as named steps: no method of {@code analysis/} or {@code policy/} is
 * longer than {@link #LIMIT} lines (from the line of its name to its closing brace). Prints the
 * longest methods of those packages and of {@code report/}, so a reviewer sees where it stands.
 * Plain source reading on {@link ArchitectureTest#codeOnly} (comments and literals blanked).
 */
class MethodLengthTest {

  static final int LIMIT = 60;
  private static final Path MAIN = Path.of("src/main/java/dev/trailtrim");
  private static final Pattern TYPE_HEADER = Pattern.compile("\\b(class|interface|enum|record)\\b");
  private static final Pattern NAME_BEFORE_PAREN = Pattern.compile("(?<!@)\\b(\\w+)\\s*\\(");
  private static final Pattern LAST_WORD = Pattern.compile("(\\w+)\\s*$");

  /** A method (or constructor, or initializer) of a type: where it is and how many lines it spans. */
  record Method(String file, String name, int line, int lines) {
    @Override
    public String toString() {
      return String.format("%4d lines  %s.%s (line %d)", lines, file, name, line);
    }
  }

  private enum Block { TYPE, METHOD, OTHER }

  @Test
  void coreMethodsStayShort() throws IOException {
    List<Method> core = new ArrayList<>(methods("analysis"));
    core.addAll(methods("policy"));
    core.sort(Comparator.comparingInt(Method::lines).reversed());
    print("analysis/ and policy/", core);
    print("report/", methods("report").stream().sorted(Comparator.comparingInt(Method::lines).reversed()).toList());
    List<Method> tooLong = core.stream().filter(m -> m.lines() > LIMIT).toList();
    assertTrue(tooLong.isEmpty(), "Methods over " + LIMIT + " lines in analysis/ or policy/; split them into named"
        + " steps:\n" + String.join("\n", tooLong.stream().map(Method::toString).toList()));
  }

  @Test
  void measuresMethodsNotTypesOrLambdas() {
    String source = """
        class A {
          private final Runnable r = () -> {
            x();
          };
          @Override
          public String toString() {
            if (a) {
              b();
            }
            return "}";
          }
          record R(int a) {
            R {
              check(a);
            }
          }
        }
        """;
    List<Method> found = methods("A.java", ArchitectureTest.codeOnly(source));
    assertEquals(List.of(new Method("A.java", "toString", 6, 6), new Method("A.java", "R", 13, 3)), found);
  }

  private static void print(String where, List<Method> methods) {
    System.out.println("Longest methods in " + where + ":");
    methods.stream().limit(5).forEach(m -> System.out.println("  " + m));
  }

  static List<Method> methods(String pkg) throws IOException {
    List<Method> methods = new ArrayList<>();
    try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String code = ArchitectureTest.codeOnly(Files.readString(file, StandardCharsets.UTF_8));
        methods.addAll(methods(pkg + "/" + file.getFileName(), code));
      }
    }
    return methods;
  }

  /** The blocks opened directly in a type body that are not types or field initializers. */
  static List<Method> methods(String file, String code) {
    List<Method> methods = new ArrayList<>();
    Deque<Block> blocks = new ArrayDeque<>();
    Deque<int[]> starts = new ArrayDeque<>(); // per open METHOD: its first line
    Deque<String> names = new ArrayDeque<>();
    int headerStart = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '{') {
        String header = code.substring(headerStart, i);
        Block parent = blocks.isEmpty() ? Block.TYPE : blocks.peek();
        Block block = TYPE_HEADER.matcher(header).find() ? Block.TYPE
            : parent == Block.TYPE && !header.contains("=") && !header.contains("->") ? Block.METHOD : Block.OTHER;
        if (block == Block.METHOD) {
          Matcher name = NAME_BEFORE_PAREN.matcher(header);
          Matcher last = LAST_WORD.matcher(header);
          boolean named = name.find();
          int at = named ? headerStart + name.start(1) : i;
          names.push(named ? name.group(1) : last.find() ? last.group(1) : "{initializer}");
          starts.push(new int[] {line(code, at)});
        }
        blocks.push(block);
        headerStart = i + 1;
      } else if (c == '}') {
        Block closed = blocks.pop();
        if (closed == Block.METHOD) {
          int first = starts.pop()[0];
          methods.add(new Method(file, names.pop(), first, line(code, i) - first + 1));
        }
        headerStart = i + 1;
      } else if (c == ';') {
        headerStart = i + 1;
      }
    }
    return methods;
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
}
