package dev.trailtrim.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The functions of one Lambda execution role: those the inventory says use it, each marked
 * active when the logs hold calls of its sessions, and those only the logs show. Lambda names a
 * role's session after the function, and the calls' {@code awsRegion} is where it runs.
 */
public final class RoleFunctions {

  /** The evidence of a function known only from the logs. */
  public static final String INFERRED = "inferred from logs";
  /** A function the logs show in a region the inventory lists completely, yet without it. */
  static final String INFERRED_BESIDES_INVENTORY = INFERRED + " (not in the Lambda inventory, which lists its account"
      + " and region: deleted or renamed since)";
  /** What Lambda allows in a function name: a session name outside it is not a function's. */
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private RoleFunctions() {}

  /**
   * @param inventory      null without one
   * @param sessionRegions per session name of the role, the regions of its calls in the window
   * @param globalRegion   where calls to global services are recorded (us-east-1), whatever region
   *                       the function runs in: a session seen there and elsewhere runs elsewhere
   */
  public static List<FunctionUse> of(String roleArn, String accountId, FunctionInventory inventory,
      Map<String, Set<String>> sessionRegions, String globalRegion) {
    List<FunctionUse> uses = new ArrayList<>();
    List<LambdaFunction> listed = inventory == null ? List.of() : inventory.functionsOf(roleArn);
    Set<String> listedNames = new TreeSet<>();
    for (LambdaFunction function : listed) {
      listedNames.add(function.name());
      Set<String> seenIn = sessionRegions.get(function.name());
      // A name used by the role's functions in two regions is told apart by the region of its calls.
      boolean nameIsUnique = listed.stream().filter(f -> f.name().equals(function.name())).count() == 1;
      boolean active = seenIn != null && (nameIsUnique || seenIn.contains(function.region()));
      uses.add(new FunctionUse(function.name(), function.region(), function.arn(), function.runtime(),
          function.architecture(), function.lastModified(), active, function.source()));
    }
    for (Map.Entry<String, Set<String>> session : sessionRegions.entrySet()) {
      String name = session.getKey();
      if (listedNames.contains(name) || !FUNCTION_NAME.matcher(name).matches()) {
        continue;
      }
      Set<String> regions = new TreeSet<>(session.getValue());
      if (regions.size() > 1) {
        regions.remove(globalRegion);
      }
      for (String region : regions) {
        uses.add(new FunctionUse(name, region, "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name, null,
            null, null, true, inventory != null && inventory.covered().contains(Listing.key(accountId, region))
                ? INFERRED_BESIDES_INVENTORY : INFERRED));
      }
    }
    uses.sort(null);
    return uses;
  }

  /** The regions where the role's listed functions run: with an inventory, where the role acts besides its calls. */
  public static Set<String> inventoryRegions(List<FunctionUse> functions) {
    Set<String> regions = new TreeSet<>();
    functions.stream().filter(f -> !f.evidence().startsWith(INFERRED)).forEach(f -> regions.add(f.region()));
    return regions;
  }
}
