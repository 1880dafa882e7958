package dev.trailtrim.ingest;

import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.LogCoverage.DayLogs;
import dev.trailtrim.model.ObservationWindow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the window's {@link LogCoverage} from what planning found (the files delivered per
 * account, region and day) and what reading counted (rejected files, records of files outside
 * CloudTrail's layout, trail changes the logs record). Pure: the same plan and counters give the
 * same map, whether the counters came from tonight's read or from the stored state.
 */
public final class CoverageMap {

  private CoverageMap() {}

  /** A day's counts while the map is built. */
  private static final class Tally {
    long files;
    long records;
    long rejected;
    final List<String> stoppedBy = new ArrayList<>();
  }

  public static LogCoverage build(Collection<PlannedFile> planned, IngestStats stats, ObservationWindow window) {
    SortedMap<String, SortedMap<String, SortedMap<LocalDate, Tally>>> tallies = new TreeMap<>();
    for (PlannedFile file : planned) {
      LogLocation location = LogLocation.of(file.uri());
      if (location != null && window.contains(location.day())) {
        tally(tallies, location).files++;
      }
    }
    stats.recordLocations().forEach((key, records) -> {
      LogLocation location = LogLocation.ofKey(key);
      if (location != null && window.contains(location.day())) {
        tally(tallies, location).records += records;
      }
    });
    long unlocated = 0;
    for (Map.Entry<String, Long> rejected : stats.rejectedFiles().entrySet()) {
      LogLocation location = LogLocation.ofKey(rejected.getKey());
      if (location == null) {
        unlocated += rejected.getValue();
      } else if (window.contains(location.day())) {
        tally(tallies, location).rejected += rejected.getValue();
      }
    }
    markStopped(tallies, stats.trailChanges(), window);
    SortedMap<String, SortedMap<String, SortedMap<LocalDate, DayLogs>>> accounts = new TreeMap<>();
    tallies.forEach((account, regions) -> regions.forEach((region, days) -> days.forEach((day, t) -> {
      DayLogs logs = new DayLogs(t.files, t.records, t.rejected, t.stoppedBy);
      accounts.computeIfAbsent(account, a -> new TreeMap<>()).computeIfAbsent(region, r -> new TreeMap<>())
          .put(day, logs);
    })));
    return new LogCoverage(window, accounts, unlocated);
  }

  private static Tally tally(SortedMap<String, SortedMap<String, SortedMap<LocalDate, Tally>>> tallies,
      LogLocation location) {
    return tallies.computeIfAbsent(location.accountId(), a -> new TreeMap<>())
        .computeIfAbsent(location.region(), r -> new TreeMap<>()).computeIfAbsent(location.day(), d -> new Tally());
  }

  /**
   * Days during which a trail of an account was stopped (from StopLogging or DeleteTrail to the next
   * StartLogging or CreateTrail of the same trail name, or the window's end) are not covered, in every
   * region of that account: a stopped multi-region trail stops everywhere, and the logs do not say
   * which trails are multi-region.
   */
  private static void markStopped(SortedMap<String, SortedMap<String, SortedMap<LocalDate, Tally>>> tallies,
      Collection<TrailChange> changes, ObservationWindow window) {
    long windowEnd = window.to().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    Map<String, TrailChange> openStops = new TreeMap<>();
    List<TrailChange[]> stopped = new ArrayList<>();
    for (TrailChange change : changes.stream().sorted().toList()) {
      String trail = change.accountId() + " " + change.trailName();
      if (change.stops()) {
        openStops.putIfAbsent(trail, change);
      } else if (change.starts() && openStops.containsKey(trail)) {
        stopped.add(new TrailChange[] {openStops.remove(trail), change});
      }
    }
    openStops.values().forEach(stop -> stopped.add(new TrailChange[] {stop, null}));
    for (TrailChange[] period : stopped) {
      TrailChange stop = period[0];
      long end = period[1] == null ? windowEnd : period[1].timeMillis();
      LocalDate first = day(stop.timeMillis());
      LocalDate last = day(Math.max(stop.timeMillis(), end - 1));
      String why = stop.eventName() + " " + stop.trailName() + " at " + Instant.ofEpochMilli(stop.timeMillis())
          + (period[1] == null ? "" : " until " + Instant.ofEpochMilli(period[1].timeMillis()));
      SortedMap<String, SortedMap<LocalDate, Tally>> regions = tallies.get(stop.accountId());
      if (regions == null) {
        continue;
      }
      for (SortedMap<LocalDate, Tally> days : regions.values()) {
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
          if (window.contains(day)) {
            days.computeIfAbsent(day, d -> new Tally()).stoppedBy.add(why);
          }
        }
      }
    }
  }

  private static LocalDate day(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
  }
}
