package dev.trailtrim.drift;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One permission an identity policy of the role allows, as the snapshot writes it: an Action
 * pattern on a Resource pattern of an Allow statement ({@code NotAction [...]} or
 * {@code NotResource [...]} for the negated forms), with the policies that grant it.
 *
 * @param policies labels of the policies that grant it ({@code inline:<name>}, {@code managed:<arn>}), sorted
 */
public record Grant(String action, String resource, List<String> policies) implements Comparable<Grant> {

  private static final Comparator<Grant> ORDER = Comparator.comparing(Grant::action).thenComparing(Grant::resource);

  public Grant {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    policies = policies.stream().distinct().sorted().toList();
  }

  /** What two runs compare: the action on the resource, whichever policy grants it. */
  String key() {
    return action + " " + resource;
  }

  @Override
  public int compareTo(Grant o) {
    return ORDER.compare(this, o);
  }
}
