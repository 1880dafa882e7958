package dev.trailtrim.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.analysis.AnalysisFixtures;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.policy.PolicyJson;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a run keeps of a role's analysis for the next run, from a real analysis. */
class RoleStatesTest {

  @Test
  void keepsTheGrantsTheUsedActionsTheDenialsAndTheSuggestion() {
    RoleAnalysis analysis = AnalysisFixtures.analysis();
    RoleState state = RoleStates.of(analysis, AnalysisFixtures.grants());
    assertEquals(RoleState.ANALYSED, state.status());
    assertEquals(AnalysisFixtures.ROLE_ARN, state.roleArn());
    assertTrue(state.granted().contains(new Grant("dynamodb:DeleteItem",
        "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", java.util.List.of("inline:orders-db"))),
        state.granted().toString());
    // sqs:SendMessage succeeded though no grant explains it: used all the same.
    assertEquals(Set.of("dynamodb:GetItem", "logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage"),
        state.used());
    assertTrue(state.unused().contains("dynamodb:DeleteItem"), state.unused().toString());
    assertEquals(Map.of("s3:PutObject", 2L), state.denied());
    assertEquals(RoleStates.hash(PolicyJson.render(analysis.suggestion().policy())), state.suggestion().policyHash());
    assertTrue(state.suggestion().actions().contains("dynamodb:GetItem"), state.suggestion().actions().toString());
  }

  @Test
  void aRoleMissingFromTheSnapshotHasNoGrantsAndNoSuggestion() {
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), null, AnalysisFixtures.usage(),
        IamCatalog.loadDefault(), AnalysisFixtures.OBSERVABILITY);
    RoleState state = RoleStates.of(analysis, null);
    assertEquals("grants-unknown", state.status());
    assertNull(state.granted());
    assertNull(state.suggestion());
    assertTrue(state.used().contains("dynamodb:GetItem"), state.used().toString());
  }
}
