package dev.trailtrim.inventory;

import java.util.Comparator;
import java.util.Objects;

/**
 * One function of a role, as its report lists it.
 *
 * @param runtime      null when only the logs name the function
 * @param architecture null when only the logs name the function
 * @param lastModified null when only the logs name the function
 * @param seenActive   whether the logs of the window hold calls of its sessions
 * @param evidence     what names it: the inventory file, the Lambda API, or {@link RoleFunctions#INFERRED}
 */
public record FunctionUse(String name, String region, String arn, String runtime, String architecture,
    String lastModified, boolean seenActive, String evidence) implements Comparable<FunctionUse> {

  private static final Comparator<FunctionUse> ORDER = Comparator.comparing(FunctionUse::name)
      .thenComparing(FunctionUse::region).thenComparing(FunctionUse::arn);

  public FunctionUse {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(evidence, "evidence");
  }

  @Override
  public int compareTo(FunctionUse o) {
    return ORDER.compare(this, o);
  }
}
