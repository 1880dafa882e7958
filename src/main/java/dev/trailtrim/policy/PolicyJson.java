package dev.trailtrim.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Renders policy documents as IAM writes them: keys in IAM's conventional order (Version,
 * Statement; per statement Sid, Effect, Action, Resource, Condition), a single-element list as
 * a plain string (as the AWS console shows it), condition maps sorted.
 */
public final class PolicyJson {

  /** IAM's limit for one managed policy, in characters excluding whitespace. */
  public static final int MANAGED_POLICY_LIMIT = 6_144;
  /** IAM's limit for all inline policies of one role together, in characters excluding whitespace. */
  public static final int INLINE_ROLE_LIMIT = 10_240;

  private PolicyJson() {}

  public static String render(PolicyDocument document) {
    return CanonicalJson.write(toJson(document));
  }

  /** The size IAM checks against its limits: characters excluding whitespace. */
  public static int sizeWithoutWhitespace(PolicyDocument document) {
    String json = render(document);
    int size = 0;
    for (int i = 0; i < json.length(); i++) {
      if (!Character.isWhitespace(json.charAt(i))) {
        size++;
      }
    }
    return size;
  }

  public static ObjectNode toJson(PolicyDocument document) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (document.version() != null) {
      root.put("Version", document.version());
    }
    ArrayNode statements = root.putArray("Statement");
    for (Statement statement : document.statements()) {
      statements.add(toJson(statement));
    }
    return root;
  }

  static ObjectNode toJson(Statement statement) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (statement.sid() != null) {
      node.put("Sid", statement.sid());
    }
    node.put("Effect", statement.effect().json());
    if (!statement.actions().isEmpty()) {
      node.set("Action", stringOrList(statement.actions()));
    } else {
      node.set("NotAction", stringOrList(statement.notActions()));
    }
    if (!statement.resources().isEmpty()) {
      node.set("Resource", stringOrList(statement.resources()));
    } else {
      node.set("NotResource", stringOrList(statement.notResources()));
    }
    if (!statement.conditions().isEmpty()) {
      ObjectNode condition = node.putObject("Condition");
      for (Map.Entry<String, ? extends Map<String, List<String>>> op : statement.conditions().operators().entrySet()) {
        ObjectNode keys = condition.putObject(op.getKey());
        for (Map.Entry<String, List<String>> key : op.getValue().entrySet()) {
          keys.set(key.getKey(), stringOrList(key.getValue()));
        }
      }
    }
    return node;
  }

  private static JsonNode stringOrList(List<String> values) {
    if (values.size() == 1) {
      return JsonNodeFactory.instance.textNode(values.get(0));
    }
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return array;
  }
}
