package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.inventory.FunctionUse;
import dev.trailtrim.inventory.RoleFunctions;
import dev.trailtrim.model.RoleUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which of a role's functions its split by function is made for. */
class SplitFunctionsTest {

  private static final String ROLE = "arn:aws:iam::111122223333:role/shared";

  private static FunctionUse function(String name, String evidence) {
    return new FunctionUse(name, "us-east-1", "arn:aws:lambda:us-east-1:111122223333:function:" + name, null, null,
        null, true, evidence);
  }

  @Test
  void listedFunctionsAndSessionsWhoseCallsCameFromLambdaNotOtherSessionsTheLogsName() {
    List<FunctionUse> functions = List.of(function("idle-listed", "inventory file 111122223333-us-east-1.json"),
        function("renderer", RoleFunctions.INFERRED), function("alice", RoleFunctions.INFERRED));
    // alice assumed the role from the CLI: her calls carry no function, so they are under "".
    Map<String, RoleUsage> usage = Map.of("renderer", new RoleUsage(ROLE, List.of()), "", new RoleUsage(ROLE,
        List.of()));
    assertEquals(Set.of("idle-listed", "renderer"), RoleStep.splitFunctions(functions, usage));
    assertEquals(Set.of("idle-listed"), RoleStep.splitFunctions(functions, null), "a role that made no call");
  }
}
