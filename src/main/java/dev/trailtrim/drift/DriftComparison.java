package dev.trailtrim.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** Compares this run's {@link RunState} with the previous run's: pure, so it is tested without Spark. */
public final class DriftComparison {

  /** An action's denied calls spiked when they are more than this many times the previous run's... */
  public static final long SPIKE_FACTOR = 2;
  /** ...and at least this many: a role going from 1 to 3 denied calls is noise, not a spike. */
  public static final long SPIKE_FLOOR = 10;

  private DriftComparison() {}

  public static RunChanges compare(RunState previous, RunState current) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<RoleChanges> roles = new ArrayList<>();
    for (RoleState now : current.roles().values()) {
      RoleState then = previous.roles().get(now.roleArn());
      if (then == null) {
        added.add(now.roleArn());
        continue;
      }
      RoleChanges changes = compare(then, now);
      if (changes.changed() || !changes.notes().isEmpty()) {
        roles.add(changes);
      }
    }
    previous.roles().keySet().stream().filter(arn -> !current.roles().containsKey(arn)).forEach(removed::add);
    return new RunChanges(current.runId(), previous.runId(), RunChanges.Comparison.COMPARED, null, added, removed,
        roles);
  }

  /**
   * This run against the previous run's state file as read.
   *
   * @param previousState the previous run's {@link RunState#PATH}, as text
   */
  public static RunChanges against(String previousRunId, String previousState, RunState current) {
    RunState previous;
    try {
      previous = RunState.parse(previousRunId, previousState);
    } catch (RuntimeException e) {
      // Whatever is wrong with the previous run's file costs the comparison, never the night.
      return RunChanges.notCompared(current.runId(), previousRunId, "runs/" + previousRunId + "/" + RunState.PATH
          + " cannot be read: " + e.getMessage() + "; the next run compares with this one");
    }
    return compare(previous, current);
  }

  /** Whether {@code count} denied calls, against {@code previous} the run before, is a spike. */
  public static boolean spike(long previous, long count) {
    return previous > 0 && count > SPIKE_FACTOR * previous && count >= SPIKE_FLOOR;
  }

  static RoleChanges compare(RoleState then, RoleState now) {
    String previousStatus = then.status().equals(now.status()) ? null : then.status();
    List<String> notes = new ArrayList<>();
    if (then.failed() || now.failed()) {
      notes.add("the role's analysis failed in " + (now.failed() ? "this run" : "the previous run")
          + ", so its permissions are not compared");
      return new RoleChanges(now.roleArn(), previousStatus, now.status(), List.of(), List.of(), List.of(), List.of(),
          List.of(), List.of(), null, notes);
    }
    List<Grant> granted = new ArrayList<>();
    List<Grant> revoked = new ArrayList<>();
    if (then.granted() != null && now.granted() != null) {
      Map<String, Grant> before = then.grantsByKey();
      Map<String, Grant> after = now.grantsByKey();
      after.forEach((key, grant) -> {
        if (!before.containsKey(key)) {
          granted.add(grant);
        }
      });
      before.forEach((key, grant) -> {
        if (!after.containsKey(key)) {
          revoked.add(grant);
        }
      });
    } else if (then.granted() != null || now.granted() != null) {
      notes.add("the role's grants are known in " + (now.granted() == null ? "the previous run only" : "this run only")
          + " (" + (now.granted() == null ? now.status() : then.status()) + "), so grants are not compared");
    }
    List<String> newlyUsed = minus(now.used(), then.used());
    // Used then, not now, and unused now: its last use left the window. An action used on one resource and
    // unused on another is in both lists of a run, so "unused now" alone would not say it stopped being used.
    List<String> newlyUnused = now.unused().stream().filter(then.used()::contains)
        .filter(action -> !now.used().contains(action)).toList();
    List<RoleChanges.DeniedChange> newlyDenied = new ArrayList<>();
    List<RoleChanges.DeniedChange> spikes = new ArrayList<>();
    now.denied().forEach((action, count) -> {
      long before = then.denied().getOrDefault(action, 0L);
      if (before == 0) {
        newlyDenied.add(new RoleChanges.DeniedChange(action, 0, count));
      } else if (spike(before, count)) {
        spikes.add(new RoleChanges.DeniedChange(action, before, count));
      }
    });
    return new RoleChanges(now.roleArn(), previousStatus, now.status(), granted, revoked, newlyUsed, newlyUnused,
        newlyDenied, spikes, suggestion(then.suggestion(), now.suggestion()), notes);
  }

  private static RoleChanges.SuggestionChange suggestion(RoleState.SuggestionState then,
      RoleState.SuggestionState now) {
    String before = then == null ? null : then.policyHash();
    String after = now == null ? null : now.policyHash();
    if (Objects.equals(before, after)) {
      return null;
    }
    SortedSet<String> thenActions = then == null ? new TreeSet<>() : then.actions();
    SortedSet<String> nowActions = now == null ? new TreeSet<>() : now.actions();
    return new RoleChanges.SuggestionChange(minus(nowActions, thenActions), minus(thenActions, nowActions), before,
        after);
  }

  private static List<String> minus(SortedSet<String> from, SortedSet<String> taken) {
    return from.stream().filter(value -> !taken.contains(value)).toList();
  }
}
