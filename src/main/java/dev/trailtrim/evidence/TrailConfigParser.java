package dev.trailtrim.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a trail's configuration from JSON exactly as the AWS CLI prints it, in any mix and order:
 * <ul>
 *   <li>{@code aws cloudtrail describe-trails} ({@code {"trailList": [...]}}), one or more (say, one
 *       per region; a trail listed twice must be listed the same);</li>
 *   <li>{@code aws cloudtrail get-event-selectors --trail-name ARN} ({@code TrailARN} with
 *       {@code EventSelectors} or {@code AdvancedEventSelectors}), matched to a trail by
 *       {@code TrailARN}, or by {@code Name} when that names one trail;</li>
 *   <li>optionally {@code aws cloudtrail get-trail-status --name ARN}, which does not say which trail it
 *       describes, so it needs a {@code TrailARN} (or {@code Name}) member added.</li>
 * </ul>
 * A JSON array stands for its elements. A trail without {@code get-event-selectors} output is taken
 * as recording nothing; one without {@code get-trail-status} output as logging.
 */
public final class TrailConfigParser {

  private static final String DESCRIBE_TRAILS = "describe-trails";
  private static final String GET_EVENT_SELECTORS = "get-event-selectors";
  private static final String GET_TRAIL_STATUS = "get-trail-status";
  private static final Set<String> OPERATORS =
      Set.of("Field", "Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith");

  private TrailConfigParser() {}

  /** The trails of {@code documents} (each one CLI output, or an array of them), sorted by ARN. */
  public static List<Trail> parse(List<? extends JsonNode> documents) {
    List<JsonNode> flat = new ArrayList<>();
    for (JsonNode document : documents) {
      if (document != null && document.isArray()) {
        document.forEach(flat::add);
      } else {
        flat.add(document);
      }
    }
    Map<String, Trail> trails = new TreeMap<>();
    List<JsonNode> selectorDocuments = new ArrayList<>();
    List<JsonNode> statusDocuments = new ArrayList<>();
    for (int i = 0; i < flat.size(); i++) {
      JsonNode document = flat.get(i);
      switch (kind(document, i)) {
        case DESCRIBE_TRAILS -> readTrailList(document, trails);
        case GET_EVENT_SELECTORS -> selectorDocuments.add(document);
        default -> statusDocuments.add(document);
      }
    }
    Map<String, TrailSelectors> selectorsByArn = new LinkedHashMap<>();
    for (JsonNode document : selectorDocuments) {
      Trail trail = trailOf(document, GET_EVENT_SELECTORS, trails);
      TrailSelectors selectors = readSelectors(document, trail.trailArn());
      TrailSelectors earlier = selectorsByArn.putIfAbsent(trail.trailArn(), selectors);
      if (earlier != null && !earlier.equals(selectors)) {
        throw new IllegalArgumentException("Two get-event-selectors outputs for trail '" + trail.trailArn()
            + "' differ: keep only the current one");
      }
    }
    selectorsByArn.forEach((arn, selectors) -> trails.put(arn, trails.get(arn).withSelectors(selectors)));
    Map<String, LoggingStatus> loggingByArn = new LinkedHashMap<>();
    for (JsonNode document : statusDocuments) {
      Trail trail = trailOf(document, GET_TRAIL_STATUS, trails);
      LoggingStatus logging = bool(document, "IsLogging", GET_TRAIL_STATUS + " output for '" + trail.trailArn() + "'",
          false) ? LoggingStatus.LOGGING : LoggingStatus.STOPPED;
      LoggingStatus earlier = loggingByArn.putIfAbsent(trail.trailArn(), logging);
      if (earlier != null && earlier != logging) {
        throw new IllegalArgumentException("Two get-trail-status outputs for trail '" + trail.trailArn()
            + "' differ in IsLogging: keep only the current one");
      }
    }
    loggingByArn.forEach((arn, logging) -> trails.put(arn, trails.get(arn).withLogging(logging)));
    return List.copyOf(trails.values());
  }

  /** As {@link #parse(List)}, for one document or one array of documents. */
  public static List<Trail> parse(JsonNode documentOrArray) {
    return parse(List.of(documentOrArray));
  }

  private static String kind(JsonNode document, int index) {
    if (document != null && document.isObject()) {
      if (document.has("trailList")) {
        return DESCRIBE_TRAILS;
      }
      if (document.has("EventSelectors") || document.has("AdvancedEventSelectors")) {
        return GET_EVENT_SELECTORS;
      }
      if (document.has("IsLogging")) {
        return GET_TRAIL_STATUS;
      }
    }
    List<String> keys = new ArrayList<>();
    if (document != null) {
      document.fieldNames().forEachRemaining(keys::add);
    }
    throw new IllegalArgumentException("Trail configuration document " + (index + 1) + " is not the output of"
        + " 'aws cloudtrail describe-trails', 'get-event-selectors' or 'get-trail-status' (it "
        + (document == null || !document.isObject() ? "is not a JSON object" : "has the keys " + keys)
        + "): pass those commands' JSON output unchanged");
  }

  private static void readTrailList(JsonNode document, Map<String, Trail> trails) {
    JsonNode list = document.get("trailList");
    if (!list.isArray()) {
      throw new IllegalArgumentException("trailList of describe-trails output must be an array, got " + list);
    }
    int index = 0;
    for (JsonNode entry : list) {
      String where = "trailList[" + index++ + "]";
      String arn = text(entry, "TrailARN", where, true);
      where = "trail '" + arn + "'";
      Trail trail = new Trail(text(entry, "Name", where, true), arn, text(entry, "HomeRegion", where, false),
          bool(entry, "IsMultiRegionTrail", where, true), bool(entry, "IncludeGlobalServiceEvents", where, true),
          bool(entry, "IsOrganizationTrail", where, true), text(entry, "S3BucketName", where, false),
          text(entry, "S3KeyPrefix", where, false), TrailSelectors.NOT_READ, LoggingStatus.NOT_READ);
      Trail earlier = trails.putIfAbsent(arn, trail);
      if (earlier != null && !earlier.equals(trail)) {
        throw new IllegalArgumentException("describe-trails outputs list trail '" + arn + "' twice with different"
            + " settings: keep only the current output");
      }
    }
  }

  /** The trail a get-event-selectors or get-trail-status document is about, by TrailARN, else by a unique Name. */
  private static Trail trailOf(JsonNode document, String kind, Map<String, Trail> trails) {
    String key = document.hasNonNull("TrailARN") ? document.get("TrailARN").asText()
        : document.hasNonNull("Name") ? document.get("Name").asText() : null;
    if (key == null) {
      throw new IllegalArgumentException(kind + " output without TrailARN: "
          + (kind.equals(GET_TRAIL_STATUS)
              ? "the CLI does not print which trail it describes, so add \"TrailARN\": \"<the trail's ARN>\" to it"
              : "pass the output of 'aws cloudtrail get-event-selectors' unchanged"));
    }
    Trail byArn = trails.get(key);
    if (byArn != null) {
      return byArn;
    }
    List<Trail> byName = trails.values().stream().filter(t -> t.name().equals(key)).toList();
    if (byName.size() == 1) {
      return byName.get(0);
    }
    if (byName.size() > 1) {
      throw new IllegalArgumentException(kind + " output for '" + key + "' names " + byName.size() + " trails of"
          + " describe-trails: identify the trail by its TrailARN");
    }
    throw new IllegalArgumentException(kind + " output for '" + key + "' matches no trail of describe-trails:"
        + " add that trail's describe-trails output");
  }

  private static TrailSelectors readSelectors(JsonNode document, String arn) {
    JsonNode basic = document.path("EventSelectors");
    JsonNode advanced = document.path("AdvancedEventSelectors");
    for (String member : List.of("EventSelectors", "AdvancedEventSelectors")) {
      if (document.has(member) && !document.get(member).isArray() && !document.get(member).isNull()) {
        throw new IllegalArgumentException(member + " of trail '" + arn + "' must be an array, got "
            + document.get(member));
      }
    }
    if (basic.size() > 0 && advanced.size() > 0) {
      throw new IllegalArgumentException("get-event-selectors output for '" + arn + "' has both EventSelectors and"
          + " AdvancedEventSelectors, which a trail cannot have: pass the output of one call unchanged");
    }
    if (advanced.size() > 0) {
      List<AdvancedEventSelector> selectors = new ArrayList<>();
      for (int i = 0; i < advanced.size(); i++) {
        selectors.add(readAdvanced(advanced.get(i), "AdvancedEventSelectors[" + i + "] of trail '" + arn + "'"));
      }
      return new TrailSelectors.Advanced(selectors);
    }
    List<EventSelector> selectors = new ArrayList<>();
    for (int i = 0; i < basic.size(); i++) {
      selectors.add(readBasic(basic.get(i), "EventSelectors[" + i + "] of trail '" + arn + "'"));
    }
    return new TrailSelectors.Basic(selectors);
  }

  private static EventSelector readBasic(JsonNode selector, String where) {
    ReadWriteType readWrite = ReadWriteType.parse(text(selector, "ReadWriteType", where, true), where);
    // The CLI always prints IncludeManagementEvents; absent, nothing says management events are recorded.
    boolean management = bool(selector, "IncludeManagementEvents", where, true);
    List<DataResource> resources = new ArrayList<>();
    JsonNode data = selector.path("DataResources");
    for (int i = 0; i < data.size(); i++) {
      String at = "DataResources[" + i + "] of " + where;
      resources.add(new DataResource(text(data.get(i), "Type", at, true), strings(data.get(i), "Values", at)));
    }
    return new EventSelector(readWrite, management, resources,
        strings(selector, "ExcludeManagementEventSources", where));
  }

  private static AdvancedEventSelector readAdvanced(JsonNode selector, String where) {
    String name = text(selector, "Name", where, false);
    JsonNode fields = selector.path("FieldSelectors");
    if (!fields.isArray() || fields.isEmpty()) {
      throw new IllegalArgumentException(where + " has no FieldSelectors: pass the output of"
          + " 'aws cloudtrail get-event-selectors' unchanged");
    }
    List<AdvancedFieldSelector> conditions = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      JsonNode field = fields.get(i);
      String at = "FieldSelectors[" + i + "] of " + where;
      List<String> unknown = new ArrayList<>();
      for (Iterator<String> keys = field.fieldNames(); keys.hasNext();) {
        String key = keys.next();
        if (!OPERATORS.contains(key)) {
          unknown.add(key);
        }
      }
      conditions.add(new AdvancedFieldSelector(text(field, "Field", at, true), strings(field, "Equals", at),
          strings(field, "StartsWith", at), strings(field, "EndsWith", at), strings(field, "NotEquals", at),
          strings(field, "NotStartsWith", at), strings(field, "NotEndsWith", at), unknown));
    }
    return new AdvancedEventSelector(name, conditions);
  }

  private static String text(JsonNode node, String member, String where, boolean required) {
    JsonNode value = node.get(member);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + " has no " + member + ": pass the AWS CLI's JSON output unchanged");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(member + " of " + where + " must be a string, got " + value);
    }
    return value.asText();
  }

  /** A boolean member; absent means false, the reading that never claims more is recorded. */
  private static boolean bool(JsonNode node, String member, String where, boolean optional) {
    JsonNode value = node.get(member);
    if (value == null || value.isNull()) {
      if (optional) {
        return false;
      }
      throw new IllegalArgumentException(where + " has no " + member + ": pass the AWS CLI's JSON output unchanged");
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(member + " of " + where + " must be true or false, got " + value);
    }
    return value.asBoolean();
  }

  private static List<String> strings(JsonNode node, String member, String where) {
    JsonNode value = node.get(member);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(member + " of " + where + " must be an array of strings, got " + value);
    }
    List<String> values = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new IllegalArgumentException(member + " of " + where + " must hold strings only, got " + element);
      }
      values.add(element.asText());
    }
    return values;
  }
}
