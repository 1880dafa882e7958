package dev.trailtrim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for CloudTrail's API, in its own protocol (AWS JSON 1.1): {@code POST /} with
 * {@code X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>} and
 * {@code Content-Type: application/x-amz-json-1.1}, JSON bodies, timestamps as epoch seconds, errors
 * as JSON with {@code __type} and {@code message}.
 *
 * <p>It answers from the same documents the AWS CLI prints (and {@code TrailConfigParser} reads):
 * {@code describe-trails}, {@code get-event-selectors}, and {@code get-trail-status} with a
 * {@code TrailARN} added. Operations: {@code ListTrails} (paged by {@code NextToken}),
 * {@code DescribeTrails}, {@code GetEventSelectors}, {@code GetTrailStatus}. Like CloudTrail, a
 * trail without selectors of its own has the default selector (all management events), and one
 * without a status is logging. Signatures are not checked.
 */
public final class CloudTrailJsonApiServer implements AutoCloseable {

  public static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  /** How many trails ListTrails returns per page unless told otherwise. */
  public static final int DEFAULT_PAGE_SIZE = 50;
  /** GetTrailStatus members that are timestamps in the API (the others ending in Time are strings). */
  private static final Set<String> TIMESTAMP_MEMBERS = Set.of("LatestDeliveryTime", "LatestNotificationTime",
      "StartLoggingTime", "StopLoggingTime", "LatestCloudWatchLogsDeliveryTime", "LatestDigestDeliveryTime");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Trails by ARN, in the order the documents list them. */
  private final Map<String, JsonNode> trails = new LinkedHashMap<>();
  private final Map<String, JsonNode> selectors = new LinkedHashMap<>();
  private final Map<String, JsonNode> statuses = new LinkedHashMap<>();
  private final LoopbackHttpServer http;
  private final URI endpoint;
  private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
  private final List<Map.Entry<String, JsonNode>> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final PagesAndThrottles knobs = new PagesAndThrottles(DEFAULT_PAGE_SIZE);

  /** Starts serving the trails of {@code documents} on {@code http://127.0.0.1:<free port>/}. */
  public CloudTrailJsonApiServer(List<? extends JsonNode> documents) {
    for (JsonNode document : documents) {
      if (document.has("trailList")) {
        document.get("trailList").forEach(t -> trails.put(t.path("TrailARN").asText(), t.deepCopy()));
      } else if (document.has("EventSelectors") || document.has("AdvancedEventSelectors")) {
        selectors.put(document.path("TrailARN").asText(), document.deepCopy());
      } else if (document.has("IsLogging") && document.has("TrailARN")) {
        ObjectNode status = document.deepCopy();
        statuses.put(status.remove("TrailARN").asText(), status);
      } else {
        throw new IllegalArgumentException("Serve describe-trails, get-event-selectors or get-trail-status"
            + " (with TrailARN) documents, got " + document);
      }
    }
    this.http = new LoopbackHttpServer("cloudtrail-json-api", this::handle);
    this.endpoint = http.endpoint();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Trails per ListTrails page (CloudTrail chooses its own page size; clients cannot ask). */
  public void setPageSize(int trailsPerPage) {
    knobs.setPageSize(trailsPerPage);
  }

  /** Answers the next {@code n} requests, whatever their operation, with CloudTrail's 400 ThrottlingException. */
  public void throttleNextRequests(int n) {
    knobs.throttleNextRequests(n);
  }

  /** Answers every request for {@code operation} with a 400 error of type {@code errorType}, e.g. AccessDeniedException. */
  public void fail(String operation, String errorType) {
    failures.put(operation, errorType);
  }

  /** Requests received for {@code operation}, throttled and failed ones included. */
  public int requestCount(String operation) {
    AtomicInteger count = requestCounts.get(operation);
    return count == null ? 0 : count.get();
  }

  /** Every request so far, in arrival order: operation and JSON body. */
  public List<Map.Entry<String, JsonNode>> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    http.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation = target != null && target.startsWith(TARGET_PREFIX)
          ? target.substring(TARGET_PREFIX.length()) : "";
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readAllBytes();
        body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
      } catch (IOException e) {
        sendError(exchange, 400, "SerializationException", "Request body is not JSON: " + e.getMessage());
        return;
      }
      requests.add(Map.entry(operation, body));
      requestCounts.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
      if (!"POST".equals(exchange.getRequestMethod())
          || !String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith(CONTENT_TYPE)) {
        sendError(exchange, 400, "SerializationException",
            "Expected POST with Content-Type " + CONTENT_TYPE);
        return;
      }
      if (knobs.throttleThisRequest()) {
        sendError(exchange, 400, "ThrottlingException", "Rate exceeded");
        return;
      }
      String failure = failures.get(operation);
      if (failure != null) {
        sendError(exchange, 400, failure, "Refused by the test: " + operation);
        return;
      }
      try {
        JsonNode result = switch (operation) {
          case "ListTrails" -> listTrails(body);
          case "DescribeTrails" -> describeTrails(body);
          case "GetEventSelectors" -> getEventSelectors(body);
          case "GetTrailStatus" -> getTrailStatus(body);
          default -> throw new CloudTrailError("UnknownOperationException",
              "Unknown operation '" + target + "'");
        };
        send(exchange, 200, result);
      } catch (CloudTrailError e) {
        sendError(exchange, 400, e.type, e.getMessage());
      } catch (RuntimeException e) {
        sendError(exchange, 500, "InternalFailure", String.valueOf(e.getMessage()));
      }
    }
  }

  private JsonNode listTrails(JsonNode body) {
    List<String> arns = new ArrayList<>(trails.keySet());
    int from = 0;
    if (body.hasNonNull("NextToken")) {
      from = decodeToken(body.get("NextToken").asText(), arns.size());
    }
    int to = Math.min(arns.size(), from + knobs.pageSize());
    ObjectNode result = JSON.createObjectNode();
    ArrayNode page = result.putArray("Trails");
    for (String arn : arns.subList(from, to)) {
      JsonNode trail = trails.get(arn);
      page.addObject().put("TrailARN", arn).put("Name", trail.path("Name").asText())
          .put("HomeRegion", trail.path("HomeRegion").asText());
    }
    if (to < arns.size()) {
      result.put("NextToken", encodeToken(to));
    }
    return result;
  }

  private JsonNode describeTrails(JsonNode body) {
    ObjectNode result = JSON.createObjectNode();
    ArrayNode list = result.putArray("trailList");
    JsonNode names = body.path("trailNameList");
    if (names.isEmpty()) {
      trails.values().forEach(list::add);
      return result;
    }
    for (JsonNode name : names) {
      JsonNode trail = find(name.asText());
      if (trail != null) {
        list.add(trail);
      }
    }
    return result;
  }

  private JsonNode getEventSelectors(JsonNode body) {
    JsonNode trail = required(body, "TrailName");
    String arn = trail.path("TrailARN").asText();
    JsonNode configured = selectors.get(arn);
    if (configured != null) {
      return configured;
    }
    ObjectNode defaults = JSON.createObjectNode().put("TrailARN", arn);
    defaults.putArray("EventSelectors").addObject().put("ReadWriteType", "All").put("IncludeManagementEvents", true)
        .<ObjectNode>set("DataResources", JSON.createArrayNode())
        .set("ExcludeManagementEventSources", JSON.createArrayNode());
    return defaults;
  }

  private JsonNode getTrailStatus(JsonNode body) {
    JsonNode trail = required(body, "Name");
    JsonNode configured = statuses.get(trail.path("TrailARN").asText());
    if (configured == null) {
      return JSON.createObjectNode().put("IsLogging", true);
    }
    ObjectNode status = JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> fields = configured.fields(); fields.hasNext();) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (TIMESTAMP_MEMBERS.contains(field.getKey())) {
        status.put(field.getKey(), epochSeconds(field.getKey(), field.getValue().asText()));
      } else {
        status.set(field.getKey(), field.getValue());
      }
    }
    return status;
  }

  private JsonNode required(JsonNode body, String member) {
    if (!body.hasNonNull(member)) {
      throw new CloudTrailError("InvalidTrailNameException", member + " is required");
    }
    String name = body.get(member).asText();
    JsonNode trail = find(name);
    if (trail == null) {
      throw new CloudTrailError("TrailNotFoundException", "Unknown trail: " + name + " for the user");
    }
    return trail;
  }

  /** By ARN, or by name. */
  private JsonNode find(String name) {
    JsonNode byArn = trails.get(name);
    if (byArn != null) {
      return byArn;
    }
    return trails.values().stream().filter(t -> t.path("Name").asText().equals(name)).findFirst().orElse(null);
  }

  /** The API's epoch seconds (with fractions) for the CLI's ISO-8601 text. */
  private static double epochSeconds(String member, String text) {
    try {
      var instant = OffsetDateTime.parse(text).toInstant();
      return instant.getEpochSecond() + instant.getNano() / 1e9;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Cannot serve " + member + ": expected an ISO-8601 timestamp with offset"
          + " such as 2026-11-28T23:55:12+00:00, got '" + text + "'", e);
    }
  }

  private static String encodeToken(int offset) {
    return Base64.getEncoder().encodeToString(("trailtrim-cloudtrail-stand-in:" + offset)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(String token, int itemCount) {
    try {
      String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      int offset = Integer.parseInt(decoded.substring(decoded.indexOf(':') + 1));
      if (decoded.startsWith("trailtrim-cloudtrail-stand-in:") && offset >= 0 && offset <= itemCount) {
        return offset;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw new CloudTrailError("InvalidNextTokenException", "Invalid NextToken '" + token
        + "': pass the NextToken of the previous page");
  }

  private static void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
    send(exchange, status, JSON.createObjectNode().put("__type", type).put("message", message));
  }

  private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] body = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** An error CloudTrail itself would return. */
  private static final class CloudTrailError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;

    CloudTrailError(String type, String message) {
      super(message);
      this.type = type;
    }
  }
}
