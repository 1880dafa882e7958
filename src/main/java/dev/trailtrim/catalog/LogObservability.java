package dev.trailtrim.catalog;

import dev.trailtrim.catalog.TranslationRules.DataEvents;
import dev.trailtrim.catalog.TranslationRules.NeverLogged;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.Visibility;
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
 * events (observable only when the logs contain that eventSource's data events), and services
 * whose calls are management events. Anything else is {@link Visibility#NOT_LOGGED}: unknown is
 * not unused. Decided per action; the resource does not change the answer.
 */
public final class LogObservability implements Observability {

  private record Fact(Visibility visibility, String eventSource, String why) {}

  private final IamCatalog catalog;
  private final Set<String> managementServices;
  private final Set<String> dataEventSourcesSeen;
  /** Lower-case action key to what the rules say about it (never-logged wins over data event). */
  private final Map<String, Fact> facts;

  private LogObservability(IamCatalog catalog, TranslationRules rules, Set<String> dataEventSourcesSeen) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.managementServices = rules.managementEventServices;
    Set<String> seen = new TreeSet<>();
    for (String source : Objects.requireNonNull(dataEventSourcesSeen, "dataEventSourcesSeen")) {
      if (source != null && !source.isBlank()) {
        seen.add(source.trim().toLowerCase(Locale.ROOT));
      }
    }
    this.dataEventSourcesSeen = Set.copyOf(seen);
    Map<String, Fact> byAction = new HashMap<>();
    for (DataEvents data : rules.dataEvents) {
      String source = data.eventSource().toLowerCase(Locale.ROOT);
      Visibility visibility = this.dataEventSourcesSeen.contains(source)
          ? Visibility.DATA_EVENT_LOGGED : Visibility.DATA_EVENT_NOT_LOGGED;
      for (String pattern : data.actionPatterns()) {
        catalog.matching(pattern).forEach(
            a -> byAction.put(a.action().key(), new Fact(visibility, source, data.why())));
      }
    }
    for (NeverLogged never : rules.neverLogged) {
      for (String pattern : never.actionPatterns()) {
        catalog.matching(pattern).forEach(
            a -> byAction.put(a.action().key(), new Fact(Visibility.NOT_LOGGED, null, never.why())));
      }
    }
    this.facts = Map.copyOf(byAction);
  }

  /**
   * @param dataEventSourcesSeen eventSources of which the analysed logs contain data events
   *                             (records with eventCategory {@code Data} or managementEvent false)
   */
  public static LogObservability create(IamCatalog catalog, Set<String> dataEventSourcesSeen) {
    return new LogObservability(catalog, TranslationRules.loadDefault(), dataEventSourcesSeen);
  }

  @Override
  public Visibility visibility(IamAction action, String resource) {
    Optional<ActionInfo> info = catalog.action(action);
    if (info.isEmpty()) {
      return Visibility.NOT_LOGGED;
    }
    Fact fact = facts.get(info.get().action().key());
    if (fact != null) {
      return fact.visibility();
    }
    return managementServices.contains(info.get().action().service().toLowerCase(Locale.ROOT))
        ? Visibility.MANAGEMENT_EVENT : Visibility.NOT_LOGGED;
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
    return switch (fact.visibility()) {
      case DATA_EVENT_LOGGED -> canonical + " is a data event (" + fact.why() + ") and the logs contain data events"
          + " from " + fact.eventSource() + ", so its absence means it was not used.";
      case DATA_EVENT_NOT_LOGGED -> canonical + " is a data event (" + fact.why() + ") and the logs contain no data"
          + " events from " + fact.eventSource() + ", so its absence proves nothing.";
      default -> "CloudTrail never shows " + canonical + " (" + fact.why() + "), so its absence proves nothing.";
    };
  }
}
