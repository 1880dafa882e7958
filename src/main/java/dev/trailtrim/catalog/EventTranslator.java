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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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

  private final IamCatalog catalog;
  private final TranslationRules rules;
  private final ResourceResolver resolver;

  private EventTranslator(IamCatalog catalog, TranslationRules rules) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.rules = rules;
    this.resolver = new ResourceResolver(catalog, rules);
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
      return translate(event, source.trim().toLowerCase(Locale.ROOT), name.trim());
    } catch (RuntimeException e) {
      return Translation.unmapped("Cannot translate eventSource '" + source + "' eventName '" + name + "': " + e);
    }
  }

  private Translation translate(CloudTrailEvent event, String source, String name) {
    String baseName = rules.apiVersionSuffix.matcher(name).replaceFirst("");
    if (baseName.isEmpty()) {
      baseName = name;
    }
    NoPermission free = rules.noPermission.get(source + "|" + name);
    if (free == null) {
      free = rules.noPermission.get(source + "|" + baseName);
    }
    if (free != null) {
      return Translation.noPermissionNeeded(free.rule());
    }
    String prefix = prefixOf(source);
    if (prefix == null) {
      return Translation.unmapped("Unknown eventSource '" + source + "' (eventName '" + name
          + "'): no IAM service prefix for it in the catalog or translation-rules.json");
    }
    EventRule rule = matchingRule(event, source, name, baseName);
    if (rule != null) {
      return withPassedRoles(event, source, name, baseName, fromRule(event, rule, baseName, source, name));
    }
    Optional<ActionInfo> action = catalog.action(new IamAction(prefix, name));
    String actionRule = SAME_NAME;
    if (action.isEmpty() && !baseName.equals(name)) {
      action = catalog.action(new IamAction(prefix, baseName));
      actionRule = SUFFIX_STRIPPED;
    }
    if (action.isEmpty()) {
      return Translation.unmapped("No IAM action for eventSource '" + source + "' eventName '" + name
          + "': the catalog has no " + prefix + ":" + baseName + " and no rule in translation-rules.json maps it");
    }
    IamAction canonical = action.get().action();
    Resolution resolution = resolver.resolve(event, action.get(), null, null);
    List<ActionOnResource> accesses = new ArrayList<>();
    resolution.resources().forEach(r -> accesses.add(new ActionOnResource(canonical, r)));
    return withPassedRoles(event, source, name, baseName,
        Translation.mapped(ruleName(actionRule, resolution.rules()), sorted(accesses)));
  }

  /**
   * Adds {@code iam:PassRole} on each role the request passes to the service (translation-rules.json
   * {@code passRole}): IAM checks it inside the call, and no record of its own shows it.
   */
  private Translation withPassedRoles(CloudTrailEvent event, String source, String name, String baseName,
      Translation translation) {
    List<PassRoleRule> passes = rules.passRole.get(source + "|" + name);
    if (passes == null) {
      passes = rules.passRole.get(source + "|" + baseName);
    }
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

  private Translation fromRule(CloudTrailEvent event, EventRule rule, String baseName, String source, String name) {
    List<ActionOnResource> accesses = new ArrayList<>();
    Set<String> resourceRules = new TreeSet<>();
    for (AccessRule access : rule.accesses()) {
      if (!holds(event, access.when())) {
        continue;
      }
      String qualified = access.action().replace("{eventName}", baseName);
      Optional<ActionInfo> action = catalog.action(qualified);
      if (action.isEmpty()) {
        return Translation.unmapped("Rule '" + rule.rule() + "' maps eventSource '" + source + "' eventName '" + name
            + "' to " + qualified + ", which the IAM catalog lacks: fix translation-rules.json");
      }
      Resolution resolution = resolver.resolve(event, action.get(), withNoun(access.resource(), rule, baseName),
          withNoun(access.fallback(), rule, baseName));
      resolution.resources().forEach(r -> accesses.add(new ActionOnResource(action.get().action(), r)));
      resourceRules.addAll(resolution.rules());
    }
    if (accesses.isEmpty()) {
      return Translation.unmapped("Rule '" + rule.rule() + "' matched eventSource '" + source + "' eventName '" + name
          + "' but none of its accesses applied: fix translation-rules.json");
    }
    return Translation.mapped(ruleName(rule.rule(), resourceRules), sorted(accesses));
  }

  /** The first rule of the eventSource that names the event (with or without its version suffix). */
  private EventRule matchingRule(CloudTrailEvent event, String source, String name, String baseName) {
    for (EventRule rule : rules.eventRules.getOrDefault(source, List.of())) {
      if ((rule.matchesName(name) || rule.matchesName(baseName)) && holds(event, rule.when())) {
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

  private static List<ActionOnResource> sorted(List<ActionOnResource> accesses) {
    return accesses.stream().distinct().sorted().toList();
  }
}
