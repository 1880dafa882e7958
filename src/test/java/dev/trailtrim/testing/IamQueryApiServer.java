package dev.trailtrim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local stand-in for IAM's Query API (the protocol the SDK's {@code IamClient} speaks): form-encoded
 * {@code Action=...&Version=2010-05-08} requests, XML responses in IAM's namespace, {@code IsTruncated}/
 * {@code Marker} pagination, {@code <ErrorResponse>} errors with IAM's HTTP statuses.
 *
 * <p>It serves an authorization-details document in the shape {@code aws iam get-account-authorization-details}
 * prints ({@code UserDetailList}, {@code GroupDetailList}, {@code RoleDetailList}, {@code Policies}), so a
 * test can serve the very snapshot file the job reads. Like IAM, it sends policy documents URL-encoded and
 * timestamps as ISO-8601 UTC. Actions: {@code GetAccountAuthorizationDetails}, {@code GetRole},
 * {@code ListRoles}, and through {@link RolePolicyStore} the reads and writes of a role's inline and
 * managed policies, which change the served document. Signatures are not checked.
 */
public final class IamQueryApiServer implements AutoCloseable {

  public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
  public static final String API_VERSION = "2010-05-08";
  /** IAM's own default and maximum for MaxItems. */
  public static final int DEFAULT_MAX_ITEMS = 100;
  private static final int LARGEST_MAX_ITEMS = 1000;

  private static final Set<String> DOCUMENT_KEYS = Set.of("PolicyDocument", "AssumeRolePolicyDocument", "Document");
  private static final Set<String> DATE_KEYS = Set.of("CreateDate", "UpdateDate", "LastUsedDate");
  private static final List<String> FILTERS =
      List.of("User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy");
  /** What GetRole returns of a role (RoleDetail minus the policy lists). */
  private static final List<String> GET_ROLE_KEYS = List.of("Path", "RoleName", "RoleId", "Arn", "CreateDate",
      "AssumeRolePolicyDocument", "Description", "MaxSessionDuration", "PermissionsBoundary", "Tags",
      "RoleLastUsed");
  /** ListRoles leaves out tags, boundary and last use. */
  private static final List<String> LIST_ROLES_KEYS = List.of("Path", "RoleName", "RoleId", "Arn", "CreateDate",
      "AssumeRolePolicyDocument", "Description", "MaxSessionDuration");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode details;
  private final RolePolicyStore store;
  private final LoopbackHttpServer http;
  private final URI endpoint;
  private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private final PagesAndThrottles knobs = new PagesAndThrottles(DEFAULT_MAX_ITEMS);

  /** Starts serving {@code authorizationDetails} on {@code http://127.0.0.1:<free port>/}. */
  public IamQueryApiServer(JsonNode authorizationDetails) {
    if (authorizationDetails == null || !authorizationDetails.isObject()) {
      throw new IllegalArgumentException("Authorization details must be a JSON object like the output of "
          + "'aws iam get-account-authorization-details', got " + authorizationDetails);
    }
    this.details = (ObjectNode) authorizationDetails.deepCopy();
    this.store = new RolePolicyStore(details);
    this.http = new LoopbackHttpServer("iam-query-api", this::handle);
    this.endpoint = http.endpoint();
  }

  /** Serves a {@code get-account-authorization-details} JSON file. */
  public static IamQueryApiServer serving(Path authorizationDetailsJson) throws IOException {
    return new IamQueryApiServer(JSON.readTree(Files.readAllBytes(authorizationDetailsJson)));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The role's inline policies now: name to document, as IAM returns it decoded (JSON text). */
  public Map<String, String> inlinePolicies(String roleName) {
    synchronized (details) {
      return store.inlinePolicies(roleName);
    }
  }

  /** The ARNs of the managed policies attached to the role now, in attachment order. */
  public List<String> attachedPolicies(String roleName) {
    synchronized (details) {
      return store.attachedPolicies(roleName);
    }
  }

  /** The default version's document of a managed policy (JSON text), or null when there is no such policy. */
  public String managedPolicyDocument(String policyArn) {
    synchronized (details) {
      return store.defaultDocument(policyArn);
    }
  }

  /** Caps items per page below the client's MaxItems (IAM may return fewer than asked). */
  public void setPageSize(int itemsPerPage) {
    knobs.setPageSize(itemsPerPage);
  }

  /** Answers the next {@code n} requests, whatever their action, with IAM's 400 Throttling error. */
  public void throttleNextRequests(int n) {
    knobs.throttleNextRequests(n);
  }

  /** Requests received for {@code action}, throttled ones included. */
  public int requestCount(String action) {
    AtomicInteger count = requestCounts.get(action);
    return count == null ? 0 : count.get();
  }

  /** The form parameters of every request received so far, in arrival order. */
  public List<Map<String, String>> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    http.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params;
      try {
        params = parameters(exchange);
      } catch (IllegalArgumentException e) {
        sendError(exchange, 400, "Sender", "MalformedQueryString", e.getMessage());
        return;
      }
      requests.add(Collections.unmodifiableMap(params));
      String action = params.getOrDefault("Action", "");
      requestCounts.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
      if (knobs.throttleThisRequest()) {
        sendError(exchange, 400, "Sender", "Throttling", "Rate exceeded");
        return;
      }
      if (!API_VERSION.equals(params.get("Version"))) {
        sendError(exchange, 400, "Sender", "InvalidParameterValue",
            "Version must be " + API_VERSION + ", got '" + params.get("Version") + "'");
        return;
      }
      try {
        String result;
        synchronized (details) {
          result = switch (action) {
            case "GetAccountAuthorizationDetails" -> getAccountAuthorizationDetails(params);
            case "GetRole" -> getRole(params);
            case "ListRoles" -> listRoles(params);
            default -> {
              if (!store.handles(action)) {
                throw new IamError(400, "InvalidAction",
                    "Could not find operation " + action + " for version " + API_VERSION);
              }
              yield store.handle(action, params);
            }
          };
        }
        // Actions that return nothing (PutRolePolicy, ...) have no Result element, as in IAM.
        send(exchange, 200, "<" + action + "Response xmlns=\"" + NAMESPACE + "\">"
            + (result == null ? "" : "<" + action + "Result>" + result + "</" + action + "Result>")
            + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
            + "</" + action + "Response>");
      } catch (IamError e) {
        sendError(exchange, e.status, e.status >= 500 ? "Receiver" : "Sender", e.code, e.getMessage());
      } catch (RuntimeException e) {
        sendError(exchange, 500, "Receiver", "ServiceFailure", String.valueOf(e.getMessage()));
      }
    }
  }

  private String getAccountAuthorizationDetails(Map<String, String> params) {
    Set<String> filters = new LinkedHashSet<>(members(params, "Filter"));
    for (String filter : filters) {
      if (!FILTERS.contains(filter)) {
        throw new IamError(400, "ValidationError", "Filter must be one of " + FILTERS + ", got '" + filter + "'");
      }
    }
    if (filters.isEmpty()) {
      filters.addAll(FILTERS);
    }
    // IAM pages across all entity kinds together, in this order.
    List<Map.Entry<String, JsonNode>> items = new ArrayList<>();
    addItems(items, "UserDetailList", filters.contains("User"), p -> true);
    addItems(items, "GroupDetailList", filters.contains("Group"), p -> true);
    addItems(items, "RoleDetailList", filters.contains("Role"), p -> true);
    addItems(items, "Policies", true, p -> {
      boolean awsManaged = isAwsManaged(p);
      return awsManaged ? filters.contains("AWSManagedPolicy") : filters.contains("LocalManagedPolicy");
    });
    Page page = page(items, params);

    StringBuilder xml = new StringBuilder();
    xml.append("<IsTruncated>").append(page.nextMarker != null).append("</IsTruncated>");
    if (page.nextMarker != null) {
      xml.append("<Marker>").append(page.nextMarker).append("</Marker>");
    }
    for (String list : List.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")) {
      xml.append('<').append(list).append('>');
      for (Map.Entry<String, JsonNode> item : page.items) {
        if (item.getKey().equals(list)) {
          xml.append("<member>");
          appendFields(xml, item.getValue(), null);
          xml.append("</member>");
        }
      }
      xml.append("</").append(list).append('>');
    }
    return xml.toString();
  }

  private String getRole(Map<String, String> params) {
    String name = params.get("RoleName");
    if (name == null || name.isEmpty()) {
      throw new IamError(400, "ValidationError", "1 validation error detected: Value null at 'roleName' "
          + "failed to satisfy constraint: Member must not be null");
    }
    for (JsonNode role : details.path("RoleDetailList")) {
      if (name.equals(role.path("RoleName").asText())) {
        StringBuilder xml = new StringBuilder("<Role>");
        appendFields(xml, role, GET_ROLE_KEYS);
        return xml.append("</Role>").toString();
      }
    }
    throw new IamError(404, "NoSuchEntity", "The role with name " + name + " cannot be found.");
  }

  private String listRoles(Map<String, String> params) {
    String pathPrefix = params.getOrDefault("PathPrefix", "/");
    List<Map.Entry<String, JsonNode>> items = new ArrayList<>();
    for (JsonNode role : details.path("RoleDetailList")) {
      if (role.path("Path").asText("/").startsWith(pathPrefix)) {
        items.add(Map.entry("Roles", role));
      }
    }
    Page page = page(items, params);
    StringBuilder xml = new StringBuilder();
    xml.append("<IsTruncated>").append(page.nextMarker != null).append("</IsTruncated>");
    if (page.nextMarker != null) {
      xml.append("<Marker>").append(page.nextMarker).append("</Marker>");
    }
    xml.append("<Roles>");
    for (Map.Entry<String, JsonNode> item : page.items) {
      xml.append("<member>");
      appendFields(xml, item.getValue(), LIST_ROLES_KEYS);
      xml.append("</member>");
    }
    return xml.append("</Roles>").toString();
  }

  private void addItems(List<Map.Entry<String, JsonNode>> items, String list, boolean wanted,
      Predicate<JsonNode> accept) {
    if (!wanted) {
      return;
    }
    for (JsonNode item : details.path(list)) {
      if (accept.test(item)) {
        items.add(Map.entry(list, item));
      }
    }
  }

  private static boolean isAwsManaged(JsonNode policy) {
    String[] arn = policy.path("Arn").asText().split(":", 6);
    return arn.length > 4 && arn[4].equals("aws");
  }

  private record Page(List<Map.Entry<String, JsonNode>> items, String nextMarker) {
  }

  private Page page(List<Map.Entry<String, JsonNode>> items, Map<String, String> params) {
    int maxItems = DEFAULT_MAX_ITEMS;
    String requested = params.get("MaxItems");
    if (requested != null) {
      try {
        maxItems = Integer.parseInt(requested);
      } catch (NumberFormatException e) {
        maxItems = -1;
      }
      if (maxItems < 1 || maxItems > LARGEST_MAX_ITEMS) {
        throw new IamError(400, "ValidationError", "1 validation error detected: Value '" + requested
            + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
      }
    }
    int size = Math.min(maxItems, knobs.pageSize());
    int from = 0;
    String marker = params.get("Marker");
    if (marker != null) {
      from = decodeMarker(marker, items.size());
    }
    int to = Math.min(items.size(), from + size);
    String next = to < items.size() ? encodeMarker(to) : null;
    return new Page(items.subList(from, to), next);
  }

  private static String encodeMarker(int offset) {
    return Base64.getEncoder().encodeToString(("trailtrim-iam-stand-in:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeMarker(String marker, int itemCount) {
    try {
      String decoded = new String(Base64.getDecoder().decode(marker), StandardCharsets.UTF_8);
      int offset = Integer.parseInt(decoded.substring(decoded.indexOf(':') + 1));
      if (decoded.startsWith("trailtrim-iam-stand-in:") && offset >= 0 && offset <= itemCount) {
        return offset;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw new IamError(400, "ValidationError", "Invalid Marker '" + marker + "': pass the Marker of the previous page");
  }

  /** Writes the fields of {@code object} as XML elements, only {@code keys} (in that order) when given. */
  static void appendFields(StringBuilder xml, JsonNode object, List<String> keys) {
    Iterator<String> names = keys != null ? keys.iterator() : object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      appendElement(xml, name, object.get(name));
    }
  }

  private static void appendElement(StringBuilder xml, String name, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    xml.append('<').append(name).append('>');
    if (DOCUMENT_KEYS.contains(name)) {
      xml.append(escape(urlEncodeDocument(value)));
    } else if (value.isObject()) {
      appendFields(xml, value, null);
    } else if (value.isArray()) {
      for (JsonNode member : value) {
        xml.append("<member>");
        if (member.isObject()) {
          appendFields(xml, member, null);
        } else {
          xml.append(escape(member.asText()));
        }
        xml.append("</member>");
      }
    } else if (DATE_KEYS.contains(name)) {
      xml.append(isoInstant(name, value.asText()));
    } else {
      xml.append(escape(value.asText()));
    }
    xml.append("</").append(name).append('>');
  }

  /** IAM sends documents as URL-encoded JSON text (RFC 3986 style: spaces as %20). */
  static String urlEncodeDocument(JsonNode document) {
    String text;
    if (document.isTextual()) {
      text = document.asText();
      if (!text.strip().startsWith("{")) {
        return text; // already encoded in the snapshot
      }
    } else {
      try {
        text = JSON.writeValueAsString(document);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot serialise policy document " + document, e);
      }
    }
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Snapshots written by Python tools use "2023-03-09 10:41:45+00:00"; IAM sends "2023-03-09T10:41:45Z". */
  private static String isoInstant(String name, String text) {
    try {
      return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant().toString();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Cannot serve " + name + ": expected an ISO-8601 timestamp with "
          + "offset such as 2023-03-09T10:41:45+00:00, got '" + text + "'", e);
    }
  }

  private static List<String> members(Map<String, String> params, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 1; params.containsKey(name + ".member." + i); i++) {
      values.add(params.get(name + ".member." + i));
    }
    return values;
  }

  private static Map<String, String> parameters(HttpExchange exchange) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      parseForm(query, params);
    }
    try (InputStream body = exchange.getRequestBody()) {
      parseForm(new String(body.readAllBytes(), StandardCharsets.UTF_8), params);
    }
    return params;
  }

  private static void parseForm(String form, Map<String, String> into) {
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.put(key, value);
    }
  }

  private static void sendError(HttpExchange exchange, int status, String type, String code, String message)
      throws IOException {
    send(exchange, status, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>" + type + "</Type><Code>"
        + code + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>" + UUID.randomUUID()
        + "</RequestId></ErrorResponse>");
  }

  private static void send(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** An error IAM itself would return, with its HTTP status and code. */
  static final class IamError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    IamError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }
}
