package dev.trailtrim.catalog;

/** IAM's access levels, in the order a report lists risk (most sensitive first). */
public enum AccessLevel {
  PERMISSIONS_MANAGEMENT("Permissions management"),
  WRITE("Write"),
  TAGGING("Tagging"),
  READ("Read"),
  LIST("List");

  private final String label;

  AccessLevel(String label) {
    this.label = label;
  }

  /** The label AWS's service reference uses, e.g. {@code Permissions management}. */
  public String label() {
    return label;
  }

  public static AccessLevel fromLabel(String label) {
    for (AccessLevel level : values()) {
      if (level.label.equalsIgnoreCase(label) || level.name().equalsIgnoreCase(label)) {
        return level;
      }
    }
    throw new IllegalArgumentException("Unknown IAM access level '" + label
        + "': expected one of List, Read, Write, Permissions management, Tagging");
  }
}
