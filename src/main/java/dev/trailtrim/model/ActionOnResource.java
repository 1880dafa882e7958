package dev.trailtrim.model;

import java.util.Objects;

/**
 * One IAM permission a call needed: an action on a resource ARN, or on {@code *} when the action
 * has no resource type or no ARN can be derived from the record.
 */
public record ActionOnResource(IamAction action, String resource) implements Comparable<ActionOnResource> {

  public static final String ANY_RESOURCE = "*";

  public ActionOnResource {
    Objects.requireNonNull(action, "action");
    if (resource == null || resource.isEmpty()) {
      throw new IllegalArgumentException("Resource of " + action + " must be an ARN or '*', got '" + resource + "'");
    }
  }

  @Override
  public int compareTo(ActionOnResource o) {
    int byAction = action.compareTo(o.action);
    return byAction != 0 ? byAction : resource.compareTo(o.resource);
  }
}
