package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.Translation;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The calls per role and day that report.html charts, from the per-day counters. */
class UsageWindowCallsPerDayTest {

  private static final String ROLE = "arn:aws:iam::111122223333:role/orders";
  private static final String OTHER = "arn:aws:iam::111122223333:role/other";

  private static IngestStats calls(String role, int count) {
    IngestStats stats = new IngestStats(5);
    for (int i = 0; i < count; i++) {
      stats.roleCall(role, true, i % 2 == 0 ? Translation.Outcome.MAPPED : Translation.Outcome.UNMAPPED, "fn");
    }
    return stats;
  }

  @Test
  void sumsEachRolesCallsPerEventDayOfTheWindowOverAllDeliveryFolders() {
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    stats.put(new DayKey("2026-11-02", "2026-11-01"), calls(ROLE, 2));
    stats.put(new DayKey("2026-11-01", "2026-11-01"), calls(ROLE, 3));
    stats.put(new DayKey("2026-11-02", "2026-11-02"), calls(OTHER, 4));
    stats.put(new DayKey("2026-11-03", "2026-11-03"), calls(ROLE, 7));
    stats.put(new DayKey("2026-11-01", "2026-10-31"), calls(ROLE, 100));
    stats.put(new DayKey("2026-11-02", DayKey.FILES), calls(ROLE, 50));

    var perDay = UsageWindow.callsPerDay(stats, new ObservationWindow(LocalDate.of(2026, 11, 1),
        LocalDate.of(2026, 11, 3)));

    assertEquals(Map.of(LocalDate.of(2026, 11, 1), 5L, LocalDate.of(2026, 11, 3), 7L), perDay.get(ROLE),
        "days outside the window and file-level counters left out");
    assertEquals(Map.of(LocalDate.of(2026, 11, 2), 4L), perDay.get(OTHER));
  }
}
