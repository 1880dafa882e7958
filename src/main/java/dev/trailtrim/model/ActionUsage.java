package dev.trailtrim.model;

import java.util.Objects;

/**
 * Aggregated use of one permission by one role in the window: how often, and when. Successful
 * calls and refused calls are separate entries (errorCode null for successes), so a role that
 * was denied and later allowed shows both.
 *
 * @param access          the action and resource
 * @param errorCode       null for successful calls; e.g. {@code AccessDenied} otherwise
 * @param count           number of calls
 * @param firstSeenMillis earliest eventTime (epoch ms)
 * @param lastSeenMillis  latest eventTime (epoch ms)
 */
public record ActionUsage(ActionOnResource access, String errorCode, long count, long firstSeenMillis,
    long lastSeenMillis)
    implements Comparable<ActionUsage> {

  public ActionUsage {
    Objects.requireNonNull(access, "access");
    if (errorCode != null && errorCode.isEmpty()) {
      errorCode = null;
    }
    if (count <= 0 || firstSeenMillis > lastSeenMillis) {
      throw new IllegalArgumentException("Usage of " + access + " needs count > 0 and first <= last, got count "
          + count + ", first " + firstSeenMillis + ", last " + lastSeenMillis);
    }
  }

  public boolean succeeded() {
    return errorCode == null;
  }

  @Override
  public int compareTo(ActionUsage o) {
    int byAccess = access.compareTo(o.access);
    if (byAccess != 0) {
      return byAccess;
    }
    return String.valueOf(errorCode).compareTo(String.valueOf(o.errorCode));
  }
}
