package dev.trailtrim.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Parses IAM identity policy documents: the whole grammar IAM accepts, strictly, with messages
 * that name the bad value and the fix. Documents may be JSON objects, JSON text, or URL-encoded
 * JSON text (as IAM's API returns them).
 */
public final class PolicyParser {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<String> DOCUMENT_ELEMENTS = List.of("Version", "Id", "Statement");
  private static final List<String> STATEMENT_ELEMENTS = List.of("Sid", "Effect", "Principal", "NotPrincipal",
      "Action", "NotAction", "Resource", "NotResource", "Condition");

  private static final Set<String> BASE_OPERATORS = Set.of(
      "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
      "StringLike", "StringNotLike",
      "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
      "NumericGreaterThan", "NumericGreaterThanEquals",
      "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
      "DateGreaterThanEquals",
      "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
      "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Null");

  private PolicyParser() {}

  public static PolicyDocument parse(String json) {
    return parseWithNotes(json).document();
  }

  public static PolicyDocument parse(JsonNode node) {
    return parseWithNotes(node).document();
  }

  /** Parses JSON text or URL-encoded JSON text. */
  public static ParsedPolicy parseWithNotes(String text) {
    if (text == null || text.isBlank()) {
      throw new PolicyParseException(
          "Cannot parse policy: the document is empty; expected a JSON object with Version and Statement");
    }
    return parseWithNotes(readText(text));
  }

  /** Parses a JSON object, or a JSON string node holding (URL-encoded) JSON text. */
  public static ParsedPolicy parseWithNotes(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new PolicyParseException(
          "Cannot parse policy: the document is missing; expected a JSON object with Version and Statement");
    }
    if (node.isTextual()) {
      return parseWithNotes(node.textValue());
    }
    if (!node.isObject()) {
      throw new PolicyParseException("Cannot parse policy: expected a JSON object with Version and Statement, got "
          + typeOf(node));
    }
    List<String> notes = new ArrayList<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!DOCUMENT_ELEMENTS.contains(name)) {
        throw new PolicyParseException("Cannot parse policy: unknown element '" + name + "'; expected "
            + String.join(", ", DOCUMENT_ELEMENTS));
      }
    }
    String version = null;
    JsonNode versionNode = node.get("Version");
    if (versionNode != null) {
      if (!versionNode.isTextual() || !(versionNode.textValue().equals(PolicyDocument.CURRENT_VERSION)
          || versionNode.textValue().equals(PolicyDocument.OLD_VERSION))) {
        throw new PolicyParseException("Cannot parse policy: Version must be 2012-10-17 or 2008-10-17, got "
            + quoted(versionNode));
      }
      version = versionNode.textValue();
    }
    JsonNode statementNode = node.get("Statement");
    if (statementNode == null || statementNode.isNull()) {
      throw new PolicyParseException("Cannot parse policy: missing Statement (an object or a list of objects)");
    }
    List<JsonNode> statementNodes = new ArrayList<>();
    if (statementNode.isObject()) {
      statementNodes.add(statementNode);
    } else if (statementNode.isArray()) {
      statementNode.forEach(statementNodes::add);
    } else {
      throw new PolicyParseException("Cannot parse policy: Statement must be an object or a list of objects, got "
          + typeOf(statementNode));
    }
    List<Statement> statements = new ArrayList<>();
    for (int i = 0; i < statementNodes.size(); i++) {
      statements.add(parseStatement(statementNodes.get(i), i + 1, notes));
    }
    return new ParsedPolicy(new PolicyDocument(version, statements), notes);
  }

  private static JsonNode readText(String text) {
    String trimmed = text.strip();
    if (!trimmed.startsWith("{") && trimmed.contains("%")) {
      trimmed = URLDecoder.decode(trimmed, StandardCharsets.UTF_8).strip();
    }
    try {
      return MAPPER.readTree(trimmed);
    } catch (JsonProcessingException e) {
      throw new PolicyParseException("Cannot parse policy: not valid JSON (" + e.getOriginalMessage()
          + "); expected a JSON object with Version and Statement, plain or URL-encoded", e);
    }
  }

  private static Statement parseStatement(JsonNode node, int number, List<String> notes) {
    if (!node.isObject()) {
      throw new PolicyParseException("Cannot parse policy statement " + number + ": expected a JSON object, got "
          + typeOf(node));
    }
    String sid = parseSid(node, number);
    String where = "Cannot parse policy statement " + number + (sid == null ? "" : " (Sid '" + sid + "')") + ": ";
    for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!STATEMENT_ELEMENTS.contains(name)) {
        throw new PolicyParseException(where + "unknown element '" + name + "'; expected "
            + String.join(", ", STATEMENT_ELEMENTS));
      }
    }
    Effect effect = parseEffect(node.get("Effect"), where);
    for (String principal : List.of("Principal", "NotPrincipal")) {
      if (node.has(principal)) {
        notes.add("Statement " + number + (sid == null ? "" : " (Sid '" + sid + "')") + ": " + principal
            + " is ignored in an identity policy");
      }
    }
    List<String> actions = stringList(node, "Action", where);
    List<String> notActions = stringList(node, "NotAction", where);
    if (node.has("Action") && node.has("NotAction")) {
      throw new PolicyParseException(where + "has both Action and NotAction; use one of them");
    }
    if (!node.has("Action") && !node.has("NotAction")) {
      throw new PolicyParseException(where + "needs Action or NotAction, e.g. \"Action\": \"s3:GetObject\"");
    }
    for (String action : actions.isEmpty() ? notActions : actions) {
      checkAction(action, actions.isEmpty() ? "NotAction" : "Action", where);
    }
    List<String> resources = stringList(node, "Resource", where);
    List<String> notResources = stringList(node, "NotResource", where);
    if (node.has("Resource") && node.has("NotResource")) {
      throw new PolicyParseException(where + "has both Resource and NotResource; use one of them");
    }
    if (!node.has("Resource") && !node.has("NotResource")) {
      throw new PolicyParseException(where
          + "needs Resource or NotResource (an identity policy must name its resources, \"*\" for all)");
    }
    for (String resource : resources.isEmpty() ? notResources : resources) {
      checkResource(resource, resources.isEmpty() ? "NotResource" : "Resource", where);
    }
    Conditions conditions = parseConditions(node.get("Condition"), where);
    return new Statement(sid, effect, actions, notActions, resources, notResources, conditions);
  }

  private static String parseSid(JsonNode node, int number) {
    JsonNode sidNode = node.get("Sid");
    if (sidNode == null || sidNode.isNull()) {
      return null;
    }
    if (!sidNode.isTextual()) {
      throw new PolicyParseException("Cannot parse policy statement " + number + ": Sid must be a string, got "
          + sidNode);
    }
    return sidNode.textValue();
  }

  private static Effect parseEffect(JsonNode effectNode, String where) {
    if (effectNode == null) {
      throw new PolicyParseException(where + "Effect is missing; use Allow or Deny");
    }
    if (effectNode.isTextual() && effectNode.textValue().equals("Allow")) {
      return Effect.ALLOW;
    }
    if (effectNode.isTextual() && effectNode.textValue().equals("Deny")) {
      return Effect.DENY;
    }
    throw new PolicyParseException(where + "Effect must be Allow or Deny, got " + quoted(effectNode));
  }

  private static List<String> stringList(JsonNode statement, String element, String where) {
    JsonNode node = statement.get(element);
    if (node == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    if (node.isTextual()) {
      values.add(node.textValue());
    } else if (node.isArray()) {
      for (JsonNode value : node) {
        if (!value.isTextual()) {
          throw new PolicyParseException(where + element + " values must be strings, got " + value);
        }
        values.add(value.textValue());
      }
    } else {
      throw new PolicyParseException(where + element + " must be a string or a list of strings, got " + typeOf(node));
    }
    if (values.isEmpty()) {
      throw new PolicyParseException(where + element + " must not be empty; list at least one value");
    }
    return values;
  }

  private static void checkAction(String action, String element, String where) {
    if (action.equals("*")) {
      return;
    }
    int colon = action.indexOf(':');
    if (colon <= 0 || colon == action.length() - 1 || action.indexOf(':', colon + 1) >= 0
        || action.chars().anyMatch(Character::isWhitespace)) {
      throw new PolicyParseException(where + element + " '" + action
          + "' must be '*' or 'service:action', e.g. 's3:GetObject' or 's3:Get*'");
    }
  }

  private static void checkResource(String resource, String element, String where) {
    if (resource.equals("*") || resource.startsWith("arn:")) {
      return;
    }
    throw new PolicyParseException(where + element + " '" + resource
        + "' must be '*' or an ARN such as 'arn:aws:s3:::my-bucket/*'");
  }

  private static Conditions parseConditions(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Conditions.NONE;
    }
    if (!node.isObject()) {
      throw new PolicyParseException(where + "Condition must be an object of operator to {key: value(s)}, got "
          + typeOf(node));
    }
    SortedMap<String, SortedMap<String, List<String>>> operators = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> ops = node.fields(); ops.hasNext();) {
      Map.Entry<String, JsonNode> op = ops.next();
      checkOperator(op.getKey(), where);
      if (!op.getValue().isObject()) {
        throw new PolicyParseException(where + "Condition operator '" + op.getKey()
            + "' must map condition keys to values, got " + typeOf(op.getValue()));
      }
      SortedMap<String, List<String>> keys = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> ks = op.getValue().fields(); ks.hasNext();) {
        Map.Entry<String, JsonNode> key = ks.next();
        List<String> values = new ArrayList<>();
        if (key.getValue().isArray()) {
          for (JsonNode value : key.getValue()) {
            values.add(conditionScalar(value, op.getKey(), key.getKey(), where));
          }
        } else {
          values.add(conditionScalar(key.getValue(), op.getKey(), key.getKey(), where));
        }
        keys.put(key.getKey(), values);
      }
      operators.put(op.getKey(), keys);
    }
    return operators.isEmpty() ? Conditions.NONE : new Conditions(operators);
  }

  private static void checkOperator(String operator, String where) {
    String base = operator;
    if (base.startsWith("ForAnyValue:")) {
      base = base.substring("ForAnyValue:".length());
    } else if (base.startsWith("ForAllValues:")) {
      base = base.substring("ForAllValues:".length());
    }
    if (base.endsWith("IfExists") && !base.equals("NullIfExists")) {
      base = base.substring(0, base.length() - "IfExists".length());
    }
    if (!BASE_OPERATORS.contains(base)) {
      throw new PolicyParseException(where + "Condition operator '" + operator
          + "' is not an IAM condition operator; use e.g. StringEquals, ArnLike or Bool, optionally with an"
          + " IfExists suffix or a ForAnyValue:/ForAllValues: prefix");
    }
  }

  private static String conditionScalar(JsonNode value, String operator, String key, String where) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw new PolicyParseException(where + "Condition value of '" + operator + "' '" + key
        + "' must be a string, number, boolean or a list of them, got " + typeOf(value));
  }

  private static String quoted(JsonNode node) {
    return node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
  }

  /** What kind of JSON value a node is, for messages: "a list", "an object", "null", ... */
  public static String typeOf(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
