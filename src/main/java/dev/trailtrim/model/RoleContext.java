package dev.trailtrim.model;

import java.util.Objects;

/**
 * Who a role is and why trailtrim treats it as a Lambda execution role.
 *
 * @param roleArn        with its path
 * @param accountId      owning account
 * @param roleName       without its path
 * @param window         the analysed days
 * @param lambdaEvidence which evidence decided, e.g. {@code trust policy allows lambda.amazonaws.com}
 */
public record RoleContext(String roleArn, String accountId, String roleName, ObservationWindow window,
    String lambdaEvidence) {

  public RoleContext {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(roleName, "roleName");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(lambdaEvidence, "lambdaEvidence");
  }

  /**
   * {@code arn:aws:iam::123:role/service-role/name} gives {@code name}; never throws, so a bad ARN
   * that got this far is named, not fatal (the empty string for null).
   */
  public static String roleNameOf(String roleArn) {
    return roleArn == null ? "" : roleArn.substring(roleArn.lastIndexOf('/') + 1);
  }

  /**
   * {@code arn:aws:iam::123:role/name} gives {@code 123}; never throws: the empty string when the
   * ARN has no account field.
   */
  public static String accountIdOf(String roleArn) {
    String[] parts = roleArn == null ? new String[0] : roleArn.split(":", 6);
    return parts.length == 6 ? parts[4] : "";
  }

  /**
   * Why {@code arn} is not an IAM role ARN ({@code arn:<partition>:iam::<account>:role/[path/]<name>}),
   * or null when it is one. Runs per record, so it scans instead of splitting.
   */
  public static String roleArnProblem(String arn) {
    if (arn == null) {
      return "the role ARN is missing";
    }
    int[] colons = new int[5];
    int found = 0;
    for (int at = arn.indexOf(':'); at >= 0 && found < 5; at = arn.indexOf(':', at + 1)) {
      colons[found++] = at;
    }
    if (found < 5) {
      return "'" + arn + "' has " + found + " colons, not the 5 of arn:partition:iam::account:role/name";
    }
    if (colons[0] != 3 || !arn.startsWith("arn") || colons[1] == colons[0] + 1) {
      return "'" + arn + "' does not start with arn:<partition>:";
    }
    if (!arn.regionMatches(colons[1] + 1, "iam", 0, 3) || colons[2] != colons[1] + 4) {
      return "'" + arn + "' is not an IAM ARN (its service is not iam)";
    }
    if (colons[3] != colons[2] + 1) {
      return "'" + arn + "' names a region; IAM ARNs have none";
    }
    if (colons[4] == colons[3] + 1) {
      return "'" + arn + "' names no account";
    }
    if (!arn.startsWith("role/", colons[4] + 1)) {
      return "'" + arn + "' is not a role ARN (its resource does not start with role/)";
    }
    if (arn.endsWith("/")) {
      return "'" + arn + "' names no role after role/";
    }
    return null;
  }
}
