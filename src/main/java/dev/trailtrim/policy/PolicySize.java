package dev.trailtrim.policy;

import java.util.List;
import java.util.Objects;

/**
 * The suggested policy's size against IAM's limits, and how it is written.
 *
 * @param sizeWithoutWhitespace  what IAM counts
 * @param limit                  the inline limit per role ({@link PolicyJson#INLINE_ROLE_LIMIT})
 * @param withinLimit            fits as one inline policy
 * @param generalisedToFit       resources were widened to the granted patterns to fit
 * @param managedPoliciesNeeded  when it does not fit: how many managed policies of
 *                               {@link PolicyJson#MANAGED_POLICY_LIMIT} it is split into; 0 otherwise
 * @param layout                 one inline policy, or managed policies
 * @param partSizes              the size of each written document (one for {@link Layout#INLINE})
 */
public record PolicySize(int sizeWithoutWhitespace, int limit, boolean withinLimit, boolean generalisedToFit,
    int managedPoliciesNeeded, Layout layout, List<Integer> partSizes) {

  /** How the suggestion is written. */
  public enum Layout {
    /** One document within {@link PolicyJson#INLINE_ROLE_LIMIT}: {@code <role>.json}, for a role's inline policy. */
    INLINE("inline"),
    /** Documents of at most {@link PolicyJson#MANAGED_POLICY_LIMIT} each: {@code <role>.part-N.json}, managed policies. */
    MANAGED_POLICIES("managed-policies");

    private final String label;

    Layout(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public PolicySize {
    Objects.requireNonNull(layout, "layout");
    partSizes = List.copyOf(partSizes);
    if (partSizes.isEmpty() || (layout == Layout.INLINE) != (partSizes.size() == 1 && managedPoliciesNeeded == 0)) {
      throw new IllegalArgumentException("Layout " + layout + " does not fit " + partSizes.size() + " parts and "
          + managedPoliciesNeeded + " managed policies");
    }
  }
}
