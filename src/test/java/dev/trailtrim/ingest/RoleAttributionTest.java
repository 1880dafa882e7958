package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.model.CloudTrailEvent;
import org.junit.jupiter.api.Test;

/** Which function made a role session's call: only calls from Lambda itself say, and then by the session's name. */
class RoleAttributionTest {

  private static CloudTrailEvent call(String sessionName, String userAgent, String invokedBy) {
    CloudTrailEvent.Identity identity = new CloudTrailEvent.Identity("AssumedRole",
        "arn:aws:sts::111122223333:assumed-role/shared-role/" + sessionName, "111122223333",
        "AROAEXAMPLE:" + sessionName, invokedBy, "Role", "arn:aws:iam::111122223333:role/shared-role");
    return new CloudTrailEvent(0, "s3.amazonaws.com", "GetObject", "us-east-1", "111122223333", null, identity,
        userAgent, null, null, null, "Data", false);
  }

  @Test
  void theLambdaRuntimeAndWorkerNameTheFunctionOtherSessionsNone() {
    assertEquals("invoice-renderer", RoleAttribution.functionName(call("invoice-renderer",
        "[aws-sdk-java/2.25.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17 exec-env/AWS_Lambda_java17]", null)));
    assertEquals("invoice-renderer", RoleAttribution.functionName(call("invoice-renderer",
        "awslambda-worker/1.0 rusoto/0.48.0 rust/1.77.2 linux", null)));
    // A service acting on the session's behalf, and a session of a process or person: no function known.
    assertEquals("", RoleAttribution.functionName(call("invoice-renderer", "s3.amazonaws.com", "s3.amazonaws.com")));
    assertEquals("", RoleAttribution.functionName(call("botocore-session-1700000000",
        "aws-cli/2.18.9 md/awscrt#0.22.0 ua/2.0 os/macos#23.6.0", null)));
    assertEquals("", RoleAttribution.functionName(call("invoice-renderer", null, null)));
  }
}
