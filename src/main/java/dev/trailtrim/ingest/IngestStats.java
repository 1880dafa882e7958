package dev.trailtrim.ingest;

import java.io.Serializable;
import java.util.ArrayList;
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
  private final TreeMap<String, RoleEvidence> roles = new TreeMap<>();
  private final TreeSet<String> dataEventSources = new TreeSet<>();
  /** "eventSource eventName" of calls with no translation, with their counts. */
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
   * What the logs say about one role: its calls, how many came from the Lambda runtime, and a
   * few session names (for Lambda, the function names).
   */
  public record RoleEvidence(long calls, long lambdaRuntimeCalls, Set<String> sessionNames) implements Serializable {
    static final int MAX_SESSION_NAMES = 10;

    public RoleEvidence {
      sessionNames = Set.copyOf(sessionNames);
    }

    RoleEvidence merge(RoleEvidence other) {
      TreeSet<String> names = new TreeSet<>(sessionNames);
      names.addAll(other.sessionNames);
      while (names.size() > MAX_SESSION_NAMES) {
        names.pollLast();
      }
      return new RoleEvidence(calls + other.calls, lambdaRuntimeCalls + other.lambdaRuntimeCalls, names);
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

  public void roleCall(String roleArn, boolean lambdaRuntime, String sessionName) {
    roles.merge(roleArn, new RoleEvidence(1, lambdaRuntime ? 1 : 0,
        sessionName == null ? Set.of() : Set.of(sessionName)), RoleEvidence::merge);
  }

  public void dataEventSource(String eventSource) {
    dataEventSources.add(eventSource);
  }

  public void unmapped(String eventSource, String eventName) {
    unmapped.merge(eventSource + " " + eventName, 1L, Long::sum);
  }

  /** Adds {@code other} into this one and returns this. */
  public IngestStats merge(IngestStats other) {
    other.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
    other.samples.values().forEach(list -> list.forEach(this::addSample));
    other.roles.forEach((k, v) -> roles.merge(k, v, RoleEvidence::merge));
    dataEventSources.addAll(other.dataEventSources);
    other.unmapped.forEach((k, v) -> unmapped.merge(k, v, Long::sum));
    return this;
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

  public Map<String, RoleEvidence> roles() {
    return java.util.Collections.unmodifiableMap(roles);
  }

  public Set<String> dataEventSources() {
    return java.util.Collections.unmodifiableSet(dataEventSources);
  }

  public Map<String, Long> unmapped() {
    return java.util.Collections.unmodifiableMap(unmapped);
  }
}
