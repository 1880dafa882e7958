package dev.trailtrim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.catalog.DataEventResource;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.model.Counters;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code summary.json}: the run in numbers, what was read, skipped and rejected, the roles by
 * outcome and the permissions by verdict. Coverage and trail configuration are added by the
 * driver, from the steps that own them.
 */
public final class SummaryJson {

  /** Role counts under this prefix are permissions by verdict: {@code permissions.unused}, ... */
  public static final String PERMISSIONS = "permissions.";

  /**
   * What reading counted.
   *
   * @param counters       by name, see {@link Counters}
   * @param rolesSeen      roles whose sessions the logs hold
   * @param unmapped       "eventSource eventName" of calls with no translation, with their records
   * @param dataEventsSeen the data events the trail is seen to record, by logging unit
   */
  public record Reading(Map<String, Long> counters, int rolesSeen, Map<String, Long> unmapped,
      Set<DataEventResource> dataEventsSeen) {}

  /**
   * What the per-role step counted.
   *
   * @param counts    roles by outcome (lambda, failed, ...) and permissions by verdict ({@link #PERMISSIONS})
   * @param notLambda roles found not to be Lambda execution roles
   * @param records   records of role sessions by what became of them: used, or a skip reason
   */
  public record Roles(Map<String, Long> counts, int notLambda, Map<String, Long> records) {}

  /** High-cardinality uses turned into resource patterns before they reached the driver. */
  public record Compaction(long actions, long resources, List<String> patterns) {}

  private SummaryJson() {}

  public static ObjectNode render(JobConfig config, List<String> notes, IamCatalog catalog, GrantSnapshot grants,
      Reading reading, Roles roles, Compaction compaction) {
    Map<String, Long> counters = reading.counters();
    ObjectNode summary = JsonNodeFactory.instance.objectNode();
    ObjectNode window = summary.putObject("window");
    window.put("from", config.window().from().toString());
    window.put("to", config.window().to().toString());
    window.put("days", config.window().days());
    window.put("lateArrivalDays", config.lateArrivalDays());
    ObjectNode input = summary.putObject("input");
    ArrayNode roots = input.putArray("cloudtrail");
    config.cloudTrailRoots().forEach(roots::add);
    ArrayNode snapshots = input.putArray("iamSnapshots");
    config.iamSnapshots().forEach(snapshots::add);
    ArrayNode noteArray = input.putArray("notes");
    notes.forEach(noteArray::add);
    ObjectNode catalogNode = summary.putObject("catalog");
    catalogNode.put("source", catalog.source());
    catalogNode.put("date", catalog.generatedOn());

    ObjectNode files = summary.putObject("files");
    files.put("planned", counter(counters, Counters.FILES_PLANNED));
    files.put("read", counter(counters, Counters.FILES_READ));
    files.set("rejected", countersWithPrefix(counters, Counters.FILES_REJECTED));
    files.put("rejectedTotal", Counters.sumWithPrefix(counters, Counters.FILES_REJECTED));
    files.set("skipped", countersWithPrefix(counters, Counters.FILES_SKIPPED));
    files.put("bytesRead", counter(counters, Counters.BYTES_READ));
    files.put("prefixesListed", counter(counters, Counters.PREFIXES_LISTED));
    // Folders under a root the planner did not enter, each named in input.notes.
    files.put("foldersNotEntered", counter(counters, Counters.FOLDERS_NOT_ENTERED));

    ObjectNode records = summary.putObject("records");
    records.put("read", counter(counters, Counters.RECORDS_READ));
    records.put("used", roles.records().getOrDefault("used", 0L));
    ObjectNode recordSkips = countersWithPrefix(counters, Counters.RECORDS_SKIPPED);
    roles.records().forEach((reason, count) -> {
      if (!reason.equals("used")) {
        recordSkips.put(reason, count);
      }
    });
    records.set("skipped", recordSkips);
    records.set("rejected", countersWithPrefix(counters, Counters.RECORDS_REJECTED));
    records.put("rejectedTotal", Counters.sumWithPrefix(counters, Counters.RECORDS_REJECTED));
    // The same event delivered again (a second trail, a second copy): read, counted once in everything else.
    records.put("duplicate", counter(counters, Counters.RECORDS_DUPLICATE));

    ObjectNode roleNode = summary.putObject("roles");
    roleNode.put("seenInLogs", reading.rolesSeen());
    roleNode.put("inSnapshots", grants.roles().size());
    roleNode.put("lambda", roles.counts().getOrDefault("lambda", 0L));
    roleNode.put("notLambda", roles.notLambda());
    roleNode.put("withSuggestedPolicy", roles.counts().getOrDefault("withSuggestedPolicy", 0L));
    roleNode.put("missingFromSnapshot", roles.counts().getOrDefault("missingFromSnapshot", 0L));
    // Of those, the roles with a policy of their observed use alone in policies-observed/.
    roleNode.put("withObservedOnlyPolicy", roles.counts().getOrDefault("withObservedOnlyPolicy", 0L));
    roleNode.put("skippedByConfig", roles.counts().getOrDefault("skippedByConfig", 0L));
    roleNode.put("grantsIncomplete", roles.counts().getOrDefault("grantsIncomplete", 0L));
    // Suggestions withheld because they failed SuggestionCheck: a defect of trailtrim's, 0 unless there is one.
    roleNode.put("suggestionFailedSelfCheck", roles.counts().getOrDefault("suggestionFailedSelfCheck", 0L));
    roleNode.put("logsIncomplete", roles.counts().getOrDefault("logsIncomplete", 0L));
    roleNode.put("failed", roles.counts().getOrDefault("failed", 0L));
    ObjectNode permissions = summary.putObject("permissions");
    roles.counts().forEach((name, value) -> {
      if (name.startsWith(PERMISSIONS)) {
        permissions.put(name.substring(PERMISSIONS.length()), value);
      }
    });
    // High-cardinality uses turned into resource patterns before they reached the driver.
    ObjectNode compactionNode = summary.putObject("compaction");
    compactionNode.put("maxResourcesPerAction", config.maxResourcesPerAction());
    compactionNode.put("compactedActions", compaction.actions());
    compactionNode.put("compactedResources", compaction.resources());
    ArrayNode patterns = compactionNode.putArray("patterns");
    compaction.patterns().forEach(patterns::add);
    // Untranslatable calls of any role session (unmapped.csv); records.skipped counts Lambda roles' only.
    ObjectNode unmapped = summary.putObject("unmapped");
    unmapped.put("distinctCalls", reading.unmapped().size());
    unmapped.put("records", reading.unmapped().values().stream().mapToLong(Long::longValue).sum());
    // The data events the trail is seen to record, by logging unit: what decides "not observable".
    ArrayNode dataEvents = summary.putArray("dataEventsSeen");
    for (DataEventResource seen : reading.dataEventsSeen()) {
      dataEvents.add(seen.service() + (seen.readOnly() ? " read " : " write ")
          + (seen.resource() == null ? "(no resource)" : seen.resource()));
    }
    ArrayNode problems = summary.putArray("snapshotProblems");
    grants.problems().forEach(problems::add);
    return summary;
  }

  /** A counter never counted is 0, as {@code IngestStats.counter} has it. */
  private static long counter(Map<String, Long> counters, String name) {
    return counters.getOrDefault(name, 0L);
  }

  private static ObjectNode countersWithPrefix(Map<String, Long> counters, String prefix) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    counters.forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        node.put(name.substring(prefix.length()), value);
      }
    });
    return node;
  }
}
