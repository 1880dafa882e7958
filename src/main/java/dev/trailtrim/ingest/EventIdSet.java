package dev.trailtrim.ingest;

import java.util.HashSet;
import java.util.Set;

/**
 * The eventIDs one read task has seen in a group of files that two trails (or two copies of a
 * folder) may both have delivered. Exact, not hashed: a false "seen" would drop a call, and a
 * dropped call can be the only use of a permission, which would then be suggested for removal.
 * CloudTrail's eventIDs are lowercase UUIDs, kept as their 128 bits in an open-addressing table
 * (17 bytes a slot, one to two thirds full: 26 to 51 bytes an event, against about 125 for a
 * HashSet of the strings); any other eventID is kept as its string. One task owns it.
 */
public final class EventIdSet {

  private static final int MIN_SLOTS = 1024;

  /** Slot i holds the UUID (high[i], low[i]); used[i] says whether it holds one (0/0 is a UUID too). */
  private long[] high = new long[MIN_SLOTS];
  private long[] low = new long[MIN_SLOTS];
  private boolean[] used = new boolean[MIN_SLOTS];
  private int uuids;
  private final Set<String> others = new HashSet<>();

  /** Adds {@code eventId}; false when it was there already. */
  public boolean add(String eventId) {
    if (eventId.length() != 36) {
      return others.add(eventId);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 36; i++) {
      char c = eventId.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return others.add(eventId);
        }
        continue;
      }
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) {
        // Upper case too: "A" and "a" are different eventIDs to anyone comparing strings.
        return others.add(eventId);
      }
      if (i < 19) {
        hi = hi << 4 | digit;
      } else {
        lo = lo << 4 | digit;
      }
    }
    return addUuid(hi, lo);
  }

  public int size() {
    return uuids + others.size();
  }

  private boolean addUuid(long hi, long lo) {
    int mask = used.length - 1;
    for (int slot = spread(hi, lo) & mask;; slot = (slot + 1) & mask) {
      if (!used[slot]) {
        used[slot] = true;
        high[slot] = hi;
        low[slot] = lo;
        if (++uuids * 3L > used.length * 2L) {
          grow();
        }
        return true;
      }
      if (high[slot] == hi && low[slot] == lo) {
        return false;
      }
    }
  }

  /** Random UUIDs are uniform already; mixing only guards against ids that differ in few bits. */
  private static int spread(long hi, long lo) {
    long h = (hi ^ Long.rotateLeft(lo, 29)) * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    boolean[] oldUsed = used;
    high = new long[oldUsed.length * 2];
    low = new long[oldUsed.length * 2];
    used = new boolean[oldUsed.length * 2];
    int mask = used.length - 1;
    for (int i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) {
        int slot = spread(oldHigh[i], oldLow[i]) & mask;
        while (used[slot]) {
          slot = (slot + 1) & mask;
        }
        used[slot] = true;
        high[slot] = oldHigh[i];
        low[slot] = oldLow[i];
      }
    }
  }
}
