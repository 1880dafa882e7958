package dev.trailtrim.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One catalog ARN format of a resource type, e.g. {@code arn:${Partition}:s3:::${BucketName}/${ObjectName}}:
 * recognises ARNs of that type and builds them from variable values.
 */
final class ArnFormat {

  static final String PARTITION = "Partition";
  static final String REGION = "Region";
  static final String ACCOUNT = "Account";

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

  private final String type;
  private final String format;
  private final Pattern regex;
  private final List<String> variables;
  /** Characters outside variables: the more, the more specific the format. */
  private final int literalLength;

  ArnFormat(String type, String format) {
    this.type = type;
    this.format = format;
    StringBuilder pattern = new StringBuilder();
    List<String> names = new ArrayList<>();
    Matcher m = VARIABLE.matcher(format);
    int last = 0;
    int literal = 0;
    while (m.find()) {
      pattern.append(Pattern.quote(format.substring(last, m.start())));
      literal += m.start() - last;
      String name = m.group(1);
      names.add(name);
      pattern.append(switch (name) {
        case PARTITION -> "[^:]+";
        case REGION, ACCOUNT -> "[^:]*";
        default -> ".+";
      });
      last = m.end();
    }
    pattern.append(Pattern.quote(format.substring(last)));
    literal += format.length() - last;
    this.regex = Pattern.compile(pattern.toString());
    this.variables = List.copyOf(names);
    this.literalLength = literal;
  }

  String type() {
    return type;
  }

  String format() {
    return format;
  }

  /** The variables besides partition, region and account, e.g. {@code BucketName, ObjectName}. */
  List<String> resourceVariables() {
    return variables.stream().filter(v -> !v.equals(PARTITION) && !v.equals(REGION) && !v.equals(ACCOUNT)).toList();
  }

  boolean matches(String arn) {
    return regex.matcher(arn).matches();
  }

  int literalLength() {
    return literalLength;
  }

  /** The ARN with every variable replaced; null when a value is missing. */
  String fill(Map<String, String> values) {
    Matcher m = VARIABLE.matcher(format);
    StringBuilder arn = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        return null;
      }
      m.appendReplacement(arn, Matcher.quoteReplacement(value));
    }
    m.appendTail(arn);
    return arn.toString();
  }

  @Override
  public String toString() {
    return type + " " + format;
  }
}
