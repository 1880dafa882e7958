package dev.trailtrim.analysis;

import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.model.IamAction;
import java.util.Comparator;
import java.util.Objects;

/**
 * A granted permission the window shows no use of, where absence of use is meaningful; or one an
 * identity policy grants but the permissions boundary blocks (rule {@code blocked-by-boundary}):
 * not effectively granted, so removing it changes nothing. Sorted by risk first, so reports lead
 * with what matters.
 *
 * @param action      a catalog action, or {@code service:*} for a NotAction statement reported per service
 * @param accessLevel null when the catalog does not know it (or for a per-service row)
 * @param resource    the granted resource pattern ({@code NotResource [...]} for NotResource statements)
 * @param decidedBy   the rule, e.g. {@code management-event-never-seen} or {@code blocked-by-boundary}
 * @param risk        how much it matters; for a per-service row, the highest of the service's actions
 * @param riskReason  one phrase saying why, e.g. {@code access level Write}
 */
public record UnusedPermission(IamAction action, AccessLevel accessLevel, String resource, GrantRef grantedBy,
    String decidedBy, Risk risk, String riskReason) implements Comparable<UnusedPermission> {

  private static final Comparator<UnusedPermission> ORDER = Comparator.comparing(UnusedPermission::risk)
      .thenComparing(UnusedPermission::action).thenComparing(UnusedPermission::resource)
      .thenComparing(UnusedPermission::grantedBy);

  public UnusedPermission {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(grantedBy, "grantedBy");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(risk, "risk");
    Objects.requireNonNull(riskReason, "riskReason");
  }

  @Override
  public int compareTo(UnusedPermission o) {
    return ORDER.compare(this, o);
  }
}
