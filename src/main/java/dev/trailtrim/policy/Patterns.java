package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IAM's wildcard matching. Action patterns ({@code s3:Get*}, {@code *}) match case-insensitively.
 * Resource patterns match case-sensitively and segment by segment: {@code *} and {@code ?} stay
 * within one of the colon-separated segments partition, service, region and account, but in the
 * resource segment (everything after the fifth colon) {@code *} crosses {@code /} and {@code :};
 * a pattern with fewer than six segments whose last one ends in {@code *} lets that {@code *}
 * take the rest of the ARN. Policy variables are handled per {@link Variables}.
 */
public final class Patterns {

  /** How a resource pattern's policy variables ({@code ${aws:username}}) take part in matching. */
  public enum Variables {
    /** The pattern cannot be known to match: used for "is this granted?" (never widen). */
    MATCH_NOTHING,
    /** Every variable may be anything: used for "could this Deny apply?". */
    MATCH_ANYTHING,
    /** Not a variable at all: documents of version 2008-10-17 or without a Version. */
    LITERAL
  }

  private static final int STAR = -1;
  private static final int QMARK = -2;

  private Patterns() {}

  public static boolean actionMatches(String pattern, IamAction action) {
    if (pattern.equals("*")) {
      return true;
    }
    return matches(literalOrWild(pattern.toLowerCase(Locale.ROOT)), literal(action.key()));
  }

  /** Whether {@code pattern} can be the name of a concrete action: no wildcard in it. */
  public static boolean isWildcardFree(String pattern) {
    return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }

  public static boolean hasPolicyVariable(String pattern) {
    int start = pattern.indexOf("${");
    while (start >= 0) {
      int end = pattern.indexOf('}', start);
      if (end < 0) {
        return false;
      }
      String inside = pattern.substring(start + 2, end);
      if (!inside.equals("*") && !inside.equals("?") && !inside.equals("$")) {
        return true;
      }
      start = pattern.indexOf("${", end);
    }
    return false;
  }

  /**
   * Whether a resource pattern matches a concrete resource (an ARN, or {@code *} meaning "no
   * resource"). The resource is taken literally: a {@code *} in an S3 key is just a character.
   */
  public static boolean resourceMatches(String pattern, String resource, Variables variables) {
    if (variables == Variables.MATCH_NOTHING && hasPolicyVariable(pattern)) {
      return false;
    }
    return arnMatches(pattern, resource, variables, false);
  }

  /**
   * Whether every resource a {@code candidate} pattern (written by trailtrim: literal text with
   * {@code ${*}}-style escapes and at most a trailing {@code *}) can match is also matched by
   * {@code granted}. Answers false whenever it cannot prove it.
   */
  public static boolean resourceCovers(String granted, String candidate, Variables grantedVariables) {
    if (granted.equals("*")) {
      return true;
    }
    if (granted.equals(candidate) && !hasPolicyVariable(granted)) {
      return true;
    }
    if (grantedVariables == Variables.MATCH_NOTHING && hasPolicyVariable(granted)) {
      return false;
    }
    return arnMatches(granted, candidate, grantedVariables, true);
  }

  /**
   * The pattern that matches exactly {@code resource}: wildcard characters and {@code $} in it
   * become IAM's escapes {@code ${*}}, {@code ${?}}, {@code ${$}} (valid in 2012-10-17 documents).
   */
  public static String escapeLiteral(String resource) {
    if (resource.equals("*")) {
      return resource;
    }
    StringBuilder out = new StringBuilder(resource.length());
    for (int i = 0; i < resource.length(); i++) {
      char c = resource.charAt(i);
      switch (c) {
        case '*' -> out.append("${*}");
        case '?' -> out.append("${?}");
        case '$' -> out.append("${$}");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean arnMatches(String pattern, String target, Variables variables, boolean targetIsPattern) {
    String[] p = pattern.split(":", 6);
    String[] t = target.split(":", 6);
    if (!pattern.startsWith("arn:") || t.length < 2) {
      return matches(compile(pattern, variables), targetTokens(target, targetIsPattern));
    }
    int last = p.length - 1;
    if (p.length == 6) {
      if (t.length != 6) {
        return false;
      }
      for (int i = 0; i < 6; i++) {
        if (!matches(compile(p[i], variables), targetTokens(t[i], targetIsPattern))) {
          return false;
        }
      }
      return true;
    }
    // Fewer than six segments: only a trailing * may stand for the rest of the ARN.
    if (!p[last].endsWith("*") || t.length <= last) {
      return false;
    }
    for (int i = 0; i < last; i++) {
      if (!matches(compile(p[i], variables), targetTokens(t[i], targetIsPattern))) {
        return false;
      }
    }
    String rest = String.join(":", Arrays.copyOfRange(t, last, t.length));
    return matches(compile(p[last], variables), targetTokens(rest, targetIsPattern));
  }

  private static int[] targetTokens(String target, boolean targetIsPattern) {
    return targetIsPattern ? compile(target, Variables.MATCH_NOTHING) : literal(target);
  }

  private static int[] literal(String text) {
    return text.chars().toArray();
  }

  private static int[] literalOrWild(String text) {
    int[] tokens = new int[text.length()];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      tokens[i] = c == '*' ? STAR : c == '?' ? QMARK : c;
    }
    return tokens;
  }

  /** Policies repeat a few patterns across very many checks; compiled forms are cached (bounded). */
  private static final Map<String, int[]> COMPILED = new ConcurrentHashMap<>();
  private static final int CACHE_LIMIT = 100_000;

  /** Tokens of a resource pattern: characters, STAR, QMARK; escapes and variables resolved. */
  private static int[] compile(String pattern, Variables variables) {
    String key = variables.ordinal() + pattern;
    int[] cached = COMPILED.get(key);
    if (cached != null) {
      return cached;
    }
    if (COMPILED.size() > CACHE_LIMIT) {
      COMPILED.clear();
    }
    int[] tokens = compileUncached(pattern, variables);
    COMPILED.put(key, tokens);
    return tokens;
  }

  private static int[] compileUncached(String pattern, Variables variables) {
    if (variables == Variables.LITERAL || !pattern.contains("${")) {
      return literalOrWild(pattern);
    }
    List<Integer> tokens = new ArrayList<>();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      int end = c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{' ? pattern.indexOf('}', i) : -1;
      if (end > 0) {
        String inside = pattern.substring(i + 2, end);
        switch (inside) {
          case "*" -> tokens.add((int) '*');
          case "?" -> tokens.add((int) '?');
          case "$" -> tokens.add((int) '$');
          default -> tokens.add(STAR); // MATCH_ANYTHING; MATCH_NOTHING never gets here for matching
        }
        i = end + 1;
      } else {
        tokens.add(c == '*' ? STAR : c == '?' ? QMARK : (int) c);
        i++;
      }
    }
    return tokens.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * NFA match of pattern tokens against target tokens. A STAR or QMARK in the target (only when
   * asking about containment) can be consumed only by a pattern STAR; a target STAR is accepted
   * only where the pattern's remainder is all STARs, since the target STAR may be any suffix.
   */
  private static boolean matches(int[] pattern, int[] target) {
    BitSet states = closure(pattern, bit(0));
    for (int t = 0; t < target.length; t++) {
      int token = target[t];
      if (token == STAR) {
        if (t != target.length - 1) {
          return false; // only trailing stars in candidates are understood
        }
        for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
          if (s < pattern.length && allStars(pattern, s)) {
            return true;
          }
        }
        return false;
      }
      BitSet next = new BitSet(pattern.length + 1);
      for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
        if (s >= pattern.length) {
          continue;
        }
        int p = pattern[s];
        if (p == STAR) {
          next.set(s);
        } else if (token == QMARK) {
          continue; // a target ? (any one character) is covered only by a pattern STAR
        } else if (p == QMARK || p == token) {
          next.set(s + 1);
        }
      }
      states = closure(pattern, next);
      if (states.isEmpty()) {
        return false;
      }
    }
    return states.get(pattern.length);
  }

  private static BitSet bit(int i) {
    BitSet set = new BitSet();
    set.set(i);
    return set;
  }

  private static BitSet closure(int[] pattern, BitSet states) {
    BitSet result = (BitSet) states.clone();
    for (int s = result.nextSetBit(0); s >= 0; s = result.nextSetBit(s + 1)) {
      if (s < pattern.length && pattern[s] == STAR) {
        result.set(s + 1);
      }
    }
    return result;
  }

  private static boolean allStars(int[] pattern, int from) {
    for (int i = from; i < pattern.length; i++) {
      if (pattern[i] != STAR) {
        return false;
      }
    }
    return true;
  }
}
