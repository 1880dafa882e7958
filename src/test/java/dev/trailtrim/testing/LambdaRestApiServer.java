package dev.trailtrim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Lambda's API in its own protocol (REST-JSON): {@code GET
 * /2015-03-31/functions/?Marker=...&MaxItems=...} answers {@code {"Functions": [...], "NextMarker"}},
 * errors carry {@code x-amzn-ErrorType} and a JSON body with {@code message}. One server stands for
 * every region: the region a request is for is read from its SigV4 credential scope, as AWS's
 * regional endpoints would each hold their own functions. Markers are opaque to clients (here the
 * index of the next function, base-36, with a prefix). Signatures are not checked.
 */
public final class LambdaRestApiServer implements AutoCloseable {

  public static final String LIST_FUNCTIONS_PATH = "/2015-03-31/functions/";
  /** Lambda's page size when the client does not ask for one. */
  public static final int DEFAULT_PAGE_SIZE = 50;
  private static final Pattern SCOPE_REGION = Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/lambda/");
  private static final String MARKER_PREFIX = "page-";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One ListFunctions request as received. */
  public record Request(String region, String marker) {}

  private final Map<String, List<JsonNode>> functionsByRegion = new LinkedHashMap<>();
  private final LoopbackHttpServer http;
  private final URI endpoint;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final PagesAndThrottles knobs = new PagesAndThrottles(DEFAULT_PAGE_SIZE);
  private volatile boolean denyAll;

  /** Serves, per region, the functions of {@code list-functions} documents (their {@code Functions}). */
  public LambdaRestApiServer(Map<String, ? extends JsonNode> documentsByRegion) {
    documentsByRegion.forEach((region, document) -> {
      List<JsonNode> functions = new ArrayList<>();
      document.path("Functions").forEach(f -> functions.add(f.deepCopy()));
      functionsByRegion.put(region, functions);
    });
    this.http = new LoopbackHttpServer("lambda-rest-api", this::handle);
    this.endpoint = http.endpoint();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Functions per page when the client does not ask for fewer. */
  public void setPageSize(int functionsPerPage) {
    knobs.setPageSize(functionsPerPage);
  }

  /** Answers the next {@code n} requests with Lambda's 429 TooManyRequestsException. */
  public void throttleNextRequests(int n) {
    knobs.throttleNextRequests(n);
  }

  /** Answers every request with 403 AccessDeniedException. */
  public void denyAll() {
    denyAll = true;
  }

  /** The ListFunctions requests received, in order (throttled ones included). */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      // The API's path is /2015-03-31/functions/; the SDK sends it without the trailing slash.
      if (!exchange.getRequestMethod().equals("GET") || !(path.equals(LIST_FUNCTIONS_PATH)
          || path.equals(LIST_FUNCTIONS_PATH.substring(0, LIST_FUNCTIONS_PATH.length() - 1)))) {
        error(exchange, 404, "ResourceNotFoundException", "Only ListFunctions (GET " + LIST_FUNCTIONS_PATH
            + ") is served here, got " + exchange.getRequestMethod() + " " + path);
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
      Matcher scope = SCOPE_REGION.matcher(authorization);
      String region = scope.find() ? scope.group(1) : null;
      requests.add(new Request(region, query.get("Marker")));
      if (knobs.throttleThisRequest()) {
        error(exchange, 429, "TooManyRequestsException", "Rate exceeded");
        return;
      }
      if (denyAll) {
        error(exchange, 403, "AccessDeniedException",
            "User is not authorized to perform: lambda:ListFunctions");
        return;
      }
      if (region == null) {
        error(exchange, 403, "InvalidSignatureException", "No SigV4 credential scope naming a region");
        return;
      }
      List<JsonNode> functions = functionsByRegion.getOrDefault(region, List.of());
      int from = 0;
      String marker = query.get("Marker");
      if (marker != null) {
        if (!marker.startsWith(MARKER_PREFIX)) {
          error(exchange, 400, "InvalidParameterValueException", "Invalid marker " + marker);
          return;
        }
        from = Integer.parseInt(marker.substring(MARKER_PREFIX.length()), 36);
      }
      int size = knobs.pageSize();
      if (query.containsKey("MaxItems")) {
        size = Math.min(size, Integer.parseInt(query.get("MaxItems")));
      }
      int to = Math.min(functions.size(), from + size);
      ObjectNode body = JSON.createObjectNode();
      ArrayNode page = body.putArray("Functions");
      functions.subList(Math.min(from, to), to).forEach(page::add);
      if (to < functions.size()) {
        body.put("NextMarker", MARKER_PREFIX + Integer.toString(to, 36));
      }
      send(exchange, 200, null, body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("Type", "User");
    body.put("message", message);
    send(exchange, status, type, body);
  }

  private static void send(HttpExchange exchange, int status, String errorType, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    if (errorType != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
