package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedOnlyPolicyTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final String STREAM = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/cron:log-stream:"
      + "2026/11/01/[${$}LATEST]4f23";

  private static ActionOnResource call(String action, String resource) {
    return new ActionOnResource(IamAction.parse(action), resource);
  }

  private static boolean allows(PolicyDocument policy, String action, String resource) {
    return PolicyEvaluator.evaluate(GrantSet.of(new LabeledPolicy("observed", policy)), IamAction.parse(action),
        resource).allowed();
  }

  @Test
  void holdsExactlyTheSuccessfulCallsUnderSidsThatSaySo() {
    List<ActionOnResource> succeeded = List.of(call("s3:DeleteObject", "arn:aws:s3:::builds/tmp/a.zip"),
        call("s3:DeleteObject", "arn:aws:s3:::builds/tmp/b.zip"), call("s3:ListBucket", "arn:aws:s3:::builds"),
        call("logs:CreateLogStream", STREAM), call("sts:GetCallerIdentity", "*"));
    ObservedOnlyPolicy observed = ObservedOnlyPolicy.build(succeeded,
        List.of(call("s3:GetObject", "arn:aws:s3:::builds/tmp/c.zip")), CATALOG);
    assertEquals(PolicySize.Layout.INLINE, observed.layout());
    assertEquals(List.of(observed.policy()), observed.parts());
    assertEquals("""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "ObservedNotCheckedAgainstGrantsLogs",
              "Effect": "Allow",
              "Action": "logs:CreateLogStream",
              "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/cron:log-stream:2026/11/01/[${$}LATEST]4f23"
            },
            {
              "Sid": "ObservedNotCheckedAgainstGrantsS3",
              "Effect": "Allow",
              "Action": "s3:DeleteObject",
              "Resource": [
                "arn:aws:s3:::builds/tmp/a.zip",
                "arn:aws:s3:::builds/tmp/b.zip"
              ]
            },
            {
              "Sid": "ObservedNotCheckedAgainstGrantsS3Stmt2",
              "Effect": "Allow",
              "Action": "s3:ListBucket",
              "Resource": "arn:aws:s3:::builds"
            },
            {
              "Sid": "ObservedNotCheckedAgainstGrantsSts",
              "Effect": "Allow",
              "Action": "sts:GetCallerIdentity",
              "Resource": "*"
            }
          ]
        }
        """, PolicyJson.render(observed.policy()));
    for (ActionOnResource access : succeeded) {
      assertTrue(allows(observed.policy(), access.action().toString(), access.resource()), access.toString());
    }
    // Nothing generalised: a sibling key, a failed-after-authorization call, tomorrow's log stream are not allowed.
    assertTrue(!allows(observed.policy(), "s3:DeleteObject", "arn:aws:s3:::builds/tmp/other.zip"));
    assertTrue(!allows(observed.policy(), "s3:GetObject", "arn:aws:s3:::builds/tmp/c.zip"));
    assertTrue(!allows(observed.policy(), "logs:CreateLogStream", STREAM.replace("4f23", "9999")));
    assertEquals(List.of(
        "Left out: s3:GetObject on arn:aws:s3:::builds/tmp/c.zip, whose calls failed after IAM allowed them; add it if"
            + " the function needs it",
        "Names under arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/cron:log-stream: change with every"
            + " invocation, so the observed ones will not recur; widen them to"
            + " arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/cron:log-stream:* if the role's grants allow"
            + " that"),
        observed.notes());
  }

  @Test
  void anUnknownResourceIsWrittenAsStarAndSaidSo() {
    ObservedOnlyPolicy observed = ObservedOnlyPolicy.build(List.of(call("s3:GetObject", "*"),
        call("s3:GetObject", "arn:aws:s3:::builds/a")), List.of(), CATALOG);
    assertEquals(List.of("*"), observed.policy().statements().get(0).resources());
    assertTrue(observed.notes().get(0).startsWith("The resource of s3:GetObject calls is not in the logs"),
        observed.notes().toString());
  }

  @Test
  void aStatementOfSeveralServicesIsNamedAfterEachOfThem() {
    ObservedOnlyPolicy observed = ObservedOnlyPolicy.build(List.of(call("xray:PutTraceSegments", "*"),
        call("sts:GetCallerIdentity", "*")), List.of(), CATALOG);
    assertEquals(List.of("ObservedNotCheckedAgainstGrantsStsXray"),
        observed.policy().statements().stream().map(Statement::sid).toList());
  }

  @Test
  void nothingToBuildFromIsNoPolicy() {
    assertNull(ObservedOnlyPolicy.build(List.of(), List.of(call("s3:GetObject", "arn:aws:s3:::b/k")), CATALOG));
  }

  @Test
  void tooLargeForARoleIsSplitIntoManagedPolicies() {
    List<ActionOnResource> succeeded = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      succeeded.add(call("s3:GetObject", "arn:aws:s3:::builds/releases/artifact-" + i + ".zip"));
    }
    ObservedOnlyPolicy observed = ObservedOnlyPolicy.build(succeeded, List.of(), CATALOG);
    assertEquals(PolicySize.Layout.MANAGED_POLICIES, observed.layout());
    assertTrue(observed.parts().size() > 1, observed.parts().toString());
    for (PolicyDocument part : observed.parts()) {
      assertTrue(PolicyJson.sizeWithoutWhitespace(part) <= PolicyJson.MANAGED_POLICY_LIMIT);
      part.statements().forEach(s -> assertTrue(s.sid().startsWith(ObservedOnlyPolicy.SID_PREFIX), s.sid()));
    }
    for (ActionOnResource access : succeeded) {
      assertTrue(observed.parts().stream().anyMatch(p -> allows(p, "s3:GetObject", access.resource())));
    }
  }
}
