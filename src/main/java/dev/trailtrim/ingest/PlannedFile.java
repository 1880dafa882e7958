package dev.trailtrim.ingest;

import java.io.Serializable;

/** A file the planner chose to read: its full URI and its length from the listing. */
public record PlannedFile(String uri, long length) implements Serializable, Comparable<PlannedFile> {

  @Override
  public int compareTo(PlannedFile o) {
    return uri.compareTo(o.uri);
  }
}
