package dev.trailtrim.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of a generated HTML page without a parser library: its tags nest and close, and it
 * names nothing outside itself. Each returns what is wrong, empty when nothing is.
 */
public final class HtmlChecks {

  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>");
  private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link",
      "meta", "source", "track", "wbr");
  /** Elements whose content is not markup: a {@code <} inside them is not a tag. */
  private static final Set<String> RAW_TEXT = Set.of("script", "style");
  private static final Pattern URL_ATTRIBUTE = Pattern.compile("\\s(src|href|action|srcset|poster|data|xlink:href)"
      + "\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*([^)]*)\\)", Pattern.CASE_INSENSITIVE);

  private HtmlChecks() {}

  /** Tags that do not close, close what is not open, or close out of order; and a page that is not one document. */
  public static List<String> structureProblems(String html) {
    List<String> problems = new ArrayList<>();
    if (!html.startsWith("<!DOCTYPE html>\n")) {
      problems.add("does not start with <!DOCTYPE html>");
    }
    Deque<String> open = new ArrayDeque<>();
    Matcher tag = TAG.matcher(html);
    int from = 0;
    while (tag.find(from)) {
      String name = tag.group(2).toLowerCase(Locale.ROOT);
      boolean closing = !tag.group(1).isEmpty();
      boolean selfClosing = tag.group(3).endsWith("/");
      from = tag.end();
      if (closing) {
        if (open.isEmpty() || !open.peek().equals(name)) {
          problems.add("</" + name + "> at " + tag.start() + " closes " + (open.isEmpty() ? "nothing" : "<"
              + open.peek() + ">"));
          if (problems.size() > 20) {
            return problems;
          }
        } else {
          open.pop();
        }
      } else if (!VOID.contains(name) && !selfClosing) {
        open.push(name);
        if (RAW_TEXT.contains(name)) {
          int end = html.toLowerCase(Locale.ROOT).indexOf("</" + name, from);
          if (end < 0) {
            problems.add("<" + name + "> at " + tag.start() + " never ends");
            return problems;
          }
          from = end;
        }
      }
    }
    if (!open.isEmpty()) {
      problems.add("never closed: " + open);
    }
    int headEnd = html.indexOf("</head>");
    if (headEnd < 0 || !html.substring(0, headEnd).contains("<title>")) {
      problems.add("no <title> in <head>");
    }
    for (String once : List.of("<html", "<head>", "</head>", "<body", "<main>")) {
      int count = html.split(Pattern.quote(once), -1).length - 1;
      if (count != 1) {
        problems.add(once + " appears " + count + " times");
      }
    }
    return problems;
  }

  /**
   * What the page would load or link to outside itself: URL attributes that are not in-page
   * anchors, {@code url(...)} in styles, and {@code http://}, {@code https://} or {@code //} anywhere.
   */
  public static List<String> outsideReferences(String html) {
    List<String> problems = new ArrayList<>();
    Matcher attribute = URL_ATTRIBUTE.matcher(html);
    while (attribute.find()) {
      String value = attribute.group(2).replaceAll("^[\"']|[\"']$", "");
      if (!value.startsWith("#")) {
        problems.add(attribute.group(1) + "=" + value);
      }
    }
    Matcher url = CSS_URL.matcher(html);
    while (url.find()) {
      problems.add("url(" + url.group(1) + ")");
    }
    for (String marker : List.of("http://", "https://", "//")) {
      int at = html.indexOf(marker);
      if (at >= 0) {
        problems.add(marker + " at " + at + ": " + html.substring(Math.max(0, at - 40), Math.min(html.length(),
            at + 40)));
      }
    }
    for (String element : List.of("<link", "<img", "<iframe", "<object", "<embed", "<base", "@import")) {
      if (html.toLowerCase(Locale.ROOT).contains(element)) {
        problems.add("has " + element);
      }
    }
    if (html.contains("<script src") || html.contains("<script ")) {
      problems.add("a script element with attributes");
    }
    return problems;
  }
}
