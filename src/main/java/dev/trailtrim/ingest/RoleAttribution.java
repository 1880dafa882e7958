package dev.trailtrim.ingest;

import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.CloudTrailEvent.Identity;

/** Which IAM role a call belongs to, and what it says about the role being a Lambda's. */
public final class RoleAttribution {

  private RoleAttribution() {}

  /**
   * The role's ARN (with its path) for a call made in an assumed-role session, from
   * {@code sessionContext.sessionIssuer}; null for users, services, root and federated users.
   */
  public static String roleArn(CloudTrailEvent event) {
    Identity identity = event.identity();
    if (!"AssumedRole".equals(identity.type()) || !"Role".equals(identity.sessionIssuerType())) {
      return null;
    }
    String arn = identity.sessionIssuerArn();
    return arn != null && arn.startsWith("arn:") && arn.contains(":role/") ? arn : null;
  }

  /**
   * True when the caller's user agent names the Lambda runtime ({@code exec-env/AWS_Lambda_*},
   * which every AWS SDK adds inside a Lambda function).
   */
  public static boolean lambdaUserAgent(CloudTrailEvent event) {
    String agent = event.userAgent();
    return agent != null && agent.contains("AWS_Lambda_");
  }
}
