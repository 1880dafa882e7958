package dev.trailtrim.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Decides a statement's Condition block against a request context, as IAM does for the string
 * operators and {@code Null}: the operators of a block, and the keys of an operator, must all be
 * true; the values of a key are alternatives. A key absent from the request makes a positive
 * operator false and a negated one ({@code StringNot...}) true; {@code ...IfExists} makes it true.
 * For a multivalued key, {@code ForAnyValue:} is true when some request value matches (false when
 * there is none), {@code ForAllValues:} when every request value does (true when there is none).
 * What it cannot decide (another operator, a key the context does not know, a policy variable, a
 * single-valued operator on a multivalued key) is {@link Outcome#UNKNOWN}; one false part makes the
 * whole block false all the same.
 */
public final class ConditionEvaluator {

  /** Whether a Condition block holds for a request. */
  public enum Outcome {
    TRUE, FALSE, UNKNOWN
  }

  private ConditionEvaluator() {}

  public static Outcome evaluate(Conditions conditions, RequestContext context) {
    Outcome result = Outcome.TRUE;
    for (Map.Entry<String, SortedMap<String, List<String>>> operator : conditions.operators().entrySet()) {
      for (Map.Entry<String, List<String>> key : operator.getValue().entrySet()) {
        Outcome part = evaluate(operator.getKey(), key.getKey(), key.getValue(), context);
        if (part == Outcome.FALSE) {
          return Outcome.FALSE;
        }
        if (part == Outcome.UNKNOWN) {
          result = Outcome.UNKNOWN;
        }
      }
    }
    return result;
  }

  /** One operator on one key. */
  static Outcome evaluate(String operator, String key, List<String> policyValues, RequestContext context) {
    String op = operator;
    String set = null;
    int colon = op.indexOf(':');
    if (colon > 0) {
      set = op.substring(0, colon);
      op = op.substring(colon + 1);
      if (!set.equals("ForAnyValue") && !set.equals("ForAllValues")) {
        return Outcome.UNKNOWN;
      }
    }
    boolean ifExists = op.endsWith("IfExists");
    String base = ifExists ? op.substring(0, op.length() - "IfExists".length()) : op;
    if (!context.knows(key) || policyValues.stream().anyMatch(v -> v.contains("${"))) {
      return Outcome.UNKNOWN;
    }
    List<String> requestValues = context.valuesOf(key);
    if (base.equals("Null")) {
      if (set != null || ifExists || policyValues.size() != 1
          || !(policyValues.get(0).equals("true") || policyValues.get(0).equals("false"))) {
        return Outcome.UNKNOWN;
      }
      return of(requestValues.isEmpty() == policyValues.get(0).equals("true"));
    }
    Boolean negated = negated(base);
    if (negated == null) {
      return Outcome.UNKNOWN;
    }
    if (requestValues.isEmpty()) {
      return ifExists ? Outcome.TRUE : set == null ? of(negated) : of("ForAllValues".equals(set));
    }
    if (set == null) {
      if (RequestContext.MULTIVALUED.contains(key.toLowerCase(Locale.ROOT)) || requestValues.size() != 1) {
        return Outcome.UNKNOWN;
      }
      return of(matchesAny(base, requestValues.get(0), policyValues) != negated);
    }
    boolean any = set.equals("ForAnyValue");
    for (String value : requestValues) {
      boolean holds = matchesAny(base, value, policyValues) != negated;
      if (any && holds) {
        return Outcome.TRUE;
      }
      if (!any && !holds) {
        return Outcome.FALSE;
      }
    }
    return of(!any);
  }

  /** Whether the string operator is negated; null for an operator this evaluator does not know. */
  private static Boolean negated(String base) {
    return switch (base) {
      case "StringEquals", "StringEqualsIgnoreCase", "StringLike" -> false;
      case "StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike" -> true;
      default -> null;
    };
  }

  /** Whether the request value matches one of the policy's values under the (positive form of the) operator. */
  private static boolean matchesAny(String base, String value, List<String> policyValues) {
    for (String policyValue : policyValues) {
      boolean match = switch (base) {
        case "StringEquals", "StringNotEquals" -> value.equals(policyValue);
        case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> value.equalsIgnoreCase(policyValue);
        default -> globMatches(policyValue, value);
      };
      if (match) {
        return true;
      }
    }
    return false;
  }

  /** StringLike: {@code *} any run of characters, {@code ?} any one, case-sensitive. */
  static boolean globMatches(String pattern, String value) {
    int p = 0;
    int v = 0;
    int star = -1;
    int resume = 0;
    while (v < value.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static Outcome of(boolean holds) {
    return holds ? Outcome.TRUE : Outcome.FALSE;
  }
}
