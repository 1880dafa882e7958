package dev.trailtrim.grants;

import dev.trailtrim.policy.GrantSet;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one role is granted, from a get-account-authorization-details snapshot.
 *
 * @param path            e.g. {@code /service-role/}
 * @param trustedServices the services its trust policy lets assume it (Principal.Service of Allow statements)
 * @param policies        inline and attached managed policies that could be read, sorted by label
 * @param boundary        the permissions boundary, or null
 * @param problems        what could not be read (a malformed policy, a managed policy missing from
 *                        the snapshot), each naming the policy
 * @param createDate      when the role was created (the snapshot's CreateDate); null when the snapshot has none
 * @param missingGrants   what of the role's grants is unknown (a managed policy missing from the snapshot, a
 *                        policy that could not be read, copies of the role that disagree), each naming it;
 *                        empty when every grant is known. Also listed in {@code problems}.
 */
public record RoleGrants(String roleArn, String roleName, String path, String accountId, Set<String> trustedServices,
    List<GrantedPolicy> policies, GrantedPolicy boundary, List<String> problems, Instant createDate,
    List<String> missingGrants) {

  private static final Set<String> LAMBDA_PRINCIPALS = Set.of("lambda.amazonaws.com", "edgelambda.amazonaws.com");

  public RoleGrants {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(roleName, "roleName");
    Objects.requireNonNull(accountId, "accountId");
    path = path == null ? "/" : path;
    trustedServices = java.util.Collections.unmodifiableSet(new TreeSet<>(trustedServices));
    policies = policies.stream().sorted(Comparator.comparing(GrantedPolicy::label)).toList();
    if (boundary != null && boundary.kind() != GrantedPolicy.Kind.BOUNDARY) {
      throw new IllegalArgumentException(
          "Boundary of " + roleArn + " must be of kind BOUNDARY, got " + boundary.kind());
    }
    missingGrants = List.copyOf(missingGrants);
    java.util.Set<String> allProblems = new java.util.LinkedHashSet<>(problems);
    allProblems.addAll(missingGrants);
    problems = List.copyOf(allProblems);
  }

  /** A role whose grants are all known. */
  public RoleGrants(String roleArn, String roleName, String path, String accountId, Set<String> trustedServices,
      List<GrantedPolicy> policies, GrantedPolicy boundary, List<String> problems, Instant createDate) {
    this(roleArn, roleName, path, accountId, trustedServices, policies, boundary, problems, createDate, List.of());
  }

  /** A role whose creation date is not known. */
  public RoleGrants(String roleArn, String roleName, String path, String accountId, Set<String> trustedServices,
      List<GrantedPolicy> policies, GrantedPolicy boundary, List<String> problems) {
    this(roleArn, roleName, path, accountId, trustedServices, policies, boundary, problems, null);
  }

  /** Whether Lambda (or Lambda@Edge) may assume the role: the mark of an execution role. */
  public boolean trustsLambda() {
    return trustedServices.stream().anyMatch(LAMBDA_PRINCIPALS::contains);
  }

  /** The policies as the evaluator takes them. */
  public GrantSet grantSet() {
    return new GrantSet(policies.stream().map(GrantedPolicy::labeled).toList(),
        boundary == null ? null : boundary.labeled());
  }

  /** Whether every grant of the role is known: every attached policy read, no disagreeing copy. */
  public boolean complete() {
    return missingGrants.isEmpty();
  }

  /** This role with more of its grants unknown. */
  public RoleGrants withMissingGrants(List<String> more) {
    List<String> missing = new java.util.ArrayList<>(missingGrants);
    missing.addAll(more);
    return new RoleGrants(roleArn, roleName, path, accountId, trustedServices, policies, boundary, problems,
        createDate, missing);
  }
}
