package dev.trailtrim.evidence;

import java.util.function.Predicate;

/** A yes or no about a resource that depends only on which {@link ArnTest}s its ARN passes. */
@FunctionalInterface
interface ArnFormula {

  ArnFormula ANY = passes -> true;

  boolean holds(Predicate<ArnTest> passes);

  default boolean holdsFor(String arn) {
    return holds(test -> test.test(arn));
  }

  default ArnFormula negate() {
    return passes -> !holds(passes);
  }
}
