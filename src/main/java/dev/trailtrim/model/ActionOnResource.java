package dev.trailtrim.model;

import java.util.Objects;

/**
 * One IAM permission a call needed: an action on a resource.
 *
 * <p>{@code resource} is an IAM resource pattern, written as in the {@code Resource} element of a
 * 2012-10-17 policy: {@code *} and {@code ?} are wildcards, and a literal {@code *}, {@code ?} or
 * {@code $} of a concrete ARN (an S3 key may hold any of them, a Lambda log stream holds
 * {@code [$LATEST]}) is escaped as {@code ${*}}, {@code ${?}}, {@code ${$}} (see
 * {@link #escapeLiteral}). So a concrete ARN is the pattern that names exactly it, and a call
 * whose exact resource is not known but whose shape is can say so: a secret named without its
 * random suffix is {@code arn:aws:secretsmanager:...:secret:prod/db-??????}. The translator is the
 * one place that builds these; everything after it (aggregation, analysis, the suggested policy)
 * uses them as patterns as they are. {@code *} alone means the action has no resource type or no
 * ARN can be derived from the record.
 */
public record ActionOnResource(IamAction action, String resource) implements Comparable<ActionOnResource> {

  public static final String ANY_RESOURCE = "*";

  public ActionOnResource {
    Objects.requireNonNull(action, "action");
    if (resource == null || resource.isEmpty()) {
      throw new IllegalArgumentException(
          "Resource of " + action + " must be an ARN pattern or '*', got '" + resource + "'");
    }
  }

  /**
   * The resource pattern that names exactly the concrete ARN {@code arn}: its {@code *}, {@code ?}
   * and {@code $} become {@code ${*}}, {@code ${?}}, {@code ${$}}. {@code *} alone stays {@code *}.
   */
  public static String escapeLiteral(String arn) {
    if (arn.equals(ANY_RESOURCE) || noneToEscape(arn)) {
      return arn;
    }
    StringBuilder out = new StringBuilder(arn.length());
    for (int i = 0; i < arn.length(); i++) {
      char c = arn.charAt(i);
      switch (c) {
        case '*' -> out.append("${*}");
        case '?' -> out.append("${?}");
        case '$' -> out.append("${$}");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Most ARNs hold none of {@code * ? $}: they are their own pattern, without a copy. */
  private static boolean noneToEscape(String arn) {
    for (int i = 0; i < arn.length(); i++) {
      char c = arn.charAt(i);
      if (c == '*' || c == '?' || c == '$') {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(ActionOnResource o) {
    int byAction = action.compareTo(o.action);
    return byAction != 0 ? byAction : resource.compareTo(o.resource);
  }
}
