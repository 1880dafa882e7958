package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.model.Translation.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestStatsTest {

  private static final String A = "arn:aws:iam::111111111111:role/a";
  private static final String B = "arn:aws:iam::111111111111:role/b";
  private static final String C = "arn:aws:iam::222222222222:role/c";

  /**
   * Per role, roleCall keeps the calls by outcome, every region, the first 10 session names in sorted order and the
   * regions of the first 100 sessions (with a region) in sorted order: computed here from every call at once, past
   * both caps, and again after the calls are split between two counts that are then merged.
   */
  @Test
  void roleCallKeepsTheFirstNamesAndSessionsOfEveryCall() {
    java.util.Random random = new java.util.Random(7);
    IngestStats stats = new IngestStats(5);
    IngestStats even = new IngestStats(5);
    IngestStats odd = new IngestStats(5);
    java.util.Map<String, List<Object[]>> calls = new java.util.HashMap<>();
    Outcome[] outcomes = Outcome.values();
    for (int call = 0; call < 20_000; call++) {
      String role = random.nextBoolean() ? A : B;
      // Few names and regions mostly, with rare new ones past the caps.
      String name = random.nextInt(10) == 0 ? null : "fn-" + random.nextInt(random.nextInt(20) == 0 ? 300 : 12);
      String region = random.nextInt(10) == 0 ? null : "region-" + random.nextInt(4);
      boolean lambda = random.nextBoolean();
      Outcome outcome = outcomes[random.nextInt(outcomes.length)];
      stats.roleCall(role, lambda, outcome, name, region);
      (call % 2 == 0 ? even : odd).roleCall(role, lambda, outcome, name, region);
      calls.computeIfAbsent(role, r -> new ArrayList<>()).add(new Object[] {lambda, outcome, name, region});
    }
    java.util.Map<String, IngestStats.RoleEvidence> expected = new java.util.TreeMap<>();
    calls.forEach((role, made) -> expected.put(role, evidenceOf(made)));
    assertEquals(expected, stats.roles());
    assertEquals(expected, even.merge(odd).roles());
    assertEquals(10, stats.roles().get(A).sessionNames().size());
    assertEquals(IngestStats.RoleEvidence.MAX_SESSIONS_WITH_REGIONS, stats.roles().get(A).sessionRegions().size());
  }

  /** What a role's calls ({lambda, outcome, session name, region}) add up to, by RoleEvidence's definition. */
  private static IngestStats.RoleEvidence evidenceOf(List<Object[]> calls) {
    long lambda = calls.stream().filter(c -> (Boolean) c[0]).count();
    long mapped = calls.stream().filter(c -> c[1] == Outcome.MAPPED).count();
    long unmapped = calls.stream().filter(c -> c[1] == Outcome.UNMAPPED).count();
    long noPermission = calls.stream().filter(c -> c[1] == Outcome.NO_PERMISSION_NEEDED).count();
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    java.util.TreeSet<String> regions = new java.util.TreeSet<>();
    java.util.TreeMap<String, Set<String>> sessionRegions = new java.util.TreeMap<>();
    for (Object[] call : calls) {
      if (call[2] != null) {
        names.add((String) call[2]);
      }
      if (call[3] != null) {
        regions.add((String) call[3]);
      }
      if (call[2] != null && call[3] != null) {
        sessionRegions.computeIfAbsent((String) call[2], n -> new java.util.TreeSet<>()).add((String) call[3]);
      }
    }
    return new IngestStats.RoleEvidence(calls.size(), lambda, mapped, unmapped, noPermission,
        Set.copyOf(names.stream().limit(10).toList()), regions, java.util.Map.copyOf(
            sessionRegions.headMap(List.copyOf(sessionRegions.keySet())
                .get(Math.min(sessionRegions.size(), IngestStats.RoleEvidence.MAX_SESSIONS_WITH_REGIONS) - 1), true)));
  }

  @Test
  void rolesReadSortedAndFollowLaterCalls() {
    IngestStats stats = new IngestStats(5);
    stats.roleCall(C, true, Outcome.MAPPED, "f1");
    stats.roleCall(A, false, Outcome.UNMAPPED, null);
    assertEquals(List.of(A, C), new ArrayList<>(stats.roles().keySet()));
    stats.roleCall(B, true, Outcome.NO_PERMISSION_NEEDED, "f2");
    stats.roleCall(C, true, Outcome.MAPPED, "f0");
    assertEquals(List.of(A, B, C), new ArrayList<>(stats.roles().keySet()));
    IngestStats.RoleEvidence c = stats.roles().get(C);
    assertEquals(2, c.calls());
    assertEquals(2, c.mappedCalls());
    assertEquals(Set.of("f0", "f1"), c.sessionNames());
    IngestStats other = new IngestStats(5);
    other.roleCall("arn:aws:iam::000000000000:role/z", false, Outcome.MAPPED, null);
    stats.merge(other);
    assertEquals("arn:aws:iam::000000000000:role/z", stats.roles().keySet().iterator().next());
  }

  @Test
  void jsonListsRolesInOrderWhateverTheOrderOfCalls() {
    IngestStats forward = new IngestStats(5);
    IngestStats backward = new IngestStats(5);
    List<String> roles = List.of(A, B, C);
    for (int i = 0; i < roles.size(); i++) {
      forward.roleCall(roles.get(i), true, Outcome.MAPPED, "s" + i);
      backward.roleCall(roles.get(roles.size() - 1 - i), true, Outcome.MAPPED, "s" + (roles.size() - 1 - i));
    }
    assertEquals(forward.toJson().toString(), backward.toJson().toString());
    List<String> names = new ArrayList<>();
    forward.toJson().path("roles").fieldNames().forEachRemaining(names::add);
    assertEquals(roles, names);
  }

  @Test
  void roleEvidenceSurvivesJavaSerialisation() throws Exception {
    IngestStats stats = new IngestStats(5);
    stats.roleCall(B, true, Outcome.MAPPED, "f");
    stats.roleCall(A, false, Outcome.MAPPED, null);
    stats.roles();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(stats);
    }
    IngestStats back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (IngestStats) in.readObject();
    }
    assertEquals(stats.roles(), back.roles());
    back.roleCall(C, false, Outcome.MAPPED, null);
    assertEquals(List.of(A, B, C), new ArrayList<>(back.roles().keySet()));
  }

  @Test
  void keepsWhereEachSessionCalledFromAndReadsItBackFromTheState() {
    IngestStats stats = new IngestStats(5);
    stats.roleCall(A, true, Outcome.MAPPED, "thumbnailer", "eu-west-1");
    stats.roleCall(A, true, Outcome.MAPPED, "thumbnailer", "us-east-1");
    stats.roleCall(A, true, Outcome.MAPPED, "resizer", "eu-west-1");
    stats.roleCall(A, true, Outcome.MAPPED, "no-region", null);
    IngestStats other = new IngestStats(5);
    other.roleCall(A, true, Outcome.MAPPED, "resizer", "ap-south-1");
    stats.merge(other);
    java.util.Map<String, Set<String>> expected = java.util.Map.of("thumbnailer", Set.of("eu-west-1", "us-east-1"),
        "resizer", Set.of("ap-south-1", "eu-west-1"));
    assertEquals(expected, stats.roles().get(A).sessionRegions());
    assertEquals(expected, IngestStats.fromJson(stats.toJson(), 5).roles().get(A).sessionRegions());
  }

  @Test
  void keepsTheFirstSessionsInSortedOrderBeyondTheCap() {
    IngestStats forward = new IngestStats(5);
    IngestStats backward = new IngestStats(5);
    int sessions = IngestStats.RoleEvidence.MAX_SESSIONS_WITH_REGIONS + 5;
    for (int i = 0; i < sessions; i++) {
      forward.roleCall(A, false, Outcome.MAPPED, String.format("s%03d", i), "us-east-1");
      backward.roleCall(A, false, Outcome.MAPPED, String.format("s%03d", sessions - 1 - i), "us-east-1");
    }
    var kept = forward.roles().get(A).sessionRegions();
    assertEquals(IngestStats.RoleEvidence.MAX_SESSIONS_WITH_REGIONS, kept.size());
    assertEquals(kept, backward.roles().get(A).sessionRegions());
    assertEquals(Set.of("us-east-1"), kept.get("s000"));
  }
}
