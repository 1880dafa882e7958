package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The eventIDs seen: exact, whatever the table's layout, against a plain set of the strings. */
class EventIdSetTest {

  @Test
  void agreesWithASetOfTheStringsOverManyIdsAndRepeats() {
    Random random = new Random(7);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
    }
    // UUIDs one bit apart, and the all-zero one, which an empty slot must not be mistaken for.
    ids.add("00000000-0000-0000-0000-000000000000");
    ids.add("00000000-0000-0000-0000-000000000001");
    ids.add("80000000-0000-0000-0000-000000000000");
    ids.add("00000000-0000-0000-8000-000000000000");
    EventIdSet seen = new EventIdSet();
    Set<String> expected = new HashSet<>();
    for (int round = 0; round < 2; round++) {
      for (String id : ids) {
        assertEquals(expected.add(id), seen.add(id), id);
      }
    }
    assertEquals(expected.size(), seen.size());
    assertFalse(seen.add(ids.get(0)));
    assertTrue(seen.add(new UUID(random.nextLong(), random.nextLong()).toString()));
  }

  @Test
  void idsThatAreNotLowercaseUuidsAreComparedAsStrings() {
    EventIdSet seen = new EventIdSet();
    String id = "3f2c1a7e-9b4d-4c2a-8e1f-0a1b2c3d4e5f";
    assertTrue(seen.add(id));
    assertTrue(seen.add(id.toUpperCase()), "another string is another eventID");
    assertTrue(seen.add("3f2c1a7e+9b4d-4c2a-8e1f-0a1b2c3d4e5f"), "a UUID's length with a '+' is no UUID");
    assertTrue(seen.add("event-1"));
    assertFalse(seen.add("event-1"));
    assertFalse(seen.add(id.toUpperCase()));
    assertTrue(seen.add(""));
    assertEquals(5, seen.size());
  }
}
