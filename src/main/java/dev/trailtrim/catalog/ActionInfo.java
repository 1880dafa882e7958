package dev.trailtrim.catalog;

import dev.trailtrim.model.IamAction;
import java.util.List;
import java.util.Objects;

/**
 * What the IAM catalog knows of one action.
 *
 * @param action           canonical spelling, e.g. {@code s3:GetObject}
 * @param accessLevel      IAM's access level
 * @param resourceTypes    the resource types the action can be scoped to; empty when it only
 *                         supports {@code "Resource": "*"}
 * @param conditionKeys    condition keys the action supports
 * @param dependentActions actions IAM also requires, e.g. {@code iam:PassRole}
 */
public record ActionInfo(IamAction action, AccessLevel accessLevel, List<ActionResourceType> resourceTypes,
    List<String> conditionKeys, List<String> dependentActions) {

  public ActionInfo {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(accessLevel, "accessLevel");
    resourceTypes = List.copyOf(resourceTypes);
    conditionKeys = List.copyOf(conditionKeys);
    dependentActions = List.copyOf(dependentActions);
  }

  /** False when the action only supports {@code "Resource": "*"}. */
  public boolean hasResourceTypes() {
    return !resourceTypes.isEmpty();
  }
}
