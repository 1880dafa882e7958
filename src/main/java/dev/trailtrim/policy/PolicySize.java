package dev.trailtrim.policy;

/**
 * The suggested policy's size against IAM's limits.
 *
 * @param sizeWithoutWhitespace  what IAM counts
 * @param limit                  the inline limit per role ({@link PolicyJson#INLINE_ROLE_LIMIT})
 * @param withinLimit            fits as one inline policy
 * @param generalisedToFit       resources were widened to the granted patterns to fit
 * @param managedPoliciesNeeded  when it does not fit: how many managed policies of
 *                               {@link PolicyJson#MANAGED_POLICY_LIMIT} the statements need; 0 otherwise
 */
public record PolicySize(int sizeWithoutWhitespace, int limit, boolean withinLimit, boolean generalisedToFit,
    int managedPoliciesNeeded) {}
