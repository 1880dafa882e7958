package dev.trailtrim.evidence;

import java.util.Map;
import java.util.Set;

/**
 * Calls CloudTrail logs as global service events: in the partition's global region (us-east-1
 * for aws) whatever region the caller named, and only into trails with
 * {@code IncludeGlobalServiceEvents} that are multi-region or live in that region (since November
 * 2021 a single-region trail elsewhere no longer receives them).
 */
final class GlobalServiceEvents {

  /** Sources whose every call is a global service event. */
  static final Set<String> GLOBAL_ONLY = Set.of(
      "iam.amazonaws.com",
      "cloudfront.amazonaws.com",
      "route53.amazonaws.com",
      "organizations.amazonaws.com",
      "signin.amazonaws.com");

  /**
   * Sources with a global endpoint (logged as global service events) and regional ones (logged where
   * called): a use is recorded only if both ways are.
   */
  static final Set<String> GLOBAL_OR_REGIONAL = Set.of("sts.amazonaws.com");

  private static final Map<String, String> GLOBAL_REGION = Map.of(
      "aws", "us-east-1",
      "aws-cn", "cn-north-1",
      "aws-us-gov", "us-gov-west-1");

  private GlobalServiceEvents() {}

  /** The region global service events of the partition are logged in, or null when trailtrim does not know it. */
  static String globalRegion(String partition) {
    return GLOBAL_REGION.get(partition);
  }
}
