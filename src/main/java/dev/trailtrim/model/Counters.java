package dev.trailtrim.model;

import java.util.Map;

/**
 * The names of what reading counts: the ingest counts under them, the state stores them and
 * {@code summary.json} reports them, so each is spelled once. Reasons go after a prefix, e.g.
 * {@code files.rejected.corrupt-gzip}.
 */
public final class Counters {

  public static final String FILES_PLANNED = "files.planned";
  public static final String FILES_READ = "files.read";
  public static final String FILES_REJECTED = "files.rejected.";
  public static final String FILES_SKIPPED = "files.skipped.";
  public static final String BYTES_READ = "bytes.read";
  public static final String PREFIXES_LISTED = "prefixes.listed";
  public static final String REGIONS_PLANNED = "regions.planned";
  /** Folders under a root the planner did not enter, each named in a note. */
  public static final String FOLDERS_NOT_ENTERED = "folders.notEntered";
  public static final String RECORDS_READ = "records.read";
  public static final String RECORDS_REJECTED = "records.rejected.";
  public static final String RECORDS_SKIPPED = "records.skipped.";
  /** Records that repeat an event read before (same eventID in the same account, region and day). */
  public static final String RECORDS_DUPLICATE = "records.duplicate";

  private Counters() {}

  /** The total of the counters under {@code prefix}, e.g. every file rejected whatever the reason. */
  public static long sumWithPrefix(Map<String, Long> counters, String prefix) {
    return counters.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue)
        .sum();
  }
}
