package dev.trailtrim.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.policy.CanonicalJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every Lambda role of a run as {@link RoleState}s: the file {@code runs/<run-id>/state/roles.json},
 * written by every run and read by the next one. Sorted keys and lists, so identical runs write
 * identical bytes, whatever the run's id (the folder names it, so the file need not). A role's
 * {@code unused} actions are not kept: a comparison needs this run's unused
 * and the previous run's used only, and unused lists are the long ones (every action of an
 * {@code s3:*}), so a state read back has none.
 */
public record RunState(String runId, SortedMap<String, RoleState> roles) {

  /** Where in the run folder the state is written. */
  public static final String PATH = "state/roles.json";
  /** The format's version: a reader refuses any other, with a reason, instead of misreading it. */
  static final int FORMAT = 1;

  /** Without the file's text in parse errors: a reason names the problem and where, not the content. */
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public RunState {
    Objects.requireNonNull(runId, "runId");
    roles = new TreeMap<>(roles);
  }

  public static RunState of(String runId, Collection<RoleState> roles) {
    SortedMap<String, RoleState> byArn = new TreeMap<>();
    roles.forEach(role -> byArn.put(role.roleArn(), role));
    return new RunState(runId, byArn);
  }

  public String toJson() {
    ObjectNode root = NODES.objectNode();
    root.put("format", FORMAT);
    ArrayNode list = root.putArray("roles");
    for (RoleState role : roles.values()) {
      ObjectNode node = list.addObject();
      node.put("roleArn", role.roleArn());
      node.put("status", role.status());
      if (role.granted() == null) {
        node.putNull("granted");
      } else {
        ArrayNode granted = node.putArray("granted");
        for (Grant grant : role.granted()) {
          ObjectNode g = granted.addObject();
          g.put("action", grant.action());
          g.put("resource", grant.resource());
          grant.policies().forEach(g.putArray("policies")::add);
        }
      }
      role.used().forEach(node.putArray("used")::add);
      ObjectNode denied = node.putObject("denied");
      role.denied().forEach(denied::put);
      if (role.suggestion() == null) {
        node.putNull("suggestion");
      } else {
        ObjectNode suggestion = node.putObject("suggestion");
        role.suggestion().actions().forEach(suggestion.putArray("actions")::add);
        suggestion.put("policyHash", role.suggestion().policyHash());
      }
    }
    return CanonicalJson.write(CanonicalJson.sortedKeys(root));
  }

  /**
   * Reads the state file of run {@code runId}; an {@link IllegalArgumentException} naming what is wrong for anything
   * that is not one (bad JSON, another format, a missing field).
   */
  public static RunState parse(String runId, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("it is not JSON (" + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("it is not a JSON object");
    }
    if (root.path("format").asInt(-1) != FORMAT) {
      throw new IllegalArgumentException("its format is " + root.path("format") + ", this trailtrim reads format "
          + FORMAT);
    }
    List<RoleState> roles = new ArrayList<>();
    for (JsonNode node : array(root, "roles")) {
      roles.add(role(node));
    }
    return of(runId, roles);
  }

  private static RoleState role(JsonNode node) {
    String roleArn = text(node, "roleArn");
    List<Grant> granted = null;
    if (!node.path("granted").isNull()) {
      granted = new ArrayList<>();
      for (JsonNode g : array(node, "granted")) {
        granted.add(new Grant(text(g, "action"), text(g, "resource"), strings(g, "policies")));
      }
    }
    SortedMap<String, Long> denied = new TreeMap<>();
    JsonNode deniedNode = node.path("denied");
    if (!deniedNode.isObject()) {
      throw new IllegalArgumentException("role " + roleArn + " has no object 'denied'");
    }
    deniedNode.fields().forEachRemaining(e -> denied.put(e.getKey(), e.getValue().asLong()));
    RoleState.SuggestionState suggestion = null;
    JsonNode s = node.path("suggestion");
    if (!s.isNull()) {
      if (!s.isObject()) {
        throw new IllegalArgumentException("role " + roleArn + " has no 'suggestion' (an object, or null)");
      }
      suggestion = new RoleState.SuggestionState(new TreeSet<>(strings(s, "actions")), text(s, "policyHash"));
    }
    return new RoleState(roleArn, text(node, "status"), granted, new TreeSet<>(strings(node, "used")),
        new TreeSet<>(), denied, suggestion);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' must be a string, got " + (value.isMissingNode() ? "nothing"
          : value.toString()));
    }
    return value.asText();
  }

  private static JsonNode array(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be a list, got " + (value.isMissingNode() ? "nothing"
          : value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
    }
    return value;
  }

  private static List<String> strings(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : array(node, field)) {
      values.add(value.asText());
    }
    return values;
  }

  private static String firstLine(String message) {
    String text = message == null ? "" : message;
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** The state's roles, for tests and the comparison. */
  SortedSet<String> roleArns() {
    return new TreeSet<>(roles.keySet());
  }
}
