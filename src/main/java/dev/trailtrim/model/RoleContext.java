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

  /** {@code arn:aws:iam::123:role/service-role/name} gives {@code name}. */
  public static String roleNameOf(String roleArn) {
    return roleArn.substring(roleArn.lastIndexOf('/') + 1);
  }
}
