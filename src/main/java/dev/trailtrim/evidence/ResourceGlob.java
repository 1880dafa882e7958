package dev.trailtrim.evidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * An IAM resource pattern compiled to tokens with IAM's matching rules made explicit (as
 * {@link dev.trailtrim.policy.Patterns} applies them): in the partition, service, region and account
 * segments {@code *} and {@code ?} never match a colon; in the resource segment, in the last segment
 * of a shorter {@code arn:} pattern ending in {@code *}, and in a pattern not starting with
 * {@code arn:} they match anything. {@code ${*}}, {@code ${?}} and {@code ${$}} are the characters.
 *
 * <p>Pieces cut from a pattern (a literal followed by a tail of it, a head of it followed by a
 * literal) are rendered back to IAM text only when that text compiles to the same tokens, so a cut
 * never changes what a wildcard may match.
 */
final class ResourceGlob {

  static final int ANY_STAR = -1;
  static final int SEGMENT_STAR = -2;
  static final int ANY_ONE = -3;
  static final int SEGMENT_ONE = -4;

  private final int[] tokens;

  private ResourceGlob(int[] tokens) {
    this.tokens = tokens;
  }

  /**
   * The tokens of an IAM resource pattern without policy variables, or null when IAM's rules let it
   * match nothing (an {@code arn:} pattern of fewer than six segments not ending in {@code *}).
   *
   * @throws IllegalArgumentException when the pattern holds a policy variable such as {@code ${aws:username}}
   */
  static ResourceGlob compile(String pattern) {
    List<Integer> raw = new ArrayList<>();
    List<Boolean> wild = new ArrayList<>();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '$' && pattern.startsWith("${", i)) {
        int end = pattern.indexOf('}', i);
        String inside = end < 0 ? null : pattern.substring(i + 2, end);
        if (inside == null || !(inside.equals("*") || inside.equals("?") || inside.equals("$"))) {
          throw new IllegalArgumentException("Resource pattern '" + pattern + "' holds a policy variable");
        }
        raw.add((int) inside.charAt(0));
        wild.add(false);
        i = end;
      } else {
        raw.add((int) c);
        wild.add(c == '*' || c == '?');
      }
    }
    boolean arn = pattern.startsWith("arn:");
    int colons = (int) pattern.chars().filter(c -> c == ':').count();
    if (arn && colons < 5 && !pattern.endsWith("*")) {
      return null;
    }
    // Wildcards before this many colons stay within their segment.
    int boundedUpTo = !arn ? 0 : Math.min(colons, 5);
    int[] tokens = new int[raw.size()];
    int seen = 0;
    for (int i = 0; i < tokens.length; i++) {
      int c = raw.get(i);
      if (wild.get(i)) {
        boolean bounded = seen < boundedUpTo;
        tokens[i] = c == '*' ? (bounded ? SEGMENT_STAR : ANY_STAR) : (bounded ? SEGMENT_ONE : ANY_ONE);
      } else {
        tokens[i] = c;
        if (c == ':') {
          seen++;
        }
      }
    }
    return new ResourceGlob(tokens);
  }

  /** The pattern matching exactly {@code text}. */
  static ResourceGlob literal(String text) {
    return new ResourceGlob(text.chars().toArray());
  }

  int length() {
    return tokens.length;
  }

  int token(int i) {
    return tokens[i];
  }

  static boolean isStar(int token) {
    return token == ANY_STAR || token == SEGMENT_STAR;
  }

  static boolean isWildcard(int token) {
    return token < 0;
  }

  /** Characters the pattern names literally (for the finite alphabet of {@link ArnSpace}). */
  void addLiteralsTo(BitSet characters) {
    for (int t : tokens) {
      if (t >= 0) {
        characters.set(t);
      }
    }
  }

  ResourceGlob tail(int from) {
    return new ResourceGlob(Arrays.copyOfRange(tokens, from, tokens.length));
  }

  ResourceGlob head(int to) {
    return new ResourceGlob(Arrays.copyOfRange(tokens, 0, to));
  }

  ResourceGlob then(ResourceGlob next) {
    int[] joined = Arrays.copyOf(tokens, tokens.length + next.tokens.length);
    System.arraycopy(next.tokens, 0, joined, tokens.length, next.tokens.length);
    return new ResourceGlob(joined);
  }

  /** The start state of the pattern's automaton: position 0 and every position stars can skip to. */
  BitSet start() {
    BitSet start = new BitSet(tokens.length + 1);
    start.set(0);
    return closure(start);
  }

  /** The positions reached from {@code states} by reading {@code c}. */
  BitSet step(BitSet states, int c) {
    BitSet next = new BitSet(tokens.length + 1);
    for (int s = states.nextSetBit(0); s >= 0 && s < tokens.length; s = states.nextSetBit(s + 1)) {
      int t = tokens[s];
      switch (t) {
        case ANY_STAR -> next.set(s);
        case SEGMENT_STAR -> {
          if (c != ':') {
            next.set(s);
          }
        }
        case ANY_ONE -> next.set(s + 1);
        case SEGMENT_ONE -> {
          if (c != ':') {
            next.set(s + 1);
          }
        }
        default -> {
          if (t == c) {
            next.set(s + 1);
          }
        }
      }
    }
    return closure(next);
  }

  boolean accepts(BitSet states) {
    return states.get(tokens.length);
  }

  /** The positions reached after reading all of {@code text} from the start. */
  BitSet after(String text) {
    BitSet states = start();
    for (int i = 0; i < text.length() && !states.isEmpty(); i++) {
      states = step(states, text.charAt(i));
    }
    return states;
  }

  boolean matches(String text) {
    return accepts(after(text));
  }

  private BitSet closure(BitSet states) {
    for (int s = states.nextSetBit(0); s >= 0 && s < tokens.length; s = states.nextSetBit(s + 1)) {
      if (isStar(tokens[s])) {
        states.set(s + 1);
      }
    }
    return states;
  }

  /**
   * The IAM pattern text of these tokens, or null when no text means exactly them (a segment
   * wildcard that the text would place in the resource segment, or the reverse).
   */
  String render() {
    StringBuilder text = new StringBuilder();
    for (int t : tokens) {
      switch (t) {
        case ANY_STAR, SEGMENT_STAR -> text.append('*');
        case ANY_ONE, SEGMENT_ONE -> text.append('?');
        case '*' -> text.append("${*}");
        case '?' -> text.append("${?}");
        case '$' -> text.append("${$}");
        default -> text.appendCodePoint(t);
      }
    }
    String rendered = text.toString();
    ResourceGlob back = compile(rendered);
    return back != null && Arrays.equals(back.tokens, tokens) ? rendered : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceGlob other && Arrays.equals(tokens, other.tokens);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens);
  }

  @Override
  public String toString() {
    String rendered = render();
    return rendered != null ? rendered : Arrays.toString(tokens);
  }
}
