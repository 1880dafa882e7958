package dev.trailtrim.ingest;

import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.CloudTrailEvent.Identity;
import dev.trailtrim.model.RoleContext;

/** Which IAM role a call belongs to, and what it says about the role being a Lambda's. */
public final class RoleAttribution {

  private RoleAttribution() {}

  /**
   * The role's ARN (with its path) for a call made in an assumed-role session, from
   * {@code sessionContext.sessionIssuer}; null for users, services, root and federated users.
   */
  public static String roleArn(CloudTrailEvent event) {
    return isRoleSession(event) && RoleContext.roleArnProblem(event.identity().sessionIssuerArn()) == null
        ? event.identity().sessionIssuerArn() : null;
  }

  /**
   * Why the call of a role session cannot be attributed: its {@code sessionIssuer.arn} is missing
   * or is not a role ARN. Null when it can be, or when the call was not made in a role session.
   */
  public static String roleArnProblem(CloudTrailEvent event) {
    return isRoleSession(event) ? RoleContext.roleArnProblem(event.identity().sessionIssuerArn()) : null;
  }

  private static boolean isRoleSession(CloudTrailEvent event) {
    Identity identity = event.identity();
    return "AssumedRole".equals(identity.type()) && "Role".equals(identity.sessionIssuerType());
  }

  /**
   * The function that made a role session's call, for usage per function: the session name when the call came
   * from the Lambda runtime or from the Lambda worker that writes the function's logs (Lambda names the execution
   * role's session after the function), else the empty string. Other sessions' names are random (a process, a
   * CI job, a person), so keeping them would multiply the stored usage; calls a service made on a function's
   * behalf carry the service's user agent and stay unattributed too.
   */
  public static String functionName(CloudTrailEvent event) {
    String agent = event.userAgent();
    boolean fromLambda = agent != null && (agent.contains("AWS_Lambda_") || agent.startsWith(LAMBDA_WORKER));
    String session = fromLambda && event.identity().invokedBy() == null ? event.identity().sessionName() : null;
    return session == null ? "" : session;
  }

  /** The user agent of the Lambda service's own calls for a function, such as creating its log stream. */
  static final String LAMBDA_WORKER = "awslambda-worker";

  /**
   * True when the caller's user agent names the Lambda runtime ({@code exec-env/AWS_Lambda_*},
   * which every AWS SDK adds inside a Lambda function).
   */
  public static boolean lambdaUserAgent(CloudTrailEvent event) {
    String agent = event.userAgent();
    return agent != null && agent.contains("AWS_Lambda_");
  }
}
