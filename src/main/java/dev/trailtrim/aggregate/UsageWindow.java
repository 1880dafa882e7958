package dev.trailtrim.aggregate;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.Counters;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleUsage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One window's view: the usage of the window's event days per role ({@link WindowAggregation}
 * sums it), and the counters of the files read plus the records of the window's days. Records of
 * other days that the files held are counted as outside the window, so every record read stays
 * accounted for. Pure: the same states give the same view, whether they came from tonight's read
 * or from the stored state of earlier nights.
 */
public final class UsageWindow {

  /**
   * Usage per role in the window, and what reading counted.
   *
   * @param compactedActions   (role, action, outcome) combinations whose resources were compacted
   * @param compactedResources distinct resources those compacted patterns stand for
   * @param compactedPatterns  each compacted pattern, sorted: role, action, outcome ("ok" or the
   *                           error code), pattern and the number of resources it stands for
   * @param callsPerDay        per role ARN, its records (calls of any outcome) per event day of the window that
   *                           has any, sorted: the activity chart of {@code report.html}
   * @param usageByFunction    per role ARN, its usage split by the function that made the calls (the empty name
   *                           for calls no function is known for); together they are {@code usageByRole}
   */
  public record View(Map<String, RoleUsage> usageByRole, IngestStats stats, long compactedActions,
      long compactedResources, List<String> compactedPatterns, Map<String, SortedMap<LocalDate, Long>> callsPerDay,
      Map<String, Map<String, RoleUsage>> usageByFunction) {}

  private UsageWindow() {}

  public static View of(WindowAggregation.Result usage, Map<DayKey, IngestStats> stats, ObservationWindow window,
      int rejectSamplesPerReason) {
    List<String> patterns = usage.usage().stream().filter(u -> u.resources() > 1)
        .map(u -> String.join(" ", u.roleArn(), u.action(), u.errorCode().isEmpty() ? "ok" : u.errorCode(),
            u.resource(), Long.toString(u.resources())))
        .sorted().toList();
    Map<String, RoleUsage> usageByRole = byRole(usage.usage());
    return new View(usageByRole, stats(stats, window, rejectSamplesPerReason), usage.compactedActions(),
        usage.compactedResources(), patterns, callsPerDay(stats, window), byFunction(usage, usageByRole));
  }

  /**
   * Each role's usage per function: computed apart for roles whose calls came from several, and the role's
   * usage as a whole for the rest (all of it came from the one function, or from none known).
   */
  static Map<String, Map<String, RoleUsage>> byFunction(WindowAggregation.Result usage,
      Map<String, RoleUsage> usageByRole) {
    Map<String, List<WindowedUsage>> rowsByFunction = new TreeMap<>();
    for (WindowedUsage row : usage.functionUsage()) {
      rowsByFunction.computeIfAbsent(row.roleArn() + "\n" + row.function(), k -> new ArrayList<>()).add(row);
    }
    Map<String, Map<String, RoleUsage>> byFunction = new TreeMap<>();
    rowsByFunction.forEach((key, rows) -> {
      String role = rows.get(0).roleArn();
      byFunction.computeIfAbsent(role, r -> new TreeMap<>()).put(rows.get(0).function(), byRole(rows).get(role));
    });
    usage.onlyFunction().forEach((role, function) -> {
      if (usageByRole.containsKey(role)) {
        byFunction.computeIfAbsent(role, r -> new TreeMap<>()).put(function, usageByRole.get(role));
      }
    });
    return byFunction;
  }

  /** Each role's calls per event day, from the per-day counters that are kept anyway: no extra pass over usage. */
  static Map<String, SortedMap<LocalDate, Long>> callsPerDay(Map<DayKey, IngestStats> stats,
      ObservationWindow window) {
    Map<String, SortedMap<LocalDate, Long>> perRole = new TreeMap<>();
    stats.forEach((key, slice) -> {
      if (key.filesLevel()) {
        return;
      }
      LocalDate day = LocalDate.parse(key.eventDay());
      if (window.contains(day)) {
        slice.roles().forEach((role, evidence) -> perRole.computeIfAbsent(role, r -> new TreeMap<>())
            .merge(day, evidence.calls(), Long::sum));
      }
    });
    return perRole;
  }

  /**
   * The window's usage rows grouped per role, in the domain's terms. Two compacted families may
   * come out as the same pattern; their uses are added up.
   */
  static Map<String, RoleUsage> byRole(Collection<WindowedUsage> usage) {
    Map<String, Map<List<String>, UsageStats>> byRole = new TreeMap<>();
    for (WindowedUsage row : usage) {
      byRole.computeIfAbsent(row.roleArn(), r -> new HashMap<>())
          .merge(List.of(row.action(), row.resource(), row.errorCode()), row.stats(), UsageStats::merge);
    }
    Map<String, RoleUsage> usageByRole = new TreeMap<>();
    byRole.forEach((role, uses) -> {
      List<ActionUsage> usages = new ArrayList<>();
      uses.forEach((key, stats) -> usages.add(new ActionUsage(
          new ActionOnResource(IamAction.parse(key.get(0)), key.get(1)), key.get(2).isEmpty() ? null : key.get(2),
          stats.count(), stats.firstSeenMillis(), stats.lastSeenMillis())));
      usageByRole.put(role, new RoleUsage(role, usages));
    });
    return usageByRole;
  }

  /** The counters of the files read and of the window's event days. */
  static IngestStats stats(Map<DayKey, IngestStats> stats, ObservationWindow window, int rejectSamplesPerReason) {
    IngestStats total = new IngestStats(rejectSamplesPerReason);
    // The calls' request contexts hold for the window only when every slice of it kept them.
    boolean everySliceKeptContexts = stats.entrySet().stream().filter(e -> e.getKey().filesLevel()
        || window.contains(LocalDate.parse(e.getKey().eventDay()))).allMatch(e -> e.getValue().keepsCallContexts());
    for (Map.Entry<DayKey, IngestStats> slice : new TreeMap<>(stats).entrySet()) {
      DayKey key = slice.getKey();
      if (key.filesLevel() || window.contains(LocalDate.parse(key.eventDay()))) {
        total.merge(slice.getValue());
      } else {
        long records = slice.getValue().counter(Counters.RECORDS_READ);
        total.add(Counters.RECORDS_READ, records);
        total.add(Counters.RECORDS_SKIPPED + SkipReason.RECORD_OUTSIDE_WINDOW.code(), records);
      }
    }
    if (!everySliceKeptContexts) {
      total.withoutCallContexts();
    }
    return total;
  }
}
