package dev.trailtrim.catalog;

import dev.trailtrim.catalog.ResourceParsers.Derived;
import dev.trailtrim.catalog.ResourceResolver.Resolution;
import dev.trailtrim.catalog.TranslationRules.AccessRule;
import dev.trailtrim.catalog.TranslationRules.EventRule;
import dev.trailtrim.catalog.TranslationRules.NoPermission;
import dev.trailtrim.catalog.TranslationRules.ParameterCondition;
import dev.trailtrim.catalog.TranslationRules.PassRoleRule;
import dev.trailtrim.catalog.TranslationRules.ResourceSpec;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Translation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Translates one CloudTrail record into the IAM permissions the call needed: the action(s), in
 * the catalog's spelling, each on the resource ARN(s) it touched ({@code *} when the action has no
 * resource type or no ARN is derivable). Resources are IAM resource patterns as
 * {@link ActionOnResource} defines them: the translator escapes the {@code *}, {@code ?} and
 * {@code $} of every ARN it takes from a record, and writes its few deliberate patterns (a secret
 * named without its suffix: {@code secret:name-??????}) unescaped. Driven by the bundled {@code translation-rules.json};
 * where the rules say nothing: eventSource {@code <x>.amazonaws.com} is IAM prefix {@code x} and
 * the event name (without an API-version suffix such as {@code 20150331v2}) is the action name.
 *
 * <p>Immutable and thread-safe; never throws on odd records: they come back {@code UNMAPPED} with
 * a reason naming the eventSource and eventName.
 */
public final class EventTranslator {

  private static final String SAME_NAME = "same-name";
  private static final String SUFFIX_STRIPPED = "api-version-suffix";
  static final String PASS_ROLE_RULE = "iam.pass-role";
  /** In a rule's resource type: the event name without its leading verb ({@code GetStage} → {@code Stage}). */
  static final String EVENT_NOUN = "{eventNoun}";
  private static final IamAction PASS_ROLE = new IamAction("iam", "PassRole");

  /** Plans kept per translator; beyond this (odd event names by the thousand) plans are made per record. */
  private static final int MAX_PLANS = 50_000;

  private final IamCatalog catalog;
  private final TranslationRules rules;
  private final ResourceResolver resolver;
  /** Raw eventSource to raw eventName to what the rules and catalog say about that pair. */
  private final Map<String, Map<String, EventPlan>> plans = new ConcurrentHashMap<>();
  private final AtomicInteger planCount = new AtomicInteger();
  private final Map<String, String> prefixBySource = new ConcurrentHashMap<>();
  private final Map<IamAction, Optional<ActionInfo>> actionInfos = new ConcurrentHashMap<>();
  /** Keys of the catalog actions the rules' {@code dataEvents} name, with their eventSource. */
  private final Map<String, String> dataEventSourceByAction;

  private EventTranslator(IamCatalog catalog, TranslationRules rules) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.rules = rules;
    this.resolver = new ResourceResolver(catalog, rules);
    Map<String, String> data = new java.util.HashMap<>();
    for (TranslationRules.DataEvents entry : rules.dataEvents) {
      for (String pattern : entry.actionPatterns()) {
        catalog.matching(pattern)
            .forEach(a -> data.put(a.action().key(), entry.eventSource().toLowerCase(Locale.ROOT)));
      }
    }
    this.dataEventSourceByAction = Map.copyOf(data);
  }

  /**
   * Whether a record is a data event. Recent records say so ({@code eventCategory},
   * {@code managementEvent}); records written before CloudTrail added those fields are data
   * events when their call translates to an action the rules list as a data event of that source.
   */
  public boolean isDataEvent(CloudTrailEvent event, Translation translation) {
    if (event.eventCategory() != null || event.managementEvent() != null) {
      return event.isDataEvent();
    }
    if (translation == null || translation.outcome() != Translation.Outcome.MAPPED) {
      return false;
    }
    String source = event.eventSource().trim().toLowerCase(Locale.ROOT);
    for (ActionOnResource access : translation.accesses()) {
      if (source.equals(dataEventSourceByAction.get(access.action().key()))) {
        return true;
      }
    }
    return false;
  }

  /** A translator over the bundled rules (loaded once per JVM). */
  public static EventTranslator create(IamCatalog catalog) {
    return new EventTranslator(catalog, TranslationRules.loadDefault());
  }

  public Translation translate(CloudTrailEvent event) {
    String source = event == null ? null : event.eventSource();
    String name = event == null ? null : event.eventName();
    if (source == null || source.isBlank() || name == null || name.isBlank()) {
      return Translation.unmapped("Record has no eventSource or eventName (eventSource '" + source
          + "', eventName '" + name + "')");
    }
    try {
      return translate(event, plan(source, name));
    } catch (RuntimeException e) {
      return Translation.unmapped("Cannot translate eventSource '" + source + "' eventName '" + name + "': " + e);
    }
  }

  /**
   * Everything about an (eventSource, eventName) pair that does not depend on the record: the
   * name without its version suffix, a no-permission or unknown-source answer, the rules naming
   * the event with their catalog actions, the default action, the pass-role rules. Made once per
   * pair: records of the same call repeat by the million.
   */
  private record EventPlan(String source, String name, String baseName, Translation answer, List<RulePlan> rules,
      ActionInfo defaultAction, String defaultActionRule, Translation noDefaultAction, List<PassRoleRule> passes) {}

  /** A rule that names the event; whether its condition holds is decided per record. */
  private record RulePlan(EventRule rule, List<AccessPlan> accesses) {}

  /** One access of a rule: its action (null when the catalog lacks it) and resource specs with the event's noun. */
  private record AccessPlan(AccessRule access, String qualified, ActionInfo action, ResourceSpec resource,
      ResourceSpec fallback) {}

  private EventPlan plan(String rawSource, String rawName) {
    Map<String, EventPlan> ofSource = plans.get(rawSource);
    EventPlan plan = ofSource == null ? null : ofSource.get(rawName);
    if (plan != null) {
      return plan;
    }
    plan = newPlan(rawSource.trim().toLowerCase(Locale.ROOT), rawName.trim());
    if (planCount.get() < MAX_PLANS) {
      if (plans.computeIfAbsent(rawSource, k -> new ConcurrentHashMap<>()).putIfAbsent(rawName, plan) == null) {
        planCount.incrementAndGet();
      }
    }
    return plan;
  }

  private EventPlan newPlan(String source, String name) {
    String baseName = rules.apiVersionSuffix.matcher(name).replaceFirst("");
    if (baseName.isEmpty()) {
      baseName = name;
    }
    NoPermission free = rules.noPermission.get(source + "|" + name);
    if (free == null) {
      free = rules.noPermission.get(source + "|" + baseName);
    }
    if (free != null) {
      return answered(source, name, baseName, Translation.noPermissionNeeded(free.rule()));
    }
    String prefix = prefixOf(source);
    if (prefix == null) {
      return answered(source, name, baseName, Translation.unmapped("Unknown eventSource '" + source + "' (eventName '"
          + name + "'): no IAM service prefix for it in the catalog or translation-rules.json"));
    }
    List<RulePlan> rulePlans = new ArrayList<>();
    for (EventRule rule : rules.eventRules.getOrDefault(source, List.of())) {
      if (rule.matchesName(name) || rule.matchesName(baseName)) {
        List<AccessPlan> accesses = new ArrayList<>();
        for (AccessRule access : rule.accesses()) {
          String qualified = access.action().replace("{eventName}", baseName);
          accesses.add(new AccessPlan(access, qualified, catalog.action(qualified).orElse(null),
              withNoun(access.resource(), rule, baseName), withNoun(access.fallback(), rule, baseName)));
        }
        rulePlans.add(new RulePlan(rule, List.copyOf(accesses)));
      }
    }
    Optional<ActionInfo> action = catalog.action(new IamAction(prefix, name));
    String actionRule = SAME_NAME;
    if (action.isEmpty() && !baseName.equals(name)) {
      action = catalog.action(new IamAction(prefix, baseName));
      actionRule = SUFFIX_STRIPPED;
    }
    Translation noDefaultAction = action.isPresent() ? null : Translation.unmapped("No IAM action for eventSource '"
        + source + "' eventName '" + name + "': the catalog has no " + prefix + ":" + baseName
        + " and no rule in translation-rules.json maps it");
    List<PassRoleRule> passes = rules.passRole.get(source + "|" + name);
    if (passes == null) {
      passes = rules.passRole.get(source + "|" + baseName);
    }
    return new EventPlan(source, name, baseName, null, List.copyOf(rulePlans), action.orElse(null), actionRule,
        noDefaultAction, passes);
  }

  private static EventPlan answered(String source, String name, String baseName, Translation answer) {
    return new EventPlan(source, name, baseName, answer, List.of(), null, null, null, null);
  }

  private Translation translate(CloudTrailEvent event, EventPlan plan) {
    if (plan.answer() != null) {
      return plan.answer();
    }
    RulePlan rule = matchingRule(event, plan);
    if (rule != null) {
      return withPassedRoles(event, plan, fromRule(event, rule, plan));
    }
    if (plan.defaultAction() == null) {
      return plan.noDefaultAction();
    }
    IamAction canonical = plan.defaultAction().action();
    Resolution resolution = resolver.resolve(event, plan.defaultAction(), null, null);
    List<ActionOnResource> accesses = new ArrayList<>(resolution.resources().size());
    resolution.resources().forEach(r -> accesses.add(new ActionOnResource(canonical, r)));
    return withPassedRoles(event, plan,
        Translation.mapped(ruleName(plan.defaultActionRule(), resolution.rules()), sorted(accesses)));
  }

  /**
   * Adds {@code iam:PassRole} on each role the request passes to the service (translation-rules.json
   * {@code passRole}): IAM checks it inside the call, and no record of its own shows it.
   */
  private Translation withPassedRoles(CloudTrailEvent event, EventPlan plan, Translation translation) {
    List<PassRoleRule> passes = plan.passes();
    if (passes == null || translation.outcome() != Translation.Outcome.MAPPED) {
      return translation;
    }
    ResourceParsers.Where where = ResourceResolver.where(event);
    Set<String> roles = new TreeSet<>();
    for (PassRoleRule pass : passes) {
      for (String parameter : pass.parameters()) {
        for (String value : ResourceResolver.JsonPaths.values(event.requestParameters(), parameter)) {
          for (Derived role : ResourceParsers.parse(pass.parser(), value, "role", where,
              path -> ResourceResolver.JsonPaths.first(event.requestParameters(), path))) {
            roles.add(role.asPattern());
          }
        }
      }
    }
    if (roles.isEmpty()) {
      return translation;
    }
    List<ActionOnResource> accesses = new ArrayList<>(translation.accesses());
    roles.forEach(r -> accesses.add(new ActionOnResource(PASS_ROLE, r)));
    return Translation.mapped(translation.rule() + "," + PASS_ROLE_RULE, sorted(accesses));
  }

  private Translation fromRule(CloudTrailEvent event, RulePlan plan, EventPlan eventPlan) {
    EventRule rule = plan.rule();
    List<ActionOnResource> accesses = new ArrayList<>();
    Set<String> resourceRules = new TreeSet<>();
    for (AccessPlan access : plan.accesses()) {
      if (!holds(event, access.access().when())) {
        continue;
      }
      if (access.action() == null) {
        return Translation
            .unmapped("Rule '" + rule.rule() + "' maps eventSource '" + eventPlan.source() + "' eventName '"
                + eventPlan.name() + "' to " + access.qualified()
                + ", which the IAM catalog lacks: fix translation-rules.json");
      }
      Resolution resolution = resolver.resolve(event, access.action(), access.resource(), access.fallback());
      resolution.resources().forEach(r -> accesses.add(new ActionOnResource(access.action().action(), r)));
      resourceRules.addAll(resolution.rules());
    }
    if (accesses.isEmpty()) {
      return Translation
          .unmapped("Rule '" + rule.rule() + "' matched eventSource '" + eventPlan.source() + "' eventName '"
              + eventPlan.name() + "' but none of its accesses applied: fix translation-rules.json");
    }
    return Translation.mapped(ruleName(rule.rule(), resourceRules), sorted(accesses));
  }

  /** The first rule of the eventSource that names the event (with or without its version suffix) and whose condition holds. */
  private static RulePlan matchingRule(CloudTrailEvent event, EventPlan plan) {
    for (RulePlan rule : plan.rules()) {
      if (holds(event, rule.rule().when())) {
        return rule;
      }
    }
    return null;
  }

  /** No condition, or the parameter is present (and, with a pattern, one of its values matches it). */
  private static boolean holds(CloudTrailEvent event, ParameterCondition condition) {
    if (condition == null) {
      return true;
    }
    if (condition.matches() == null) {
      return ResourceResolver.JsonPaths.present(event.requestParameters(), condition.path());
    }
    return ResourceResolver.JsonPaths.values(event.requestParameters(), condition.path()).stream()
        .anyMatch(v -> condition.matches().matcher(v).find());
  }

  /** The spec with {@code {eventNoun}} in its type replaced: the event name without the rule's prefix or leading verb. */
  private static ResourceSpec withNoun(ResourceSpec spec, EventRule rule, String baseName) {
    if (spec == null || spec.type() == null || !spec.type().contains(EVENT_NOUN)) {
      return spec;
    }
    String noun = rule.eventNamePrefix() != null && baseName.startsWith(rule.eventNamePrefix())
        ? baseName.substring(rule.eventNamePrefix().length())
        : baseName.replaceFirst("^[A-Z][a-z]+", "");
    return spec.withType(spec.type().replace(EVENT_NOUN, noun));
  }

  IamCatalog catalog() {
    return catalog;
  }

  /** {@link #prefixOf} of a record's raw eventSource (trimmed, lower-cased), memoised; null when unknown. */
  String prefixOfEventSource(String rawSource) {
    String prefix = prefixBySource.get(rawSource);
    if (prefix == null) {
      prefix = Objects.requireNonNullElse(prefixOf(rawSource.trim().toLowerCase(Locale.ROOT)), "");
      if (prefixBySource.size() < MAX_PLANS) {
        prefixBySource.put(rawSource, prefix);
      }
    }
    return prefix.isEmpty() ? null : prefix;
  }

  /** {@link IamCatalog#action(IamAction)}, memoised for the catalog's actions that translations emit. */
  Optional<ActionInfo> actionInfo(IamAction action) {
    Optional<ActionInfo> info = actionInfos.get(action);
    if (info == null) {
      info = catalog.action(action);
      if (actionInfos.size() < MAX_PLANS) {
        actionInfos.put(action, info);
      }
    }
    return info;
  }

  /** The IAM prefix of an eventSource, or null when neither the rules nor the catalog know it. */
  String prefixOf(String source) {
    String prefix = rules.eventSources.get(source);
    if (prefix == null && source.endsWith(".amazonaws.com")) {
      prefix = source.substring(0, source.length() - ".amazonaws.com".length());
    }
    return prefix != null && catalog.hasService(prefix) ? prefix : null;
  }

  /**
   * Every action a rule of {@code translation-rules.json} names, as written there (those built
   * from the event name are left out: the catalog lookup guards them). A test checks each against
   * the catalog.
   */
  public Set<IamAction> allEmittableActions() {
    Set<IamAction> actions = new TreeSet<>();
    if (!rules.passRole.isEmpty()) {
      actions.add(PASS_ROLE);
    }
    for (List<EventRule> ofSource : rules.eventRules.values()) {
      for (EventRule rule : ofSource) {
        for (AccessRule access : rule.accesses()) {
          if (!access.action().contains("{")) {
            actions.add(IamAction.parse(access.action()));
          }
        }
      }
    }
    return actions;
  }

  private static String ruleName(String actionRule, Set<String> resourceRules) {
    return actionRule + " / " + String.join(",", resourceRules);
  }

  /** Without repeats (the first of equal ones kept), sorted; as {@code stream().distinct().sorted()}, without a stream. */
  private static List<ActionOnResource> sorted(List<ActionOnResource> accesses) {
    if (accesses.size() <= 1) {
      return List.copyOf(accesses);
    }
    List<ActionOnResource> distinct = new ArrayList<>(accesses.size());
    if (accesses.size() <= 8) {
      for (ActionOnResource access : accesses) {
        if (!distinct.contains(access)) {
          distinct.add(access);
        }
      }
    } else {
      distinct.addAll(new LinkedHashSet<>(accesses));
    }
    distinct.sort(null);
    return List.copyOf(distinct);
  }
}
