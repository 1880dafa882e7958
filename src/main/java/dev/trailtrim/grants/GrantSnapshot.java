package dev.trailtrim.grants;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The roles of one or more accounts' authorization-details snapshots. */
public final class GrantSnapshot {

  private final List<RoleGrants> roles;
  private final List<String> problems;
  /** Where the snapshot was read from (a file), for messages; null when not known. */
  private final String source;
  private final Map<String, RoleGrants> byArn = new LinkedHashMap<>();
  private final Map<String, RoleGrants> byAccountAndName = new LinkedHashMap<>();

  public GrantSnapshot(List<RoleGrants> roles, List<String> problems) {
    this(roles, problems, null);
  }

  private GrantSnapshot(List<RoleGrants> roles, List<String> problems, String source) {
    this.source = source;
    List<String> allProblems = new ArrayList<>(problems);
    for (RoleGrants role : roles) {
      if (byArn.putIfAbsent(role.roleArn(), role) != null) {
        allProblems.add("Role " + role.roleArn() + " appears more than once; using the first");
      }
      byAccountAndName.putIfAbsent(accountAndName(role.accountId(), role.roleName()), role);
    }
    this.roles = byArn.values().stream().sorted(Comparator.comparing(RoleGrants::roleArn)).toList();
    this.problems = List.copyOf(allProblems);
  }

  /** This snapshot, read from {@code source} (named when two snapshots disagree about a role). */
  public GrantSnapshot withSource(String source) {
    return new GrantSnapshot(roles, problems, source);
  }

  /**
   * One snapshot of several accounts' snapshots. A role found in two with the same grants is kept
   * once; one whose copies differ has contradictory grants: a suggestion built on either copy could
   * widen or break, so the role keeps the first copy marked with what is missing, and gets none.
   */
  public static GrantSnapshot merge(List<GrantSnapshot> snapshots) {
    Map<String, RoleGrants> byArn = new LinkedHashMap<>();
    Map<String, String> sourceOf = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (GrantSnapshot snapshot : snapshots) {
      String source = snapshot.source == null ? "a snapshot" : snapshot.source;
      for (RoleGrants role : snapshot.roles) {
        RoleGrants first = byArn.putIfAbsent(role.roleArn(), role);
        if (first == null) {
          sourceOf.put(role.roleArn(), source);
        } else if (!sameGrants(first, role)) {
          List<String> missing = new ArrayList<>();
          missing.add("Role " + role.roleArn() + " appears in " + sourceOf.get(role.roleArn()) + " and in " + source
              + " with different grants: no policy is suggested from either copy; take the account's snapshot once,"
              + " or remove the stale file");
          missing.addAll(role.missingGrants());
          byArn.put(role.roleArn(), byArn.get(role.roleArn()).withMissingGrants(missing));
        }
      }
      problems.addAll(snapshot.problems);
    }
    return new GrantSnapshot(List.copyOf(byArn.values()), problems);
  }

  private static boolean sameGrants(RoleGrants a, RoleGrants b) {
    return a.policies().equals(b.policies()) && java.util.Objects.equals(a.boundary(), b.boundary())
        && a.trustedServices().equals(b.trustedServices()) && java.util.Objects.equals(a.createDate(), b.createDate())
        && a.missingGrants().equals(b.missingGrants());
  }

  /**
   * The role with this ARN; CloudTrail's session issuer ARN carries the role's path like the
   * snapshot does, but a role is also found by account and name (IAM role names are unique per
   * account, case-insensitively) if the paths differ.
   */
  public Optional<RoleGrants> role(String roleArn) {
    RoleGrants exact = byArn.get(roleArn);
    if (exact != null) {
      return Optional.of(exact);
    }
    String[] parts = roleArn.split(":", 6);
    if (parts.length != 6) {
      return Optional.empty();
    }
    String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
    return Optional.ofNullable(byAccountAndName.get(accountAndName(parts[4], name)));
  }

  /** Sorted by ARN. */
  public List<RoleGrants> roles() {
    return roles;
  }

  /** Problems not tied to one role, e.g. an entry without an ARN. */
  public List<String> problems() {
    return problems;
  }

  private static String accountAndName(String account, String name) {
    return account + ":" + name.toLowerCase(Locale.ROOT);
  }
}
