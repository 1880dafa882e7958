package dev.trailtrim.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailtrim.catalog.ResourceParsers.Derived;
import dev.trailtrim.catalog.ResourceParsers.Where;
import dev.trailtrim.catalog.TranslationRules.ResourceSpec;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.Arn;
import dev.trailtrim.model.CloudTrailEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Finds the resource ARN(s) one action of one record touched. In order, per resource type of the
 * action: the record's {@code resources[]}, ARNs in {@code responseElements}, the request
 * parameters named in the rules, any request parameter named {@code *Arn} that holds an ARN of
 * the type, and the type's ARN format filled with same-named request parameters. {@code *} only when the action has no resource type or a required one cannot be derived.
 * Resources come back as IAM resource patterns ({@link ActionOnResource}): concrete ARNs with
 * {@code *}, {@code ?}, {@code $} escaped, and the few deliberate patterns of {@link ResourceParsers} as written.
 */
final class ResourceResolver {

  static final String NO_RESOURCE_TYPES = "no-resource-types";
  static final String NO_ARN_DERIVABLE = "no-arn-derivable";

  /** In a rule's variables: any value, written into the pattern as the wildcard {@code *}. */
  static final String ANY_VALUE = "*";
  /** In a rule's variables: a literal value follows ({@code "=primary"}), not a parameter path. */
  static final String LITERAL = "=";
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern REGION_NAME =
      Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d+");

  private static final int MAX_MEMOISED_NAMES = 20_000;
  private static final Map<String, String> LOWER_CASE = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, String>> TYPE_KEYS = new ConcurrentHashMap<>();
  /** {@link #defaultParameters} by variable: the catalog's few hundred variable names, each once. */
  private static final Map<String, List<String>> DEFAULT_PARAMETERS = new ConcurrentHashMap<>();

  /** Cartesian products of multi-valued parameters stop here (a BatchGet of thousands of keys). */
  private static final int MAX_ARNS_PER_TYPE = 1000;

  /** The resources found for one action, and the rules that found them. */
  record Resolution(List<String> resources, Set<String> rules) {}

  private final IamCatalog catalog;
  private final TranslationRules rules;
  /** IAM prefix to the ARN formats of every resource type its actions use. */
  private final Map<String, List<ArnFormat>> formatsByService = new ConcurrentHashMap<>();
  /** "prefix/type" to that type's ARN formats. */
  private final Map<String, List<ArnFormat>> formatsByType = new ConcurrentHashMap<>();

  ResourceResolver(IamCatalog catalog, TranslationRules rules) {
    this.catalog = catalog;
    this.rules = rules;
  }

  Resolution resolve(CloudTrailEvent event, ActionInfo action, ResourceSpec override, ResourceSpec fallback) {
    if (!action.hasResourceTypes()) {
      return new Resolution(List.of(ActionOnResource.ANY_RESOURCE), Set.of(NO_RESOURCE_TYPES));
    }
    String prefix = action.action().service();
    Where where = where(event);
    if (override != null) {
      List<Derived> derived = fromSpec(event, prefix, override, where);
      if (!derived.isEmpty()) {
        return resolution(derived);
      }
      if (override.exclusive()) {
        return new Resolution(List.of(ActionOnResource.ANY_RESOURCE), Set.of(NO_ARN_DERIVABLE));
      }
    }
    List<Derived> found = new ArrayList<>();
    boolean missingRequired = false;
    for (ActionResourceType type : action.resourceTypes()) {
      List<Derived> ofType = forType(event, prefix, type.name(), where);
      if (ofType.isEmpty() && type.required()) {
        missingRequired = true;
      }
      found.addAll(ofType);
    }
    if (missingRequired || found.isEmpty()) {
      if (fallback != null) {
        List<Derived> derived = fromSpec(event, prefix, fallback, where);
        if (!derived.isEmpty()) {
          return resolution(derived);
        }
      }
      return new Resolution(List.of(ActionOnResource.ANY_RESOURCE), Set.of(NO_ARN_DERIVABLE));
    }
    return resolution(found);
  }

  static Where where(CloudTrailEvent event) {
    String region = blankToNull(event.awsRegion());
    return new Where(Arn.partitionOfRegion(region), region, blankToNull(event.accountId()));
  }

  private List<Derived> forType(CloudTrailEvent event, String prefix, String type, Where where) {
    List<Derived> fromResources = new ArrayList<>();
    for (CloudTrailEvent.EventResource resource : event.resources()) {
      if (resource != null && isOfType(prefix, type, resource.arn())) {
        fromResources.add(new Derived(resource.arn(), "resources[]"));
      }
    }
    if (!fromResources.isEmpty()) {
      return fromResources;
    }
    List<Derived> fromResponse = new ArrayList<>();
    for (String path : rules.responseArns.getOrDefault(lowerCase(prefix), List.of())) {
      for (String value : JsonPaths.values(event.responseElements(), path)) {
        if (isOfType(prefix, type, value)) {
          fromResponse.add(new Derived(value, "response-elements"));
        }
      }
    }
    if (!fromResponse.isEmpty()) {
      return fromResponse;
    }
    for (ResourceSpec spec : rules.resourceParameters.getOrDefault(typeKey(prefix, type), List.of())) {
      List<Derived> derived = fromSpec(event, prefix, spec, where);
      if (!derived.isEmpty()) {
        return derived;
      }
    }
    List<Derived> fromArnParameters = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = event.requestParameters().fields(); fields.hasNext();) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (endsWithArn(field.getKey())) {
        for (String raw : JsonPaths.values(field.getValue(), "")) {
          String value = ResourceParsers.urlDecodedArn(raw);
          if (isOfType(prefix, type, value)) {
            fromArnParameters.add(new Derived(value, "request-arn-parameter"));
          }
        }
      }
    }
    if (!fromArnParameters.isEmpty()) {
      return fromArnParameters;
    }
    return fill(event, prefix, type, Map.of(), where);
  }

  private List<Derived> fromSpec(CloudTrailEvent event, String prefix, ResourceSpec spec, Where where) {
    if (spec.parser() != null) {
      List<Derived> derived = new ArrayList<>();
      for (String parameter : spec.parameters()) {
        for (String value : JsonPaths.values(event.requestParameters(), parameter)) {
          derived.addAll(ResourceParsers.parse(spec.parser(), value, spec.type(), where,
              path -> JsonPaths.first(event.requestParameters(), path)));
        }
        if (!derived.isEmpty()) {
          return derived;
        }
      }
      return derived;
    }
    if (spec.type() == null) {
      return List.of();
    }
    Map<String, List<String>> paths = new LinkedHashMap<>(spec.variables());
    // A rule that names only a type reads that type's variables where resourceParameters says.
    for (ResourceSpec known : rules.resourceParameters.getOrDefault(typeKey(prefix, spec.type()), List.of())) {
      known.variables().forEach(paths::putIfAbsent);
    }
    return fill(event, prefix, spec.type(), paths, where);
  }

  /**
   * The type's ARN format with each variable taken from the listed parameters, else from the
   * same-named parameter ({@code BucketName} from {@code bucketName}). A parameter value that is
   * itself an ARN of the type is used whole. A filled format is a resource pattern: the values are
   * escaped, while a wildcard the catalog writes into the format ({@code apps/*}) or a rule's
   * {@code "*"} stays one. {@code Account} and {@code Region} may be taken from parameters (ECR's
   * {@code registryId}, Glue's {@code catalogId}); the partition follows the region.
   */
  private List<Derived> fill(CloudTrailEvent event, String prefix, String type, Map<String, List<String>> paths,
      Where where) {
    Set<String> arns = new TreeSet<>();
    Set<String> patterns = new TreeSet<>();
    Set<String> usedRules = new TreeSet<>();
    Where own = ownAccountAndRegion(event, paths, where);
    Map<String, String> escapedFixed = null;
    for (ArnFormat arnFormat : formatsOfType(prefix, type)) {
      Map<String, List<String>> values = new LinkedHashMap<>();
      boolean complete = true;
      String rule = "request-parameters";
      for (String variable : arnFormat.resourceVariables()) {
        List<String> candidates = candidates(event, paths.getOrDefault(variable, List.of()));
        if (candidates.isEmpty()) {
          candidates = candidates(event, defaultParameters(variable));
        }
        List<String> wholeArns = new ArrayList<>(1);
        List<String> names = new ArrayList<>(candidates.size());
        for (String candidate : candidates) {
          if (isOfType(prefix, type, candidate)) {
            wholeArns.add(candidate);
          } else if (!Arn.looksLikeArn(candidate)) {
            names.add(candidate);
          }
        }
        if (!wholeArns.isEmpty()) {
          arns.addAll(wholeArns);
          usedRules.add(rule);
          complete = false;
          break;
        }
        candidates = names;
        if (candidates.isEmpty()) {
          complete = false;
          break;
        }
        if (variable.endsWith("WithPath")) {
          String path = JsonPaths.first(event.requestParameters(), "path");
          String cleanPath = path == null ? "" : path.replaceAll("^/+|/+$", "");
          candidates = candidates.stream().map(c -> cleanPath.isEmpty() ? c : cleanPath + "/" + c).toList();
          if (path == null) {
            rule = "iam.name-without-path";
          }
        }
        values.put(variable, candidates);
      }
      if (!complete) {
        continue;
      }
      if (escapedFixed == null) {
        escapedFixed = new HashMap<>();
        escapedFixed.put(ArnFormat.PARTITION, escapeValue(own.partition()));
        if (own.region() != null) {
          escapedFixed.put(ArnFormat.REGION, escapeValue(own.region()));
        }
        if (own.account() != null) {
          escapedFixed.put(ArnFormat.ACCOUNT, escapeValue(own.account()));
        }
      }
      for (Map<String, String> combination : combinations(values)) {
        Map<String, String> escaped = new HashMap<>(escapedFixed);
        combination.forEach((variable, value) -> escaped.put(variable, escapeValue(value)));
        String pattern = arnFormat.fill(escaped);
        if (pattern != null) {
          patterns.add(pattern);
          usedRules.add(rule);
        }
      }
    }
    String rule = String.join(",", usedRules);
    List<Derived> derived = new ArrayList<>();
    arns.forEach(a -> derived.add(new Derived(a, rule)));
    patterns.forEach(p -> derived.add(Derived.pattern(p, rule)));
    return derived;
  }

  /** The values of the first of {@code sources} that gives any: a parameter path, {@code *} or {@code =literal}. */
  private static List<String> candidates(CloudTrailEvent event, List<String> sources) {
    for (String path : sources) {
      List<String> candidates = path.equals(ANY_VALUE) ? List.of(ANY_VALUE)
          : path.startsWith(LITERAL) ? List.of(path.substring(LITERAL.length()))
          : JsonPaths.values(event.requestParameters(), path);
      if (!candidates.isEmpty()) {
        return candidates;
      }
    }
    return List.of();
  }

  /** A variable's value in a pattern: a rule's {@code *} stays a wildcard, anything else is a literal. */
  private static String escapeValue(String value) {
    return value.equals(ANY_VALUE) ? ANY_VALUE : ActionOnResource.escapeLiteral(value);
  }

  /** The record's partition, region and account, unless parameters named for Account or Region say otherwise. */
  private static Where ownAccountAndRegion(CloudTrailEvent event, Map<String, List<String>> paths, Where where) {
    String account = where.account();
    String region = where.region();
    for (String path : paths.getOrDefault(ArnFormat.ACCOUNT, List.of())) {
      String value = JsonPaths.first(event.requestParameters(), path);
      if (value != null && ACCOUNT_ID.matcher(value).matches()) {
        account = value;
        break;
      }
    }
    for (String path : paths.getOrDefault(ArnFormat.REGION, List.of())) {
      String value = JsonPaths.first(event.requestParameters(), path);
      if (value != null && REGION_NAME.matcher(value).matches()) {
        region = value;
        break;
      }
    }
    if (Objects.equals(account, where.account()) && Objects.equals(region, where.region())) {
      return where;
    }
    return new Where(region == null ? where.partition() : Arn.partitionOfRegion(region), region, account);
  }

  /** A field name ending in {@code arn} in any case ({@code toLowerCase(ROOT).endsWith("arn")}, without the copy). */
  private static boolean endsWithArn(String name) {
    int n = name.length();
    return n >= 3 && (name.charAt(n - 3) | 0x20) == 'a' && (name.charAt(n - 2) | 0x20) == 'r'
        && (name.charAt(n - 1) | 0x20) == 'n';
  }

  /**
   * Lower case (ROOT) of a service prefix or resource type, memoised: a few thousand names from the
   * catalog and the rules, looked up for every resource of every record.
   */
  private static String lowerCase(String name) {
    String lower = LOWER_CASE.get(name);
    if (lower == null) {
      lower = name.toLowerCase(Locale.ROOT);
      if (LOWER_CASE.size() < MAX_MEMOISED_NAMES) {
        LOWER_CASE.put(name, lower);
      }
    }
    return lower;
  }

  /** {@link TranslationRules#typeKey}, memoised as {@link #lowerCase} is. */
  private static String typeKey(String prefix, String type) {
    Map<String, String> ofPrefix = TYPE_KEYS.get(prefix);
    String key = ofPrefix == null ? null : ofPrefix.get(type);
    if (key == null) {
      key = TranslationRules.typeKey(prefix, type);
      if (TYPE_KEYS.size() < MAX_MEMOISED_NAMES) {
        TYPE_KEYS.computeIfAbsent(prefix, p -> new ConcurrentHashMap<>()).put(type, key);
      }
    }
    return key;
  }

  /** {@code BucketName} → bucketName; {@code RoleNameWithPath} → roleName; {@code ParameterNameWithoutLeadingSlash} → parameterName. */
  static List<String> defaultParameters(String variable) {
    return DEFAULT_PARAMETERS.computeIfAbsent(variable, v -> {
      String base = v.replaceFirst("(WithPath|WithoutLeadingSlash)$", "");
      return List.of(Character.toLowerCase(base.charAt(0)) + base.substring(1));
    });
  }

  private static List<Map<String, String>> combinations(Map<String, List<String>> values) {
    List<Map<String, String>> result = new ArrayList<>();
    result.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> variable : values.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : result) {
        for (String value : variable.getValue()) {
          if (next.size() >= MAX_ARNS_PER_TYPE) {
            break;
          }
          Map<String, String> extended = new LinkedHashMap<>(partial);
          extended.put(variable.getKey(), value);
          next.add(extended);
        }
      }
      result = next;
    }
    return result;
  }

  /**
   * Whether an ARN is of the given resource type of the service: among the service's formats it
   * matches, the most specific (most literal characters) must include the type. So
   * {@code arn:aws:s3:::b/k} is an object, not a bucket, though both formats match it.
   */
  boolean isOfType(String prefix, String type, String arn) {
    if (!Arn.looksLikeArn(arn)) {
      return false;
    }
    String wanted = lowerCase(type);
    int resourceStart = ArnFormat.resourceStart(arn);
    int firstLineTerminator = ArnFormat.firstLineTerminator(arn);
    int best = -1;
    boolean wantedIsBest = false;
    for (ArnFormat format : formatsOf(prefix)) {
      if (format.literalLength() >= best && format.matches(arn, resourceStart, firstLineTerminator)) {
        if (format.literalLength() > best) {
          best = format.literalLength();
          wantedIsBest = false;
        }
        wantedIsBest |= format.lowerCaseType().equals(wanted);
      }
    }
    return wantedIsBest;
  }

  private List<ArnFormat> formatsOfType(String prefix, String type) {
    return formatsByType.computeIfAbsent(typeKey(prefix, type), k -> {
      Optional<ResourceTypeInfo> info = catalog.resourceType(prefix, type);
      return info.map(i -> i.arnFormats().stream().map(f -> new ArnFormat(type, f)).toList()).orElse(List.of());
    });
  }

  private List<ArnFormat> formatsOf(String prefix) {
    return formatsByService.computeIfAbsent(lowerCase(prefix), p -> {
      Set<String> types = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      for (ActionInfo action : catalog.actionsOf(p)) {
        action.resourceTypes().forEach(t -> types.add(t.name()));
      }
      List<ArnFormat> formats = new ArrayList<>();
      for (String type : types) {
        catalog.resourceType(p, type).ifPresent(
            info -> info.arnFormats().forEach(f -> formats.add(new ArnFormat(type, f))));
      }
      return List.copyOf(formats);
    });
  }

  /**
   * Sorted, without duplicates, and without an ARN whose child (…/x or …:x) is also there. Every
   * resource leaves as an IAM resource pattern: this is the one place concrete ARNs are escaped.
   */
  private static Resolution resolution(List<Derived> derived) {
    Set<String> resources = new TreeSet<>();
    Set<String> usedRules = new TreeSet<>();
    for (Derived d : derived) {
      resources.add(d.asPattern());
      usedRules.add(d.rule());
    }
    List<String> kept = new ArrayList<>();
    for (String resource : resources) {
      boolean ancestor = false;
      for (String other : resources) {
        if (other.length() > resource.length() && other.startsWith(resource)
            && (other.charAt(resource.length()) == '/' || other.charAt(resource.length()) == ':')) {
          ancestor = true;
          break;
        }
      }
      if (!ancestor) {
        kept.add(resource);
      }
    }
    Set<String> splitRules = new TreeSet<>();
    for (String rule : usedRules) {
      if (rule.indexOf(',') < 0) {
        splitRules.add(rule);
      } else {
        splitRules.addAll(List.of(rule.split(",")));
      }
    }
    return new Resolution(List.copyOf(kept), splitRules);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /**
   * Reads string values at a dotted path; arrays along the way are flattened. A last segment
   * {@code @keys} reads the field names of the object reached (DynamoDB's {@code requestItems}
   * map of table names), not of objects inside an array.
   */
  static final class JsonPaths {
    static final String KEYS = "@keys";
    private static final Map<String, String[]> SEGMENTS = new ConcurrentHashMap<>();

    private JsonPaths() {}

    /** The path's string values; the empty path reads the node itself. */
    static List<String> values(JsonNode root, String path) {
      if (path.endsWith(KEYS)) {
        List<String> keys = new ArrayList<>();
        String parent = path.length() == KEYS.length() ? "" : path.substring(0, path.length() - KEYS.length() - 1);
        for (JsonNode node : nodes(root, parent)) {
          if (node.isObject()) {
            node.fieldNames().forEachRemaining(keys::add);
          }
        }
        return keys;
      }
      List<String> values = new ArrayList<>();
      for (JsonNode node : nodes(root, path)) {
        for (JsonNode element : node.isArray() ? iterable(node) : List.of(node)) {
          if (element.isValueNode() && !element.isNull()) {
            String text = element.asText().trim();
            if (!text.isEmpty()) {
              values.add(text);
            }
          }
        }
      }
      return values;
    }

    /** Whether the path reaches anything but null: a value, an object or an array (session {@code tags}). */
    static boolean present(JsonNode root, String path) {
      return nodes(root, path).stream().anyMatch(n -> !n.isNull() && !n.isMissingNode());
    }

    /** The nodes at the path, arrays along the way flattened (not the last one). */
    private static List<JsonNode> nodes(JsonNode root, String path) {
      List<JsonNode> nodes = List.of(root);
      for (String segment : segments(path)) {
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode node : nodes) {
          for (JsonNode element : node.isArray() ? iterable(node) : List.of(node)) {
            JsonNode child = field(element, segment);
            if (child != null) {
              next.add(child);
            }
          }
        }
        nodes = next;
      }
      return nodes;
    }

    /** The path's dot-separated segments, memoised: the paths are the rules' few hundred. */
    private static String[] segments(String path) {
      String[] segments = SEGMENTS.get(path);
      if (segments == null) {
        segments = path.isEmpty() ? new String[0] : path.split("\\.");
        if (SEGMENTS.size() < MAX_MEMOISED_NAMES) {
          SEGMENTS.put(path, segments);
        }
      }
      return segments;
    }

    static String first(JsonNode root, String path) {
      List<String> values = values(root, path);
      return values.isEmpty() ? null : values.get(0);
    }

    private static JsonNode field(JsonNode node, String name) {
      if (!node.isObject()) {
        return null;
      }
      JsonNode exact = node.get(name);
      if (exact != null) {
        return exact;
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
        String candidate = names.next();
        if (candidate.equalsIgnoreCase(name)) {
          return node.get(candidate);
        }
      }
      return null;
    }

    private static List<JsonNode> iterable(JsonNode array) {
      List<JsonNode> elements = new ArrayList<>();
      array.forEach(elements::add);
      return elements;
    }
  }
}
