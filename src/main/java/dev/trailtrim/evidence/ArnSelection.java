package dev.trailtrim.evidence;

import java.util.List;
import java.util.function.Predicate;

/**
 * What one selector of one trail records of an event's resources: those whose ARN meets every
 * condition (with none, every resource).
 *
 * @param trail    the trail the selector belongs to
 * @param selector how a report names the selector: its Name, or {@code EventSelectors[0]}
 */
record ArnSelection(Trail trail, String selector, List<ArnCondition> conditions) implements ArnFormula {

  ArnSelection {
    conditions = List.copyOf(conditions);
  }

  @Override
  public boolean holds(Predicate<ArnTest> passes) {
    return conditions.stream().allMatch(c -> c.holds(passes));
  }

  String describe() {
    return "'" + trail.name() + "' (" + selector + ")";
  }
}
