package dev.trailtrim.policy;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A statement's Condition block, kept verbatim so a suggested policy can carry it unchanged:
 * operator (e.g. {@code StringEquals}, {@code ForAnyValue:StringLike}, {@code ArnLikeIfExists})
 * to condition key to values. Scalar values are kept as strings (IAM compares numbers and
 * booleans as their string forms, so {@code true} and {@code "true"} mean the same).
 */
public record Conditions(SortedMap<String, SortedMap<String, List<String>>> operators) implements Serializable {

  public static final Conditions NONE = new Conditions(new TreeMap<>());

  public Conditions {
    TreeMap<String, SortedMap<String, List<String>>> copy = new TreeMap<>();
    for (Map.Entry<String, SortedMap<String, List<String>>> op : operators.entrySet()) {
      if (op.getKey() == null || op.getKey().isEmpty()) {
        throw new IllegalArgumentException("A condition operator must not be empty, got '" + op.getKey() + "'");
      }
      TreeMap<String, List<String>> keys = new TreeMap<>();
      for (Map.Entry<String, List<String>> key : op.getValue().entrySet()) {
        keys.put(key.getKey(), List.copyOf(key.getValue()));
      }
      copy.put(op.getKey(), Collections.unmodifiableSortedMap(keys));
    }
    operators = Collections.unmodifiableSortedMap(copy);
  }

  public boolean isEmpty() {
    return operators.isEmpty();
  }

  /** Compact one-line form for reports and messages, e.g. {@code StringEquals{aws:x=[a]}}. */
  @Override
  public String toString() {
    return operators.toString();
  }
}
