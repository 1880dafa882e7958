package dev.trailtrim.aggregate;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleUsage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One window's view of per-day states: the usage of the window's event days, summed per
 * (role, action, resource, outcome), and the counters of the files read plus the records of the
 * window's days. Records of other days that the files held are counted as outside the window, so
 * every record read stays accounted for. Pure: the same states give the same view, whether they
 * came from tonight's read or from the stored state of earlier nights.
 */
public final class UsageWindow {

  /** Usage per role in the window, and what reading counted. */
  public record View(Map<String, RoleUsage> usageByRole, IngestStats stats) {}

  private UsageWindow() {}

  public static View of(Collection<UsageRow> rows, Map<DayKey, IngestStats> stats, ObservationWindow window,
      int rejectSamplesPerReason) {
    Map<UsageKey, UsageStats> merged = new HashMap<>();
    for (UsageRow row : rows) {
      if (window.contains(LocalDate.parse(row.getEventDay()))) {
        UsageKey key = row.key();
        merged.merge(new UsageKey("", "", key.roleArn(), key.action(), key.resource(), key.errorCode()), row.stats(),
            UsageStats::merge);
      }
    }
    Map<String, List<ActionUsage>> byRole = new TreeMap<>();
    merged.forEach((key, usage) -> byRole.computeIfAbsent(key.roleArn(), r -> new ArrayList<>()).add(new ActionUsage(
        new ActionOnResource(IamAction.parse(key.action()), key.resource()),
        key.errorCode().isEmpty() ? null : key.errorCode(), usage.count(), usage.firstSeenMillis(),
        usage.lastSeenMillis())));
    Map<String, RoleUsage> usageByRole = new TreeMap<>();
    byRole.forEach((role, usages) -> usageByRole.put(role, new RoleUsage(role, usages)));

    IngestStats total = new IngestStats(rejectSamplesPerReason);
    for (Map.Entry<DayKey, IngestStats> slice : new TreeMap<>(stats).entrySet()) {
      DayKey key = slice.getKey();
      if (key.filesLevel() || window.contains(LocalDate.parse(key.eventDay()))) {
        total.merge(slice.getValue());
      } else {
        long records = slice.getValue().counter("records.read");
        total.add("records.read", records);
        total.add("records.skipped." + SkipReason.RECORD_OUTSIDE_WINDOW.code(), records);
      }
    }
    return new View(usageByRole, total);
  }
}
