package dev.trailtrim.policy;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One statement of an identity policy. Exactly one of {@code actions}/{@code notActions} and
 * one of {@code resources}/{@code notResources} is non-empty; the other is an empty list.
 *
 * @param sid        the statement id, or null when the statement has none
 * @param conditions {@link Conditions#NONE} when the statement has no Condition
 */
public record Statement(String sid, Effect effect, List<String> actions, List<String> notActions,
    List<String> resources, List<String> notResources, Conditions conditions) implements Serializable {

  public Statement {
    Objects.requireNonNull(effect, "effect");
    actions = actions == null ? List.of() : List.copyOf(actions);
    notActions = notActions == null ? List.of() : List.copyOf(notActions);
    resources = resources == null ? List.of() : List.copyOf(resources);
    notResources = notResources == null ? List.of() : List.copyOf(notResources);
    conditions = conditions == null ? Conditions.NONE : conditions;
    if (actions.isEmpty() == notActions.isEmpty()) {
      throw new IllegalArgumentException("Statement " + (sid == null ? "" : "'" + sid + "' ")
          + "needs exactly one of Action or NotAction, got Action " + actions + " and NotAction " + notActions);
    }
    if (resources.isEmpty() == notResources.isEmpty()) {
      throw new IllegalArgumentException("Statement " + (sid == null ? "" : "'" + sid + "' ")
          + "needs exactly one of Resource or NotResource, got Resource " + resources
          + " and NotResource " + notResources);
    }
  }

  /** An Allow statement with Action and Resource lists and the given conditions. */
  public static Statement allow(String sid, List<String> actions, List<String> resources, Conditions conditions) {
    return new Statement(sid, Effect.ALLOW, actions, List.of(), resources, List.of(), conditions);
  }

  public boolean conditional() {
    return !conditions.isEmpty();
  }

  public Statement withSid(String newSid) {
    return new Statement(newSid, effect, actions, notActions, resources, notResources, conditions);
  }
}
