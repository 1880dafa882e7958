package dev.trailtrim.model;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** The days of CloudTrail a run analyses, both ends inclusive, in UTC. */
public record ObservationWindow(LocalDate from, LocalDate to) implements java.io.Serializable {

  public ObservationWindow {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("Window end " + to + " is before its start " + from
          + ": pass --from on or before --to");
    }
  }

  public long days() {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  public boolean contains(LocalDate day) {
    return !day.isBefore(from) && !day.isAfter(to);
  }

  public boolean containsMillis(long epochMillis) {
    long start = from.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    long end = to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    return epochMillis >= start && epochMillis < end;
  }
}
