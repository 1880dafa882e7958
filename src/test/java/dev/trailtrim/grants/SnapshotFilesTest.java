package dev.trailtrim.grants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A snapshot file that cannot be read costs the roles of its account, never the other accounts' or the run. */
class SnapshotFilesTest {

  private static String snapshot(String account, String... roles) {
    StringBuilder list = new StringBuilder();
    for (String role : roles) {
      list.append(list.isEmpty() ? "" : ",").append(("{'RoleName':'" + role + "','Arn':'arn:aws:iam::" + account
          + ":role/" + role + "','AssumeRolePolicyDocument':{'Statement':[{'Effect':'Allow','Principal':{'Service':"
          + "'lambda.amazonaws.com'},'Action':'sts:AssumeRole'}]},'RolePolicyList':[]}").replace('\'', '"'));
    }
    return "{\"RoleDetailList\":[" + list + "],\"Policies\":[]}";
  }

  private static GrantSnapshot combine(String... fileAndText) {
    List<GrantSnapshot> readable = new ArrayList<>();
    List<SnapshotFiles.Unreadable> unreadable = new ArrayList<>();
    for (int i = 0; i < fileAndText.length; i += 2) {
      SnapshotFiles.Read read = SnapshotFiles.read(fileAndText[i], fileAndText[i + 1]);
      if (read.unreadable() != null) {
        unreadable.add(read.unreadable());
      } else {
        readable.add(read.snapshot());
      }
    }
    return SnapshotFiles.combine(readable, unreadable);
  }

  private static List<String> roles(GrantSnapshot snapshot) {
    return snapshot.roles().stream().map(RoleGrants::roleArn).toList();
  }

  @Test
  void aTruncatedFileCostsTheRolesOfTheAccountItsNameShows() {
    String good = snapshot("444455556666", "a", "b");
    GrantSnapshot grants = combine(
        "s3://iam/111122223333.json", snapshot("111122223333", "orders", "billing"),
        "s3://iam/444455556666.json", good.substring(0, good.length() / 2),
        "s3://iam/777788889999.json", snapshot("777788889999", "c"));
    assertEquals(List.of("arn:aws:iam::111122223333:role/billing", "arn:aws:iam::111122223333:role/orders",
        "arn:aws:iam::777788889999:role/c"), roles(grants));
    assertEquals(1, grants.problems().size());
    String problem = grants.problems().get(0);
    assertTrue(
        problem
            .startsWith("IAM snapshot s3://iam/444455556666.json could not be read (not valid JSON at line 1, column "),
        problem);
    assertTrue(problem.endsWith("the roles of account 444455556666 have unknown grants (no policy is suggested for"
        + " them), even those found in other snapshot files; pass the complete output of"
        + " 'aws iam get-account-authorization-details' for that account"), problem);
  }

  @Test
  void aBadFileOfAnAccountAlsoCostsThatAccountsRolesInItsGoodFiles() {
    GrantSnapshot grants = combine(
        "iam/111122223333.json", snapshot("111122223333", "orders"),
        "iam/111122223333-second-copy.json", "{\"Policies\": []}",
        "iam/444455556666.json", snapshot("444455556666", "a"));
    assertEquals(List.of("arn:aws:iam::444455556666:role/a"), roles(grants));
    assertTrue(grants.problems().get(0).contains("(it has no RoleDetailList)"), grants.problems().toString());
    assertEquals("Roles found in a readable snapshot but treated as having unknown grants, since a snapshot file of"
        + " their account could not be read: arn:aws:iam::111122223333:role/orders", grants.problems().get(1));
  }

  @Test
  void readsTheAccountFromTheReadableStartWhenTheNameHasNone() {
    String full = snapshot("444455556666", "a", "b");
    SnapshotFiles.Read read = SnapshotFiles.read("iam/authz-latest.json", full.substring(0, full.length() - 30));
    assertNull(read.snapshot());
    assertEquals(Set.of("444455556666"), read.unreadable().accounts());
    SnapshotFiles.Read unknown = SnapshotFiles.read("iam/authz.json", "{\"RoleDetailList\": [{\"RoleName");
    assertEquals(Set.of(), unknown.unreadable().accounts());
    GrantSnapshot grants = combine("iam/111122223333.json", snapshot("111122223333", "orders"), "iam/authz.json",
        "{\"RoleDetailList\": [{\"RoleName");
    assertEquals(List.of("arn:aws:iam::111122223333:role/orders"), roles(grants));
    assertTrue(grants.problems().get(0).contains("its account is not known (name the file <account-id>.json), so"
        + " every role that no readable snapshot has is treated as having unknown grants"), grants.problems().get(0));
  }

  @Test
  void namesWhatIsWrongWithEachShape() {
    assertEquals("the file is empty", SnapshotFiles.read("x.json", "").unreadable().problem());
    assertEquals("expected a JSON object with RoleDetailList, got a list",
        SnapshotFiles.read("x.json", "[]").unreadable().problem());
    assertEquals("RoleDetailList is null, not a list", SnapshotFiles.read("x.json", "{\"RoleDetailList\": null}")
        .unreadable().problem());
    assertNotNull(SnapshotFiles.read("x.json", snapshot("1", "r")).snapshot());
  }

  @Test
  void whenEveryFileIsBadEveryRoleHasUnknownGrants() {
    GrantSnapshot grants = combine("iam/111122223333.json", "{", "iam/444455556666.json", "not json");
    assertEquals(List.of(), roles(grants));
    assertEquals(2, grants.problems().size());
  }

  @Test
  void aTrustPolicyWithABadEscapeCostsOnlyItsRole() {
    String text = snapshot("111122223333", "good", "odd").replace(
        "\"AssumeRolePolicyDocument\":{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
            + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]},\"RolePolicyList\":[]}]",
        "\"AssumeRolePolicyDocument\":\"%ZZ\",\"RolePolicyList\":[]}]");
    GrantSnapshot grants = SnapshotFiles.read("iam/111122223333.json", text).snapshot();
    assertNotNull(grants, "a bad %-escape in one trust policy used to fail the whole snapshot");
    RoleGrants odd = grants.role("arn:aws:iam::111122223333:role/odd").orElseThrow();
    assertTrue(odd.problems().get(0).startsWith("The trust policy (AssumeRolePolicyDocument) is neither JSON nor"
        + " URL-encoded JSON: "), odd.problems().toString());
    assertTrue(grants.role("arn:aws:iam::111122223333:role/good").orElseThrow().trustsLambda());
  }
}
