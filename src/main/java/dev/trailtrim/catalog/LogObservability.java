package dev.trailtrim.catalog;

import dev.trailtrim.catalog.TranslationRules.DataEvents;
import dev.trailtrim.catalog.TranslationRules.NeverLogged;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.Visibility;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a use of a permission would show in the analysed CloudTrail logs, from the facts in
 * {@code translation-rules.json}: actions CloudTrail never records, actions recorded only as data
 * events, and services whose calls are management events. Anything else is
 * {@link Visibility#NOT_LOGGED}: unknown is not unused.
 *
 * <p>A data event shows only if the trail records data events for the resource it touches, and
 * trails choose those per resource (bucket, table, function, ...) and per read or write. So, with
 * the per-resource factory {@link #create(IamCatalog, Collection, Set)}, a granted data-event
 * permission is {@link Visibility#DATA_EVENT_LOGGED} only when:
 * <ul>
 *   <li>the granted resource pattern stays within one logging unit (one bucket, also
 *       {@code bucket/*} or {@code bucket/prefix/*}; one table with its indexes and streams; one
 *       function with any qualifier; one queue, topic or stream), and the logs hold data events of
 *       the same kind (read for Read/List actions, write otherwise) for that unit; or</li>
 *   <li>the action has no resource type, or the service's data events in the logs name no
 *       resource (CloudWatch's PutMetricData), so only the service can be told, and the logs hold
 *       data events of the same kind from it; or</li>
 *   <li>the operator states that the trail records the service's data events for every resource
 *       ({@code allResourcesLogged}), and the logs hold data events of the same kind from it.</li>
 * </ul>
 * Otherwise it is {@link Visibility#DATA_EVENT_NOT_LOGGED}: a grant that reaches several units
 * ({@code *}, {@code arn:aws:s3:::*}, {@code arn:aws:s3:::logs-*}/...) could have been used on a
 * unit the trail does not record, and events seen for another unit prove nothing about it. Known
 * gap: a trail that selects only some key prefixes of a bucket (advanced selectors) is taken as
 * recording the whole bucket once any of its objects shows up.
 *
 * <p>The older factory {@link #create(IamCatalog, Set)} decides per eventSource: data events
 * of a source seen at all count as recorded for every resource, reads and writes alike.
 */
public final class LogObservability implements Observability {

  private record Fact(boolean dataEvent, String eventSource, String why) {}

  private final IamCatalog catalog;
  private final Set<String> managementServices;
  /** Lower-case action key to what the rules say about it (never-logged wins over data event). */
  private final Map<String, Fact> facts;
  /** Older mode: eventSources of which data events were seen; null in per-resource mode. */
  private final Set<String> dataEventSourcesSeen;
  /** Per-resource mode: what the logs show; null in the older mode. */
  private final Set<DataEventResource> seen;
  private final Set<String> allResourcesLogged;
  private final String globalServiceRegion;
  private final Map<String, Boolean> globalServiceOnly;
  /** IAM prefix to its eventSource, where that is not {@code <prefix>.amazonaws.com}. */
  private final Map<String, String> eventSourceByPrefix;

  private LogObservability(IamCatalog catalog, TranslationRules rules, Set<String> dataEventSourcesSeen,
      Set<DataEventResource> seen, Set<String> allResourcesLogged) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.managementServices = rules.managementEventServices;
    this.dataEventSourcesSeen = dataEventSourcesSeen == null ? null : Set.copyOf(dataEventSourcesSeen);
    this.seen = seen == null ? null : Set.copyOf(seen);
    this.allResourcesLogged = Set.copyOf(allResourcesLogged);
    this.globalServiceRegion = rules.globalServiceRegion;
    this.globalServiceOnly = rules.globalServiceOnly;
    Map<String, String> sources = new java.util.TreeMap<>();
    // Sorted by eventSource so that a prefix with several sources gets the same one every run.
    new java.util.TreeMap<>(rules.eventSources).forEach((source, prefix) -> sources.putIfAbsent(prefix, source));
    this.eventSourceByPrefix = Map.copyOf(sources);
    Map<String, Fact> byAction = new HashMap<>();
    for (DataEvents data : rules.dataEvents) {
      String source = data.eventSource().toLowerCase(Locale.ROOT);
      for (String pattern : data.actionPatterns()) {
        catalog.matching(pattern).forEach(a -> byAction.put(a.action().key(), new Fact(true, source, data.why())));
      }
    }
    for (NeverLogged never : rules.neverLogged) {
      for (String pattern : never.actionPatterns()) {
        catalog.matching(pattern).forEach(a -> byAction.put(a.action().key(), new Fact(false, null, never.why())));
      }
    }
    this.facts = Map.copyOf(byAction);
  }

  /**
   * Decides data events per eventSource: any data event of a source in the logs counts as the
   * trail recording that source's data events for every resource, reads and writes alike. Prefer
   * {@link #create(IamCatalog, Collection, Set)}, which does not assume that.
   *
   * @param dataEventSourcesSeen eventSources of which the analysed logs contain data events
   *                             (records with eventCategory {@code Data} or managementEvent false)
   */
  public static LogObservability create(IamCatalog catalog, Set<String> dataEventSourcesSeen) {
    Set<String> sources = new TreeSet<>();
    for (String source : Objects.requireNonNull(dataEventSourcesSeen, "dataEventSourcesSeen")) {
      if (source != null && !source.isBlank()) {
        sources.add(source.trim().toLowerCase(Locale.ROOT));
      }
    }
    return new LogObservability(catalog, TranslationRules.loadDefault(), sources, null, Set.of());
  }

  /**
   * Decides data events per granted resource, as the class comment says.
   *
   * @param seen               what {@link DataEventResource#seenIn} returned for the records of the
   *                           analysed logs, of every principal (a bucket's data events prove the
   *                           trail records that bucket, whoever made the calls)
   * @param allResourcesLogged IAM prefixes ({@code s3}, {@code lambda}) or eventSources whose data
   *                           events the operator knows the trail records for every resource; usually empty
   */
  public static LogObservability create(IamCatalog catalog, Collection<DataEventResource> seen,
      Set<String> allResourcesLogged) {
    Set<String> services = new TreeSet<>();
    TranslationRules rules = TranslationRules.loadDefault();
    for (String service : Objects.requireNonNull(allResourcesLogged, "allResourcesLogged")) {
      if (service != null && !service.isBlank()) {
        String s = service.trim().toLowerCase(Locale.ROOT);
        services.add(rules.eventSources.getOrDefault(s, s.replaceFirst("\\.amazonaws\\.com$", "")));
      }
    }
    return new LogObservability(catalog, rules, null, new TreeSet<>(Objects.requireNonNull(seen, "seen")), services);
  }

  /**
   * What a trail's selectors need to know about a catalog action: the eventSource its calls are
   * recorded under, whether they are data events, and whether they only read. Null when the
   * catalog does not know the action or CloudTrail never records it.
   */
  public record CallFacts(String eventSource, boolean dataEvent, boolean readOnly) {}

  public CallFacts callFacts(IamAction action) {
    Optional<ActionInfo> info = catalog.action(action);
    if (info.isEmpty()) {
      return null;
    }
    Fact fact = facts.get(info.get().action().key());
    boolean readOnly = DataEventResource.isRead(info.get());
    if (fact != null) {
      return fact.dataEvent() ? new CallFacts(fact.eventSource(), true, readOnly) : null;
    }
    String prefix = info.get().action().service().toLowerCase(Locale.ROOT);
    return new CallFacts(eventSourceByPrefix.getOrDefault(prefix, prefix + ".amazonaws.com"), false, readOnly);
  }

  /** Where CloudTrail records calls to global services (us-east-1). */
  public String globalServiceRegion() {
    return globalServiceRegion;
  }

  @Override
  public GlobalLogging globalLogging(IamAction action) {
    Boolean only = globalServiceOnly.get(action.service().toLowerCase(Locale.ROOT));
    return only == null ? null : new GlobalLogging(globalServiceRegion, only);
  }

  @Override
  public Visibility visibility(IamAction action, String resource) {
    Optional<ActionInfo> info = catalog.action(action);
    if (info.isEmpty()) {
      return Visibility.NOT_LOGGED;
    }
    Fact fact = facts.get(info.get().action().key());
    if (fact == null) {
      return managementServices.contains(info.get().action().service().toLowerCase(Locale.ROOT))
          ? Visibility.MANAGEMENT_EVENT : Visibility.NOT_LOGGED;
    }
    if (!fact.dataEvent()) {
      return Visibility.NOT_LOGGED;
    }
    return dataEventEvidence(info.get(), fact, resource).logged() ? Visibility.DATA_EVENT_LOGGED
        : Visibility.DATA_EVENT_NOT_LOGGED;
  }

  @Override
  public String reason(IamAction action, String resource) {
    Optional<ActionInfo> info = catalog.action(action);
    if (info.isEmpty()) {
      return action + " is not an action in the IAM catalog, so trailtrim cannot tell whether CloudTrail would record"
          + " its use.";
    }
    IamAction canonical = info.get().action();
    Fact fact = facts.get(canonical.key());
    if (fact == null) {
      return managementServices.contains(canonical.service().toLowerCase(Locale.ROOT))
          ? canonical + " is a management event, which trails record by default, so its absence from the logs means"
              + " it was not used."
          : "trailtrim has no CloudTrail facts for " + canonical.service() + " yet, so the absence of " + canonical
              + " from the logs proves nothing.";
    }
    if (!fact.dataEvent()) {
      return "CloudTrail never shows " + canonical + " (" + fact.why() + "), so its absence proves nothing.";
    }
    Evidence evidence = dataEventEvidence(info.get(), fact, resource);
    return canonical + " is a data event (" + fact.why() + ") and " + evidence.explanation()
        + (evidence.logged() ? ", so its absence means it was not used." : ", so its absence proves nothing.");
  }

  private record Evidence(boolean logged, String explanation) {}

  private Evidence dataEventEvidence(ActionInfo info, Fact fact, String resource) {
    if (seen == null) {
      boolean logged = dataEventSourcesSeen.contains(fact.eventSource());
      return new Evidence(logged, logged ? "the logs contain data events from " + fact.eventSource()
          : "the logs contain no data events from " + fact.eventSource());
    }
    String service = info.action().service().toLowerCase(Locale.ROOT);
    boolean read = DataEventResource.isRead(info);
    String kind = read ? "read" : "write";
    // Some data events name no resource (CloudWatch PutMetricData): then only the service can be told.
    boolean namesNoResource = !info.hasResourceTypes()
        || seen.stream().noneMatch(s -> s.service().equals(service) && s.resource() != null);
    if (namesNoResource || allResourcesLogged.contains(service)) {
      boolean logged = seen.stream().anyMatch(s -> s.service().equals(service) && s.readOnly() == read);
      String scope = namesNoResource ? "" : " (the trail is said to record them for every resource)";
      return new Evidence(logged, (logged ? "the logs contain " : "the logs contain no ") + kind + " data events from "
          + service + scope);
    }
    String unit = DataEventResource.unitOfPattern(service, resource);
    if (unit == null) {
      return new Evidence(false, "'" + resource + "' reaches resources for which the logs need not hold its " + kind
          + " data events");
    }
    boolean logged = seen.contains(new DataEventResource(service, unit, read));
    return new Evidence(logged, (logged ? "the logs contain " : "the logs contain no ") + kind + " data events for "
        + unit);
  }
}
