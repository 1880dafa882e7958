package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.model.ObservationWindow;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The window's request contexts are summed over its days only when every day of it kept them (a day
 * stored before --suggest-conditions has none, and a condition from the other days could refuse its calls).
 */
class UsageWindowCallContextsTest {

  private static final String ROLE = "arn:aws:iam::111122223333:role/orders";
  private static final ObservationWindow NOV_1_TO_2 = new ObservationWindow(LocalDate.of(2026, 11, 1),
      LocalDate.of(2026, 11, 2));

  private static IngestStats day(String region, boolean keep) {
    IngestStats stats = new IngestStats(5);
    if (keep) {
      stats.keepCallContexts().callContext(ROLE, "s3:GetObject", region, null, null, null);
    }
    return stats;
  }

  @Test
  void everyDayOfTheWindowMustHaveKeptThem() {
    Map<DayKey, IngestStats> slices = new TreeMap<>();
    slices.put(new DayKey("2026-11-01", DayKey.FILES), new IngestStats(5).keepCallContexts());
    slices.put(new DayKey("2026-11-01", "2026-11-01"), day("us-east-1", true));
    slices.put(new DayKey("2026-11-02", "2026-11-02"), day("eu-west-1", true));
    slices.put(new DayKey("2026-11-03", "2026-11-03"), day("ap-south-1", false));
    IngestStats window = UsageWindow.stats(slices, NOV_1_TO_2, 5);
    assertTrue(window.keepsCallContexts(), "a day outside the window does not count");
    assertEquals(java.util.Set.of("eu-west-1", "us-east-1"), window.callContextsOf(ROLE).get("s3:GetObject")
        .regions());

    slices.put(new DayKey("2026-11-02", "2026-11-01"), day("us-east-1", false));
    assertFalse(UsageWindow.stats(slices, NOV_1_TO_2, 5).keepsCallContexts(),
        "a day of the window stored without them");
  }
}
