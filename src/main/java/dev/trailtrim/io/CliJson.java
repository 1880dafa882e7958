package dev.trailtrim.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Turns SDK responses into the JSON the AWS CLI prints for them, so a live read and a file the user
 * made with the CLI go through one parser. Walks the SDK's own shape description, so member names
 * are exactly the API's (and the CLI's); fields the service did not send are left out, as the CLI
 * does; timestamps look like {@code 2023-03-09T10:41:45+00:00}.
 */
final class CliJson {

  /** The CLI's iso8601 timestamps: seconds, fractions only when present, "+00:00" rather than "Z". */
  private static final DateTimeFormatter CLI_TIMESTAMP = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
      .appendOffset("+HH:MM", "+00:00")
      .toFormatter()
      .withZone(ZoneOffset.UTC);

  private CliJson() {}

  /** {@code value} as the CLI prints it. */
  static JsonNode toJson(Object value) {
    return toJson(value, "", Set.of(), null);
  }

  /**
   * As {@link #toJson(Object)}, except that text members named in {@code textMembers} become what
   * {@code readText} makes of (text, path): the CLI parses some strings (IAM's policy documents).
   */
  static JsonNode toJson(Object value, String path, Set<String> textMembers,
      BiFunction<String, String, JsonNode> readText) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (value instanceof SdkPojo pojo) {
      ObjectNode object = nodes.objectNode();
      for (SdkField<?> field : pojo.sdkFields()) {
        Object member = field.getValueOrDefault(pojo);
        // Auto-construct collections stand for "absent in the response", which the CLI omits.
        if (member == null || member instanceof SdkAutoConstructList || member instanceof SdkAutoConstructMap) {
          continue;
        }
        String memberPath = path.isEmpty() ? field.memberName() : path + "." + field.memberName();
        if (member instanceof String text && textMembers.contains(field.memberName())) {
          object.set(field.memberName(), readText.apply(text, memberPath));
        } else {
          object.set(field.memberName(), toJson(member, memberPath, textMembers, readText));
        }
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = nodes.arrayNode();
      for (Object element : list) {
        array.add(toJson(element, path + "[" + array.size() + "]", textMembers, readText));
      }
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = nodes.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v, path + "." + k, textMembers, readText)));
      return object;
    }
    if (value instanceof Instant instant) {
      return nodes.textNode(CLI_TIMESTAMP.format(instant));
    }
    if (value instanceof Boolean b) {
      return nodes.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return nodes.numberNode(i);
    }
    if (value instanceof Long l) {
      return nodes.numberNode(l);
    }
    return nodes.textNode(String.valueOf(value));
  }
}
