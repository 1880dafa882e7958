package dev.trailtrim.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The bundled {@code translation-rules.json}: which IAM actions and resources a CloudTrail call
 * needed, where the defaults (same prefix, same name, same-named parameters) are not enough, and
 * which permissions CloudTrail can show being used. Parsed once; immutable.
 */
final class TranslationRules {

  static final String RESOURCE = "/dev/trailtrim/catalog/translation-rules.json";
  static final int FORMAT = 1;

  /** A call that needs no IAM permission. */
  record NoPermission(String rule, String why) {}

  /**
   * Where to find a resource in a record: request parameters read by a named parser, or the
   * catalog ARN format of {@code type} filled with {@code variables} (ARN variable to parameter
   * paths; an entry {@code "=text"} is a literal value, {@code "*"} is any value, left as a
   * wildcard; {@code Account} and {@code Region} may name parameters that hold the resource's own
   * account or region). With {@code exclusive}, the spec is the only place to look: when it
   * derives nothing the resource is {@code *}, not whatever the defaults would guess.
   */
  record ResourceSpec(String type, List<String> parameters, String parser, Map<String, List<String>> variables,
      boolean exclusive) {
    ResourceSpec {
      parameters = List.copyOf(parameters);
      variables = Map.copyOf(variables);
    }

    ResourceSpec withType(String newType) {
      return new ResourceSpec(newType, parameters, parser, variables, exclusive);
    }
  }

  /** A condition on a request parameter: present, or (with {@code matches}) some value of it matches. */
  record ParameterCondition(String path, Pattern matches) {}

  /**
   * One permission an event needs. {@code action} may contain {@code {eventName}} (the event
   * name without its API-version suffix). {@code resource} overrides the default derivation;
   * {@code fallback} replaces {@code *} when nothing else was derivable.
   */
  record AccessRule(String action, ParameterCondition when, ResourceSpec resource, ResourceSpec fallback) {}

  /** Event names of one eventSource (or a name prefix) and the permissions they need. */
  record EventRule(String eventSource, Set<String> eventNames, String eventNamePrefix, ParameterCondition when,
      String rule, List<AccessRule> accesses) {
    EventRule {
      eventNames = Set.copyOf(eventNames);
      accesses = List.copyOf(accesses);
    }

    boolean matchesName(String name) {
      return eventNamePrefix != null ? name.startsWith(eventNamePrefix) : eventNames.contains(name);
    }
  }

  /**
   * Calls that pass an IAM role to a service: IAM checks {@code iam:PassRole} on the role, though
   * CloudTrail records only the call. {@code parameters} are the paths that may hold the role (an
   * ARN, or a name in the record's account), read by {@code parser} ({@code iam-role} unless told).
   */
  record PassRoleRule(String eventSource, Set<String> eventNames, List<String> parameters, String parser, String why) {
    PassRoleRule {
      eventNames = Set.copyOf(eventNames);
      parameters = List.copyOf(parameters);
    }
  }

  record DataEvents(String eventSource, List<String> actionPatterns, String why) {}

  record NeverLogged(List<String> actionPatterns, String why) {}

  final Pattern apiVersionSuffix;
  /** eventSource to IAM prefix, for the sources that are not {@code <prefix>.amazonaws.com}. */
  final Map<String, String> eventSources;
  /** "eventSource|eventName" to the no-permission rule. */
  final Map<String, NoPermission> noPermission;
  /** eventSource to its rules, in file order (the first match wins). */
  final Map<String, List<EventRule>> eventRules;
  /** "prefix/type" (lower case) to where that resource type's ARN is found, in file order. */
  final Map<String, List<ResourceSpec>> resourceParameters;
  /** IAM prefix (lower case) to responseElements paths that hold the resource's ARN. */
  final Map<String, List<String>> responseArns;
  /** "eventSource|eventName" to the rules naming where the call passes a role. */
  final Map<String, List<PassRoleRule>> passRole;
  final List<DataEvents> dataEvents;
  final List<NeverLogged> neverLogged;
  final Set<String> managementEventServices;
  /** Where CloudTrail records calls to global services: the region, and per IAM prefix whether only there. */
  final String globalServiceRegion;
  final Map<String, Boolean> globalServiceOnly;

  private TranslationRules(JsonNode root) {
    if (root.path("format").asInt() != FORMAT) {
      throw invalid("format must be " + FORMAT + ", got " + root.path("format"));
    }
    try {
      apiVersionSuffix = Pattern.compile(text(root, "apiVersionSuffix"));
    } catch (PatternSyntaxException e) {
      throw invalid("apiVersionSuffix is not a regular expression: " + e.getMessage());
    }
    Map<String, String> sources = new LinkedHashMap<>();
    root.path("eventSources").fields().forEachRemaining(e -> sources.put(e.getKey(), e.getValue().asText()));
    eventSources = Map.copyOf(sources);

    Map<String, NoPermission> free = new LinkedHashMap<>();
    for (JsonNode entry : root.path("noPermissionNeeded")) {
      NoPermission value = new NoPermission(text(entry, "rule"), text(entry, "why"));
      for (String name : strings(entry.path("eventNames"))) {
        free.put(text(entry, "eventSource") + "|" + name, value);
      }
    }
    noPermission = Map.copyOf(free);

    Map<String, List<EventRule>> rules = new LinkedHashMap<>();
    for (JsonNode entry : root.path("events")) {
      EventRule rule = eventRule(entry);
      rules.computeIfAbsent(rule.eventSource(), k -> new ArrayList<>()).add(rule);
    }
    rules.replaceAll((k, v) -> List.copyOf(v));
    eventRules = Map.copyOf(rules);

    Map<String, List<ResourceSpec>> params = new LinkedHashMap<>();
    for (JsonNode entry : root.path("resourceParameters")) {
      String key = typeKey(text(entry, "service"), text(entry, "type"));
      ResourceSpec spec = resourceSpec(entry, text(entry, "type"));
      if (spec.parser() == null && spec.variables().isEmpty()) {
        throw invalid("a resourceParameters entry needs parameters with a parser, or variables: " + entry);
      }
      params.computeIfAbsent(key, k -> new ArrayList<>()).add(spec);
    }
    params.replaceAll((k, v) -> List.copyOf(v));
    resourceParameters = Map.copyOf(params);

    Map<String, List<String>> response = new LinkedHashMap<>();
    root.path("responseArns").fields().forEachRemaining(
        e -> response.put(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(strings(e.getValue()))));
    responseArns = Map.copyOf(response);

    Map<String, List<PassRoleRule>> passes = new LinkedHashMap<>();
    for (JsonNode entry : root.path("passRole")) {
      String parser = optionalText(entry, "parser") == null ? "iam-role" : optionalText(entry, "parser");
      if (!ResourceParsers.NAMES.contains(parser)) {
        throw invalid("unknown parser '" + parser + "' in passRole: expected one of " + ResourceParsers.NAMES);
      }
      List<String> parameters = strings(entry.path("parameters"));
      List<String> names = strings(entry.path("eventNames"));
      if (parameters.isEmpty() || names.isEmpty()) {
        throw invalid("a passRole entry needs eventNames and parameters: " + entry);
      }
      PassRoleRule pass = new PassRoleRule(text(entry, "eventSource"), new LinkedHashSet<>(names), parameters, parser,
          text(entry, "why"));
      for (String name : names) {
        passes.computeIfAbsent(pass.eventSource() + "|" + name, k -> new ArrayList<>()).add(pass);
      }
    }
    passes.replaceAll((k, v) -> List.copyOf(v));
    passRole = Map.copyOf(passes);

    JsonNode observability = root.path("observability");
    List<DataEvents> data = new ArrayList<>();
    for (JsonNode entry : observability.path("dataEvents")) {
      data.add(new DataEvents(text(entry, "eventSource"), strings(entry.path("actions")), text(entry, "why")));
    }
    dataEvents = List.copyOf(data);
    List<NeverLogged> never = new ArrayList<>();
    for (JsonNode entry : observability.path("neverLogged")) {
      never.add(new NeverLogged(strings(entry.path("actions")), text(entry, "why")));
    }
    neverLogged = List.copyOf(never);
    Set<String> management = new LinkedHashSet<>();
    for (String prefix : strings(observability.path("managementEventServices"))) {
      management.add(prefix.toLowerCase(Locale.ROOT));
    }
    managementEventServices = Set.copyOf(management);
    JsonNode global = observability.path("globalServiceEvents");
    globalServiceRegion = global.path("region").asText("us-east-1");
    Map<String, Boolean> globalOnly = new java.util.HashMap<>();
    strings(global.path("only")).forEach(prefix -> globalOnly.put(prefix.toLowerCase(Locale.ROOT), true));
    strings(global.path("alsoRegional")).forEach(prefix -> globalOnly.put(prefix.toLowerCase(Locale.ROOT), false));
    globalServiceOnly = Map.copyOf(globalOnly);
  }

  /**
   * The IAM prefixes whose resources the rules derive explicitly (beyond the defaults): named in
   * resourceParameters, in an event rule's resource or fallback, in responseArns, or, for
   * {@code iam}, by passRole. Sorted.
   */
  Set<String> servicesWithResourceRules() {
    Set<String> services = new java.util.TreeSet<>();
    resourceParameters.keySet().forEach(key -> services.add(key.substring(0, key.indexOf('/'))));
    for (List<EventRule> ofSource : eventRules.values()) {
      for (EventRule rule : ofSource) {
        for (AccessRule access : rule.accesses()) {
          if (access.resource() != null || access.fallback() != null) {
            services.add(access.action().substring(0, access.action().indexOf(':')).toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    services.addAll(responseArns.keySet());
    if (!passRole.isEmpty()) {
      services.add("iam");
    }
    return services;
  }

  private static volatile TranslationRules bundled;

  static TranslationRules loadDefault() {
    TranslationRules rules = bundled;
    if (rules == null) {
      synchronized (TranslationRules.class) {
        rules = bundled;
        if (rules == null) {
          try (InputStream in = TranslationRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
              throw new IllegalStateException("The translation rules " + RESOURCE
                  + " are missing from the class path: rebuild the jar");
            }
            rules = load(in);
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the translation rules " + RESOURCE, e);
          }
          bundled = rules;
        }
      }
    }
    return rules;
  }

  static TranslationRules load(InputStream json) throws IOException {
    return new TranslationRules(new ObjectMapper().readTree(json));
  }

  static String typeKey(String prefix, String type) {
    return (prefix + "/" + type).toLowerCase(Locale.ROOT);
  }

  private static EventRule eventRule(JsonNode entry) {
    String rule = text(entry, "rule");
    List<AccessRule> accesses = new ArrayList<>();
    for (JsonNode access : entry.path("accesses")) {
      accesses.add(new AccessRule(text(access, "action"), condition(access, rule),
          access.has("resource") ? resourceSpec(access.get("resource"), optionalText(access.get("resource"), "type"))
              : null,
          access.has("fallback") ? resourceSpec(access.get("fallback"), optionalText(access.get("fallback"), "type"))
              : null));
    }
    if (accesses.isEmpty()) {
      throw invalid("rule '" + rule + "' lists no accesses");
    }
    String prefix = optionalText(entry, "eventNamePrefix");
    List<String> names = strings(entry.path("eventNames"));
    if ((prefix == null) == names.isEmpty()) {
      throw invalid("rule '" + rule + "' needs either eventNames or eventNamePrefix");
    }
    return new EventRule(text(entry, "eventSource"), new LinkedHashSet<>(names), prefix, condition(entry, rule), rule,
        accesses);
  }

  /** {@code whenParameter} with an optional {@code matches} regular expression, or null. */
  private static ParameterCondition condition(JsonNode entry, String rule) {
    String path = optionalText(entry, "whenParameter");
    String matches = optionalText(entry, "matches");
    if (path == null) {
      if (matches != null) {
        throw invalid("rule '" + rule + "' has 'matches' without 'whenParameter'");
      }
      return null;
    }
    try {
      return new ParameterCondition(path, matches == null ? null : Pattern.compile(matches));
    } catch (PatternSyntaxException e) {
      throw invalid("rule '" + rule + "': 'matches' is not a regular expression: " + e.getMessage());
    }
  }

  private static ResourceSpec resourceSpec(JsonNode entry, String type) {
    Map<String, List<String>> variables = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("variables").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> variable = it.next();
      variables.put(variable.getKey(), strings(variable.getValue()));
    }
    String parser = optionalText(entry, "parser");
    List<String> parameters = strings(entry.path("parameters"));
    if (parser != null && !ResourceParsers.NAMES.contains(parser)) {
      throw invalid("unknown parser '" + parser + "': expected one of " + ResourceParsers.NAMES);
    }
    if ((parser == null) != parameters.isEmpty() || (parser == null && type == null)) {
      throw invalid("a resource entry needs parameters with a parser, or a type (with optional variables): " + entry);
    }
    return new ResourceSpec(type, parameters, parser, variables, entry.path("exclusive").asBoolean(false));
  }

  private static String text(JsonNode node, String field) {
    String value = optionalText(node, field);
    if (value == null) {
      throw invalid("missing '" + field + "' in " + node);
    }
    return value;
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(Objects.requireNonNull(v.asText())));
    return values;
  }

  private static IllegalStateException invalid(String what) {
    return new IllegalStateException("Invalid " + RESOURCE + ": " + what);
  }
}
