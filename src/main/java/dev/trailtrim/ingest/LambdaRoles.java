package dev.trailtrim.ingest;

import dev.trailtrim.ingest.IngestStats.RoleEvidence;

/**
 * Decides whether a role is a Lambda execution role, and says on what evidence. The trust
 * policy decides when the snapshot has the role: only a role that trusts lambda.amazonaws.com
 * can be one. Without it, the logs decide: calls made from the Lambda runtime.
 */
public final class LambdaRoles {

  private LambdaRoles() {}

  /**
   * @param inSnapshot  whether the IAM snapshot has the role
   * @param trustsLambda whether its trust policy allows lambda.amazonaws.com
   * @param evidence    what the logs say of the role, or null when it made no calls
   * @return the evidence as a sentence for the report, or null when it is not a Lambda role
   */
  public static String evidence(boolean inSnapshot, boolean trustsLambda, RoleEvidence evidence) {
    if (inSnapshot) {
      return trustsLambda ? "trust policy allows lambda.amazonaws.com" : null;
    }
    if (evidence == null || evidence.lambdaRuntimeCalls() == 0) {
      return null;
    }
    return String.format("not in the IAM snapshot; %d of %d calls came from the Lambda runtime"
        + " (user agent exec-env/AWS_Lambda_*), in sessions named %s", evidence.lambdaRuntimeCalls(),
        evidence.calls(), String.join(", ", new java.util.TreeSet<>(evidence.sessionNames())));
  }
}
