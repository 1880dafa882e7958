package dev.trailtrim.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Lambda functions of a run's inventory ({@code --lambda-inventory} files or
 * {@code --lambda-inventory-live}): which functions use which role, and which accounts and regions
 * it lists completely, so that "no function uses this role" can be said only where it would see one.
 *
 * @param source    where it was read, for the run's log and summary
 * @param functions sorted by ARN, each once (the first listing that has it, in the order given)
 * @param covered   account and region pairs ({@link Listing#key}) listed completely
 * @param notes     what limits it, one sentence each
 */
public record FunctionInventory(String source, List<LambdaFunction> functions, Set<String> covered,
    List<String> notes) {

  public FunctionInventory {
    Objects.requireNonNull(source, "source");
    functions = functions.stream().sorted().toList();
    covered = Set.copyOf(new TreeSet<>(covered));
    notes = List.copyOf(notes);
  }

  /**
   * The listings together; a function in two listings counts once. An account and region is
   * covered when a complete listing has it and no page of a longer listing does.
   */
  public static FunctionInventory of(String source, List<Listing> listings) {
    Map<String, LambdaFunction> byArn = new TreeMap<>();
    Set<String> covered = new TreeSet<>();
    Set<String> paged = new TreeSet<>();
    List<String> notes = new ArrayList<>();
    for (Listing listing : listings) {
      listing.functions().forEach(function -> byArn.putIfAbsent(function.arn(), function));
      (listing.complete() ? covered : paged).addAll(listing.lists());
      notes.addAll(listing.notes());
    }
    covered.removeAll(paged);
    return new FunctionInventory(source, new ArrayList<>(byArn.values()), covered, notes);
  }

  /**
   * The functions whose execution role is {@code roleArn}, by ARN. Roles are matched by account and
   * name, as IAM keeps role names unique per account (case-insensitively): a path written
   * differently still names the same role.
   */
  public List<LambdaFunction> functionsOf(String roleArn) {
    String role = roleKey(roleArn);
    return functions.stream().filter(function -> roleKey(function.roleArn()).equals(role)).toList();
  }

  /** Account and lower-case name of a role ARN ({@code arn:aws:iam::ACCOUNT:role/PATH/NAME}). */
  static String roleKey(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    if (parts.length != 6) {
      return roleArn;
    }
    return parts[4] + ":" + parts[5].substring(parts[5].lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
  }

  /** The regions of {@code accountId} the inventory lists completely, sorted. */
  public List<String> coveredRegions(String accountId) {
    List<String> regions = new ArrayList<>();
    String prefix = accountId + "/";
    for (String key : new TreeSet<>(covered)) {
      if (key.startsWith(prefix)) {
        regions.add(key.substring(prefix.length()));
      }
    }
    return regions;
  }

  /**
   * Whether the inventory would show every function of {@code accountId}: it lists the account
   * completely in at least one region and in each of {@code regionsWithLogs} (where the account is
   * seen to work). Regions with neither logs nor a listing are taken to hold no function.
   *
   * @return null when it does, else why not (a sentence naming what is missing)
   */
  public String notCovering(String accountId, Collection<String> regionsWithLogs) {
    List<String> listed = coveredRegions(accountId);
    if (listed.isEmpty()) {
      return "the Lambda inventory has no complete listing of account " + accountId;
    }
    Set<String> missing = new TreeSet<>(regionsWithLogs);
    missing.removeAll(listed);
    return missing.isEmpty() ? null : "the Lambda inventory does not list account " + accountId + " in "
        + String.join(", ", missing) + ", where the logs show it working";
  }
}
