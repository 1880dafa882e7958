package dev.trailtrim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.inventory.FunctionFinding;
import dev.trailtrim.inventory.FunctionFindings;
import dev.trailtrim.inventory.FunctionInventory;
import dev.trailtrim.inventory.ListFunctionsParser;
import dev.trailtrim.inventory.Listing;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.LiveLambdaInventoryReader;
import dev.trailtrim.io.RunWriter;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.report.RoleReportJson;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * The Lambda inventory of a run ({@code --lambda-inventory} files, or {@code --lambda-inventory-live}),
 * or none: then each role's functions are inferred from the logs. A file that cannot be read is
 * reported and skipped; the account and region its name tells count as not listed, so it can never
 * make a role look unused. A live read that fails is reported and the run goes on without one.
 */
final class LambdaInventory {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String LIVE_SOURCE = "the Lambda API (ListFunctions; kept as lambda-inventory/)";
  static final String NO_INVENTORY = "none: each role's functions are inferred from the logs";

  private final String source;
  private final FunctionInventory inventory;
  private final List<String> problems;

  private LambdaInventory(String source, FunctionInventory inventory, List<String> problems) {
    this.source = source;
    this.inventory = inventory;
    this.problems = List.copyOf(problems);
  }

  static LambdaInventory load(JobConfig config, Configuration hadoop, RunWriter writer, LogCoverage coverage)
      throws IOException {
    if (config.lambdaInventories().isEmpty() && !config.lambdaInventoryLive()) {
      return new LambdaInventory(null, null, List.of());
    }
    List<String> problems = new ArrayList<>();
    List<Listing> listings = new ArrayList<>();
    String source;
    if (config.lambdaInventoryLive()) {
      source = LIVE_SOURCE;
      Set<String> regions = new TreeSet<>(config.lambdaRegions());
      if (regions.isEmpty()) {
        coverage.accounts().values().forEach(byRegion -> regions.addAll(byRegion.keySet()));
      }
      try {
        Map<String, ObjectNode> documents = LiveLambdaInventoryReader.connect(config.lambdaEndpoint() == null ? null
            : URI.create(config.lambdaEndpoint())).readDocuments(regions);
        // One set of credentials, one account: its functions' ARNs say which, also for regions without any.
        String account = documents.values().stream().flatMap(d -> java.util.stream.StreamSupport.stream(
            d.path("Functions").spliterator(), false)).map(f -> f.path("FunctionArn").asText().split(":"))
            .filter(parts -> parts.length > 4).map(parts -> parts[4]).findFirst().orElse(null);
        for (Map.Entry<String, ObjectNode> document : documents.entrySet()) {
          String name = "lambda-inventory/" + (account == null ? "" : account + "-") + document.getKey() + ".json";
          writer.write(name, CanonicalJson.write(document.getValue()));
          listings.add(ListFunctionsParser.parse(document.getValue(), "Lambda API (ListFunctions in "
              + document.getKey() + ")", name));
        }
      } catch (RuntimeException e) {
        problems.add("The Lambda functions could not be listed through the Lambda API (" + e.getMessage() + "): their"
            + " functions are inferred from the logs, and no role is called unused by functions");
        return new LambdaInventory(source, null, problems);
      }
    } else {
      source = String.join(", ", config.lambdaInventories());
      for (String location : config.lambdaInventories()) {
        List<String> files;
        try {
          files = HadoopFiles.jsonFilesAt(hadoop, location);
        } catch (java.io.FileNotFoundException e) {
          problems.add("Lambda inventory '" + location + "' does not exist: check --lambda-inventory");
          continue;
        }
        org.apache.hadoop.fs.Path root = HadoopFiles.toPath(location);
        String folder = root.getFileSystem(hadoop).makeQualified(root).toString().replaceAll("/+$", "") + "/";
        for (HadoopFiles.Text text : HadoopFiles.readStrings(hadoop, files)) {
          String file = text.location();
          // Named below the folder given, so the reports read the same wherever the files are kept.
          String name = file.startsWith(folder) ? file.substring(folder.length())
              : new org.apache.hadoop.fs.Path(file).getName();
          try {
            JsonNode document = JSON.readTree(text.get());
            listings.add(ListFunctionsParser.parse(document, "inventory file " + name, file));
          } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof IOException ? "Lambda inventory " + file + " is not valid JSON (" + e.getMessage()
                + "): pass the output of 'aws lambda list-functions --region REGION'" : e.getMessage();
            problems.add(why + "; skipped, so its account and region count as not listed");
            listings.add(ListFunctionsParser.unreadable(file, file));
          }
        }
      }
    }
    return new LambdaInventory(source, FunctionInventory.of(source, listings), problems);
  }

  /** Null without an inventory (or when it could not be read): then functions are inferred from the logs. */
  FunctionInventory inventory() {
    return inventory;
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (source == null) {
      lines.add("Lambda inventory: none (--lambda-inventory); each role's functions are inferred from the logs");
      return lines;
    }
    if (inventory != null) {
      Map<String, List<String>> byAccount = listedRegions();
      List<String> listed = new ArrayList<>();
      byAccount.forEach((account, regions) -> listed.add(account + " " + String.join(", ", regions)));
      lines.add("Lambda inventory: " + inventory.functions().size() + " function(s) from " + source + "; listed"
          + " completely: " + (listed.isEmpty() ? "nothing" : String.join("; ", listed)));
      inventory.notes().forEach(note -> lines.add("Lambda inventory: note: " + note));
    }
    problems.forEach(problem -> lines.add("Lambda inventory not used in part: " + problem));
    return lines;
  }

  private Map<String, List<String>> listedRegions() {
    Map<String, List<String>> byAccount = new java.util.TreeMap<>();
    for (String key : inventory.covered()) {
      String[] parts = key.split("/", 2);
      byAccount.computeIfAbsent(parts[0], a -> new ArrayList<>()).add(parts[1]);
    }
    byAccount.values().forEach(list -> list.sort(null));
    return byAccount;
  }

  /**
   * Every finding of the run: the roles' ({@code no-function-uses-role}, from the role step) and a
   * {@code function-role-unknown} for each function whose role the grants do not have, logged.
   */
  List<FunctionFinding> findings(List<FunctionFinding> roleFindings, GrantSnapshot grants, Consumer<String> log) {
    List<FunctionFinding> findings = new ArrayList<>(roleFindings);
    for (FunctionFinding unknown : FunctionFindings.functionRoleUnknown(inventory,
        arn -> grants.role(arn).isPresent())) {
      findings.add(unknown);
      log.accept("trailtrim: " + unknown.rule() + ": " + unknown.function() + ": " + unknown.detail());
    }
    return findings;
  }

  /** {@code summary.json}'s {@code functions}: the inventory read, what limits it, and the findings. */
  ObjectNode json(List<FunctionFinding> findings) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("source", source == null ? NO_INVENTORY : source);
    node.put("inventoryFunctions", inventory == null ? 0 : inventory.functions().size());
    ObjectNode listed = node.putObject("listedCompletely");
    if (inventory != null) {
      listedRegions().forEach((account, regions) -> {
        ArrayNode list = listed.putArray(account);
        regions.forEach(list::add);
      });
    }
    ArrayNode notes = node.putArray("notes");
    if (inventory != null) {
      inventory.notes().forEach(notes::add);
    }
    ArrayNode problemNode = node.putArray("problems");
    problems.forEach(problemNode::add);
    ArrayNode findingNode = node.putArray("findings");
    findings.stream().sorted().forEach(finding -> findingNode.add(RoleReportJson.finding(finding)));
    return node;
  }

}
