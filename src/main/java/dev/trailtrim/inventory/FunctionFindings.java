package dev.trailtrim.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/** The inventory's findings: Lambda roles no function uses, and functions whose role the snapshot lacks. */
public final class FunctionFindings {

  /** A role that trusts Lambda but no function of the (complete) inventory uses: a candidate for deletion. */
  public static final String NO_FUNCTION_USES_ROLE = "no-function-uses-role";
  /** A function whose execution role is not in the IAM snapshot: its grants cannot be checked. */
  public static final String FUNCTION_ROLE_UNKNOWN = "function-role-unknown";

  private FunctionFindings() {}

  /**
   * The finding for a role of the snapshot that trusts Lambda, or null when a function uses it or
   * the inventory does not list its account completely (then nothing can be said).
   *
   * @param regionsWithLogs    the regions of the role's account that have logs in the window
   * @param lastActivityMillis the role's last call in the window; null when none is known
   * @param calls              its calls in the window
   */
  public static FunctionFinding noFunctionUsesRole(FunctionInventory inventory, String roleArn, String accountId,
      Collection<String> regionsWithLogs, Long lastActivityMillis, long calls) {
    if (inventory == null || !inventory.functionsOf(roleArn).isEmpty()
        || inventory.notCovering(accountId, regionsWithLogs) != null) {
      return null;
    }
    String activity = calls == 0 ? "no activity in the window"
        : lastActivityMillis == null ? calls + " call(s) in the window"
        : "last activity " + Instant.ofEpochMilli(lastActivityMillis) + " (" + calls + " call(s) in the window:"
            + " a function that used it may have been deleted or moved to another role)";
    return new FunctionFinding(NO_FUNCTION_USES_ROLE, accountId, roleArn, null, "the role trusts"
        + " lambda.amazonaws.com but no function in the Lambda inventory of account " + accountId + " ("
        + String.join(", ", inventory.coveredRegions(accountId)) + ") uses it; " + activity
        + ": a candidate for deletion");
  }

  /** One finding per inventory function whose role {@code inSnapshot} does not know, sorted. */
  public static List<FunctionFinding> functionRoleUnknown(FunctionInventory inventory, Predicate<String> inSnapshot) {
    List<FunctionFinding> findings = new ArrayList<>();
    if (inventory == null) {
      return findings;
    }
    for (LambdaFunction function : inventory.functions()) {
      if (!inSnapshot.test(function.roleArn())) {
        findings.add(new FunctionFinding(FUNCTION_ROLE_UNKNOWN, function.accountId(), function.roleArn(),
            function.arn(), "function " + function.name() + " (" + function.region() + ") runs as "
                + function.roleArn() + ", which the IAM snapshot does not have: its grants cannot be checked; add the"
                + " snapshot of account " + roleAccount(function.roleArn()) + ", or give the function an existing role"
                + " (a deleted role leaves it unable to run)"));
      }
    }
    findings.sort(null);
    return findings;
  }

  private static String roleAccount(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    return parts.length > 4 ? parts[4] : roleArn;
  }
}
