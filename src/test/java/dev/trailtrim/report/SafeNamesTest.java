package dev.trailtrim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafeNamesTest {

  /** Legal IAM role names, a role path, account ids from hostile logs, and what no one should send. */
  private static final List<String> HOSTILE = List.of("svc..role", "..", ".", ".hidden", "a/b", "/service-role/x",
      "..%2F..", "%2E%2E", "caf\u00e9-r\u00f4le", "\u5f79\u5272", "emoji-\ud83d\ude80", "a b", "a:b", "a\\b", "a*b?",
      "~empty", "x~0123456789abcdef", "role.part-1", "role.part-", "role.part-1x", "A+=,.@_-z", "\u0000",
      "r".repeat(64));

  @Test
  void keepsLegalIamNamesAsTheyAreApartFromLeadingDots() {
    assertEquals("orders-api-role", SafeNames.segment("orders-api-role"));
    assertEquals("A+=,.@_-z", SafeNames.segment("A+=,.@_-z"));
    assertEquals("svc..role", SafeNames.segment("svc..role"), "a dot inside a name is no path");
    assertEquals("111122223333", SafeNames.segment("111122223333"));
    assertEquals("%2E.", SafeNames.segment(".."));
    assertEquals("%2E", SafeNames.segment("."));
    assertEquals("%2Ehidden", SafeNames.segment(".hidden"));
  }

  @Test
  void percentEncodesEverythingElseAsUtf8() {
    assertEquals("%2Fservice-role%2Fx", SafeNames.segment("/service-role/x"));
    assertEquals("caf%C3%A9", SafeNames.segment("caf\u00e9"));
    assertEquals("emoji-%F0%9F%9A%80", SafeNames.segment("emoji-\ud83d\ude80"));
    assertEquals("%252E%252E", SafeNames.segment("%2E%2E"), "a % is encoded too, so escapes never pass through");
    assertEquals("a%3Ab", SafeNames.segment("a:b"));
    assertEquals("%7Eempty", SafeNames.segment("~empty"));
  }

  @Test
  void theEmptyNameIsVisible() {
    assertEquals("~empty", SafeNames.segment(""));
    assertEquals("", SafeNames.decode("~empty"));
  }

  @Test
  void aNameEndingLikeAPolicyPartNeverMeetsTheParts() {
    assertEquals("role%2Epart-1", SafeNames.segment("role.part-1"));
    assertNotEquals(SafeNames.segment("role") + ".part-1", SafeNames.segment("role.part-1"));
    assertEquals("role.part-", SafeNames.segment("role.part-"));
    assertEquals("role.part-1x", SafeNames.segment("role.part-1x"));
  }

  @Test
  void everySegmentIsOneSafePathSegment() {
    for (String name : HOSTILE) {
      String segment = SafeNames.segment(name);
      assertFalse(segment.isEmpty() || segment.startsWith(".") || segment.contains("/") || segment.contains("\\")
          || segment.contains(":"), name + " -> " + segment);
      assertTrue(segment.chars().allMatch(c -> c > 0x20 && c < 0x7f), name + " -> " + segment);
      assertTrue(segment.getBytes(StandardCharsets.UTF_8).length <= SafeNames.MAX_BYTES, name + " -> " + segment);
    }
  }

  @Test
  void decodesEveryReversibleSegmentBackToItsName() {
    for (String name : HOSTILE) {
      assertEquals(name, SafeNames.decode(SafeNames.segment(name)), name);
    }
    Random random = new Random(10);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder name = new StringBuilder();
      for (int n = random.nextInt(30); n > 0; n--) {
        name.appendCodePoint(
            random.nextInt(4) == 0 ? random.nextInt(0x10FFFF - 0xE000) + 0xE000 : random.nextInt(0x80));
      }
      String segment = SafeNames.segment(name.toString());
      if (!SafeNames.isShortened(segment)) {
        assertEquals(name.toString(), SafeNames.decode(segment));
      }
    }
  }

  @Test
  void shortensLongNamesToAPrefixAndAHashOfTheWholeName() {
    String longName = "p".repeat(300);
    String segment = SafeNames.segment(longName);
    assertEquals(SafeNames.MAX_BYTES, segment.length());
    assertTrue(segment.matches("p{103}~[0-9A-F]{16}"), segment);
    assertTrue(SafeNames.isShortened(segment));
    assertEquals(segment, SafeNames.segment(longName), "stable");
    assertNotEquals(segment, SafeNames.segment("p".repeat(299) + "q"), "names that differ only past the cut differ");
    assertThrows(IllegalArgumentException.class, () -> SafeNames.decode(segment));
    // 40 two-byte characters encode to 240 bytes: the cut never splits a %XX.
    String accented = SafeNames.segment("\u00e9".repeat(40));
    assertTrue(accented.matches("(%C3%A9)+(%C3)?~[0-9A-F]{16}"), accented);
    assertEquals("r".repeat(64), SafeNames.segment("r".repeat(64)), "IAM's longest role name is not shortened");
  }

  @Test
  void namesThatAreNotWellFormedUnicodeGetDistinctHashedSegments() {
    String high = SafeNames.segment("a\ud800");
    String low = SafeNames.segment("a\udc00");
    assertTrue(SafeNames.isShortened(high));
    assertNotEquals(high, low);
    assertNotEquals(SafeNames.segment("a\ufffd"), high);
  }

  @Test
  void differentNamesGetDifferentSegments() {
    Set<String> segments = new HashSet<>();
    for (String name : HOSTILE) {
      assertTrue(segments.add(SafeNames.segment(name)), name);
    }
    assertTrue(segments.add(SafeNames.segment("")));
  }

  @Test
  void decodeRefusesWhatTheEncoderNeverWrites() {
    assertThrows(IllegalArgumentException.class, () -> SafeNames.decode("a/b"));
    assertThrows(IllegalArgumentException.class, () -> SafeNames.decode("a%2"));
    assertThrows(IllegalArgumentException.class, () -> SafeNames.decode("%FF"));
  }
}
