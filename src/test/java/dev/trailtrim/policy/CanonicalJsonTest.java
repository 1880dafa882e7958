package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CanonicalJson writes scalars and keys itself; every one must come out as Jackson writes it, so that the bytes of
 * every file trailtrim writes stay what they were (the golden files hold them for the sample).
 */
class CanonicalJsonTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int CASES = Integer.getInteger("trailtrim.property.cases", 500);

  /** The value on one line, as Jackson's own {@code toString} writes it. */
  private static String written(JsonNode value) {
    String text = CanonicalJson.write(value);
    return text.substring(0, text.length() - 1);
  }

  @Test
  void scalarsAreWrittenAsJacksonWritesThem() {
    for (JsonNode value : new JsonNode[] {NODES.numberNode(0), NODES.numberNode(-7),
        NODES.numberNode(Integer.MIN_VALUE),
        NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(1.5),
        NODES.numberNode(1e300),
        NODES.numberNode(-0.0), NODES.numberNode(new BigDecimal("12.50")),
        NODES.numberNode(new BigInteger("1" + "0".repeat(30))),
        NODES.numberNode((short) 3), NODES.numberNode(2.5f), NODES.booleanNode(true), NODES.booleanNode(false),
        NODES.nullNode(), NODES.textNode(""), NODES.textNode("arn:aws:s3:::b/k*")}) {
      assertEquals(value.toString(), written(value), value.getNodeType() + " " + value);
    }
  }

  @Test
  void stringsAndKeysAreEscapedAsJacksonEscapesThem() {
    Random random = new Random(20261205);
    for (int i = 0; i < CASES * 20; i++) {
      String text = randomText(random);
      assertEquals(NODES.textNode(text).toString(), written(NODES.textNode(text)), () -> codes(text));
      ObjectNode object = NODES.objectNode();
      object.put(text, 1);
      assertEquals("{\n  " + NODES.textNode(text).toString() + ": 1\n}", written(object), () -> codes(text));
    }
  }

  @Test
  void aTreeReadBackIsTheSameTree() throws Exception {
    ObjectNode root = NODES.objectNode();
    root.put("Version", "2012-10-17");
    ArrayNode statements = root.putArray("Statement");
    statements.addObject().put("Sid", "quote\" backslash\\ tab\t line\n").put("count", 3).putNull("none")
        .put("ok", true).putArray("Resource").add("arn:aws:s3:::bucket/é/☃/\u0001").add(2.25);
    root.putObject("empty");
    root.putArray("nothing");
    String text = CanonicalJson.write(root);
    assertEquals(root, new ObjectMapper().readTree(text));
    assertEquals(String.join("\n", "{", "  \"Version\": \"2012-10-17\",", "  \"Statement\": [", "    {",
        "      \"Sid\": \"quote\\\" backslash\\\\ tab\\t line\\n\",", "      \"count\": 3,", "      \"none\": null,",
        "      \"ok\": true,", "      \"Resource\": [", "        \"arn:aws:s3:::bucket/é/☃/\\u0001\",", "        2.25",
        "      ]", "    }", "  ],", "  \"empty\": {},", "  \"nothing\": []", "}", ""), text);
  }

  /** Mostly printable text, with control characters, quotes, backslashes, DEL, non-ASCII and lone surrogates. */
  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      text.append(switch (random.nextInt(8)) {
        case 0 -> (char) random.nextInt(0x20);
        case 1 -> random.nextBoolean() ? '"' : '\\';
        case 2 -> (char) (0x7f + random.nextInt(0x80));
        case 3 -> (char) (0xd800 + random.nextInt(0x800));
        case 4 -> (char) random.nextInt(0x10000);
        default -> (char) (0x20 + random.nextInt(0x5f));
      });
    }
    return text.toString();
  }

  private static String codes(String text) {
    StringBuilder codes = new StringBuilder();
    text.chars().forEach(c -> codes.append(String.format("U+%04X ", c)));
    return codes.toString();
  }
}
