package dev.trailtrim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IamActionTest {

  @Test
  void equalityIgnoresCaseLikeIam() {
    assertEquals(IamAction.parse("s3:GetObject"), IamAction.parse("S3:getobject"));
    assertEquals(IamAction.parse("s3:GetObject").hashCode(), IamAction.parse("S3:getobject").hashCode());
    assertNotEquals(IamAction.parse("s3:GetObject"), IamAction.parse("s3:GetObjectAcl"));
    assertEquals("S3:getobject", IamAction.parse("S3:getobject").toString());
  }

  /** Names from the logs are anyone's text: what equals calls equal must hash alike, or a set holds it twice. */
  @Test
  void equalActionsHashAlikeForEveryCharEqualsIgnoreCaseFolds() {
    // Long s and dotless i upper-case to S and I; the Kelvin sign lower-cases to k.
    for (String[] pair : new String[][] {{"sqs:ListQueues", "\u017fqs:ListQueues"},
        {"iam:ListRoles", "\u0131am:ListRoles"}, {"kms:Decrypt", "\u212ams:Decrypt"}}) {
      IamAction a = IamAction.parse(pair[0]);
      IamAction b = IamAction.parse(pair[1]);
      assertEquals(a, b, pair[1]);
      assertEquals(a.hashCode(), b.hashCode(), pair[1]);
      assertEquals(1, new HashSet<>(List.of(a, b)).size(), pair[1]);
      assertEquals(a.compareTo(b), -b.compareTo(a), pair[1]);
    }
  }

  @Test
  void ordersByTheLowerCaseKeyThenBySpelling() {
    List<IamAction> actions = new ArrayList<>();
    for (String a : List.of("s3:PutObject", "s3-outposts:GetObject", "S3:GetObject", "s3:GetObject", "s3:Get",
        "sqs:SendMessage", "s3:getobjectacl", "a4b:X", "s3express:CreateSession")) {
      actions.add(IamAction.parse(a));
    }
    List<IamAction> byCompareTo = actions.stream().sorted().toList();
    List<IamAction> byKey = actions.stream()
        .sorted(Comparator.comparing(IamAction::key).thenComparing(IamAction::toString)).toList();
    assertEquals(byKey.stream().map(IamAction::toString).toList(),
        byCompareTo.stream().map(IamAction::toString).toList());
  }

  @Test
  void rejectsWhatIsNotAnAction() {
    assertEquals("Cannot parse IAM action 's3': expected 'service:ActionName', e.g. 's3:GetObject'",
        assertThrows(IllegalArgumentException.class, () -> IamAction.parse("s3")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> IamAction.parse("s3:a:b"));
    assertThrows(IllegalArgumentException.class, () -> IamAction.parse(":x"));
  }
}
