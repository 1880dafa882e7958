package dev.trailtrim.ingest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose logs a delivered file holds: the account, region and day CloudTrail delivered it for.
 * Read from the delivery layout ({@code <account>/CloudTrail/<region>/YYYY/MM/DD/<file>}), else
 * from CloudTrail's own file name ({@code <account>_CloudTrail_<region>_<YYYYMMDD>T<HHMM>Z_<id>.json.gz}),
 * which survives a copy into a flat folder. What the coverage map counts a file under.
 */
public record LogLocation(String accountId, String region, LocalDate day) implements Comparable<LogLocation> {

  private static final Pattern LAYOUT = Pattern.compile(
      ".*/(\\d{12})/CloudTrail/([a-z]{2}(?:-[a-z0-9]+)+)/(\\d{4})/(\\d{2})/(\\d{2})/[^/]+$");
  private static final Pattern FILE_NAME = Pattern.compile(
      "(?:.*/)?(\\d{12})_CloudTrail_([a-z]{2}(?:-[a-z0-9]+)+)_(\\d{4})(\\d{2})(\\d{2})T\\d{4}Z_[^/]*$");

  public LogLocation {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(day, "day");
  }

  /** The location of a delivered file, or null when neither its folder nor its name tells. */
  public static LogLocation of(String uri) {
    LogLocation layout = match(LAYOUT, uri);
    return layout != null ? layout : match(FILE_NAME, uri);
  }

  private static LogLocation match(Pattern pattern, String uri) {
    Matcher m = pattern.matcher(uri);
    if (!m.matches()) {
      return null;
    }
    try {
      return new LogLocation(m.group(1), m.group(2), LocalDate.of(Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** {@code account/region/YYYY-MM-DD}: how the counters of {@link IngestStats} name a location. */
  public String key() {
    return accountId + "/" + region + "/" + day;
  }

  /** The inverse of {@link #key()}; null for anything else. */
  public static LogLocation ofKey(String key) {
    String[] parts = key.split("/");
    if (parts.length != 3) {
      return null;
    }
    try {
      return new LogLocation(parts[0], parts[1], LocalDate.parse(parts[2]));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public int compareTo(LogLocation o) {
    return key().compareTo(o.key());
  }
}
