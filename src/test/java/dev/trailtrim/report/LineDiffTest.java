package dev.trailtrim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LineDiffTest {

  /** The diff as "  same", "- removed", "+ added" lines. */
  private static List<String> diff(List<String> before, List<String> after) {
    return LineDiff.diff(before, after).stream().map(line -> switch (line.kind()) {
      case SAME -> "  " + line.text();
      case REMOVED -> "- " + line.text();
      case ADDED -> "+ " + line.text();
    }).toList();
  }

  @Test
  void keepsCommonLinesAndShowsEachChangeAsRemovedThenAdded() {
    assertEquals(List.of("  a", "- b", "- c", "+ x", "+ y", "  d"),
        diff(List.of("a", "b", "c", "d"), List.of("a", "x", "y", "d")));
    assertEquals(List.of("+ a"), diff(List.of(), List.of("a")));
    assertEquals(List.of("- a"), diff(List.of("a"), List.of()));
    assertEquals(List.of("  a", "  b"), diff(List.of("a", "b"), List.of("a", "b")));
  }

  @Test
  void bracesThatOnlyHappenToLineUpBetweenChangesArePartOfTheChange() {
    List<String> before = List.of("{", "\"Sid\": \"Old\",", "},", "{", "\"Sid\": \"Gone\",", "}");
    List<String> after = List.of("{", "\"Sid\": \"New\",", "},", "{", "\"Sid\": \"Added\",", "}");
    assertEquals(List.of("  {", "- \"Sid\": \"Old\",", "- },", "- {", "- \"Sid\": \"Gone\",",
        "+ \"Sid\": \"New\",", "+ },", "+ {", "+ \"Sid\": \"Added\",", "  }"), diff(before, after));
  }

  @Test
  void showsTextsTooLargeToCompareAsRemovedThenAddedWhole() {
    int lines = (int) Math.sqrt(LineDiff.MAX_CELLS) + 1;
    List<String> before = IntStream.range(0, lines).mapToObj(i -> "same " + i).toList();
    List<String> after = new ArrayList<>(before);
    List<LineDiff.Line> diff = LineDiff.diff(before, after);
    assertEquals(2 * lines, diff.size());
    assertEquals(LineDiff.Kind.REMOVED, diff.get(0).kind());
    assertEquals(LineDiff.Kind.ADDED, diff.get(lines).kind());
  }
}
