package dev.trailtrim.aggregate;

import java.io.Serializable;

/**
 * Which slice of the counters an {@link dev.trailtrim.ingest.IngestStats} holds: the files of one
 * delivery folder ({@code eventDay} empty) or the records of one event day found in that folder.
 */
public record DayKey(String folderDay, String eventDay) implements Serializable, Comparable<DayKey> {

  public static final String FILES = "";

  public boolean filesLevel() {
    return eventDay.isEmpty();
  }

  @Override
  public int compareTo(DayKey o) {
    int byFolder = folderDay.compareTo(o.folderDay);
    return byFolder != 0 ? byFolder : eventDay.compareTo(o.eventDay);
  }
}
