package dev.trailtrim.aggregate;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The nightly state: the usage and counters of each CloudTrail delivery folder day already read,
 * so a run reads only the days it has not read before. {@link ParquetDayStateStore} keeps it in
 * files (local, HDFS or S3); {@link InMemoryDayStateStore} keeps it in the JVM, for tests.
 */
public interface DayStateStore {

  /** Where the state is, for the log. */
  String location();

  /**
   * The folder days stored, with the number of files each was made of (so a day whose folders
   * have gained a file since can be read again).
   */
  Map<String, Long> storedDays() throws IOException;

  /**
   * Stores the given folder days of a read (its usage rows and counters), each replacing what was
   * stored for that day before.
   */
  void store(Set<String> folderDays, UsagePipeline.Result read) throws IOException;

  /** The stored usage and counters of the given folder days, as the read that stored them had them. */
  UsagePipeline.Result load(Set<String> folderDays) throws IOException;
}
