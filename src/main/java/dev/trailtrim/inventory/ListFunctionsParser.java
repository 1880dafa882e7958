package dev.trailtrim.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code aws lambda list-functions --region R} ({@code {"Functions": [...],
 * "NextMarker"?}}), one document per account and region.
 *
 * <p>A document with {@code NextMarker} is one page of a longer listing ({@code --no-paginate} or
 * {@code --max-items}): its functions count, but neither it nor any other file proves that its
 * account and region have no other function, since the output does not say which page it is (a
 * missing middle page would go unnoticed). An
 * empty listing names no account: its file name must (e.g. {@code 111122223333-us-east-1.json} or
 * {@code 111122223333/us-east-1.json}), else it covers nothing.
 */
public final class ListFunctionsParser {

  private static final Pattern FUNCTION_ARN =
      Pattern.compile("arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:([A-Za-z0-9_-]+)");
  private static final Pattern ACCOUNT_IN_NAME = Pattern.compile("(?<![0-9])(\\d{12})(?![0-9])");
  private static final Pattern REGION_IN_NAME = Pattern.compile("(?<![a-z])([a-z]{2}(?:-[a-z]+)+-\\d+)(?![0-9])");

  private ListFunctionsParser() {}

  /**
   * @param document the JSON as the CLI printed it
   * @param source   what names its functions in the reports' evidence (e.g. {@code inventory file NAME})
   * @param location its path or name, for messages; says the account and region of an empty listing
   * @throws IllegalArgumentException naming {@code location} and the fix, when it is not list-functions output
   */
  public static Listing parse(JsonNode document, String source, String location) {
    JsonNode functions = document.path("Functions");
    if (!document.isObject() || !functions.isArray()) {
      throw new IllegalArgumentException("Lambda inventory " + location + " has no \"Functions\" list: pass the output"
          + " of 'aws lambda list-functions --region REGION', one file per account and region");
    }
    List<LambdaFunction> parsed = new ArrayList<>();
    Set<String> lists = new TreeSet<>();
    for (int i = 0; i < functions.size(); i++) {
      LambdaFunction function = function(functions.get(i), source, location, i);
      parsed.add(function);
      lists.add(Listing.key(function.accountId(), function.region()));
    }
    List<String> notes = new ArrayList<>();
    if (parsed.isEmpty()) {
      String account = lastMatch(ACCOUNT_IN_NAME, location);
      String region = lastMatch(REGION_IN_NAME, location);
      if (account != null && region != null) {
        lists.add(Listing.key(account, region));
      } else {
        notes.add("Lambda inventory " + location + " lists no function and its name tells no account and region:"
            + " name it <account>-<region>.json so that it shows the region has no function");
      }
    }
    JsonNode nextMarker = document.path("NextMarker");
    boolean page = !nextMarker.isMissingNode() && !nextMarker.isNull() && !nextMarker.asText().isEmpty();
    if (page) {
      notes.add("Lambda inventory " + location + " is one page of a longer listing (it has NextMarker): its "
          + parsed.size() + " function(s) are used, but it cannot show that a role is used by no function; pass the"
          + " whole listing ('aws lambda list-functions' without --max-items or --no-paginate follows NextMarker"
          + " itself)");
    }
    return new Listing(source, lists, !page, parsed, notes);
  }

  /**
   * What a file that could not be read stands for: the account and region its name tells, listed
   * only in part (its functions are unknown), so that it can never make a role look unused.
   */
  public static Listing unreadable(String source, String location) {
    String account = lastMatch(ACCOUNT_IN_NAME, location);
    String region = lastMatch(REGION_IN_NAME, location);
    return new Listing(source, account == null || region == null ? Set.of() : Set.of(Listing.key(account, region)),
        false, List.of(), List.of());
  }

  private static LambdaFunction function(JsonNode node, String source, String location, int index) {
    String where = "Lambda inventory " + location + ", Functions[" + index + "]";
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " is not an object: pass the output of 'aws lambda list-functions'");
    }
    String arn = text(node, "FunctionArn", where);
    Matcher matcher = FUNCTION_ARN.matcher(arn);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(where + ": FunctionArn '" + arn + "' is not an unqualified function ARN"
          + " (arn:aws:lambda:REGION:ACCOUNT:function:NAME)");
    }
    String name = text(node, "FunctionName", where);
    if (!name.equals(matcher.group(3))) {
      throw new IllegalArgumentException(where + ": FunctionName '" + name + "' is not the name in FunctionArn '"
          + arn + "'");
    }
    String role = text(node, "Role", where);
    if (!role.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
      throw new IllegalArgumentException(where + ": Role '" + role + "' is not a role ARN"
          + " (arn:aws:iam::ACCOUNT:role/PATH/NAME)");
    }
    JsonNode architectures = node.path("Architectures");
    String architecture = architectures.isArray() && !architectures.isEmpty() ? architectures.get(0).asText()
        : "x86_64";
    return new LambdaFunction(name, arn, matcher.group(2), matcher.group(1), role, optional(node, "Runtime"),
        architecture, optional(node, "LastModified"), source);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(where + " has no " + field + ": pass the output of"
          + " 'aws lambda list-functions' unchanged");
    }
    return value.asText();
  }

  private static String optional(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static String lastMatch(Pattern pattern, String text) {
    if (text == null) {
      return null;
    }
    Matcher matcher = pattern.matcher(text);
    String last = null;
    while (matcher.find()) {
      last = matcher.group(1);
    }
    return last;
  }
}
