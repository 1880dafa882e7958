package dev.trailtrim.model;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the logs of the window cover: for every (account, region, day) that has logs, how many
 * files were delivered and rejected, and whether the trail was stopped that day. The evidence that
 * decides whether the absence of a call can mean anything (DESIGN.md, invariant 6): a permission is
 * unused only where the role's account is covered in every region the role acts in, on at least
 * {@code min.observation.days} days.
 *
 * <p>A day is covered when logs were delivered for it, none of its files was rejected, and no
 * trail of the account was stopped during it. Days without any file are gaps: CloudTrail delivers
 * every few minutes where anything happens, so a region with activity and no file has lost its logs
 * (or had none), and trailtrim cannot tell the difference.
 *
 * @param accounts        account id to region to day to what its logs hold, days of the window only
 * @param unlocatedRejects rejected files whose account, region and day neither their folder nor
 *                        their name tells: they may hold any role's calls, so no day is fully covered
 */
public record LogCoverage(ObservationWindow window,
    SortedMap<String, SortedMap<String, SortedMap<LocalDate, DayLogs>>> accounts,
    long unlocatedRejects) {

  /** Rule names a not-observable finding carries when the logs are incomplete. */
  public static final String RULE_NO_LOGS_FOR_ACCOUNT = "no-logs-for-account";
  public static final String RULE_REGION_NOT_COVERED = "region-not-covered";
  public static final String RULE_TOO_FEW_COVERED_DAYS = "too-few-covered-days";
  public static final String RULE_REJECTED_FILES_UNLOCATED = "rejected-files-of-unknown-origin";

  /**
   * One (account, region, day).
   *
   * @param files         log files delivered (planned), or for files outside CloudTrail's layout, 0
   * @param records       records of files outside CloudTrail's layout that name this location
   * @param rejectedFiles files of this day that could not be read whole
   * @param stoppedBy     the trail changes that stopped logging during this day ({@code StopLogging
   *                      trail-name at time}); empty when none
   */
  public record DayLogs(long files, long records, long rejectedFiles, List<String> stoppedBy) {
    public DayLogs {
      stoppedBy = List.copyOf(stoppedBy);
    }

    public boolean covered() {
      return (files > 0 || records > 0) && rejectedFiles == 0 && stoppedBy.isEmpty();
    }
  }

  /** Why the logs cannot show a use: the rule, and one sentence naming what is missing. */
  public record Gap(String rule, String detail) {
    public Gap {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(detail, "detail");
    }
  }

  public LogCoverage {
    Objects.requireNonNull(window, "window");
    SortedMap<String, SortedMap<String, SortedMap<LocalDate, DayLogs>>> copy = new TreeMap<>();
    accounts.forEach((account, regions) -> {
      SortedMap<String, SortedMap<LocalDate, DayLogs>> regionCopy = new TreeMap<>();
      regions.forEach((region, days) -> regionCopy.put(region, Collections.unmodifiableSortedMap(new TreeMap<>(days))));
      copy.put(account, Collections.unmodifiableSortedMap(regionCopy));
    });
    accounts = Collections.unmodifiableSortedMap(copy);
  }

  /** Regions of the account with any logs in the window, sorted; empty when it has none. */
  public List<String> regionsOf(String accountId) {
    return List.copyOf(accounts.getOrDefault(accountId, Collections.emptySortedMap()).keySet());
  }

  /** Days of the window covered in this account and region, sorted. */
  public List<LocalDate> coveredDays(String accountId, String region) {
    List<LocalDate> covered = new ArrayList<>();
    daysOf(accountId, region).forEach((day, logs) -> {
      if (logs.covered()) {
        covered.add(day);
      }
    });
    return covered;
  }

  private SortedMap<LocalDate, DayLogs> daysOf(String accountId, String region) {
    return accounts.getOrDefault(accountId, Collections.emptySortedMap()).getOrDefault(region,
        Collections.emptySortedMap());
  }

  /**
   * Whether the logs can show a use by a role of {@code accountId} acting in {@code regions}; null
   * when they can, else the first thing missing.
   *
   * @param regions where the role acts; empty when unknown (a role never seen): then every region
   *                of the account that has logs must be covered
   * @param minDays covered days each of those regions needs ({@code min.observation.days})
   */
  public Gap gap(String accountId, Collection<String> regions, long minDays) {
    if (unlocatedRejects > 0) {
      return new Gap(RULE_REJECTED_FILES_UNLOCATED, unlocatedRejects + " rejected file(s) name no account, region"
          + " or day (see rejects/): they may hold any role's calls, so nothing is called unused. Fix or remove"
          + " them, or move them into CloudTrail's AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ layout");
    }
    SortedMap<String, SortedMap<LocalDate, DayLogs>> ofAccount = accounts.get(accountId);
    if (ofAccount == null || ofAccount.isEmpty()) {
      return new Gap(RULE_NO_LOGS_FOR_ACCOUNT, "The logs hold nothing of account " + accountId + " in the window "
          + window.from() + ".." + window.to() + ": add its trail's logs with --cloudtrail");
    }
    for (String region : regions.isEmpty() ? ofAccount.keySet() : new TreeSet<>(regions)) {
      SortedMap<LocalDate, DayLogs> days = ofAccount.get(region);
      if (days == null) {
        return new Gap(RULE_REGION_NOT_COVERED, "The role acts in " + region + ", but the logs hold nothing of account "
            + accountId + " in " + region + " in the window " + window.from() + ".." + window.to()
            + " (they cover " + String.join(", ", ofAccount.keySet()) + ")");
      }
      List<LocalDate> covered = coveredDays(accountId, region);
      if (covered.size() < minDays) {
        return new Gap(RULE_TOO_FEW_COVERED_DAYS, "Account " + accountId + " in " + region + " is covered on "
            + covered.size() + " of " + window.days() + " days of the window, fewer than min.observation.days="
            + minDays + describeHoles(days));
      }
    }
    return null;
  }

  /** The missing, rejected and stopped days of one region, as ranges, for a reader. */
  private String describeHoles(SortedMap<LocalDate, DayLogs> days) {
    List<String> parts = new ArrayList<>();
    List<LocalDate> missing = new ArrayList<>();
    List<LocalDate> rejected = new ArrayList<>();
    List<LocalDate> stopped = new ArrayList<>();
    for (LocalDate day = window.from(); !day.isAfter(window.to()); day = day.plusDays(1)) {
      DayLogs logs = days.get(day);
      if (logs == null || (logs.files() == 0 && logs.records() == 0)) {
        missing.add(day);
      } else if (!logs.stoppedBy().isEmpty()) {
        stopped.add(day);
      } else if (logs.rejectedFiles() > 0) {
        rejected.add(day);
      }
    }
    if (!missing.isEmpty()) {
      parts.add("no logs on " + ranges(missing));
    }
    if (!rejected.isEmpty()) {
      parts.add("rejected files on " + ranges(rejected));
    }
    if (!stopped.isEmpty()) {
      parts.add("logging stopped on " + ranges(stopped));
    }
    return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
  }

  /** Sorted days as {@code 2026-11-01..2026-11-03, 2026-11-07}. */
  public static String ranges(List<LocalDate> days) {
    List<String> out = new ArrayList<>();
    LocalDate start = null;
    LocalDate previous = null;
    for (LocalDate day : days) {
      if (start != null && !day.equals(previous.plusDays(1))) {
        out.add(start.equals(previous) ? start.toString() : start + ".." + previous);
        start = null;
      }
      if (start == null) {
        start = day;
      }
      previous = day;
    }
    if (start != null) {
      out.add(start.equals(previous) ? start.toString() : start + ".." + previous);
    }
    return String.join(", ", out);
  }

  /** The gaps of the window in one region (days not covered), as ranges; empty when none. */
  public String gapsOf(String accountId, String region) {
    List<LocalDate> notCovered = new ArrayList<>();
    SortedMap<LocalDate, DayLogs> days = daysOf(accountId, region);
    for (LocalDate day = window.from(); !day.isAfter(window.to()); day = day.plusDays(1)) {
      DayLogs logs = days.get(day);
      if (logs == null || !logs.covered()) {
        notCovered.add(day);
      }
    }
    return ranges(notCovered);
  }

  /** Counts over every location, for summary.json. */
  public Map<String, Long> totals() {
    long locations = 0;
    long covered = 0;
    for (var regions : accounts.values()) {
      for (var days : regions.values()) {
        for (DayLogs logs : days.values()) {
          locations++;
          covered += logs.covered() ? 1 : 0;
        }
      }
    }
    Map<String, Long> totals = new TreeMap<>();
    totals.put("accounts", (long) accounts.size());
    totals.put("accountRegionDays", locations);
    totals.put("coveredAccountRegionDays", covered);
    totals.put("unlocatedRejectedFiles", unlocatedRejects);
    return totals;
  }
}
