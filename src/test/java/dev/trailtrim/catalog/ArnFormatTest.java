package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ArnFormatTest {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

  @Test
  void matchesArnsOfItsShapeOnly() {
    ArnFormat object = new ArnFormat("object", "arn:${Partition}:s3:::${BucketName}/${ObjectName}");
    assertTrue(object.matches("arn:aws:s3:::b/k"));
    assertTrue(object.matches("arn:aws:s3:::b/k/with/more/parts:and:colons"));
    assertFalse(object.matches("arn:aws:s3:::b"));
    assertFalse(object.matches("arn:aws:s3:::b/"), "an object name has at least one character");
    assertFalse(object.matches("arn::s3:::b/k"), "the partition has at least one character");
    assertFalse(object.matches("arn:aws:s3:::b/k\nmore"), "a variable stops at a line terminator");
    ArnFormat function =
        new ArnFormat("function", "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}");
    assertTrue(function.matches("arn:aws:lambda:us-east-1:123456789012:function:f"));
    assertTrue(function.matches("arn:aws:lambda:::function:f"), "region and account may be empty");
    assertTrue(function.matches("arn:aws:lambda:us-east-1:123456789012:function:f:alias"));
    assertFalse(function.matches("arn:aws:lambda:us:east-1:123456789012:function:f"), "a region holds no colon");
    assertFalse(function.matches("arn:aws:lambda:us-east-1:123456789012:layer:f"));
    assertEquals(List.of("FunctionName"), function.resourceVariables());
    assertEquals("arn::lambda:::function:".length(), function.literalLength());
  }

  @Test
  void fillsEveryVariableOrNothing() {
    ArnFormat function =
        new ArnFormat("function", "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}");
    Map<String, String> values = new LinkedHashMap<>(Map.of("Partition", "aws", "Region", "eu-west-1",
        "Account", "123456789012", "FunctionName", "f$1\\x"));
    assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:f$1\\x", function.fill(values));
    values.remove("Account");
    assertNull(function.fill(values));
  }

  /**
   * The matcher reads formats as the regular expression they were once compiled to (literals
   * quoted, partition {@code [^:]+}, region and account {@code [^:]*}, others {@code .+}): this
   * compares the two on every format of the bundled catalog, against ARNs filled from every format
   * of the same service with awkward values.
   */
  @Test
  void agreesWithTheRegularExpressionOnEveryCatalogFormat() {
    IamCatalog catalog = IamCatalog.loadDefault();
    Map<String, List<ArnFormat>> byService = new TreeMap<>();
    for (ActionInfo action : catalog.matching("*")) {
      for (ActionResourceType type : action.resourceTypes()) {
        catalog.resourceType(action.action().service(), type.name()).ifPresent(info -> {
          List<ArnFormat> formats = byService.computeIfAbsent(info.service(), s -> new ArrayList<>());
          for (String format : info.arnFormats()) {
            if (formats.stream().noneMatch(f -> f.format().equals(format))) {
              formats.add(new ArnFormat(type.name(), format));
            }
          }
        });
      }
    }
    String[] awkward = {"x", "a/b", "a:b", "a/b:c/d", "", "a\nb", "*", "a b", "x/y/z/w", "::", "//", "a\u2028:b\r",
        "\u0085/c"};
    long compared = 0;
    for (List<ArnFormat> formats : byService.values()) {
      List<String> arns = new ArrayList<>();
      for (ArnFormat source : formats) {
        for (String value : awkward) {
          Map<String, String> values = new LinkedHashMap<>();
          Matcher m = VARIABLE.matcher(source.format());
          while (m.find()) {
            values.put(m.group(1), m.group(1).equals("Partition") && value.isEmpty() ? "aws" : value);
          }
          arns.add(source.fill(values));
        }
      }
      for (ArnFormat format : formats) {
        Pattern regex = regexOf(format.format());
        for (String arn : arns) {
          assertEquals(regex.matcher(arn).matches(), format.matches(arn), format + " on '" + arn + "'");
          compared++;
        }
      }
    }
    assertTrue(compared > 100_000, "compared " + compared);
  }

  private static Pattern regexOf(String format) {
    StringBuilder pattern = new StringBuilder();
    Matcher m = VARIABLE.matcher(format);
    int last = 0;
    while (m.find()) {
      pattern.append(Pattern.quote(format.substring(last, m.start())));
      pattern.append(switch (m.group(1)) {
        case "Partition" -> "[^:]+";
        case "Region", "Account" -> "[^:]*";
        default -> ".+";
      });
      last = m.end();
    }
    pattern.append(Pattern.quote(format.substring(last)));
    return Pattern.compile(pattern.toString());
  }
}
