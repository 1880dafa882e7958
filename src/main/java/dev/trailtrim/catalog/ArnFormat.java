package dev.trailtrim.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  private final String lowerCaseType;
  private final String format;
  /** The format's text between variables: one more than there are variables. */
  private final String[] literals;
  private final String[] variableNames;
  /** What each variable matches, as the regular expression the format used to be read with. */
  private final VariableKind[] kinds;
  private final List<String> resourceVariables;
  /** Characters outside variables: the more, the more specific the format. */
  private final int literalLength;
  /**
   * The literal text an ARN of this format has right after its fifth colon ({@code table/} of
   * DynamoDB's table), or null when a variable before that colon may hold colons itself.
   */
  private final String resourceLiteral;

  /**
   * What a variable of a format matches in an ARN: the partition one or more characters but
   * {@code :}, region and account any number of those, any other variable one or more of any
   * character but a line terminator (the {@code .} of a regular expression).
   */
  private enum VariableKind {
    PARTITION(1, true), REGION_OR_ACCOUNT(0, true), ANY(1, false);

    final int minLength;
    final boolean stopsAtColon;

    VariableKind(int minLength, boolean stopsAtColon) {
      this.minLength = minLength;
      this.stopsAtColon = stopsAtColon;
    }

    /** Whether {@code c} may be part of such a variable's value. */
    boolean accepts(char c) {
      return stopsAtColon ? c != ':'
          : c != '\n' && c != '\r' && c != '\u0085' && c != '\u2028' && c != '\u2029';
    }
  }

  ArnFormat(String type, String format) {
    this.type = type;
    this.lowerCaseType = type.toLowerCase(Locale.ROOT);
    this.format = format;
    List<String> literalParts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Matcher m = VARIABLE.matcher(format);
    int last = 0;
    int literal = 0;
    while (m.find()) {
      literalParts.add(format.substring(last, m.start()));
      literal += m.start() - last;
      names.add(m.group(1));
      last = m.end();
    }
    literalParts.add(format.substring(last));
    literal += format.length() - last;
    this.literals = literalParts.toArray(String[]::new);
    this.variableNames = names.toArray(String[]::new);
    this.kinds = names.stream().map(name -> switch (name) {
      case PARTITION -> VariableKind.PARTITION;
      case REGION, ACCOUNT -> VariableKind.REGION_OR_ACCOUNT;
      default -> VariableKind.ANY;
    }).toArray(VariableKind[]::new);
    this.resourceVariables =
        names.stream().filter(v -> !v.equals(PARTITION) && !v.equals(REGION) && !v.equals(ACCOUNT)).toList();
    this.literalLength = literal;
    this.resourceLiteral = resourceLiteral(format);
  }

  /**
   * Partition, region and account hold no colon, so when only they come before the format's fifth
   * colon, an ARN of the format has its fifth colon there too, followed by the same literal text.
   */
  private static String resourceLiteral(String format) {
    int colon = -1;
    for (int i = 0; i < 5; i++) {
      colon = format.indexOf(':', colon + 1);
      if (colon < 0) {
        return null;
      }
    }
    Matcher names = VARIABLE.matcher(format);
    while (names.find()) {
      if (names.group(1).indexOf(':') >= 0) {
        return null;
      }
    }
    Matcher m = VARIABLE.matcher(format.substring(0, colon));
    while (m.find()) {
      if (!m.group(1).equals(PARTITION) && !m.group(1).equals(REGION) && !m.group(1).equals(ACCOUNT)) {
        return null;
      }
    }
    String rest = format.substring(colon + 1);
    int variable = rest.indexOf("${");
    return variable < 0 ? rest : rest.substring(0, variable);
  }

  String type() {
    return type;
  }

  String lowerCaseType() {
    return lowerCaseType;
  }

  String format() {
    return format;
  }

  /** The variables besides partition, region and account, e.g. {@code BucketName, ObjectName}. */
  List<String> resourceVariables() {
    return resourceVariables;
  }

  /**
   * Whether the whole ARN has this format. Matched without a regular expression (it ran for every
   * format of a service, for every ARN of every record): literals must match exactly, variables
   * as {@link VariableKind} says, with backtracking over where each variable ends.
   */
  boolean matches(String arn) {
    return matches(arn, resourceStart(arn));
  }

  /**
   * {@link #matches(String)} with the index after the ARN's fifth colon at hand (-1 when it has
   * fewer): most formats of a service are ruled out by the literal that follows it.
   */
  boolean matches(String arn, int resourceStart) {
    return matches(arn, resourceStart, firstLineTerminator(arn));
  }

  /**
   * {@link #matches(String, int)} with also the index of the ARN's first line terminator at hand (its
   * length when it has none, as all but hostile ones): a variable's extent is then known without a scan.
   */
  boolean matches(String arn, int resourceStart, int firstLineTerminator) {
    if (resourceLiteral != null && (resourceStart < 0 || !arn.startsWith(resourceLiteral, resourceStart))) {
      return false;
    }
    return arn.startsWith(literals[0]) && matchesFrom(arn, literals[0].length(), 0, firstLineTerminator);
  }

  /** The index of the first character of {@code arn} no {@code .} of a regular expression matches, or its length. */
  static int firstLineTerminator(String arn) {
    for (int i = 0; i < arn.length(); i++) {
      char c = arn.charAt(i);
      // Below U+0085 only CR and LF end a line: one comparison for most characters of most ARNs.
      if (c < '\u0085' ? c == '\n' || c == '\r' : !VariableKind.ANY.accepts(c)) {
        return i;
      }
    }
    return arn.length();
  }

  /** The index after the fifth colon of {@code arn}, or -1. */
  static int resourceStart(String arn) {
    int colon = -1;
    for (int i = 0; i < 5; i++) {
      colon = arn.indexOf(':', colon + 1);
      if (colon < 0) {
        return -1;
      }
    }
    return colon + 1;
  }

  /** Whether {@code arn} from {@code at} matches variable {@code v} and everything after it. */
  private boolean matchesFrom(String arn, int at, int v, int firstLineTerminator) {
    if (v == kinds.length) {
      return at == arn.length();
    }
    VariableKind kind = kinds[v];
    String next = literals[v + 1];
    // The variable can end anywhere up to the first character it cannot hold (found without a scan
    // character by character, once 7% of the steady per-record CPU).
    int limit;
    if (kind.stopsAtColon) {
      limit = arn.indexOf(':', at);
      limit = limit < 0 ? arn.length() : limit;
    } else if (firstLineTerminator >= at) {
      limit = firstLineTerminator;
    } else {
      limit = firstLineTerminator(arn.substring(at)) + at;
    }
    int earliest = at + kind.minLength;
    if (v == kinds.length - 1) {
      int end = arn.length() - next.length();
      return end >= earliest && end <= limit && arn.startsWith(next, end);
    }
    for (int end = earliest; end <= limit; end++) {
      if (!next.isEmpty()) {
        end = arn.indexOf(next, end);
        if (end < 0 || end > limit) {
          return false;
        }
      }
      if (matchesFrom(arn, end + next.length(), v + 1, firstLineTerminator)) {
        return true;
      }
    }
    return false;
  }

  int literalLength() {
    return literalLength;
  }

  /** The ARN with every variable replaced; null when a value is missing. */
  String fill(Map<String, String> values) {
    StringBuilder arn = new StringBuilder(format.length() + 64).append(literals[0]);
    for (int v = 0; v < variableNames.length; v++) {
      String value = values.get(variableNames[v]);
      if (value == null) {
        return null;
      }
      arn.append(value).append(literals[v + 1]);
    }
    return arn.toString();
  }

  @Override
  public String toString() {
    return type + " " + format;
  }
}
