package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision.Verdict;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases follow the examples of AWS's IAM User Guide (policy evaluation logic, NotAction, NotResource, boundaries). */
class PolicyEvaluatorTest {

  private static PolicyDocument doc(String statementsSingleQuoted) {
    return PolicyParser
        .parse(("{'Version':'2012-10-17','Statement':[" + statementsSingleQuoted + "]}").replace('\'', '"'));
  }

  private static GrantSet grants(String identityStatements) {
    return GrantSet.of(new LabeledPolicy("inline:p", doc(identityStatements)));
  }

  private static GrantSet grants(String identityStatements, String boundaryStatements) {
    return new GrantSet(List.of(new LabeledPolicy("inline:p", doc(identityStatements))),
        new LabeledPolicy("boundary:b", doc(boundaryStatements)));
  }

  static Stream<Arguments> cases() {
    String readBucket = "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}";
    String allS3 = "{'Effect':'Allow','Action':'s3:*','Resource':'*'}";
    return Stream.of(
        // identity policy allows; anything else is implicitly denied
        Arguments.of("allow matches", grants(readBucket), "s3:GetObject", "arn:aws:s3:::b/k/x.json", Verdict.ALLOWED),
        Arguments.of("implicit deny: other action", grants(readBucket), "s3:PutObject", "arn:aws:s3:::b/k",
            Verdict.NOT_ALLOWED),
        Arguments.of("implicit deny: other bucket", grants(readBucket), "s3:GetObject", "arn:aws:s3:::c/k",
            Verdict.NOT_ALLOWED),
        Arguments.of("bucket ARN is not an object", grants(readBucket), "s3:GetObject", "arn:aws:s3:::b",
            Verdict.NOT_ALLOWED),
        Arguments.of("actions are case-insensitive",
            grants("{'Effect':'Allow','Action':'S3:getobject','Resource':'*'}"),
            "s3:GetObject", "arn:aws:s3:::b/k", Verdict.ALLOWED),
        Arguments.of("resources are case-sensitive", grants(readBucket), "s3:GetObject", "arn:aws:s3:::B/k",
            Verdict.NOT_ALLOWED),
        Arguments.of("? is one character",
            grants("{'Effect':'Allow','Action':'s3:?etObject','Resource':'arn:aws:s3:::b/k?'}"),
            "s3:GetObject", "arn:aws:s3:::b/k1", Verdict.ALLOWED),
        Arguments.of("? is exactly one character",
            grants("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/k?'}"),
            "s3:GetObject", "arn:aws:s3:::b/k12", Verdict.NOT_ALLOWED),
        // explicit deny overrides any allow
        Arguments.of("explicit deny wins",
            grants(allS3 + ",{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'*'}"),
            "s3:DeleteObject", "arn:aws:s3:::b/k", Verdict.EXPLICITLY_DENIED),
        Arguments.of("deny of another action leaves the allow",
            grants(allS3 + ",{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'*'}"),
            "s3:GetObject", "arn:aws:s3:::b/k", Verdict.ALLOWED),
        Arguments.of("conditional deny may apply", grants(allS3 + ",{'Effect':'Deny','Action':'s3:*','Resource':'*',"
            + "'Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}"),
            "s3:GetObject", "arn:aws:s3:::b/k", Verdict.DENIED_OR_CONDITIONAL),
        // NotAction with Allow: everything in scope except the listed actions
        Arguments.of("NotAction allows the others",
            grants("{'Effect':'Allow','NotAction':'s3:DeleteBucket','Resource':'arn:aws:s3:::*'}"),
            "s3:GetObject", "arn:aws:s3:::b/k", Verdict.ALLOWED),
        Arguments.of("NotAction excludes the listed",
            grants("{'Effect':'Allow','NotAction':'s3:DeleteBucket','Resource':'arn:aws:s3:::*'}"),
            "s3:DeleteBucket", "arn:aws:s3:::b", Verdict.NOT_ALLOWED),
        Arguments.of("NotAction scoped to S3 ARNs does not give ListAllMyBuckets (needs *)",
            grants("{'Effect':'Allow','NotAction':'s3:DeleteBucket','Resource':'arn:aws:s3:::*'}"),
            "s3:ListAllMyBuckets", "*", Verdict.NOT_ALLOWED),
        Arguments.of("NotAction scoped to S3 ARNs does not reach EC2",
            grants("{'Effect':'Allow','NotAction':'s3:DeleteBucket','Resource':'arn:aws:s3:::*'}"),
            "ec2:TerminateInstances", "arn:aws:ec2:us-east-1:1:instance/i-1", Verdict.NOT_ALLOWED),
        Arguments.of("NotAction iam:* allows everything else",
            grants("{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}"),
            "ec2:RunInstances", "arn:aws:ec2:us-east-1:1:instance/*", Verdict.ALLOWED),
        Arguments.of("NotAction iam:* does not allow IAM",
            grants("{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}"),
            "iam:CreateUser", "arn:aws:iam::1:user/x", Verdict.NOT_ALLOWED),
        Arguments.of("Deny NotAction iam:* denies the others", grants("{'Effect':'Allow','Action':'*','Resource':'*'},"
            + "{'Effect':'Deny','NotAction':'iam:*','Resource':'*'}"), "s3:GetObject", "arn:aws:s3:::b/k",
            Verdict.EXPLICITLY_DENIED),
        // NotResource: the HRBucket/Payroll example
        Arguments.of("Deny NotResource denies other resources", grants(allS3 + ",{'Effect':'Deny','Action':'s3:*',"
            + "'NotResource':['arn:aws:s3:::HRBucket/Payroll','arn:aws:s3:::HRBucket/Payroll/*']}"),
            "s3:GetObject", "arn:aws:s3:::HRBucket/Other/x", Verdict.EXPLICITLY_DENIED),
        Arguments.of("Deny NotResource leaves the listed ones", grants(allS3 + ",{'Effect':'Deny','Action':'s3:*',"
            + "'NotResource':['arn:aws:s3:::HRBucket/Payroll','arn:aws:s3:::HRBucket/Payroll/*']}"),
            "s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/x", Verdict.ALLOWED),
        Arguments.of("Deny NotResource does not grant", grants("{'Effect':'Deny','Action':'s3:*',"
            + "'NotResource':['arn:aws:s3:::HRBucket/Payroll/*']}"), "s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/x",
            Verdict.NOT_ALLOWED),
        Arguments.of("Allow NotResource",
            grants("{'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::secret/*'}"),
            "s3:GetObject", "arn:aws:s3:::public/x", Verdict.ALLOWED),
        Arguments.of("Allow NotResource excludes",
            grants("{'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::secret/*'}"),
            "s3:GetObject", "arn:aws:s3:::secret/x", Verdict.NOT_ALLOWED),
        // permissions boundaries: the intersection
        Arguments.of("boundary allows", grants(allS3, "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}"),
            "s3:GetObject", "arn:aws:s3:::b/k", Verdict.ALLOWED),
        Arguments.of("boundary caps the identity policy",
            grants(allS3, "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}"),
            "s3:PutObject", "arn:aws:s3:::b/k", Verdict.NOT_ALLOWED_BY_BOUNDARY),
        Arguments.of("boundary alone grants nothing",
            grants("{'Effect':'Allow','Action':'sqs:SendMessage','Resource':'*'}",
                "{'Effect':'Allow','Action':'s3:*','Resource':'*'}"),
            "s3:GetObject", "arn:aws:s3:::b/k", Verdict.NOT_ALLOWED),
        Arguments.of("deny in the boundary wins", grants(allS3, "{'Effect':'Allow','Action':'*','Resource':'*'},"
            + "{'Effect':'Deny','Action':'s3:PutObject','Resource':'*'}"), "s3:PutObject", "arn:aws:s3:::b/k",
            Verdict.EXPLICITLY_DENIED),
        // ARN segments
        Arguments.of("* stays within the region segment", grants("{'Effect':'Allow','Action':'dynamodb:GetItem',"
            + "'Resource':'arn:aws:dynamodb:*:111:table/T'}"), "dynamodb:GetItem",
            "arn:aws:dynamodb:eu-west-1:111:table/T",
            Verdict.ALLOWED),
        Arguments.of("account segment must match", grants("{'Effect':'Allow','Action':'dynamodb:GetItem',"
            + "'Resource':'arn:aws:dynamodb:*:111:table/T'}"), "dynamodb:GetItem",
            "arn:aws:dynamodb:eu-west-1:222:table/T",
            Verdict.NOT_ALLOWED),
        Arguments.of("* crosses : and / in the resource segment",
            grants("{'Effect':'Allow','Action':'logs:PutLogEvents',"
                + "'Resource':'arn:aws:logs:*:*:log-group:/aws/lambda/*'}"),
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:2024/01/01/x", Verdict.ALLOWED),
        Arguments.of("a trailing * may take the rest of the ARN", grants("{'Effect':'Allow','Action':'sns:Publish',"
            + "'Resource':'arn:aws:sns:*'}"), "sns:Publish", "arn:aws:sns:us-east-1:1:topic", Verdict.ALLOWED),
        Arguments.of("Resource * does not match a specific-looking nothing", grants(readBucket), "s3:GetObject", "*",
            Verdict.NOT_ALLOWED),
        // policy variables: never widen an Allow, may apply for a Deny
        Arguments.of("variable in Allow matches nothing", grants("{'Effect':'Allow','Action':'s3:GetObject',"
            + "'Resource':'arn:aws:s3:::home/${aws:username}/*'}"), "s3:GetObject", "arn:aws:s3:::home/bob/x",
            Verdict.NOT_ALLOWED),
        Arguments.of("variable in Deny may apply", grants(allS3 + ",{'Effect':'Deny','Action':'s3:GetObject',"
            + "'Resource':'arn:aws:s3:::home/${aws:username}/*'}"), "s3:GetObject", "arn:aws:s3:::home/bob/x",
            Verdict.DENIED_OR_CONDITIONAL),
        Arguments.of("escaped * is a literal star", grants("{'Effect':'Allow','Action':'s3:GetObject',"
            + "'Resource':'arn:aws:s3:::b/a${*}b'}"), "s3:GetObject", "arn:aws:s3:::b/a${*}b", Verdict.ALLOWED),
        Arguments.of("escaped * matches only a star", grants("{'Effect':'Allow','Action':'s3:GetObject',"
            + "'Resource':'arn:aws:s3:::b/a${*}b'}"), "s3:GetObject", "arn:aws:s3:::b/axb", Verdict.NOT_ALLOWED),
        // the resource is a pattern (ActionOnResource): allowed when all it names is, denied when a Deny may meet it
        Arguments.of("a pattern is allowed when every resource it names is", grants("{'Effect':'Allow',"
            + "'Action':'secretsmanager:GetSecretValue','Resource':'arn:aws:secretsmanager:*:1:secret:prod/*'}"),
            "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-??????",
            Verdict.ALLOWED),
        Arguments.of("one granted instance does not allow the pattern", grants("{'Effect':'Allow',"
            + "'Action':'secretsmanager:GetSecretValue','Resource':'arn:aws:secretsmanager:*:1:secret:prod/db-Ab3dEf'}"),
            "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-??????",
            Verdict.NOT_ALLOWED),
        Arguments.of("a Deny that may meet the pattern may apply", grants(allS3 + ",{'Effect':'Deny','Action':'s3:*',"
            + "'Resource':'arn:aws:s3:::b/private/*'}"), "s3:DeleteObject", "arn:aws:s3:::b/*",
            Verdict.DENIED_OR_CONDITIONAL),
        Arguments.of("a Deny covering the pattern applies", grants(allS3 + ",{'Effect':'Deny','Action':'s3:*',"
            + "'Resource':'arn:aws:s3:::b/*'}"), "s3:DeleteObject", "arn:aws:s3:::b/tmp/*", Verdict.EXPLICITLY_DENIED),
        Arguments.of("Allow NotResource must exclude none of the pattern", grants("{'Effect':'Allow','Action':'s3:*',"
            + "'NotResource':'arn:aws:s3:::b/private/*'}"), "s3:DeleteObject", "arn:aws:s3:::b/*", Verdict.NOT_ALLOWED),
        Arguments.of("a boundary must cover the pattern", grants(allS3, "{'Effect':'Allow','Action':'s3:*',"
            + "'Resource':'arn:aws:s3:::b/public/*'}"), "s3:DeleteObject", "arn:aws:s3:::b/*",
            Verdict.NOT_ALLOWED_BY_BOUNDARY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void followsIamEvaluationLogic(String name, GrantSet grants, String action, String resource, Verdict expected) {
    assertEquals(expected, PolicyEvaluator.evaluate(grants, IamAction.parse(action), resource).verdict());
  }

  @Test
  void variablesAreLiteralInOldDocuments() {
    PolicyDocument old = PolicyParser.parse("{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${aws:username}\"}}");
    GrantSet grants = GrantSet.of(new LabeledPolicy("inline:old", old));
    // The key "${aws:username}" as a resource pattern (ActionOnResource) is written with its $ escaped.
    assertTrue(PolicyEvaluator.evaluate(grants, IamAction.parse("s3:GetObject"), "arn:aws:s3:::b/${$}{aws:username}")
        .allowed());
    assertFalse(PolicyEvaluator.evaluate(grants, IamAction.parse("s3:GetObject"), "arn:aws:s3:::b/bob").allowed());
  }

  @Test
  void namesTheAllowingStatementPreferringAnUnconditionalOne() {
    GrantSet grants = GrantSet.of(
        new LabeledPolicy("inline:a", doc("{'Sid':'Tagged','Effect':'Allow','Action':'s3:GetObject','Resource':'*',"
            + "'Condition':{'StringEquals':{'aws:ResourceTag/team':'x'}}}")),
        new LabeledPolicy("inline:b", doc("{'Effect':'Allow','Action':'sqs:*','Resource':'*'},"
            + "{'Sid':'Read','Effect':'Allow','Action':'s3:Get*','Resource':'arn:aws:s3:::b/*'}")));
    Decision plain = PolicyEvaluator.evaluate(grants, IamAction.parse("s3:GetObject"), "arn:aws:s3:::b/k");
    assertEquals("inline:b#2 (Sid Read)", plain.allowedBy().toString());
    assertFalse(plain.allowConditional());
    Decision tagged = PolicyEvaluator.evaluate(grants, IamAction.parse("s3:GetObject"), "arn:aws:s3:::c/k");
    assertEquals("inline:a#1 (Sid Tagged)", tagged.allowedBy().toString());
    assertTrue(tagged.allowConditional());
    assertTrue(tagged.allowed());
  }

  @Test
  void reportsTheDenies() {
    GrantSet grants = grants("{'Effect':'Allow','Action':'*','Resource':'*'},"
        + "{'Sid':'NoDelete','Effect':'Deny','Action':'s3:Delete*','Resource':'*'}");
    Decision decision = PolicyEvaluator.evaluate(grants, IamAction.parse("s3:DeleteObject"), "arn:aws:s3:::b/k");
    assertEquals(Verdict.EXPLICITLY_DENIED, decision.verdict());
    assertEquals("[inline:p#2 (Sid NoDelete)]", decision.denies().toString());
    assertFalse(decision.allowedUnlessConditionalDeny());
  }
}
