package dev.trailtrim.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionFindingsTest {

  private static final String ACCOUNT = "111122223333";
  private static final String ORPHAN = "arn:aws:iam::111122223333:role/service-role/orphan-role";

  @Test
  void aLambdaRoleNoListedFunctionUsesIsACandidateForDeletion() throws IOException {
    FunctionInventory inventory = ListFunctionsParserTest.fourFiles();
    FunctionFinding idle = FunctionFindings.noFunctionUsesRole(inventory, ORPHAN, ACCOUNT, List.of("eu-west-1"), null,
        0);
    assertEquals(new FunctionFinding("no-function-uses-role", ACCOUNT, ORPHAN, null, "the role trusts"
        + " lambda.amazonaws.com but no function in the Lambda inventory of account 111122223333 (eu-west-1) uses it;"
        + " no activity in the window: a candidate for deletion"), idle);
    long last = Instant.parse("2026-11-03T04:05:06Z").toEpochMilli();
    assertEquals("the role trusts lambda.amazonaws.com but no function in the Lambda inventory of account 111122223333"
        + " (eu-west-1) uses it; last activity 2026-11-03T04:05:06Z (12 call(s) in the window: a function that used it"
        + " may have been deleted or moved to another role): a candidate for deletion",
        FunctionFindings.noFunctionUsesRole(inventory, ORPHAN, ACCOUNT, List.of("eu-west-1"), last, 12).detail());
  }

  @Test
  void nothingIsSaidWhereTheInventoryCouldMissAFunction() throws IOException {
    FunctionInventory inventory = ListFunctionsParserTest.fourFiles();
    assertNull(FunctionFindings.noFunctionUsesRole(null, ORPHAN, ACCOUNT, List.of(), null, 0), "no inventory");
    assertNull(FunctionFindings.noFunctionUsesRole(inventory, ORPHAN, ACCOUNT, List.of("eu-west-1", "us-east-1"), null,
        0), "us-east-1 is listed only in pages");
    assertNull(FunctionFindings.noFunctionUsesRole(inventory, "arn:aws:iam::111122223333:role/thumbnailer-role",
        ACCOUNT, List.of("eu-west-1"), null, 0), "thumbnailer uses it");
    assertNull(FunctionFindings.noFunctionUsesRole(inventory, "arn:aws:iam::555555555555:role/x", "555555555555",
        List.of(), null, 0), "the account is not listed");
  }

  @Test
  void aFunctionWhoseRoleTheSnapshotLacksIsNamed() throws IOException {
    FunctionInventory inventory = ListFunctionsParserTest.fourFiles();
    Set<String> snapshot = Set.of("arn:aws:iam::111122223333:role/service-role/orders-api-role",
        "arn:aws:iam::111122223333:role/thumbnailer-role");
    List<FunctionFinding> findings = FunctionFindings.functionRoleUnknown(inventory, snapshot::contains);
    assertEquals(List.of("arn:aws:lambda:us-east-1:111122223333:function:renderer",
        "arn:aws:lambda:us-east-1:111122223333:function:renderer-backfill"),
        findings.stream().map(FunctionFinding::function).toList());
    assertEquals("function renderer (us-east-1) runs as arn:aws:iam::111122223333:role/renderer-role, which the IAM"
        + " snapshot does not have: its grants cannot be checked; add the snapshot of account 111122223333, or give the"
        + " function an existing role (a deleted role leaves it unable to run)", findings.get(0).detail());
    assertEquals("function-role-unknown", findings.get(0).rule());
  }
}
