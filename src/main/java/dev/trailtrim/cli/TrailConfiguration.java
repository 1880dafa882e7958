package dev.trailtrim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.analysis.TrailView;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.evidence.Trail;
import dev.trailtrim.evidence.TrailConfigParser;
import dev.trailtrim.evidence.TrailRecording;
import dev.trailtrim.ingest.TrailChange;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.LiveTrailConfigReader;
import dev.trailtrim.io.RunWriter;
import dev.trailtrim.model.Observability;
import dev.trailtrim.policy.CanonicalJson;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.regions.Region;

/**
 * The trails' configuration of a run ({@code --trail-config} files, or {@code --trail-config-live}),
 * and for each account whether it decides what CloudTrail records. Without one, or where the logs
 * record a change to a trail's selectors in the window (the configuration read today did not hold
 * all along), the conservative rules stay: management events count as recorded, data events only
 * for the resources the logs show being recorded. A configuration that cannot be read is reported
 * and not used: the run goes on under the conservative rules, which never remove more.
 */
final class TrailConfiguration {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SELECTOR_CHANGES = Set.of("PutEventSelectors", "UpdateTrail", "CreateTrail");

  private final String source;
  private final TrailRecording recording;
  private final List<String> problems;
  /** Account to the selector changes the logs record for it in the window. */
  private final Map<String, List<String>> changedIn;

  private TrailConfiguration(String source, TrailRecording recording, List<String> problems,
      Map<String, List<String>> changedIn) {
    this.source = source;
    this.recording = recording;
    this.problems = List.copyOf(problems);
    this.changedIn = changedIn;
  }

  static TrailConfiguration load(JobConfig config, Configuration hadoop, RunWriter writer,
      Collection<TrailChange> changes) throws IOException {
    Map<String, List<String>> changedIn = new TreeMap<>();
    for (TrailChange change : changes) {
      if (SELECTOR_CHANGES.contains(change.eventName())) {
        changedIn.computeIfAbsent(change.accountId(), a -> new ArrayList<>()).add(change.eventName() + " "
            + change.trailName() + " at " + java.time.Instant.ofEpochMilli(change.timeMillis()));
      }
    }
    if (config.trailConfigs().isEmpty() && !config.trailConfigLive()) {
      return new TrailConfiguration(null, null, List.of(), changedIn);
    }
    List<String> problems = new ArrayList<>();
    List<JsonNode> documents = new ArrayList<>();
    String source;
    if (config.trailConfigLive()) {
      source = "the CloudTrail API (kept as trail-config.json)";
      try (LiveTrailConfigReader reader = LiveTrailConfigReader.connect(Region.of(config.cloudTrailRegion()),
          config.cloudTrailEndpoint() == null ? null : URI.create(config.cloudTrailEndpoint()))) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        reader.readDocuments().forEach(all::add);
        writer.write("trail-config.json", CanonicalJson.write(all));
        documents.add(all);
      } catch (RuntimeException e) {
        problems.add("The trails' configuration could not be read through the CloudTrail API (" + e.getMessage()
            + "): check cloudtrail:ListTrails, DescribeTrails, GetEventSelectors and GetTrailStatus permissions");
      }
    } else {
      source = String.join(", ", config.trailConfigs());
      for (String location : config.trailConfigs()) {
        for (HadoopFiles.Text text : HadoopFiles.readStrings(hadoop, jsonFilesAt(hadoop, location, problems))) {
          String file = text.location();
          try {
            documents.add(JSON.readTree(text.get()));
          } catch (IOException e) {
            problems.add("Trail configuration " + file + " is not valid JSON (" + e.getMessage() + "): pass the"
                + " output of 'aws cloudtrail describe-trails' and 'aws cloudtrail get-event-selectors'");
          }
        }
      }
    }
    TrailRecording recording = null;
    if (problems.isEmpty()) {
      try {
        recording = TrailRecording.of(TrailConfigParser.parse(documents));
      } catch (IllegalArgumentException e) {
        problems.add("Trail configuration from " + source + ": " + e.getMessage());
      }
    }
    return new TrailConfiguration(source, recording, problems, changedIn);
  }

  private static List<String> jsonFilesAt(Configuration hadoop, String location, List<String> problems)
      throws IOException {
    try {
      return HadoopFiles.jsonFilesAt(hadoop, location);
    } catch (java.io.FileNotFoundException e) {
      problems.add("Trail configuration '" + location + "' does not exist: check --trail-config");
      return List.of();
    }
  }

  /** The role's view of what the trails record: from the configuration where it holds, else the rules'. */
  Observability view(LogObservability base, String accountId, List<String> regions) {
    return recording == null || changedIn.containsKey(accountId) ? base
        : new TrailView(base, recording, accountId, regions);
  }

  /** One sentence for a role's report: what decided which of its calls the trails record. */
  String factsFor(String accountId) {
    if (recording == null) {
      return source == null ? null : "the trail configuration from " + source + " could not be used ("
          + String.join("; ", problems) + "): management events count as recorded, data events only for the resources"
          + " the logs show being recorded";
    }
    if (changedIn.containsKey(accountId)) {
      return "the logs record changes to a trail of account " + accountId + " in the window ("
          + String.join("; ", changedIn.get(accountId)) + "), so today's trail configuration is not used for it:"
          + " management events count as recorded, data events only for the resources the logs show being recorded";
    }
    List<String> arns = recording.trails().stream().map(Trail::trailArn).sorted().toList();
    return "the trails' configuration from " + source + ": " + String.join(", ", arns);
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (source == null) {
      return lines;
    }
    if (recording != null) {
      lines.add("trail configuration: " + recording.trails().size() + " trail(s) from " + source);
    }
    problems.forEach(problem -> lines.add("trail configuration not used: " + problem));
    changedIn.forEach((account, list) -> lines.add("trail configuration not used for account " + account
        + ": the logs record " + String.join("; ", list)));
    return lines;
  }

  ObjectNode json() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("source", source);
    ArrayNode trails = node.putArray("trails");
    if (recording != null) {
      recording.trails().stream().map(Trail::trailArn).sorted().forEach(trails::add);
    }
    ArrayNode problemNode = node.putArray("problems");
    problems.forEach(problemNode::add);
    ObjectNode changed = node.putObject("notUsedForAccounts");
    changedIn.forEach((account, list) -> {
      ArrayNode calls = changed.putArray(account);
      new TreeSet<>(list).forEach(calls::add);
    });
    return node;
  }
}
