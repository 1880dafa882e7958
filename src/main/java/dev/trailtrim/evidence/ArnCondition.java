package dev.trailtrim.evidence;

import java.util.List;
import java.util.function.Predicate;

/**
 * A condition on a resource's ARN from one {@code resources.ARN} field selector (or the values of a
 * basic selector's data resource): one of {@code anyOf} passes (or it is empty), and none of
 * {@code noneOf} does.
 */
record ArnCondition(List<ArnTest> anyOf, List<ArnTest> noneOf) implements ArnFormula {

  ArnCondition {
    anyOf = List.copyOf(anyOf);
    noneOf = List.copyOf(noneOf);
  }

  @Override
  public boolean holds(Predicate<ArnTest> passes) {
    return (anyOf.isEmpty() || anyOf.stream().anyMatch(passes)) && noneOf.stream().noneMatch(passes);
  }

  ArnFormula anyOfFormula() {
    return passes -> anyOf.isEmpty() || anyOf.stream().anyMatch(passes);
  }
}
