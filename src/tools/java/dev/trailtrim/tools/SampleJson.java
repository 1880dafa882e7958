package dev.trailtrim.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small JSON helpers for the sample generator: insertion-ordered objects, fixed formatting. */
final class SampleJson {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final ObjectMapper MAPPER = new ObjectMapper();

  private SampleJson() {}

  /** An object from alternating keys and values; null values are written as JSON null. */
  static ObjectNode obj(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("obj() needs key/value pairs, got "
          + keysAndValues.length + " arguments");
    }
    ObjectNode node = NODES.objectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.set((String) keysAndValues[i], node(keysAndValues[i + 1]));
    }
    return node;
  }

  static ArrayNode arr(Object... values) {
    ArrayNode node = NODES.arrayNode();
    for (Object value : values) {
      node.add(node(value));
    }
    return node;
  }

  static ArrayNode arrOf(Collection<?> values) {
    return arr(values.toArray());
  }

  static JsonNode node(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode json) {
      return json;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Collection<?> c) {
      return arrOf(c);
    }
    throw new IllegalArgumentException("Cannot write " + value.getClass().getName()
        + " as JSON: use String, Integer, Long, Boolean, Collection or JsonNode");
  }

  /** eventTime as CloudTrail writes it: whole seconds, UTC, e.g. 2026-11-01T08:10:03Z. */
  static String eventTime(long millis) {
    return Instant.ofEpochSecond(Math.floorDiv(millis, 1000L)).toString();
  }

  /** Dates as the AWS CLI v2 prints them: 2026-11-01T08:10:03+00:00. */
  static String cliTime(String isoInstant) {
    return isoInstant.replace("Z", "+00:00");
  }

  /** One line, no spaces: how CloudTrail writes its log files. */
  static byte[] compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Indented like Python's json.dumps (which the AWS CLI uses): {@code "key": value}, empty
   * containers as {@code []} and {@code {}}, '\n' line ends on every platform, final newline.
   */
  static String pretty(JsonNode node, String indentUnit) {
    ObjectWriter writer = MAPPER.writer(new CliPrettyPrinter(indentUnit));
    try {
      return writer.writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class CliPrettyPrinter extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    CliPrettyPrinter(String indentUnit) {
      DefaultIndenter indenter = new DefaultIndenter(indentUnit, "\n");
      _objectIndenter = indenter;
      _arrayIndenter = indenter;
    }

    private CliPrettyPrinter(CliPrettyPrinter base) {
      super(base);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new CliPrettyPrinter(this);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      if (!_arrayIndenter.isInline()) {
        --_nesting;
      }
      if (nrOfValues > 0) {
        _arrayIndenter.writeIndentation(g, _nesting);
      }
      g.writeRaw(']');
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
      if (!_objectIndenter.isInline()) {
        --_nesting;
      }
      if (nrOfEntries > 0) {
        _objectIndenter.writeIndentation(g, _nesting);
      }
      g.writeRaw('}');
    }
  }

  /** A copy of the tree with every object's keys in sorted order (arrays keep their order). */
  static JsonNode sortedKeys(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        sorted.put(field.getKey(), sortedKeys(field.getValue()));
      }
      ObjectNode copy = NODES.objectNode();
      sorted.forEach(copy::set);
      return copy;
    }
    if (node.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      node.forEach(item -> items.add(sortedKeys(item)));
      return NODES.arrayNode().addAll(items);
    }
    return node;
  }
}
