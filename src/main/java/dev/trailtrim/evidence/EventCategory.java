package dev.trailtrim.evidence;

/** CloudTrail's {@code eventCategory} of a call: trails select management and data events separately. */
public enum EventCategory {
  MANAGEMENT("Management"),
  DATA("Data");

  private final String selectorValue;

  EventCategory(String selectorValue) {
    this.selectorValue = selectorValue;
  }

  /** The value advanced selectors compare {@code eventCategory} with. */
  public String selectorValue() {
    return selectorValue;
  }
}
