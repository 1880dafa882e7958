package dev.trailtrim.policy;

import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON the one way trailtrim writes it: 2-space indent, {@code \n} line endings, {@code ": "}
 * between key and value, {@code []}/{@code {}} for empty containers, a final newline. Object keys
 * come out in the node's insertion order; {@link #sortedKeys} reorders them when a file wants
 * sorted keys. Same tree, same bytes.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, 0, out);
    return out.append('\n').toString();
  }

  /** A deep copy with every object's keys in sorted order. */
  public static JsonNode sortedKeys(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        sorted.set(name, sortedKeys(node.get(name)));
      }
      return sorted;
    }
    if (node.isArray()) {
      var array = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> array.add(sortedKeys(element)));
      return array;
    }
    return node;
  }

  private static void write(JsonNode node, int depth, StringBuilder out) {
    if (node.isTextual()) {
      quoted(node.textValue(), out);
    } else if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        indent(depth + 1, out);
        quoted(field.getKey(), out);
        out.append(": ");
        write(field.getValue(), depth + 1, out);
        out.append(fields.hasNext() ? ",\n" : "\n");
      }
      indent(depth, out);
      out.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        indent(depth + 1, out);
        write(node.get(i), depth + 1, out);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      indent(depth, out);
      out.append(']');
    } else if (node.isInt() || node.isLong()) {
      out.append(node.longValue());
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else {
      // Nulls, and numbers that are neither int nor long, as Jackson writes them.
      out.append(node.toString());
    }
  }

  /**
   * A string as Jackson writes it ({@code node.toString()}, which builds a generator per value: most of a
   * report's rendering): quoted, with its quote, backslash and control characters escaped as Jackson escapes them.
   */
  private static void quoted(String text, StringBuilder out) {
    out.append('"');
    if (needsEscaping(text)) {
      ESCAPES.quoteAsString(text, out);
    } else {
      out.append(text);
    }
    out.append('"');
  }

  private static final JsonStringEncoder ESCAPES = JsonStringEncoder.getInstance();
  /** Jackson's own table of the ASCII characters it escapes (beyond ASCII it escapes none by default). */
  private static final int[] ESCAPED_ASCII = CharTypes.get7BitOutputEscapes();

  /** Whether Jackson would escape a character of {@code text}: most have none, and are appended whole. */
  private static boolean needsEscaping(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < ESCAPED_ASCII.length && ESCAPED_ASCII[c] != 0) {
        return true;
      }
    }
    return false;
  }

  private static void indent(int depth, StringBuilder out) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }
}
