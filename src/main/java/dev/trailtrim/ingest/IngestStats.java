package dev.trailtrim.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.catalog.DataEventResource;
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
  private final HashMap<String, RoleEvidence> roles = new HashMap<>();
  /** {@link #roles} sorted, made when asked for and dropped at the next change. */
  private transient TreeMap<String, RoleEvidence> sortedRoles;
  /** Which data events the trail records, as the logging units seen (buckets, tables, ...). */
  private final TreeSet<DataEventResource> dataEventResources = new TreeSet<>();
  /** "eventSource eventName" of role calls with no translation (any role), with their counts. */
  private final TreeMap<String, Long> unmapped = new TreeMap<>();
  private final int samplesPerReason;

  public IngestStats(int samplesPerReason) {
    this.samplesPerReason = samplesPerReason;
  }

  /** One rejected file or record, as written to {@code rejects/}. */
  public record RejectSample(String reason, String file, String detail) implements Serializable, Comparable<RejectSample> {
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
   */
  public record RoleEvidence(long calls, long lambdaRuntimeCalls, long mappedCalls, long unmappedCalls,
      long noPermissionCalls, Set<String> sessionNames) implements Serializable {
    static final int MAX_SESSION_NAMES = 10;

    public RoleEvidence {
      sessionNames = Set.copyOf(sessionNames);
    }

    static RoleEvidence of(boolean lambdaRuntime, Translation.Outcome outcome, String sessionName) {
      return new RoleEvidence(1, lambdaRuntime ? 1 : 0, outcome == Translation.Outcome.MAPPED ? 1 : 0,
          outcome == Translation.Outcome.UNMAPPED ? 1 : 0, outcome == Translation.Outcome.NO_PERMISSION_NEEDED ? 1 : 0,
          sessionName == null ? Set.of() : Set.of(sessionName));
    }

    RoleEvidence merge(RoleEvidence other) {
      // Usually the same function calls again: then the names are already there (a hot path).
      Set<String> names = sessionNames;
      if (!sessionNames.containsAll(other.sessionNames)) {
        TreeSet<String> union = new TreeSet<>(sessionNames);
        union.addAll(other.sessionNames);
        while (union.size() > MAX_SESSION_NAMES) {
          union.pollLast();
        }
        names = union;
      }
      return new RoleEvidence(calls + other.calls, lambdaRuntimeCalls + other.lambdaRuntimeCalls,
          mappedCalls + other.mappedCalls, unmappedCalls + other.unmappedCalls,
          noPermissionCalls + other.noPermissionCalls, names);
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
    }
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
    roles.merge(roleArn, RoleEvidence.of(lambdaRuntime, outcome, sessionName), RoleEvidence::merge);
    sortedRoles = null;
  }

  private TreeMap<String, RoleEvidence> sortedRoles() {
    TreeMap<String, RoleEvidence> sorted = sortedRoles;
    if (sorted == null) {
      sorted = new TreeMap<>(roles);
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
    other.roles.forEach((k, v) -> roles.merge(k, v, RoleEvidence::merge));
    sortedRoles = null;
    dataEventResources.addAll(other.dataEventResources);
    other.unmapped.forEach((k, v) -> unmapped.merge(k, v, Long::sum));
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
    });
    ArrayNode sources = json.putArray("dataEventResources");
    for (DataEventResource seen : dataEventResources) {
      sources.addObject().put("service", seen.service()).put("resource", seen.resource())
          .put("readOnly", seen.readOnly());
    }
    ObjectNode unmappedNode = json.putObject("unmapped");
    unmapped.forEach(unmappedNode::put);
    return json;
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
      stats.roles.put(e.getKey(), new RoleEvidence(role.path("calls").asLong(), role.path("lambdaRuntimeCalls").asLong(),
          role.path("mappedCalls").asLong(), role.path("unmappedCalls").asLong(),
          role.path("noPermissionCalls").asLong(), names));
    });
    json.path("dataEventResources").forEach(seen -> stats.dataEventResources.add(new DataEventResource(
        seen.path("service").asText(), seen.path("resource").isNull() ? null : seen.path("resource").asText(),
        seen.path("readOnly").asBoolean())));
    json.path("unmapped").fields().forEachRemaining(e -> stats.unmapped.put(e.getKey(), e.getValue().asLong()));
    return stats;
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
}
