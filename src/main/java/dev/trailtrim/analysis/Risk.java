package dev.trailtrim.analysis;

import dev.trailtrim.catalog.AccessLevel;

/**
 * How much an unused permission matters, most first: reports list unused permissions in this
 * order so that a reader starts with what an attacker would want.
 */
public enum Risk {
  /** Completes a privilege-escalation method of {@link PrivilegeEscalation} with the role's other grants. */
  PRIVILEGE_ESCALATION("privilege-escalation"),
  PERMISSIONS_MANAGEMENT("permissions-management"),
  WRITE("write"),
  TAGGING("tagging"),
  READ("read"),
  LIST("list"),
  /** The IAM catalog does not know the action, so neither its access level. */
  UNKNOWN("unknown"),
  /** Not effectively granted (the boundary blocks it, or IAM never matches the grant): removing it changes nothing. */
  NOT_EFFECTIVE("not-effective");

  private final String label;

  Risk(String label) {
    this.label = label;
  }

  /** How reports write it, e.g. {@code privilege-escalation}. */
  public String label() {
    return label;
  }

  /** The risk of an action's access level; {@link #UNKNOWN} for null. */
  public static Risk of(AccessLevel level) {
    if (level == null) {
      return UNKNOWN;
    }
    return switch (level) {
      case PERMISSIONS_MANAGEMENT -> PERMISSIONS_MANAGEMENT;
      case WRITE -> WRITE;
      case TAGGING -> TAGGING;
      case READ -> READ;
      case LIST -> LIST;
    };
  }
}
