package dev.trailtrim.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts for people: the longest common subsequence of lines, with a match of
 * bare punctuation ({@code {}, {@code ],} ...) between two changes turned into a change too, and
 * each change shown as its removed lines, then its added ones. Policies are small; above
 * {@link #MAX_CELLS} compared line pairs the texts are shown as removed, then added, whole.
 */
final class LineDiff {

  /** Lines pairs compared at most (an int table of this size is 16 MB). */
  static final long MAX_CELLS = 4_000_000;

  enum Kind { SAME, REMOVED, ADDED }

  record Line(Kind kind, String text) {}

  private LineDiff() {}

  static List<Line> diff(List<String> before, List<String> after) {
    int n = before.size();
    int m = after.size();
    List<Line> lines = new ArrayList<>();
    if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
      before.forEach(line -> lines.add(new Line(Kind.REMOVED, line)));
      after.forEach(line -> lines.add(new Line(Kind.ADDED, line)));
      return lines;
    }
    // common[i][j]: length of the longest common subsequence of before[i..] and after[j..].
    int[][] common = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1
            : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && before.get(i).equals(after.get(j))) {
        lines.add(new Line(Kind.SAME, before.get(i++)));
        j++;
      } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
        lines.add(new Line(Kind.ADDED, after.get(j++)));
      } else {
        lines.add(new Line(Kind.REMOVED, before.get(i++)));
      }
    }
    return grouped(withoutPunctuationMatches(lines));
  }

  /** Bare punctuation that matched between two changes is part of the change: it only happened to line up. */
  private static List<Line> withoutPunctuationMatches(List<Line> lines) {
    List<Line> out = new ArrayList<>(lines);
    for (int k = 0; k < out.size(); k++) {
      if (out.get(k).kind() != Kind.SAME || !trivial(out.get(k).text())) {
        continue;
      }
      int end = k;
      while (end < out.size() && out.get(end).kind() == Kind.SAME && trivial(out.get(end).text())) {
        end++;
      }
      boolean changedBefore = k > 0 && out.get(k - 1).kind() != Kind.SAME;
      boolean changedAfter = end < out.size() && out.get(end).kind() != Kind.SAME;
      if (changedBefore && changedAfter) {
        List<Line> replaced = new ArrayList<>();
        for (int r = k; r < end; r++) {
          replaced.add(new Line(Kind.REMOVED, out.get(r).text()));
        }
        for (int r = k; r < end; r++) {
          replaced.add(new Line(Kind.ADDED, out.get(r).text()));
        }
        out.subList(k, end).clear();
        out.addAll(k, replaced);
        k += replaced.size() - 1;
      } else {
        k = end - 1;
      }
    }
    return out;
  }

  private static boolean trivial(String line) {
    String text = line.strip();
    return text.chars().noneMatch(Character::isLetterOrDigit);
  }

  /** Within each run of changes, the removed lines first, then the added ones, each in their order. */
  private static List<Line> grouped(List<Line> lines) {
    List<Line> out = new ArrayList<>();
    List<Line> removed = new ArrayList<>();
    List<Line> added = new ArrayList<>();
    for (Line line : lines) {
      if (line.kind() == Kind.SAME) {
        out.addAll(removed);
        out.addAll(added);
        removed.clear();
        added.clear();
        out.add(line);
      } else {
        (line.kind() == Kind.REMOVED ? removed : added).add(line);
      }
    }
    out.addAll(removed);
    out.addAll(added);
    return out;
  }
}
