package dev.trailtrim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
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
