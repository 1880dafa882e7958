package dev.trailtrim.policy;

import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
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

  static final int STAR = -1;
  static final int QMARK = -2;

  private Patterns() {}

  public static boolean actionMatches(String pattern, IamAction action) {
    if (pattern.equals("*")) {
      return true;
    }
    // Every check of every statement goes through here. Most fail on the service: the pattern's literal ASCII
    // characters before any wildcard must be the action's, lower-cased, one for one.
    String service = action.service();
    for (int i = 0; i < pattern.length() && i < service.length(); i++) {
      char p = pattern.charAt(i);
      char t = service.charAt(i);
      if (p == '*' || p == '?' || p > 127 || t > 127) {
        break;
      }
      if (lowerAscii(p) != lowerAscii(t)) {
        return false;
      }
    }
    // ASCII names (all of IAM's) are matched in place.
    if (isAscii(pattern) && isAscii(action.service()) && isAscii(action.name())) {
      return asciiActionMatches(pattern, action);
    }
    return actionMatchesByTokens(pattern, action);
  }

  /** {@link #actionMatches} the general way; the fast paths above must agree with it (PatternsTest). */
  static boolean actionMatchesByTokens(String pattern, IamAction action) {
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
    // Large roles grant thousands of patterns: most are told apart by their text before any wildcard.
    int plain = plainPrefixLength(pattern);
    if (plain == pattern.length() && (!pattern.startsWith("arn:") || colons(pattern) >= 5)) {
      return pattern.equals(resource); // a whole ARN (or no ARN) without wildcards matches only its own text
    }
    return resource.regionMatches(0, pattern, 0, plain) && resourceMatchesByTokens(pattern, resource, variables);
  }

  /** {@link #resourceMatches} the general way; the fast path above must agree with it (PatternsTest). */
  static boolean resourceMatchesByTokens(String pattern, String resource, Variables variables) {
    if (variables == Variables.MATCH_NOTHING && hasPolicyVariable(pattern)) {
      return false;
    }
    return arnMatches(pattern, resource, variables, Mode.MATCH);
  }

  /**
   * Whether every resource a {@code candidate} pattern can match is also matched by
   * {@code granted}. The candidate is a resource pattern as {@link ActionOnResource} defines it
   * ({@code ${*}}-style escapes are literal characters, {@code *} and {@code ?} wildcards).
   * Answers false whenever it cannot prove it.
   */
  public static boolean resourceCovers(String granted, String candidate, Variables grantedVariables) {
    if (granted.equals("*")) {
      return true;
    }
    // Large roles grant thousands of patterns: most are told apart by their text before any wildcard.
    int plain = plainPrefixLength(granted);
    if (plain == granted.length()) {
      return granted.equals(candidate); // without wildcards, escapes or variables: only its own text
    }
    return candidate.regionMatches(0, granted, 0, plain)
        && resourceCoversByTokens(granted, candidate, grantedVariables);
  }

  /** {@link #resourceCovers} the general way; the fast path above must agree with it (PatternsTest). */
  static boolean resourceCoversByTokens(String granted, String candidate, Variables grantedVariables) {
    if (granted.equals("*")) {
      return true;
    }
    // The same text means the same, except in an old document, where ${*} is not an escape.
    if (granted.equals(candidate) && !hasPolicyVariable(granted)
        && (grantedVariables != Variables.LITERAL || !granted.contains("${"))) {
      return true;
    }
    if (grantedVariables == Variables.MATCH_NOTHING && hasPolicyVariable(granted)) {
      return false;
    }
    return arnMatches(granted, candidate, grantedVariables, Mode.COVER);
  }

  /**
   * Whether {@code pattern} may match some resource that the {@code candidate} pattern also
   * matches (both as in {@link #resourceCovers}). Answers true whenever it cannot rule it out,
   * so "may a Deny apply?" never misses one.
   */
  public static boolean resourceOverlaps(String pattern, String candidate, Variables variables) {
    if (pattern.equals("*") || candidate.equals("*")) {
      return true;
    }
    if (variables == Variables.MATCH_NOTHING && hasPolicyVariable(pattern)) {
      return false;
    }
    return arnMatches(pattern, candidate, variables, Mode.OVERLAP);
  }

  /** Whether a resource pattern is plain text (no wildcard, escape or variable): it covers only its own text. */
  static boolean isPlainText(String pattern) {
    return plainPrefixLength(pattern) == pattern.length();
  }

  /**
   * The length of the pattern's text before its first wildcard, escape or variable. Those characters
   * are matched one for one in every mode, so whatever the pattern matches or covers starts with them.
   */
  private static int plainPrefixLength(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?' || c == '$') {
        return i;
      }
    }
    return pattern.length();
  }

  private static int colons(String text) {
    int count = 0;
    for (int i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
      count++;
    }
    return count;
  }

  /**
   * Whether every character is ASCII: there {@link IamAction}'s case-insensitive equals and a plain lower-casing
   * ({@link IamAction#key}) agree (a few other letters, such as the Kelvin sign, fold differently).
   */
  public static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 127) {
        return false;
      }
    }
    return true;
  }

  /** {@link #wildcardMatches} of the lower-cased pattern against the lower-cased "service:name", without copies. */
  private static boolean asciiActionMatches(String pattern, IamAction action) {
    String service = action.service();
    String name = action.name();
    int length = service.length() + 1 + name.length();
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < length) {
      char c = t < service.length() ? service.charAt(t) : t == service.length() ? ':'
          : name.charAt(t - service.length() - 1);
      char w = p < pattern.length() ? pattern.charAt(p) : 0;
      if (p < pattern.length() && w == '*') {
        star = p++;
        mark = t;
      } else if (p < pattern.length() && (w == '?' || lowerAscii(w) == lowerAscii(c))) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Whether the text is a concrete resource: no wildcard and no escape or variable in it. */
  public static boolean isConcrete(String resource) {
    return resource.indexOf('*') < 0 && resource.indexOf('?') < 0 && !resource.contains("${");
  }

  /**
   * The pattern that matches exactly {@code resource}: wildcard characters and {@code $} in it
   * become IAM's escapes {@code ${*}}, {@code ${?}}, {@code ${$}} (valid in 2012-10-17 documents).
   */
  public static String escapeLiteral(String resource) {
    return ActionOnResource.escapeLiteral(resource);
  }

  /** How the target of {@link #arnMatches} is read and what is asked of it. */
  private enum Mode {
    /** The target is a concrete resource; does the pattern match it? */
    MATCH,
    /** The target is a pattern; does the pattern match everything it matches? */
    COVER,
    /** The target is a pattern; may the two match a common resource? */
    OVERLAP
  }

  private static boolean arnMatches(String pattern, String target, Variables variables, Mode mode) {
    String[] p = pattern.split(":", 6);
    String[] t = target.split(":", 6);
    if (!pattern.startsWith("arn:") || t.length < 2) {
      return segmentMatches(pattern, target, variables, mode);
    }
    int last = p.length - 1;
    if (p.length == 6) {
      if (t.length != 6) {
        // A shorter candidate pattern whose last segment has a * may still reach six segments.
        return mode == Mode.OVERLAP && t[t.length - 1].contains("*");
      }
      for (int i = 0; i < 6; i++) {
        if (!segmentMatches(p[i], t[i], variables, mode)) {
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
      if (!segmentMatches(p[i], t[i], variables, mode)) {
        return false;
      }
    }
    String rest = String.join(":", Arrays.copyOfRange(t, last, t.length));
    return segmentMatches(p[last], rest, variables, mode);
  }

  private static boolean segmentMatches(String pattern, String target, Variables variables, Mode mode) {
    int[] compiled = compile(pattern, variables);
    return switch (mode) {
      case MATCH -> wildcardMatches(compiled, literal(target));
      case COVER -> matches(compiled, compile(target, Variables.MATCH_NOTHING));
      case OVERLAP -> overlaps(compiled, compile(target, Variables.MATCH_NOTHING));
    };
  }

  private static int[] literal(String text) {
    int[] tokens = new int[text.length()];
    for (int i = 0; i < text.length(); i++) {
      tokens[i] = text.charAt(i);
    }
    return tokens;
  }

  private static int[] literalOrWild(String text) {
    int[] tokens = new int[text.length()];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      tokens[i] = c == '*' ? STAR : c == '?' ? QMARK : c;
    }
    return tokens;
  }

  /** Policies repeat a few patterns across very many checks; compiled forms are cached (bounded), one map per way. */
  private static final Map<Variables, Map<String, int[]>> COMPILED = new EnumMap<>(Map.of(
      Variables.MATCH_NOTHING, new ConcurrentHashMap<>(), Variables.MATCH_ANYTHING, new ConcurrentHashMap<>(),
      Variables.LITERAL, new ConcurrentHashMap<>()));
  private static final int CACHE_LIMIT = 100_000;

  /** Tokens of a resource pattern: characters, STAR, QMARK; escapes and variables resolved. */
  private static int[] compile(String pattern, Variables variables) {
    Map<String, int[]> compiled = COMPILED.get(variables);
    int[] cached = compiled.get(pattern);
    if (cached != null) {
      return cached;
    }
    if (compiled.size() > CACHE_LIMIT) {
      compiled.clear();
    }
    int[] tokens = compileUncached(pattern, variables);
    compiled.put(pattern, tokens);
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
          // MATCH_ANYTHING; or a variable in a candidate pattern, which may be any one value
          default -> tokens.add(STAR);
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
   * asking about containment) stands for any string or any one character: a target QMARK is
   * consumed by a pattern QMARK or STAR, a target STAR only by a pattern STAR that stays where it
   * is (so every string the target STAR may be is absorbed on the same path).
   */
  private static boolean matches(int[] pattern, int[] target) {
    for (int token : target) {
      if (token < 0) {
        return nfaMatches(pattern, target);
      }
    }
    return wildcardMatches(pattern, target);
  }

  /**
   * Pattern tokens against a target without STAR or QMARK: the classic greedy match that goes back to
   * the last STAR on a mismatch (no allocation; the last STAR absorbs whatever an earlier one could).
   */
  static boolean wildcardMatches(int[] pattern, int[] target) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < target.length) {
      if (p < pattern.length && pattern[p] == STAR) {
        star = p++;
        mark = t;
      } else if (p < pattern.length && (pattern[p] == QMARK || pattern[p] == target[t])) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] == STAR) {
      p++;
    }
    return p == pattern.length;
  }

  static boolean nfaMatches(int[] pattern, int[] target) {
    BitSet states = closure(pattern, bit(0));
    for (int token : target) {
      BitSet next = new BitSet(pattern.length + 1);
      for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
        if (s >= pattern.length) {
          continue;
        }
        int p = pattern[s];
        if (p == STAR) {
          next.set(s);
        } else if (token == STAR) {
          continue; // any string: only a pattern STAR can take it
        } else if (p == QMARK || (token != QMARK && p == token)) {
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

  /** Whether two token sequences (with STAR and QMARK) match some common string. */
  private static boolean overlaps(int[] a, int[] b) {
    int width = b.length + 1;
    boolean[] seen = new boolean[(a.length + 1) * width];
    java.util.ArrayDeque<int[]> queue = new java.util.ArrayDeque<>();
    queue.add(new int[] {0, 0});
    seen[0] = true;
    while (!queue.isEmpty()) {
      int[] state = queue.poll();
      int i = state[0];
      int j = state[1];
      if (i == a.length && j == b.length) {
        return true;
      }
      List<int[]> moves = new ArrayList<>(4);
      // A STAR may match nothing.
      if (i < a.length && a[i] == STAR) {
        moves.add(new int[] {i + 1, j});
      }
      if (j < b.length && b[j] == STAR) {
        moves.add(new int[] {i, j + 1});
      }
      // Both consume one common character.
      if (i < a.length && j < b.length && compatible(a[i], b[j])) {
        moves.add(new int[] {a[i] == STAR ? i : i + 1, b[j] == STAR ? j : j + 1});
      }
      for (int[] move : moves) {
        int key = move[0] * width + move[1];
        if (!seen[key]) {
          seen[key] = true;
          queue.add(move);
        }
      }
    }
    return false;
  }

  /** Whether one character can satisfy both tokens. */
  private static boolean compatible(int a, int b) {
    return a == STAR || a == QMARK || b == STAR || b == QMARK || a == b;
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
}
