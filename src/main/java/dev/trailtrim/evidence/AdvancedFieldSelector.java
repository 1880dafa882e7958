package dev.trailtrim.evidence;

import java.util.List;

/**
 * One condition of an advanced event selector, on one field of the event record. Its
 * {@code Equals}, {@code StartsWith} and {@code EndsWith} values are alternatives (any may match);
 * its {@code Not*} values must all fail to match.
 *
 * @param unknownOperators names of operators this version of trailtrim does not know; a selector
 *                         with any of them is never taken as recording anything
 */
public record AdvancedFieldSelector(String field, List<String> equals, List<String> startsWith,
    List<String> endsWith, List<String> notEquals, List<String> notStartsWith, List<String> notEndsWith,
    List<String> unknownOperators) {

  public AdvancedFieldSelector {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("A field selector needs a Field such as resources.ARN, got '" + field + "'");
    }
    equals = List.copyOf(equals);
    startsWith = List.copyOf(startsWith);
    endsWith = List.copyOf(endsWith);
    notEquals = List.copyOf(notEquals);
    notStartsWith = List.copyOf(notStartsWith);
    notEndsWith = List.copyOf(notEndsWith);
    unknownOperators = List.copyOf(unknownOperators);
  }

  /** A field selector of {@code Equals} values only. */
  public static AdvancedFieldSelector equalTo(String field, String... values) {
    return new AdvancedFieldSelector(field, List.of(values), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of());
  }

  boolean hasPositiveValues() {
    return !equals.isEmpty() || !startsWith.isEmpty() || !endsWith.isEmpty();
  }

  boolean hasNegativeValues() {
    return !notEquals.isEmpty() || !notStartsWith.isEmpty() || !notEndsWith.isEmpty();
  }

  /** Whether a field value passes: one of the positive values matches (or there are none), and no negative one. */
  boolean accepts(String value) {
    if (value == null) {
      return false;
    }
    boolean positive = !hasPositiveValues()
        || equals.contains(value)
        || startsWith.stream().anyMatch(value::startsWith)
        || endsWith.stream().anyMatch(value::endsWith);
    return positive
        && !notEquals.contains(value)
        && notStartsWith.stream().noneMatch(value::startsWith)
        && notEndsWith.stream().noneMatch(value::endsWith);
  }
}
