package dev.trailtrim.aggregate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which delivery folder days a run takes from the state, and which of the days it reads are
 * complete enough to store for the next run. Plain Java, apart from Spark, so the choice is
 * tested on its own.
 */
final class StateDays {

  private StateDays() {}

  /**
   * The stored days to use as stored: a stored day is used only while its folders hold the files
   * it was made of.
   *
   * @param plannedPerDay files planned now, by folder day ("" for files outside CloudTrail's layout)
   * @param storedDays    files each stored day was made of (empty when the state is off or rebuilt)
   */
  static Set<String> fromState(Map<String, Long> plannedPerDay, Map<String, Long> storedDays) {
    Set<String> fromState = new TreeSet<>();
    storedDays.forEach((day, files) -> {
      if (!day.isEmpty() && files.equals(plannedPerDay.get(day))) {
        fromState.add(day);
      }
    });
    return fromState;
  }

  /**
   * The read days CloudTrail has finished delivering: those that ended {@code completeAfterHours}
   * before {@code now}. Taken after the read, so a day that completes while it runs counts.
   *
   * @param readDays folder days of the files read ("" for files outside CloudTrail's layout)
   */
  static Set<String> complete(Collection<String> readDays, Instant now, int completeAfterHours) {
    Set<String> complete = new TreeSet<>();
    for (String day : readDays) {
      if (!day.isEmpty() && !LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC)
          .plusHours(completeAfterHours).toInstant().isAfter(now)) {
        complete.add(day);
      }
    }
    return complete;
  }
}
