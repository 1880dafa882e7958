package dev.trailtrim.grants;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.policy.PolicyParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM snapshot files of a run, each read on its own, so that a file that cannot be read
 * (truncated, not JSON, no RoleDetailList) costs only the roles it may hold: those of its account,
 * read from its name or its readable start, or when neither names one, the roles no readable
 * snapshot has. Those roles have unknown grants; every other account is analysed as usual.
 */
public final class SnapshotFiles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ACCOUNT_IN_NAME = Pattern.compile("(?<!\\d)(\\d{12})(?!\\d)");
  /** The ARN of a role, user, group or customer managed policy names the snapshot's own account. */
  private static final Pattern ACCOUNT_IN_ARN = Pattern.compile("\"Arn\"\\s*:\\s*\"arn:[\\w-]+:iam::(\\d{12}):");
  private static final String FIX = "pass the complete output of 'aws iam get-account-authorization-details' for"
      + " that account";

  private SnapshotFiles() {}

  /**
   * A snapshot file that could not be read.
   *
   * @param accounts the accounts its roles belong to (from its name or readable start); empty when unknown
   */
  public record Unreadable(String file, Set<String> accounts, String problem) {
    public Unreadable {
      accounts = Set.copyOf(new TreeSet<>(accounts));
    }

    /** The snapshotProblems entry: the file, what is wrong, which roles it costs, and the fix. */
    String describe() {
      String costs = accounts.isEmpty()
          ? "its account is not known (name the file <account-id>.json), so every role that no readable snapshot"
              + " has is treated as having unknown grants"
          : "the roles of account " + String.join(", ", new TreeSet<>(accounts)) + " have unknown grants (no policy"
              + " is suggested for them), even those found in other snapshot files";
      return "IAM snapshot " + file + " could not be read (" + problem + "): " + costs + "; " + FIX;
    }
  }

  /** What one file gave: its roles, or why it could not be read (exactly one is not null). */
  public record Read(GrantSnapshot snapshot, Unreadable unreadable) {}

  /** Reads one file's text; never throws for what the text holds. */
  public static Read read(String file, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return unreadable(file, text, "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + withoutSource(e.getOriginalMessage()));
    }
    if (root == null || root.isMissingNode()) {
      return unreadable(file, text, "the file is empty");
    }
    if (!root.isObject()) {
      return unreadable(file, text, "expected a JSON object with RoleDetailList, got " + PolicyParser.typeOf(root));
    }
    if (!root.path("RoleDetailList").isArray()) {
      return unreadable(file, text, root.has("RoleDetailList") ? "RoleDetailList is " + PolicyParser.typeOf(root.get(
          "RoleDetailList")) + ", not a list" : "it has no RoleDetailList");
    }
    try {
      return new Read(AuthorizationDetailsParser.parse(root).withSource(file), null);
    } catch (RuntimeException e) {
      // Whatever a file holds, it costs its own account, never the run.
      return unreadable(file, text, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Jackson's message up to where it starts quoting the file, which may be long or span lines. */
  private static String withoutSource(String message) {
    int cut = message.indexOf(" (start marker at");
    cut = cut < 0 ? message.indexOf('\n') : cut;
    return cut < 0 ? message : message.substring(0, cut);
  }

  /** A file that could not even be fetched: it costs the account its name shows, if any. */
  public static Read unfetchable(String file, String problem) {
    return unreadable(file, "", problem);
  }

  private static Read unreadable(String file, String text, String problem) {
    return new Read(null, new Unreadable(file, accountsOf(file, text), problem));
  }

  /** The 12-digit account id in the file's name (or its folder's), else those its readable part names. */
  static Set<String> accountsOf(String file, String text) {
    String[] segments = file.split("/");
    for (int i = segments.length - 1; i >= Math.max(0, segments.length - 2); i--) {
      Matcher name = ACCOUNT_IN_NAME.matcher(segments[i]);
      if (name.find()) {
        return Set.of(name.group(1));
      }
    }
    Set<String> accounts = new TreeSet<>();
    Matcher arn = ACCOUNT_IN_ARN.matcher(text);
    while (arn.find()) {
      accounts.add(arn.group(1));
    }
    return accounts;
  }

  /**
   * The run's grants: the readable files' roles, less the roles of any account that has an
   * unreadable file (its roles could differ from the readable copy, and a suggestion built on the
   * wrong copy could widen), with one snapshotProblems entry per unreadable file.
   */
  public static GrantSnapshot combine(List<GrantSnapshot> readable, List<Unreadable> unreadable) {
    GrantSnapshot merged = GrantSnapshot.merge(readable);
    Set<String> unknownAccounts = new TreeSet<>();
    unreadable.forEach(u -> unknownAccounts.addAll(u.accounts()));
    List<RoleGrants> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (RoleGrants role : merged.roles()) {
      if (unknownAccounts.contains(role.accountId())) {
        dropped.add(role.roleArn());
      } else {
        kept.add(role);
      }
    }
    List<String> problems = new ArrayList<>(merged.problems());
    unreadable.forEach(u -> problems.add(u.describe()));
    if (!dropped.isEmpty()) {
      problems.add("Roles found in a readable snapshot but treated as having unknown grants, since a snapshot file"
          + " of their account could not be read: " + String.join(", ", dropped));
    }
    return new GrantSnapshot(kept, problems);
  }
}
