package dev.trailtrim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Role ARNs are checked once where they enter; the driver's helpers never throw on one that got through. */
class RoleContextTest {

  @Test
  void acceptsEveryWellFormedRoleArnWhateverItsNames() {
    assertNull(RoleContext.roleArnProblem("arn:aws:iam::111122223333:role/service-role/orders-fn"));
    assertNull(RoleContext.roleArnProblem("arn:aws-cn:iam::111122223333:role/svc..role"));
    assertNull(RoleContext.roleArnProblem("arn:aws:iam::..:role/x"), "names are data: the encoder makes them safe");
  }

  @Test
  void saysWhatIsWrongWithAMalformedOne() {
    assertEquals("the role ARN is missing", RoleContext.roleArnProblem(null));
    assertEquals("'arn:aws:iam::role/x' has 4 colons, not the 5 of arn:partition:iam::account:role/name",
        RoleContext.roleArnProblem("arn:aws:iam::role/x"));
    assertEquals("'aws:iam::1:role/x:y' does not start with arn:<partition>:",
        RoleContext.roleArnProblem("aws:iam::1:role/x:y"));
    assertEquals("'arn:aws:s3::1:role/x' is not an IAM ARN (its service is not iam)",
        RoleContext.roleArnProblem("arn:aws:s3::1:role/x"));
    assertEquals("'arn:aws:iam:us-east-1:1:role/x' names a region; IAM ARNs have none",
        RoleContext.roleArnProblem("arn:aws:iam:us-east-1:1:role/x"));
    assertEquals("'arn:aws:iam:::role/x' names no account", RoleContext.roleArnProblem("arn:aws:iam:::role/x"));
    assertEquals("'arn:aws:iam::1:user/x' is not a role ARN (its resource does not start with role/)",
        RoleContext.roleArnProblem("arn:aws:iam::1:user/x"));
    assertEquals("'arn:aws:iam::1:role/path/' names no role after role/",
        RoleContext.roleArnProblem("arn:aws:iam::1:role/path/"));
  }

  @Test
  void theDriversHelpersNeverThrow() {
    assertEquals("", RoleContext.accountIdOf("arn:aws:iam"));
    assertEquals("", RoleContext.accountIdOf(null));
    assertEquals("111122223333", RoleContext.accountIdOf("arn:aws:iam::111122223333:role/a/b"));
    assertEquals("b", RoleContext.roleNameOf("arn:aws:iam::111122223333:role/a/b"));
    assertEquals("arn:aws:iam", RoleContext.roleNameOf("arn:aws:iam"));
    assertEquals("", RoleContext.roleNameOf(null));
  }
}
