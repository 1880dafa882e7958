package dev.trailtrim.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the same events may be delivered twice, told from the planned files' paths alone, before
 * anything is read:
 * <ul>
 *   <li>a <em>copy</em>: two files with the same CloudTrail file name and length under different
 *       paths (a folder copied twice, two roots over overlapping trees). CloudTrail's names end in
 *       a random part, so two such files are one delivery: only the first is read.
 *   <li>an <em>overlap</em>: one account, region and delivery day in CloudTrail's layout under more
 *       than one trail prefix (the path up to {@code /CloudTrail/<region>/}), as when an account
 *       trail and an organization trail both record an account. Their files hold the same events
 *       in other files, so one task reads them all and counts each eventID once.
 * </ul>
 * Files outside CloudTrail's layout are never part of an overlap: the nightly state keeps usage
 * per delivery folder day, and such files have none (they are read every night), so comparing
 * them with a stored day's events could not be repeated the next night; and a file whose path
 * names no account, region or day could repeat any day of the window. Their copies are still
 * caught by name and length.
 */
public final class RepeatedDeliveries {

  private static final Pattern CLOUDTRAIL_NAME = Pattern.compile(
      "\\d{12}_CloudTrail_[a-z]{2}(?:-[a-z0-9]+)+_\\d{8}T\\d{4}Z_[A-Za-z0-9]+\\.json(?:\\.gz)?");
  private static final Pattern TRAIL_PREFIX = Pattern.compile(
      "(.*/(\\d{12})/CloudTrail/([a-z]{2}(?:-[a-z0-9]+)+)/)(\\d{4})/(\\d{2})/(\\d{2})/[^/]+");

  private RepeatedDeliveries() {}

  /** A file not read because {@code original}, read instead, is the same delivery. */
  public record Copy(PlannedFile copy, PlannedFile original) {}

  /**
   * Files of one account, region and delivery day found under several trail prefixes (sorted):
   * read together by one task that counts each eventID once.
   */
  public record Overlap(LogLocation location, List<String> trailPrefixes, List<PlannedFile> files) {}

  /**
   * The copies among {@code sorted} (sorted by URI): every file with the CloudTrail name and the
   * length of an earlier one. Files not named as CloudTrail names them are never copies: a name
   * like {@code events.json} says nothing about what a file holds.
   */
  public static List<Copy> copies(List<PlannedFile> sorted) {
    Map<String, PlannedFile> firstByNameAndLength = new HashMap<>();
    List<Copy> copies = new ArrayList<>();
    for (PlannedFile file : sorted) {
      String name = file.uri().substring(file.uri().lastIndexOf('/') + 1);
      if (CLOUDTRAIL_NAME.matcher(name).matches()) {
        PlannedFile original = firstByNameAndLength.putIfAbsent(name + " " + file.length(), file);
        if (original != null) {
          copies.add(new Copy(file, original));
        }
      }
    }
    return copies;
  }

  /** {@code .../<account>/CloudTrail/<region>/} of a file in CloudTrail's layout, else null. */
  static String trailPrefix(String uri) {
    Matcher m = TRAIL_PREFIX.matcher(uri);
    return m.matches() ? m.group(1) : null;
  }

  /** The overlaps among {@code files}, sorted by location; none when every day has one trail prefix. */
  public static List<Overlap> overlaps(Collection<PlannedFile> files) {
    Map<LogLocation, TreeMap<String, List<PlannedFile>>> byLocation = new HashMap<>();
    for (PlannedFile file : files) {
      Matcher m = TRAIL_PREFIX.matcher(file.uri());
      if (!m.matches()) {
        continue;
      }
      LogLocation location = LogLocation.of(file.uri());
      if (location != null) {
        byLocation.computeIfAbsent(location, l -> new TreeMap<>())
            .computeIfAbsent(m.group(1), p -> new ArrayList<>()).add(file);
      }
    }
    List<Overlap> overlaps = new ArrayList<>();
    byLocation.forEach((location, byPrefix) -> {
      if (byPrefix.size() > 1) {
        List<PlannedFile> all = new ArrayList<>();
        byPrefix.values().forEach(all::addAll);
        all.sort(null);
        overlaps.add(new Overlap(location, List.copyOf(byPrefix.keySet()), List.copyOf(all)));
      }
    });
    overlaps.sort((a, b) -> a.location().compareTo(b.location()));
    return overlaps;
  }

  /**
   * One line per pair of roots holding copies, and per account and region delivered under several
   * trail prefixes, for the plan's notes (summary.json's input.notes): what was read once, and why.
   */
  public static List<String> notes(List<Copy> copies, List<Overlap> overlaps) {
    TreeMap<List<String>, List<Copy>> byRoots = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
        ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
    for (Copy copy : copies) {
      byRoots.computeIfAbsent(differingRoots(copy.original().uri(), copy.copy().uri()), k -> new ArrayList<>())
          .add(copy);
    }
    List<String> notes = new ArrayList<>();
    byRoots.forEach((roots, list) -> {
      Copy first = list.get(0);
      notes.add("'" + roots.get(1) + "' holds " + list.size() + (list.size() == 1 ? " copy" : " copies")
          + " of files under '" + roots.get(0) + "' (same CloudTrail file name and length, e.g. '"
          + first.copy().uri() + "' of '" + first.original().uri() + "'): each read once, the copies counted under"
          + " files.skipped." + SkipReason.DUPLICATE_FILE.code());
    });
    TreeMap<String, TreeSet<String>> daysByPrefixes = new TreeMap<>();
    for (Overlap overlap : overlaps) {
      String key = "account " + overlap.location().accountId() + ", " + overlap.location().region()
          + ": delivered under " + overlap.trailPrefixes().size() + " trail prefixes ('"
          + String.join("', '", overlap.trailPrefixes()) + "')";
      daysByPrefixes.computeIfAbsent(key, k -> new TreeSet<>()).add(overlap.location().day().toString());
    }
    daysByPrefixes.forEach((key, days) -> notes.add(key + " on " + days.size() + (days.size() == 1 ? " day" : " days")
        + " from " + days.first() + " to " + days.last() + ": each such day is read by one task that counts an"
        + " eventID once, repeats counted under records.duplicate"));
    return notes;
  }

  /** The two paths without the trailing path segments they share: the roots they differ in (original, copy). */
  private static List<String> differingRoots(String original, String copy) {
    int i = original.length();
    int j = copy.length();
    int sharedFrom = original.length();
    while (i > 0 && j > 0 && original.charAt(i - 1) == copy.charAt(j - 1)) {
      i--;
      j--;
      if (original.charAt(i) == '/') {
        sharedFrom = i;
      }
    }
    int copyCut = copy.length() - (original.length() - sharedFrom);
    return List.of(original.substring(0, sharedFrom), copy.substring(0, copyCut));
  }
}
