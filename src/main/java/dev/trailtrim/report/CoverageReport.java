package dev.trailtrim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.LogCoverage.DayLogs;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The coverage map for people: one log line per account, and the {@code coverage} section of
 * {@code summary.json} (per account and region: covered days of the window, and the days that are
 * not covered, with why). Deterministic: sorted by account, region and day.
 */
public final class CoverageReport {

  private CoverageReport() {}

  /** One line per account: its regions, covered days of the window, and its holes. */
  public static List<String> lines(LogCoverage coverage) {
    List<String> lines = new ArrayList<>();
    long windowDays = coverage.window().days();
    if (coverage.accounts().isEmpty()) {
      lines.add("coverage: the logs hold no account's logs in the window " + coverage.window().from() + ".."
          + coverage.window().to() + ": nothing can be called unused");
    }
    coverage.accounts().forEach((account, regions) -> {
      List<String> parts = new ArrayList<>();
      regions.forEach((region, days) -> {
        int covered = coverage.coveredDays(account, region).size();
        String gaps = coverage.gapsOf(account, region);
        parts.add(String.format(Locale.ROOT, "%s %d/%d days%s", region, covered, windowDays,
            gaps.isEmpty() ? "" : " (not covered: " + gaps + rejectedOrStopped(days) + ")"));
      });
      lines.add("coverage: account " + account + ": " + String.join("; ", parts));
    });
    if (coverage.unlocatedRejects() > 0) {
      lines.add("coverage: " + coverage.unlocatedRejects() + " rejected file(s) name no account, region or day:"
          + " no permission is called unused (see rejects/)");
    }
    return lines;
  }

  private static String rejectedOrStopped(SortedMap<LocalDate, DayLogs> days) {
    List<LocalDate> rejected = new ArrayList<>();
    List<LocalDate> stopped = new ArrayList<>();
    days.forEach((day, logs) -> {
      if (!logs.stoppedBy().isEmpty()) {
        stopped.add(day);
      } else if (logs.rejectedFiles() > 0) {
        rejected.add(day);
      }
    });
    return (rejected.isEmpty() ? "" : "; rejected files on " + LogCoverage.ranges(rejected))
        + (stopped.isEmpty() ? "" : "; logging stopped on " + LogCoverage.ranges(stopped));
  }

  /** The {@code coverage} section of summary.json. */
  public static ObjectNode json(LogCoverage coverage) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Long> total : coverage.totals().entrySet()) {
      node.put(total.getKey(), total.getValue());
    }
    ObjectNode accounts = node.putObject("byAccount");
    coverage.accounts().forEach((account, regions) -> {
      ObjectNode accountNode = accounts.putObject(account);
      regions.forEach((region, days) -> {
        ObjectNode regionNode = accountNode.putObject(region);
        regionNode.put("coveredDays", coverage.coveredDays(account, region).size());
        regionNode.put("windowDays", coverage.window().days());
        regionNode.put("notCovered", coverage.gapsOf(account, region));
        ArrayNode holes = regionNode.putArray("holes");
        days.forEach((day, logs) -> {
          if (!logs.covered()) {
            ObjectNode hole = holes.addObject();
            hole.put("day", day.toString());
            hole.put("files", logs.files());
            hole.put("rejectedFiles", logs.rejectedFiles());
            ArrayNode stopped = hole.putArray("loggingStopped");
            logs.stoppedBy().forEach(stopped::add);
          }
        });
      });
    });
    return node;
  }
}
