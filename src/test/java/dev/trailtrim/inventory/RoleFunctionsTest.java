package dev.trailtrim.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleFunctionsTest {

  private static final String ACCOUNT = "111122223333";
  private static final String RENDERER_ROLE = "arn:aws:iam::111122223333:role/renderer-role";
  private static final String THUMBNAILER_ROLE = "arn:aws:iam::111122223333:role/thumbnailer-role";

  @Test
  void withoutAnInventoryEachLambdaSessionIsAFunctionWhereItsCallsWere() {
    List<FunctionUse> functions = RoleFunctions.of(THUMBNAILER_ROLE, ACCOUNT, null, Map.of(
        "thumbnailer", Set.of("eu-west-1", "us-east-1"),
        "resizer", Set.of("ap-south-1", "eu-west-1"),
        "alice@acme.example", Set.of("us-east-1")), "us-east-1");
    assertEquals(List.of(
        new FunctionUse("resizer", "ap-south-1", "arn:aws:lambda:ap-south-1:111122223333:function:resizer", null, null,
            null, true, "inferred from logs"),
        new FunctionUse("resizer", "eu-west-1", "arn:aws:lambda:eu-west-1:111122223333:function:resizer", null, null,
            null, true, "inferred from logs"),
        new FunctionUse("thumbnailer", "eu-west-1", "arn:aws:lambda:eu-west-1:111122223333:function:thumbnailer", null,
            null, null, true, "inferred from logs")),
        functions,
        "global services' calls are recorded in us-east-1 wherever the function runs; an e-mail is no function name");
    assertEquals(Set.of(), RoleFunctions.inventoryRegions(functions));
    assertEquals(List.of(new FunctionUse("nightly", "us-east-1",
        "arn:aws:lambda:us-east-1:111122223333:function:nightly", null, null, null, true, "inferred from logs")),
        RoleFunctions.of(THUMBNAILER_ROLE, ACCOUNT, null,
            Map.of("nightly", Set.of("us-east-1")), "us-east-1"));
  }

  @Test
  void aSharedRoleListsEveryInventoryFunctionAndWhichRanInTheWindow() throws IOException {
    FunctionInventory inventory = ListFunctionsParserTest.fourFiles();
    List<FunctionUse> functions = RoleFunctions.of(RENDERER_ROLE, ACCOUNT, inventory,
        Map.of("renderer", Set.of("us-east-1"), "renderer-debug", Set.of("us-east-1")), "us-east-1");
    assertEquals(3, functions.size(), functions.toString());
    FunctionUse renderer = functions.get(0);
    assertEquals("renderer", renderer.name());
    assertTrue(renderer.seenActive());
    assertNull(renderer.runtime());
    assertEquals("2026-09-02T17:40:05.512+0000", renderer.lastModified());
    assertEquals("inventory/111122223333-us-east-1.json", renderer.evidence());
    FunctionUse backfill = functions.get(1);
    assertEquals(new FunctionUse("renderer-backfill", "us-east-1",
        "arn:aws:lambda:us-east-1:111122223333:function:renderer-backfill", "java17", "x86_64",
        "2026-10-01T08:00:00.000+0000", false, "inventory/111122223333-us-east-1-page2.json"), backfill);
    FunctionUse debug = functions.get(2);
    assertEquals("renderer-debug", debug.name());
    assertEquals("inferred from logs", debug.evidence(), "us-east-1 is listed only in pages: it may be on another");
    List<FunctionUse> inEu = RoleFunctions.of(THUMBNAILER_ROLE, ACCOUNT, inventory,
        Map.of("thumbnailer", Set.of("eu-west-1"), "thumbnailer-v2", Set.of("eu-west-1")), "us-east-1");
    assertEquals("inferred from logs (not in the Lambda inventory, which lists its account and region: deleted or"
        + " renamed since)", inEu.get(1).evidence());
    assertTrue(inEu.get(0).seenActive());
    assertEquals(Set.of("us-east-1"), RoleFunctions.inventoryRegions(functions));
  }

  @Test
  void aNameInTwoRegionsIsActiveOnlyWhereItsCallsWere() {
    String role = "arn:aws:iam::111122223333:role/edge";
    FunctionInventory inventory = FunctionInventory.of("x", List.of(new Listing("x",
        Set.of("111122223333/us-east-1", "111122223333/eu-west-1"), true, List.of(
            new LambdaFunction("api", "arn:aws:lambda:us-east-1:111122223333:function:api", ACCOUNT, "us-east-1", role,
                "nodejs20.x", "arm64", null, "x"),
            new LambdaFunction("api", "arn:aws:lambda:eu-west-1:111122223333:function:api", ACCOUNT, "eu-west-1", role,
                "nodejs20.x", "arm64", null, "x")),
        List.of())));
    List<FunctionUse> functions = RoleFunctions.of(role, ACCOUNT, inventory, Map.of("api", Set.of("eu-west-1")),
        "us-east-1");
    assertEquals(List.of("eu-west-1 true", "us-east-1 false"),
        functions.stream().map(f -> f.region() + " " + f.seenActive()).toList());
  }
}
