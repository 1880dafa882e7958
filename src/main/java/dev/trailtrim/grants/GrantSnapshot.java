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
  private final Map<String, RoleGrants> byArn = new LinkedHashMap<>();
  private final Map<String, RoleGrants> byAccountAndName = new LinkedHashMap<>();

  public GrantSnapshot(List<RoleGrants> roles, List<String> problems) {
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

  /** One snapshot of several accounts' snapshots; a role found in two keeps the first and is named in problems. */
  public static GrantSnapshot merge(List<GrantSnapshot> snapshots) {
    List<RoleGrants> roles = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (GrantSnapshot snapshot : snapshots) {
      roles.addAll(snapshot.roles);
      problems.addAll(snapshot.problems);
    }
    return new GrantSnapshot(roles, problems);
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
