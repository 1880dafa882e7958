package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.IamAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Families, bounds and patterns of compacted high-cardinality usage. */
class UsageCompactionTest {

  private static final IamAction GET_OBJECT = IamAction.parse("s3:GetObject");

  private static GrantSet grants(String identity, String boundary) {
    return new GrantSet(List.of(new LabeledPolicy("inline:app", PolicyParser.parse(identity))),
        boundary == null ? null : new LabeledPolicy("boundary", PolicyParser.parse(boundary)));
  }

  private static String allow(String action, String... resources) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
        + "\",\"Resource\":[\"" + String.join("\",\"", resources) + "\"]}]}";
  }

  @Test
  void familiesAreTheBucketTheStablePartOrTheParentPath() {
    assertEquals("arn:aws:s3:::data/", UsageCompaction.family("arn:aws:s3:::data/in/2026/11/01/a.json"));
    assertEquals("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/f:log-stream:",
        UsageCompaction
            .family("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/f:log-stream:2026/11/01/[$LATEST]ab"));
    assertEquals("arn:aws:dynamodb:eu-west-1:111122223333:table/",
        UsageCompaction.family("arn:aws:dynamodb:eu-west-1:111122223333:table/orders"));
    assertEquals("arn:aws:sqs:eu-west-1:111122223333:",
        UsageCompaction.family("arn:aws:sqs:eu-west-1:111122223333:q1"));
    assertEquals("arn:aws:s3:::", UsageCompaction.family("arn:aws:s3:::data"), "buckets are one family");
    assertEquals("*", UsageCompaction.family("*"));
  }

  @Test
  void theBoundIsTheGrantedPatternThatAllowsTheCall() {
    GrantSet grants = grants(allow("s3:GetObject", "arn:aws:s3:::data/in/*", "arn:aws:s3:::data/out/*"), null);
    assertEquals("arn:aws:s3:::data/in/*", UsageCompaction.bound(grants, GET_OBJECT, "arn:aws:s3:::data/in/x/1"));
    assertEquals("arn:aws:s3:::data/out/*", UsageCompaction.bound(grants, GET_OBJECT, "arn:aws:s3:::data/out/2"));
    assertEquals("", UsageCompaction.bound(grants, GET_OBJECT, "arn:aws:s3:::other/1"), "not allowed: no bound");
    assertEquals("", UsageCompaction.bound(null, GET_OBJECT, "arn:aws:s3:::data/in/1"), "no grants: no bound");
  }

  @Test
  void aBoundaryNarrowerThanTheGrantBecomesTheBound() {
    GrantSet grants = grants(allow("s3:*", "*"), allow("s3:GetObject", "arn:aws:s3:::data/in/*"));
    assertEquals("arn:aws:s3:::data/in/*", UsageCompaction.bound(grants, GET_OBJECT, "arn:aws:s3:::data/in/a"));
  }

  @Test
  void theCompactedPatternIsTheCommonPathWithinTheBound() {
    String prefix = UsageCompaction.commonPrefix("arn:aws:s3:::data/in/2026/11/obj-00001",
        "arn:aws:s3:::data/in/2026/11/obj-00002");
    assertEquals("arn:aws:s3:::data/in/2026/11/obj-0000", prefix);
    assertEquals("arn:aws:s3:::data/in/2026/11/*", UsageCompaction.compacted(prefix, "arn:aws:s3:::data/*", 2));
    // The common path reaches beyond the bound: the bound itself, which allows every member.
    assertEquals("arn:aws:s3:::data/in/a*",
        UsageCompaction.compacted("arn:aws:s3:::data/in/a", "arn:aws:s3:::data/in/a*", 5));
    assertEquals("arn:aws:s3:::data/in/*", UsageCompaction.compacted("arn:aws:s3:::data/in/", "", 5));
    assertEquals("arn:aws:s3:::data/in/one", UsageCompaction.compacted("arn:aws:s3:::data/in/one", "", 1),
        "a family of one is that one");
    // Never a pattern cut inside an escape.
    assertEquals("arn:aws:s3:::data/a", UsageCompaction.wholeEscapes("arn:aws:s3:::data/a${"));
    assertEquals("arn:aws:s3:::data/a${*}", UsageCompaction.wholeEscapes("arn:aws:s3:::data/a${*}"));
    assertEquals("arn:aws:s3:::data/a", UsageCompaction.wholeEscapes("arn:aws:s3:::data/a${$"));
  }

  @Test
  void commonPrefixIsCommutativeAndAssociative() {
    String a = "arn:aws:s3:::b/x/1";
    String b = "arn:aws:s3:::b/x/22";
    String c = "arn:aws:s3:::b/y";
    assertEquals(UsageCompaction.commonPrefix(a, b), UsageCompaction.commonPrefix(b, a));
    assertEquals(UsageCompaction.commonPrefix(UsageCompaction.commonPrefix(a, b), c),
        UsageCompaction.commonPrefix(a, UsageCompaction.commonPrefix(b, c)));
    assertTrue(UsageCompaction.commonPrefix(a, a).equals(a));
  }
}
