package dev.trailtrim.analysis;

import java.util.Objects;

/**
 * Which policy statement granted a permission, as a report names it.
 *
 * @param policyLabel     {@code inline:<name>} or {@code managed:<arn>}
 * @param policyName      the policy's name
 * @param policyArn       the managed policy's ARN; null for inline policies
 * @param statementNumber 1-based position in the policy's Statement list
 * @param statementSid    the statement's Sid, or null
 */
public record GrantRef(String policyLabel, String policyName, String policyArn, int statementNumber,
    String statementSid) implements Comparable<GrantRef> {

  public GrantRef {
    Objects.requireNonNull(policyLabel, "policyLabel");
    Objects.requireNonNull(policyName, "policyName");
  }

  @Override
  public int compareTo(GrantRef o) {
    int byLabel = policyLabel.compareTo(o.policyLabel);
    return byLabel != 0 ? byLabel : Integer.compare(statementNumber, o.statementNumber);
  }

  @Override
  public String toString() {
    return policyLabel + "#" + statementNumber + (statementSid == null ? "" : " (Sid " + statementSid + ")");
  }
}
