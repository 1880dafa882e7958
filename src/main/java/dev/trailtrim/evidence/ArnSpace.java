package dev.trailtrim.evidence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Decides questions about every resource ARN a granted pattern can reach, within the ARNs of one
 * resource type ({@code universe}), by exploring the product of the pattern's automaton, the
 * universe's and those of the selector values' tests. The alphabet is finite: the characters any
 * of them names, plus one that none names (which stands for every other character, since no test
 * can tell them apart). So the answers are exact, not sampled.
 */
final class ArnSpace {

  /** Past this many product states a question is given up as too complex (callers then keep the grant). */
  static final int MAX_STATES = 200_000;

  static final class TooComplex extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooComplex() {
      super("too many selector values to decide", null, false, false);
    }
  }

  private final ResourceGlob universe;
  private final List<ArnTest> tests;

  ArnSpace(ResourceGlob universe, Collection<ArnTest> tests) {
    this.universe = universe;
    this.tests = List.copyOf(new LinkedHashSet<>(tests));
  }

  /** Whether some resource of the universe that {@code glob} matches makes {@code formula} true. */
  boolean exists(ResourceGlob glob, ArnFormula formula) {
    return witness(glob, formula) != null;
  }

  /**
   * A resource of the universe that {@code glob} matches and for which {@code formula} holds, or null
   * when there is none.
   *
   * @throws TooComplex past {@link #MAX_STATES}
   */
  String witness(ResourceGlob glob, ArnFormula formula) {
    int[] alphabet = alphabet(glob);
    Map<ArnTest, Integer> index = new HashMap<>();
    for (int i = 0; i < tests.size(); i++) {
      index.put(tests.get(i), i);
    }
    State start = new State(glob.start(), universe.start(), initialTestStates(), null, -1);
    Map<State, State> seen = new HashMap<>();
    ArrayDeque<State> queue = new ArrayDeque<>();
    seen.put(start, start);
    queue.add(start);
    while (!queue.isEmpty()) {
      State state = queue.poll();
      if (glob.accepts(state.glob) && universe.accepts(state.universe)) {
        int[] testStates = state.tests;
        boolean holds = formula.holds(test -> passes(test, testStates[index.get(test)]));
        if (holds) {
          return state.text();
        }
      }
      for (int c : alphabet) {
        BitSet nextGlob = glob.step(state.glob, c);
        if (nextGlob.isEmpty()) {
          continue;
        }
        BitSet nextUniverse = universe.step(state.universe, c);
        if (nextUniverse.isEmpty()) {
          continue;
        }
        int[] nextTests = new int[tests.size()];
        for (int i = 0; i < nextTests.length; i++) {
          nextTests[i] = stepTest(tests.get(i), state.tests[i], c);
        }
        State next = new State(nextGlob, nextUniverse, nextTests, state, c);
        if (seen.putIfAbsent(next, next) == null) {
          if (seen.size() > MAX_STATES) {
            throw new TooComplex();
          }
          queue.add(next);
        }
      }
    }
    return null;
  }

  private int[] alphabet(ResourceGlob glob) {
    BitSet characters = new BitSet();
    glob.addLiteralsTo(characters);
    universe.addLiteralsTo(characters);
    for (ArnTest test : tests) {
      test.value().chars().forEach(characters::set);
    }
    characters.set(':');
    characters.set('/');
    // One character no pattern or test names stands for all such characters.
    for (int fresh : new int[] {'x', 'q', 'z', '0', '_', '.'}) {
      if (!characters.get(fresh)) {
        characters.set(fresh);
        return characters.stream().toArray();
      }
    }
    characters.set(characters.nextClearBit(0x4E00));
    return characters.stream().toArray();
  }

  private int[] initialTestStates() {
    return new int[tests.size()];
  }

  private static final int DEAD = -1;

  /** Equals and starts-with: how many characters of the value were read (DEAD once one differs). Ends-with: KMP. */
  private static int stepTest(ArnTest test, int state, int c) {
    String value = test.value();
    int length = value.length();
    return switch (test.kind()) {
      case EQUALS -> state >= 0 && state < length && value.charAt(state) == c ? state + 1 : DEAD;
      case STARTS_WITH -> state == length ? length
          : state >= 0 && value.charAt(state) == c ? state + 1 : DEAD;
      case ENDS_WITH -> longestSuffixThatIsPrefix(value, state, c);
    };
  }

  /** The longest prefix of {@code value} that ends the text whose longest such prefix was {@code matched}, then {@code c}. */
  private static int longestSuffixThatIsPrefix(String value, int matched, int c) {
    for (int k = Math.min(matched + 1, value.length()); k > 0; k--) {
      if (value.charAt(k - 1) == c && value.regionMatches(0, value, matched - k + 1, k - 1)) {
        return k;
      }
    }
    return 0;
  }

  private static boolean passes(ArnTest test, int state) {
    return state == test.value().length();
  }

  /** One product state; parent and character only to spell a witness, not part of equality. */
  private static final class State {
    final BitSet glob;
    final BitSet universe;
    final int[] tests;
    final State parent;
    final int character;

    State(BitSet glob, BitSet universe, int[] tests, State parent, int character) {
      this.glob = glob;
      this.universe = universe;
      this.tests = tests;
      this.parent = parent;
      this.character = character;
    }

    String text() {
      List<Integer> characters = new ArrayList<>();
      for (State s = this; s.parent != null; s = s.parent) {
        characters.add(s.character);
      }
      StringBuilder text = new StringBuilder(characters.size());
      for (int i = characters.size() - 1; i >= 0; i--) {
        text.appendCodePoint(characters.get(i));
      }
      return text.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State other && glob.equals(other.glob) && universe.equals(other.universe)
          && Arrays.equals(tests, other.tests);
    }

    @Override
    public int hashCode() {
      return (glob.hashCode() * 31 + universe.hashCode()) * 31 + Arrays.hashCode(tests);
    }
  }
}
