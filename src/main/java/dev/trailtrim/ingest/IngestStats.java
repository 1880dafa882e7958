package dev.trailtrim.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.catalog.DataEventResource;
import dev.trailtrim.model.CallContexts;
import dev.trailtrim.model.Translation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything counted while reading, besides usage itself: files and records by outcome, samples
 * of rejects, evidence about each role, the data-event sources present and the calls that could
 * not be translated. Mergeable (a commutative monoid) so Spark can combine task results in any
 * order; mutable only while one task owns it.
 */
public final class IngestStats implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Counters by name, e.g. {@code files.read}, {@code files.rejected.corrupt-gzip}. */
  private final TreeMap<String, Long> counters = new TreeMap<>();
  /** Reject samples by reason code, at most {@link #samplesPerReason} each. */
  private final TreeMap<String, List<RejectSample>> samples = new TreeMap<>();
  /**
   * By role ARN. Hashed, not sorted: it is updated for every record of a role session, and a
   * sorted map compared long ARNs with shared prefixes a dozen times per record. Everything that
   * reads it in order goes through {@link #sortedRoles()}.
   */
  private final HashMap<String, RoleTally> roles = new HashMap<>();
  /** {@link #roles} sorted, made when asked for and dropped at the next change. */
  private transient TreeMap<String, RoleEvidence> sortedRoles;
  /** Which data events the trail records, as the logging units seen (buckets, tables, ...). */
  private final TreeSet<DataEventResource> dataEventResources = new TreeSet<>();
  /** "eventSource eventName" of role calls with no translation (any role), with their counts. */
  private final TreeMap<String, Long> unmapped = new TreeMap<>();
  /**
   * Rejected files by {@link LogLocation#key()} ({@link #UNLOCATED} when neither folder nor name
   * tells): a day with a rejected file is not fully covered by the logs.
   */
  private final TreeMap<String, Long> rejectedFiles = new TreeMap<>();
  /**
   * Records of files outside CloudTrail's layout and naming, by the location their records name
   * (account, region, event day): the coverage such files give.
   */
  private final TreeMap<String, Long> recordLocations = new TreeMap<>();
  /** Changes to trails that the logs record (StopLogging, DeleteTrail, ...): they split coverage. */
  private final TreeSet<TrailChange> trailChanges = new TreeSet<>();
  /**
   * Per role ARN and action, the request context of its successful calls ({@code --suggest-conditions});
   * null when these counts do not keep them. Merged counts keep those of either side: whoever sums days
   * must check that every day kept them ({@link #withoutCallContexts}).
   */
  private HashMap<String, TreeMap<String, CallContexts>> callContexts;
  private final int samplesPerReason;

  /** The location key of rejected files whose account, region and day cannot be told. */
  public static final String UNLOCATED = "?";

  public IngestStats(int samplesPerReason) {
    this.samplesPerReason = samplesPerReason;
  }

  /** One rejected file or record, as written to {@code rejects/}. */
  public record RejectSample(String reason, String file, String detail)
      implements Serializable, Comparable<RejectSample> {
    @Override
    public int compareTo(RejectSample o) {
      int byFile = file.compareTo(o.file);
      return byFile != 0 ? byFile : String.valueOf(detail).compareTo(String.valueOf(o.detail));
    }
  }

  /**
   * What the logs say about one role: its calls by translation outcome, how many came from the
   * Lambda runtime, and a few session names (for Lambda, the function names). Whether the role
   * is a Lambda's is decided on the driver, so its records are accounted for there.
   *
   * @param sessionRegions per session name, the regions (awsRegion) of its calls: for a Lambda role,
   *                       its functions and where they run, when no inventory says so. At most
   *                       {@link #MAX_SESSIONS_WITH_REGIONS} names, the first in sorted order.
   */
  public record RoleEvidence(long calls, long lambdaRuntimeCalls, long mappedCalls, long unmappedCalls,
      long noPermissionCalls, Set<String> sessionNames, Set<String> regions,
      Map<String, Set<String>> sessionRegions) implements Serializable {
    static final int MAX_SESSION_NAMES = 10;
    /** Functions sharing one role are few; other roles' sessions (people, CI jobs) may be many. */
    public static final int MAX_SESSIONS_WITH_REGIONS = 100;

    /**
     * @param regions the regions of the role's calls (awsRegion): where its logs must be complete
     *                before absence of a call means anything. Not capped: there are few regions.
     */
    public RoleEvidence {
      sessionNames = Set.copyOf(sessionNames);
      regions = Set.copyOf(regions);
      sessionRegions = Map.copyOf(sessionRegions);
    }

    public RoleEvidence(long calls, long lambdaRuntimeCalls, long mappedCalls, long unmappedCalls,
        long noPermissionCalls, Set<String> sessionNames, Set<String> regions) {
      this(calls, lambdaRuntimeCalls, mappedCalls, unmappedCalls, noPermissionCalls, sessionNames, regions, Map.of());
    }

    public RoleEvidence(long calls, long lambdaRuntimeCalls, long mappedCalls, long unmappedCalls,
        long noPermissionCalls, Set<String> sessionNames) {
      this(calls, lambdaRuntimeCalls, mappedCalls, unmappedCalls, noPermissionCalls, sessionNames, Set.of());
    }
  }

  /**
   * A role's evidence while it is counted, updated in place: a new record per call, and a copy of
   * its session maps whenever a call named a session past the caps, were a tenth of the ingest's
   * samples in its profile (roles with many sessions). Keeps what {@link RoleEvidence} documents:
   * the first {@link RoleEvidence#MAX_SESSION_NAMES} names and
   * {@link RoleEvidence#MAX_SESSIONS_WITH_REGIONS} sessions in sorted order, the same however calls
   * and merges are ordered.
   */
  private static final class RoleTally implements Serializable {
    private static final long serialVersionUID = 1L;

    private long calls;
    private long lambdaRuntimeCalls;
    private long mappedCalls;
    private long unmappedCalls;
    private long noPermissionCalls;
    private final TreeSet<String> sessionNames = new TreeSet<>();
    private final TreeSet<String> regions = new TreeSet<>();
    private final TreeMap<String, TreeSet<String>> sessionRegions = new TreeMap<>();

    void add(boolean lambdaRuntime, Translation.Outcome outcome, String sessionName, String region) {
      calls++;
      if (lambdaRuntime) {
        lambdaRuntimeCalls++;
      }
      switch (outcome) {
        case MAPPED -> mappedCalls++;
        case UNMAPPED -> unmappedCalls++;
        case NO_PERMISSION_NEEDED -> noPermissionCalls++;
      }
      if (sessionName != null) {
        addName(sessionName);
      }
      if (region != null) {
        regions.add(region);
        if (sessionName != null) {
          addSessionRegion(sessionName, region);
        }
      }
    }

    void add(RoleEvidence other) {
      calls += other.calls();
      lambdaRuntimeCalls += other.lambdaRuntimeCalls();
      mappedCalls += other.mappedCalls();
      unmappedCalls += other.unmappedCalls();
      noPermissionCalls += other.noPermissionCalls();
      other.sessionNames().forEach(this::addName);
      regions.addAll(other.regions());
      other.sessionRegions().forEach((name, where) -> where.forEach(region -> addSessionRegion(name, region)));
    }

    void add(RoleTally other) {
      add(other.evidence());
    }

    private void addName(String name) {
      // At the cap, a name after the last kept one would only be added and dropped again.
      if (sessionNames.size() < RoleEvidence.MAX_SESSION_NAMES || name.compareTo(sessionNames.last()) < 0) {
        if (sessionNames.add(name) && sessionNames.size() > RoleEvidence.MAX_SESSION_NAMES) {
          sessionNames.pollLast();
        }
      }
    }

    private void addSessionRegion(String name, String region) {
      TreeSet<String> known = sessionRegions.get(name);
      if (known != null) {
        known.add(region);
      } else if (sessionRegions.size() < RoleEvidence.MAX_SESSIONS_WITH_REGIONS
          || name.compareTo(sessionRegions.lastKey()) < 0) {
        known = new TreeSet<>();
        known.add(region);
        sessionRegions.put(name, known);
        if (sessionRegions.size() > RoleEvidence.MAX_SESSIONS_WITH_REGIONS) {
          sessionRegions.pollLastEntry();
        }
      }
    }

    /** A snapshot: later calls do not change it. */
    RoleEvidence evidence() {
      Map<String, Set<String>> regionsBySession = new HashMap<>();
      sessionRegions.forEach((name, where) -> regionsBySession.put(name, Set.copyOf(where)));
      return new RoleEvidence(calls, lambdaRuntimeCalls, mappedCalls, unmappedCalls, noPermissionCalls, sessionNames,
          regions, regionsBySession);
    }
  }

  public void add(String counter, long amount) {
    counters.merge(counter, amount, Long::sum);
  }

  public void increment(String counter) {
    add(counter, 1);
  }

  public void reject(SkipReason reason, String file, String detail) {
    String prefix = reason.isFileLevel() ? "files." : "records.";
    increment(prefix + (reason.isReject() ? "rejected." : "skipped.") + reason.code());
    if (reason.isReject()) {
      addSample(new RejectSample(reason.code(), file, detail));
      if (reason.isFileLevel()) {
        LogLocation location = file == null ? null : LogLocation.of(file);
        rejectedFiles.merge(location == null ? UNLOCATED : location.key(), 1L, Long::sum);
      }
    }
  }

  /** One record of a file outside CloudTrail's layout and naming, by the location it names. */
  public void recordLocation(LogLocation location) {
    recordLocations.merge(location.key(), 1L, Long::sum);
  }

  public void trailChange(TrailChange change) {
    trailChanges.add(change);
  }

  private void addSample(RejectSample sample) {
    List<RejectSample> list = samples.computeIfAbsent(sample.reason(), r -> new ArrayList<>());
    list.add(sample);
    if (list.size() > samplesPerReason) {
      // Keep the smallest by file name so the sample does not depend on task order.
      list.sort(null);
      list.remove(list.size() - 1);
    }
  }

  public void roleCall(String roleArn, boolean lambdaRuntime, Translation.Outcome outcome, String sessionName) {
    roleCall(roleArn, lambdaRuntime, outcome, sessionName, null);
  }

  /** @param region the call's awsRegion; null when the record has none */
  public void roleCall(String roleArn, boolean lambdaRuntime, Translation.Outcome outcome, String sessionName,
      String region) {
    RoleTally tally = roles.get(roleArn);
    if (tally == null) {
      tally = new RoleTally();
      roles.put(roleArn, tally);
    }
    tally.add(lambdaRuntime, outcome, sessionName, region);
    sortedRoles = null;
  }

  /** From now on these counts keep the request context of each role's successful calls; returns this. */
  public IngestStats keepCallContexts() {
    if (callContexts == null) {
      callContexts = new HashMap<>();
    }
    return this;
  }

  /** These counts without request contexts (some day summed into them had none); returns this. */
  public IngestStats withoutCallContexts() {
    callContexts = null;
    return this;
  }

  public boolean keepsCallContexts() {
    return callContexts != null;
  }

  /** One successful call of the role's action, with its request context (see {@link CallContexts#add}). */
  public void callContext(String roleArn, String action, String region, String vpcEndpoint, String invokedBy,
      String prefix) {
    callContexts.computeIfAbsent(roleArn, r -> new TreeMap<>()).computeIfAbsent(action, a -> new CallContexts())
        .add(region, vpcEndpoint, invokedBy, prefix);
  }

  /**
   * The role's successful calls' request contexts by action, sorted; empty when it made none, null when these
   * counts do not keep them (the flag was off, or a stored day was read without it).
   */
  public Map<String, CallContexts> callContextsOf(String roleArn) {
    if (callContexts == null) {
      return null;
    }
    return java.util.Collections.unmodifiableMap(callContexts.getOrDefault(roleArn, new TreeMap<>()));
  }

  private TreeMap<String, RoleEvidence> sortedRoles() {
    TreeMap<String, RoleEvidence> sorted = sortedRoles;
    if (sorted == null) {
      sorted = new TreeMap<>();
      for (Map.Entry<String, RoleTally> role : roles.entrySet()) {
        sorted.put(role.getKey(), role.getValue().evidence());
      }
      sortedRoles = sorted;
    }
    return sorted;
  }

  public void dataEventResources(java.util.Collection<DataEventResource> seen) {
    dataEventResources.addAll(seen);
  }

  public void unmapped(String eventSource, String eventName) {
    unmapped.merge(eventSource + " " + eventName, 1L, Long::sum);
  }

  /** Adds {@code other} into this one and returns this. */
  public IngestStats merge(IngestStats other) {
    other.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
    other.samples.values().forEach(list -> list.forEach(this::addSample));
    other.roles.forEach((arn, theirs) -> roles.computeIfAbsent(arn, a -> new RoleTally()).add(theirs));
    sortedRoles = null;
    dataEventResources.addAll(other.dataEventResources);
    other.unmapped.forEach((k, v) -> unmapped.merge(k, v, Long::sum));
    other.rejectedFiles.forEach((k, v) -> rejectedFiles.merge(k, v, Long::sum));
    other.recordLocations.forEach((k, v) -> recordLocations.merge(k, v, Long::sum));
    trailChanges.addAll(other.trailChanges);
    if (other.callContexts != null) {
      keepCallContexts();
      other.callContexts.forEach((role, byAction) -> {
        TreeMap<String, CallContexts> mine = callContexts.computeIfAbsent(role, r -> new TreeMap<>());
        byAction.forEach((action, summary) -> mine.computeIfAbsent(action, a -> new CallContexts()).merge(summary));
      });
    }
    return this;
  }

  /** The state as JSON, for the nightly per-day state; {@link #fromJson} reads it back. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ObjectNode counterNode = json.putObject("counters");
    counters.forEach(counterNode::put);
    ArrayNode sampleNode = json.putArray("samples");
    for (RejectSample sample : samples()) {
      sampleNode.addObject().put("reason", sample.reason()).put("file", sample.file()).put("detail", sample.detail());
    }
    ObjectNode roleNode = json.putObject("roles");
    sortedRoles().forEach((arn, e) -> {
      ObjectNode role = roleNode.putObject(arn);
      role.put("calls", e.calls()).put("lambdaRuntimeCalls", e.lambdaRuntimeCalls()).put("mappedCalls", e.mappedCalls())
          .put("unmappedCalls", e.unmappedCalls()).put("noPermissionCalls", e.noPermissionCalls());
      ArrayNode names = role.putArray("sessionNames");
      new TreeSet<>(e.sessionNames()).forEach(names::add);
      ArrayNode regions = role.putArray("regions");
      new TreeSet<>(e.regions()).forEach(regions::add);
      ObjectNode sessions = role.putObject("sessionRegions");
      new TreeMap<>(e.sessionRegions()).forEach((name, where) -> {
        ArrayNode list = sessions.putArray(name);
        new TreeSet<>(where).forEach(list::add);
      });
    });
    ArrayNode sources = json.putArray("dataEventResources");
    for (DataEventResource seen : dataEventResources) {
      sources.addObject().put("service", seen.service()).put("resource", seen.resource())
          .put("readOnly", seen.readOnly());
    }
    ObjectNode unmappedNode = json.putObject("unmapped");
    unmapped.forEach(unmappedNode::put);
    ObjectNode rejectedNode = json.putObject("rejectedFiles");
    rejectedFiles.forEach(rejectedNode::put);
    ObjectNode locationsNode = json.putObject("recordLocations");
    recordLocations.forEach(locationsNode::put);
    ArrayNode changes = json.putArray("trailChanges");
    trailChanges.forEach(change -> changes.add(change.toJson()));
    if (callContexts != null) {
      ObjectNode contexts = json.putObject("callContexts");
      new TreeMap<>(callContexts).forEach((role, byAction) -> {
        ObjectNode actions = contexts.putObject(role);
        byAction.forEach((action, summary) -> actions.set(action, callContextsJson(summary)));
      });
    }
    return json;
  }

  private static ObjectNode callContextsJson(CallContexts summary) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("calls", summary.calls());
    putValues(node, "regions", summary.regions(), "callsWithoutRegion", summary.callsWithoutRegion());
    putValues(node, "vpcEndpoints", summary.vpcEndpoints(), "callsWithoutVpcEndpoint",
        summary.callsWithoutVpcEndpoint());
    putValues(node, "callers", summary.callers(), "callsWithoutCaller", summary.callsWithoutCaller());
    putValues(node, "prefixes", summary.prefixes(), "callsWithoutPrefix", summary.callsWithoutPrefix());
    if (summary.commonPrefix() != null) {
      node.put("commonPrefix", summary.commonPrefix());
    }
    return node;
  }

  /** A set as a sorted list, or null for "too many values". */
  private static void putValues(ObjectNode node, String name, Set<String> values, String without, long count) {
    if (values == null) {
      node.putNull(name);
    } else {
      values.forEach(node.putArray(name)::add);
    }
    node.put(without, count);
  }

  private static CallContexts callContextsFrom(JsonNode node) {
    return CallContexts.of(node.path("calls").asLong(), values(node.path("regions")),
        node.path("callsWithoutRegion").asLong(), values(node.path("vpcEndpoints")),
        node.path("callsWithoutVpcEndpoint").asLong(), values(node.path("callers")),
        node.path("callsWithoutCaller").asLong(), values(node.path("prefixes")),
        node.path("callsWithoutPrefix").asLong(),
        node.path("commonPrefix").isTextual() ? node.path("commonPrefix").asText() : null);
  }

  private static TreeSet<String> values(JsonNode list) {
    if (!list.isArray()) {
      return null;
    }
    TreeSet<String> values = new TreeSet<>();
    list.forEach(value -> values.add(value.asText()));
    return values;
  }

  public static IngestStats fromJson(JsonNode json, int samplesPerReason) {
    IngestStats stats = new IngestStats(samplesPerReason);
    json.path("counters").fields().forEachRemaining(e -> stats.counters.put(e.getKey(), e.getValue().asLong()));
    for (JsonNode sample : json.path("samples")) {
      stats.addSample(new RejectSample(sample.path("reason").asText(), sample.path("file").asText(),
          sample.path("detail").isNull() ? null : sample.path("detail").asText()));
    }
    json.path("roles").fields().forEachRemaining(e -> {
      JsonNode role = e.getValue();
      Set<String> names = new TreeSet<>();
      role.path("sessionNames").forEach(n -> names.add(n.asText()));
      Set<String> regions = new TreeSet<>();
      role.path("regions").forEach(n -> regions.add(n.asText()));
      // Absent in state written before sessions' regions were kept: those days infer less.
      Map<String, Set<String>> sessionRegions = new TreeMap<>();
      role.path("sessionRegions").fields().forEachRemaining(s -> {
        Set<String> where = new TreeSet<>();
        s.getValue().forEach(n -> where.add(n.asText()));
        sessionRegions.put(s.getKey(), where);
      });
      stats.roles.computeIfAbsent(e.getKey(), arn -> new RoleTally()).add(
          new RoleEvidence(role.path("calls").asLong(), role.path("lambdaRuntimeCalls").asLong(),
              role.path("mappedCalls").asLong(), role.path("unmappedCalls").asLong(),
              role.path("noPermissionCalls").asLong(), names, regions, sessionRegions));
    });
    json.path("dataEventResources").forEach(seen -> stats.dataEventResources.add(new DataEventResource(
        seen.path("service").asText(), seen.path("resource").isNull() ? null : seen.path("resource").asText(),
        seen.path("readOnly").asBoolean())));
    json.path("unmapped").fields().forEachRemaining(e -> stats.unmapped.put(e.getKey(), e.getValue().asLong()));
    json.path("rejectedFiles").fields()
        .forEachRemaining(e -> stats.rejectedFiles.put(e.getKey(), e.getValue().asLong()));
    json.path("recordLocations").fields().forEachRemaining(
        e -> stats.recordLocations.put(e.getKey(), e.getValue().asLong()));
    json.path("trailChanges").forEach(change -> stats.trailChanges.add(TrailChange.fromJson(change)));
    // Absent in days stored without --suggest-conditions: those counts keep no request contexts.
    if (json.has("callContexts")) {
      stats.keepCallContexts();
      json.path("callContexts").fields().forEachRemaining(role -> role.getValue().fields().forEachRemaining(
          action -> stats.callContexts.computeIfAbsent(role.getKey(), r -> new TreeMap<>())
              .put(action.getKey(), callContextsFrom(action.getValue()))));
    }
    return stats;
  }

  /** How many reject samples per reason this keeps (what {@link #fromJson} needs besides the JSON). */
  public int samplesPerReason() {
    return samplesPerReason;
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public Map<String, Long> counters() {
    return java.util.Collections.unmodifiableMap(counters);
  }

  public List<RejectSample> samples() {
    return samples.values().stream().flatMap(List::stream).sorted(
        java.util.Comparator.comparing(RejectSample::reason).thenComparing(s -> s)).toList();
  }

  /** By role ARN, sorted. */
  public Map<String, RoleEvidence> roles() {
    return java.util.Collections.unmodifiableMap(sortedRoles());
  }

  public Set<DataEventResource> dataEventResources() {
    return java.util.Collections.unmodifiableSet(dataEventResources);
  }

  public Map<String, Long> unmapped() {
    return java.util.Collections.unmodifiableMap(unmapped);
  }

  /** Rejected files by location key ({@link #UNLOCATED} when unknown), sorted. */
  public Map<String, Long> rejectedFiles() {
    return java.util.Collections.unmodifiableMap(rejectedFiles);
  }

  /** Records of files outside CloudTrail's layout, by the location key their records name, sorted. */
  public Map<String, Long> recordLocations() {
    return java.util.Collections.unmodifiableMap(recordLocations);
  }

  public Set<TrailChange> trailChanges() {
    return java.util.Collections.unmodifiableSet(trailChanges);
  }
}
