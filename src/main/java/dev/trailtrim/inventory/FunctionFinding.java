package dev.trailtrim.inventory;

import java.util.Objects;

/**
 * Something the inventory shows about a role or a function that the grants alone do not.
 *
 * @param rule     {@link FunctionFindings#NO_FUNCTION_USES_ROLE} or {@link FunctionFindings#FUNCTION_ROLE_UNKNOWN}
 * @param function the function's ARN; null for a finding about a role
 * @param detail   one sentence: what was found, on what evidence, and what to do
 */
public record FunctionFinding(String rule, String accountId, String roleArn, String function, String detail)
    implements Comparable<FunctionFinding> {

  public FunctionFinding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public int compareTo(FunctionFinding o) {
    int byRule = rule.compareTo(o.rule);
    if (byRule != 0) {
      return byRule;
    }
    int byRole = roleArn.compareTo(o.roleArn);
    return byRole != 0 ? byRole : String.valueOf(function).compareTo(String.valueOf(o.function));
  }
}
