package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.ConditionEvaluator.Outcome;
import dev.trailtrim.policy.Decision.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The condition operators as the IAM User Guide defines them (condition operators, single- and
 * multivalued context keys, ...IfExists, Null): a key absent from the request makes a positive
 * operator false and a negated one true; ForAnyValue is false and ForAllValues true on no values;
 * what the context cannot tell stays unknown.
 */
class ConditionEvaluatorTest {

  private static final RequestContext IN_US_EAST_1 = new RequestContext(Map.of(
      "aws:RequestedRegion", List.of("us-east-1"), "aws:SourceVpce", List.of(), "aws:CalledVia", List.of()));
  private static final RequestContext VIA_ATHENA = new RequestContext(Map.of(
      "aws:CalledVia", List.of("athena.amazonaws.com", "dynamodb.amazonaws.com")));

  private static Outcome eval(String operator, String key, RequestContext context, String... values) {
    return ConditionEvaluator.evaluate(operator, key, List.of(values), context);
  }

  @Test
  void singleValuedKeysCompareAsIamDoes() {
    assertEquals(Outcome.TRUE, eval("StringEquals", "aws:RequestedRegion", IN_US_EAST_1, "eu-west-1", "us-east-1"));
    assertEquals(Outcome.FALSE, eval("StringEquals", "aws:RequestedRegion", IN_US_EAST_1, "eu-west-1"));
    assertEquals(Outcome.TRUE, eval("StringEquals", "AWS:requestedregion", IN_US_EAST_1, "us-east-1"),
        "keys compare without case");
    assertEquals(Outcome.FALSE, eval("StringEquals", "aws:RequestedRegion", IN_US_EAST_1, "US-EAST-1"),
        "values compare with case");
    assertEquals(Outcome.TRUE, eval("StringEqualsIgnoreCase", "aws:RequestedRegion", IN_US_EAST_1, "US-EAST-1"));
    assertEquals(Outcome.TRUE, eval("StringNotEquals", "aws:RequestedRegion", IN_US_EAST_1, "eu-west-1"));
    assertEquals(Outcome.TRUE, eval("StringLike", "aws:RequestedRegion", IN_US_EAST_1, "us-*"));
    assertEquals(Outcome.TRUE, eval("StringLike", "aws:RequestedRegion", IN_US_EAST_1, "us-east-?"));
    assertEquals(Outcome.FALSE, eval("StringNotLike", "aws:RequestedRegion", IN_US_EAST_1, "us-*"));
  }

  @Test
  void anAbsentKeyFailsPositiveOperatorsAndPassesNegatedOnesAndIfExists() {
    assertEquals(Outcome.FALSE, eval("StringEquals", "aws:SourceVpce", IN_US_EAST_1, "vpce-1"));
    assertEquals(Outcome.TRUE, eval("StringNotEquals", "aws:SourceVpce", IN_US_EAST_1, "vpce-1"));
    assertEquals(Outcome.TRUE, eval("StringEqualsIfExists", "aws:SourceVpce", IN_US_EAST_1, "vpce-1"));
    assertEquals(Outcome.TRUE, eval("Null", "aws:SourceVpce", IN_US_EAST_1, "true"));
    assertEquals(Outcome.FALSE, eval("Null", "aws:RequestedRegion", IN_US_EAST_1, "true"));
  }

  @Test
  void multivaluedKeysNeedASetOperator() {
    assertEquals(Outcome.TRUE, eval("ForAnyValue:StringEquals", "aws:CalledVia", VIA_ATHENA, "athena.amazonaws.com"));
    assertEquals(Outcome.FALSE, eval("ForAllValues:StringEquals", "aws:CalledVia", VIA_ATHENA, "athena.amazonaws.com"));
    assertEquals(Outcome.TRUE, eval("ForAllValues:StringEquals", "aws:CalledVia", VIA_ATHENA, "athena.amazonaws.com",
        "dynamodb.amazonaws.com"));
    assertEquals(Outcome.FALSE, eval("ForAnyValue:StringEquals", "aws:CalledVia", IN_US_EAST_1, "athena.amazonaws.com"),
        "no value: ForAnyValue is false");
    assertEquals(Outcome.TRUE, eval("ForAllValues:StringEquals", "aws:CalledVia", IN_US_EAST_1, "athena.amazonaws.com"),
        "no value: ForAllValues is true");
    assertEquals(Outcome.UNKNOWN, eval("StringEquals", "aws:CalledVia", VIA_ATHENA, "athena.amazonaws.com"),
        "a single-valued operator on a multivalued key is not decided");
  }

  @Test
  void whatTheContextCannotTellStaysUnknownButOneFalsePartDecides() {
    assertEquals(Outcome.UNKNOWN, eval("StringEquals", "aws:SourceIp", IN_US_EAST_1, "10.0.0.1"));
    assertEquals(Outcome.UNKNOWN, eval("IpAddress", "aws:RequestedRegion", IN_US_EAST_1, "10.0.0.0/8"));
    assertEquals(Outcome.UNKNOWN, eval("StringEquals", "aws:RequestedRegion", IN_US_EAST_1, "${aws:username}"));
    Conditions unknownAndFalse = PolicyParser.parse(("{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
        + "'Action':'s3:GetObject','Resource':'*','Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'},"
        + "'StringEquals':{'aws:RequestedRegion':'eu-west-1'}}}]}").replace('\'', '"')).statements().get(0)
        .conditions();
    assertEquals(Outcome.FALSE, ConditionEvaluator.evaluate(unknownAndFalse, IN_US_EAST_1));
  }

  @Test
  void theEvaluatorAppliesAStatementOnlyWhereItsConditionHolds() {
    GrantSet grants = GrantSet.of(new LabeledPolicy("inline:p", PolicyParser.parse(("{'Version':'2012-10-17',"
        + "'Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'*',"
        + "'Condition':{'StringEquals':{'aws:RequestedRegion':'us-east-1'}}},"
        + "{'Effect':'Deny','Action':'s3:GetObject','Resource':'*',"
        + "'Condition':{'StringNotEquals':{'aws:SourceVpce':'vpce-1'}}}]}").replace('\'', '"'))));
    IamAction get = IamAction.parse("s3:GetObject");
    RequestContext throughEndpoint = RequestContext.ofCall(get, "us-east-1", "vpce-1", null, null);
    RequestContext outside = RequestContext.ofCall(get, "us-east-1", null, null, null);
    RequestContext elsewhere = RequestContext.ofCall(get, "eu-west-1", "vpce-1", null, null);
    assertEquals(Verdict.ALLOWED, PolicyEvaluator.evaluate(grants, get, "arn:aws:s3:::b/k", throughEndpoint).verdict());
    assertTrue(PolicyEvaluator.allowsUnder(grants, get, "arn:aws:s3:::b/k", throughEndpoint));
    assertEquals(Verdict.EXPLICITLY_DENIED, PolicyEvaluator.evaluate(grants, get, "arn:aws:s3:::b/k", outside)
        .verdict());
    assertEquals(Verdict.NOT_ALLOWED, PolicyEvaluator.evaluate(grants, get, "arn:aws:s3:::b/k", elsewhere).verdict());
    assertFalse(PolicyEvaluator.allowsUnder(grants, get, "arn:aws:s3:::b/k", elsewhere));
    // Without a context nothing changes: the Allow is conditional, the Deny may apply.
    assertEquals(Verdict.DENIED_OR_CONDITIONAL, PolicyEvaluator.evaluate(grants, get, "arn:aws:s3:::b/k").verdict());
  }

  @Test
  void aCallsContextNamesWhatItsRecordShows() {
    IamAction decrypt = IamAction.parse("kms:Decrypt");
    RequestContext viaS3 = RequestContext.ofCall(decrypt, "us-east-1", null, "s3.amazonaws.com", null);
    assertEquals(List.of("s3.us-east-1.amazonaws.com"), viaS3.valuesOf("kms:ViaService"));
    assertEquals(List.of(), viaS3.valuesOf("aws:CalledVia"), "S3 does not set aws:CalledVia");
    RequestContext viaDynamo = RequestContext.ofCall(decrypt, "eu-west-1", null, "dynamodb.amazonaws.com", null);
    assertEquals(List.of("dynamodb.amazonaws.com"), viaDynamo.valuesOf("aws:CalledVia"));
    RequestContext direct = RequestContext.ofCall(decrypt, "eu-west-1", null, null, null);
    assertTrue(direct.knows("kms:ViaService") && direct.valuesOf("kms:ViaService").isEmpty());
    assertFalse(RequestContext.ofCall(decrypt, "eu-west-1", null, "AWS Internal", null).knows("kms:ViaService"));
    assertFalse(RequestContext.ofCall(IamAction.parse("s3:ListBucket"), "eu-west-1", null, null, null)
        .knows("s3:prefix"), "a listing without a prefix leaves s3:prefix unknown");
  }
}
