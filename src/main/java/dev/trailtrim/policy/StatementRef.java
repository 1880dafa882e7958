package dev.trailtrim.policy;

import java.util.Objects;

/**
 * Points at one statement of one labelled policy.
 *
 * @param statementNumber 1-based position in the policy's Statement list
 */
public record StatementRef(String policyLabel, int statementNumber, Statement statement) {

  public StatementRef {
    Objects.requireNonNull(policyLabel, "policyLabel");
    Objects.requireNonNull(statement, "statement");
  }

  /** The statement's Sid, or null. */
  public String sid() {
    return statement.sid();
  }

  public boolean conditional() {
    return statement.conditional();
  }

  /** e.g. {@code inline:orders-db#2 (Sid ReadOrders)}, for reports and messages. */
  @Override
  public String toString() {
    return policyLabel + "#" + statementNumber + (statement.sid() == null ? "" : " (Sid " + statement.sid() + ")");
  }
}
