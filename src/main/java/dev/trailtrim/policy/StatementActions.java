package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@link PolicyEvaluator#actionApplies} for one statement asked about many actions: a statement that names thousands
 * of actions (a {@code NotAction} kept within a boundary becomes one) answers each by a set lookup instead of a scan
 * of its list. Same answer as {@code actionApplies} for every action (StatementActionsTest).
 */
final class StatementActions {

  private final boolean notAction;
  /** The wildcard-free ASCII names of the statement, lower-cased: an ASCII action matches one by equality. */
  private final Set<String> asciiNames = new HashSet<>();
  /** Every other pattern: wildcards, and names outside ASCII. */
  private final List<String> others = new ArrayList<>();
  private final List<String> all;

  StatementActions(Statement statement) {
    notAction = statement.actions().isEmpty();
    all = notAction ? statement.notActions() : statement.actions();
    for (String pattern : all) {
      if (Patterns.isWildcardFree(pattern) && Patterns.isAscii(pattern)) {
        asciiNames.add(pattern.toLowerCase(Locale.ROOT));
      } else {
        others.add(pattern);
      }
    }
  }

  /**
   * @param asciiKey {@link #asciiKey} of the action: made once per action, as one action is asked of many statements
   */
  boolean applies(IamAction action, String asciiKey) {
    return notAction != names(action, asciiKey);
  }

  /** {@code service:name} lower-cased when both are ASCII (as every IAM action is); null otherwise. */
  static String asciiKey(IamAction action) {
    return Patterns.isAscii(action.service()) && Patterns.isAscii(action.name()) ? action.key() : null;
  }

  private boolean names(IamAction action, String asciiKey) {
    if (asciiKey == null) {
      // Outside ASCII the patterns compare by their lower-case forms (Patterns.actionMatchesByTokens): ask each.
      return all.stream().anyMatch(p -> Patterns.actionMatches(p, action));
    }
    if (asciiNames.contains(asciiKey)) {
      return true;
    }
    for (String pattern : others) {
      if (Patterns.actionMatches(pattern, action)) {
        return true;
      }
    }
    return false;
  }
}
