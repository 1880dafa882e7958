package dev.trailtrim.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.policy.PolicyParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The comparison of two nights' role states, and the state file it reads, without Spark. */
class DriftComparisonTest {

  private static final String ORDERS = "arn:aws:iam::111122223333:role/orders-api-role";
  private static final String THUMBS = "arn:aws:iam::111122223333:role/thumbnailer-role";
  private static final String OLD = "arn:aws:iam::111122223333:role/old-role";

  private static RoleState role(String arn, List<Grant> granted, Set<String> used, Set<String> unused,
      Map<String, Long> denied, RoleState.SuggestionState suggestion) {
    return new RoleState(arn, RoleState.ANALYSED, granted, new TreeSet<>(used), new TreeSet<>(unused),
        new TreeMap<>(denied), suggestion);
  }

  private static Grant grant(String action, String resource) {
    return new Grant(action, resource, List.of("inline:app"));
  }

  private static RoleState.SuggestionState suggestion(String hash, String... actions) {
    return new RoleState.SuggestionState(new TreeSet<>(List.of(actions)), hash);
  }

  private static final RoleState ORDERS_NIGHT_1 = role(ORDERS, List.of(grant("dynamodb:GetItem", "arn:t"),
      grant("s3:GetObject", "arn:b/*")), Set.of("dynamodb:GetItem", "s3:GetObject"), Set.of(),
      Map.of("kms:Decrypt", 4L, "sqs:SendMessage", 5L), suggestion("sha256:1", "dynamodb:GetItem", "s3:GetObject"));

  @Test
  void namesEveryKindOfChangeOfARoleInBothRuns() {
    RoleState night2 = role(ORDERS, List.of(grant("dynamodb:GetItem", "arn:t"), grant("dynamodb:DeleteItem", "arn:t")),
        Set.of("dynamodb:GetItem", "dynamodb:Query"), Set.of("dynamodb:DeleteItem", "s3:GetObject"),
        Map.of("kms:Decrypt", 9L, "sqs:SendMessage", 11L, "sns:Publish", 1L), suggestion("sha256:2",
            "dynamodb:GetItem", "dynamodb:Query"));
    RunChanges changes = DriftComparison.compare(RunState.of("n1", List.of(ORDERS_NIGHT_1)),
        RunState.of("n2", List.of(night2)));

    assertEquals(RunChanges.Comparison.COMPARED, changes.comparison());
    assertEquals("n1", changes.previousRunId());
    RoleChanges orders = changes.roles().get(0);
    assertEquals(List.of(grant("dynamodb:DeleteItem", "arn:t")), orders.newlyGranted());
    assertEquals(List.of(grant("s3:GetObject", "arn:b/*")), orders.newlyRevoked());
    assertEquals(List.of("dynamodb:Query"), orders.newlyUsed());
    // Used then, unused now: its last use left the window. DeleteItem was never used: not "newly" unused.
    assertEquals(List.of("s3:GetObject"), orders.newlyUnused());
    assertEquals(List.of(new RoleChanges.DeniedChange("sns:Publish", 0, 1)), orders.newlyDenied());
    // kms 4 -> 9: more than twice but under the floor of 10; sqs 5 -> 11: a spike.
    assertEquals(List.of(new RoleChanges.DeniedChange("sqs:SendMessage", 5, 11)), orders.deniedSpikes());
    assertEquals(List.of("dynamodb:Query"), orders.suggestion().actionsAdded());
    assertEquals(List.of("s3:GetObject"), orders.suggestion().actionsRemoved());
    assertEquals("sha256:1", orders.suggestion().previousHash());
    assertEquals(Map.of("rolesAdded", 0L, "rolesRemoved", 0L, "rolesChanged", 1L, "newlyGranted", 1L,
        "newlyRevoked", 1L, "newlyUsed", 1L, "newlyUnused", 1L, "newlyDenied", 1L, "deniedSpikes", 1L,
        "suggestionsChanged", 1L), ChangesJson.counts(changes));
  }

  @Test
  void anActionUsedOnOneResourceAndUnusedOnAnotherIsNotNewlyUnused() {
    RoleState both = role(ORDERS, ORDERS_NIGHT_1.granted(), ORDERS_NIGHT_1.used(), Set.of("s3:GetObject"),
        ORDERS_NIGHT_1.denied(), ORDERS_NIGHT_1.suggestion());
    RoleChanges changes = DriftComparison.compare(ORDERS_NIGHT_1, both);
    assertEquals(List.of(), changes.newlyUnused());
    assertFalse(changes.changed());
  }

  @Test
  void theSpikeRuleNeedsMoreThanTwiceAndTheFloor() {
    assertTrue(DriftComparison.spike(5, 11));
    assertFalse(DriftComparison.spike(5, 10), "exactly twice is not more than twice");
    assertFalse(DriftComparison.spike(4, 9), "under the floor");
    assertTrue(DriftComparison.spike(4, 10));
    assertFalse(DriftComparison.spike(0, 100), "a first denial is newly denied, not a spike");
  }

  @Test
  void rolesAddedAndRemovedAreListedAndUnchangedRolesAreNot() {
    RoleState thumbs = role(THUMBS, List.of(grant("s3:PutObject", "arn:b/*")), Set.of("s3:PutObject"), Set.of(),
        Map.of(), suggestion("sha256:t", "s3:PutObject"));
    RoleState old = role(OLD, List.of(), Set.of(), Set.of(), Map.of(), null);
    RunChanges changes = DriftComparison.compare(RunState.of("n1", List.of(ORDERS_NIGHT_1, old)),
        RunState.of("n2", List.of(ORDERS_NIGHT_1, thumbs)));
    assertEquals(List.of(THUMBS), changes.rolesAdded());
    assertEquals(List.of(OLD), changes.rolesRemoved());
    assertEquals(List.of(), changes.roles(), "the orders role did not change");
    List<String> lines = ChangesJson.lines(changes);
    assertTrue(lines.get(0).contains("111122223333/thumbnailer-role")
        && lines.get(0).contains("role added since run n1"), lines.toString());
    assertTrue(lines.get(1).contains("111122223333/old-role") && lines.get(1).contains("role removed"),
        lines.toString());
    assertEquals("trailtrim: changes since run n1: roles added 1, roles removed 1 (changes.json)", lines.get(2));
  }

  @Test
  void aFailedAnalysisOrUnknownGrantsAreNotedNotCompared() {
    RunChanges failed = DriftComparison.compare(RunState.of("n1", List.of(ORDERS_NIGHT_1)),
        RunState.of("n2", List.of(RoleState.failed(ORDERS))));
    RoleChanges orders = failed.roles().get(0);
    assertEquals("analysed", orders.previousStatus());
    assertEquals(List.of(), orders.newlyRevoked(), "nothing is revoked because the analysis failed");
    assertTrue(orders.notes().get(0).contains("failed in this run"), orders.notes().toString());

    RoleState unknown = new RoleState(ORDERS, "grants-unknown", null, new TreeSet<>(ORDERS_NIGHT_1.used()),
        new TreeSet<>(), new TreeMap<>(ORDERS_NIGHT_1.denied()), null);
    RoleChanges notInSnapshot = DriftComparison.compare(ORDERS_NIGHT_1, unknown);
    assertEquals(List.of(), notInSnapshot.newlyRevoked());
    assertTrue(notInSnapshot.notes().get(0).contains("known in the previous run only"),
        notInSnapshot.notes().toString());
    assertEquals(List.of(), notInSnapshot.suggestion().actionsAdded());
    assertNull(notInSnapshot.suggestion().hash(), "no suggestion now");
  }

  @Test
  void theStateFileRoundTripsByteForByte() {
    RunState state = RunState.of("n1", List.of(ORDERS_NIGHT_1, RoleState.failed(OLD),
        new RoleState(THUMBS, "grants-unknown", null, new TreeSet<>(Set.of("s3:GetObject")), new TreeSet<>(),
            new TreeMap<>(), null)));
    String json = state.toJson();
    RunState read = RunState.parse("n1", json);
    assertEquals(json, read.toJson());
    assertEquals(state.roles().get(ORDERS).granted(), read.roles().get(ORDERS).granted());
    assertEquals(state.roles().get(ORDERS).denied(), read.roles().get(ORDERS).denied());
    assertEquals(state.roles().get(ORDERS).suggestion(), read.roles().get(ORDERS).suggestion());
    assertEquals(state.roles().get(THUMBS), read.roles().get(THUMBS));
    assertTrue(json.contains("\"policyHash\": \"sha256:1\""), json);
    RoleState withUnused = role(ORDERS, List.of(), Set.of(), Set.of("s3:PutObject"), Map.of(), null);
    RunState readBack = RunState.parse("n1", RunState.of("n1", List.of(withUnused)).toJson());
    assertEquals(Set.of(), readBack.roles().get(ORDERS).unused(),
        "unused actions are this run's only: the next run compares with what was used");
  }

  @Test
  void aBrokenStateFileIsRefusedWithWhatIsWrong() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunState.parse("n1", "{\"format\": 1, \"runId\":"))
        .getMessage().startsWith("it is not JSON"));
    assertEquals("its format is 7, this trailtrim reads format 1", assertThrows(IllegalArgumentException.class,
        () -> RunState.parse("n1", "{\"format\": 7}")).getMessage());
    assertEquals("'roles' must be a list, got nothing", assertThrows(IllegalArgumentException.class,
        () -> RunState.parse("n1", "{\"format\": 1, \"runId\": \"n1\"}")).getMessage());

    RunChanges changes = DriftComparison.against("n1", "not json", RunState.of("n2", List.of(ORDERS_NIGHT_1)));
    assertEquals(RunChanges.Comparison.NOT_COMPARED, changes.comparison());
    assertEquals("n1", changes.previousRunId());
    assertTrue(changes.reason().startsWith("runs/n1/state/roles.json cannot be read: it is not JSON"),
        changes.reason());
    String json = ChangesJson.render(changes);
    assertTrue(json.contains("\"comparison\": \"not-compared\""), json);
  }

  @Test
  void aFirstRunSaysSo() {
    RunChanges first = RunChanges.firstRun("n1");
    String json = ChangesJson.render(first);
    assertTrue(json.contains("\"firstRun\": true") && json.contains("\"previousRunId\": null"), json);
    assertEquals(List.of("trailtrim: changes: first run: no latest.json in the output, so there is no previous run to"
        + " compare with"), ChangesJson.lines(first));
  }

  @Test
  void grantsAreTheAllowStatementsActionsOnResourcesWhicheverPolicyGrantsThem() {
    GrantedPolicy app = new GrantedPolicy(GrantedPolicy.Kind.INLINE, "app", null, PolicyParser.parse("""
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
           "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"]},
          {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
          {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}]}"""));
    GrantedPolicy shared = new GrantedPolicy(GrantedPolicy.Kind.MANAGED, "shared",
        "arn:aws:iam::111122223333:policy/shared", PolicyParser.parse("""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"""));
    RoleGrants grants = new RoleGrants(ORDERS, "orders-api-role", "/", "111122223333", Set.of("lambda.amazonaws.com"),
        List.of(app, shared), null, List.of());
    List<Grant> granted = RoleStates.granted(grants);
    assertEquals(List.of("NotAction [iam:*] *", "s3:GetObject arn:aws:s3:::b/*", "s3:GetObject arn:aws:s3:::c/*",
        "s3:PutObject arn:aws:s3:::b/*", "s3:PutObject arn:aws:s3:::c/*"), granted.stream().map(Grant::key).toList());
    assertEquals(List.of("inline:app", "managed:arn:aws:iam::111122223333:policy/shared"), granted.get(1).policies());
  }
}
