package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The choice of days to take from the state and to store, without Spark. */
class StateDaysTest {

  private static final Instant NOW = Instant.parse("2026-11-04T06:00:00Z");

  @Test
  void usesAStoredDayOnlyWhileItsFoldersHoldTheFilesItWasMadeOf() {
    assertEquals(Set.of("2026-11-01"), StateDays.fromState(Map.of("2026-11-01", 3L, "2026-11-02", 4L),
        Map.of("2026-11-01", 3L, "2026-11-02", 3L, "2026-10-20", 5L)));
  }

  @Test
  void storesADayOnlyOnceItEndedTheGivenHoursBeforeNow() {
    List<String> read = List.of("2026-11-02", "2026-11-03", "2026-11-03");
    assertEquals(Set.of("2026-11-02"), StateDays.complete(read, NOW, 7));
    assertEquals(Set.of("2026-11-02", "2026-11-03"), StateDays.complete(read, NOW, 6),
        "a day that ended exactly the given hours ago is complete");
  }

  @Test
  void neverUsesOrStoresFilesOutsideTheFolderLayout() {
    assertEquals(Set.of(), StateDays.fromState(Map.of("", 2L), Map.of("", 2L)));
    assertEquals(Set.of("2026-11-01"), StateDays.complete(List.of("", "2026-11-01"), NOW, 0));
  }
}
