package dev.trailtrim.evidence;

import java.util.Objects;

/** One value of a selector condition on a resource's ARN: the ARN equals, starts with or ends with it. */
record ArnTest(Kind kind, String value) {

  enum Kind { EQUALS, STARTS_WITH, ENDS_WITH }

  ArnTest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }

  boolean test(String arn) {
    return switch (kind) {
      case EQUALS -> arn.equals(value);
      case STARTS_WITH -> arn.startsWith(value);
      case ENDS_WITH -> arn.endsWith(value);
    };
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT).replace("_", " ") + " '" + value + "'";
  }
}
