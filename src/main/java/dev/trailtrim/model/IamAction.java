package dev.trailtrim.model;

import java.util.Locale;

/**
 * An IAM action such as {@code s3:GetObject}: a service prefix and an action name. Equality is
 * case-insensitive, as IAM's is; {@link #toString()} keeps the spelling it was made with (the
 * catalog's canonical spelling when it came from the catalog).
 *
 * <p>A final class rather than a record: equals, hashCode and compareTo sit on every hot path of
 * the evaluator and the tightener (sets and maps of thousands of actions per role), so the hash
 * and the lower-case form they compare are computed once, here, not on every call.
 */
public final class IamAction implements Comparable<IamAction> {

  private final String service;
  private final String name;
  /**
   * {@code service:name} with each char folded as the hash folds it, the order of {@link #compareTo}; made on first
   * use, as most actions are only hashed (a benign race: every thread computes the same immutable string).
   */
  private String lowerCaseKey;
  private final int hash;

  public IamAction(String service, String name) {
    if (service == null || service.isEmpty() || name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot make an IAM action of service '" + service + "' and name '" + name + "'");
    }
    this.service = service;
    this.name = name;
    this.hash = 31 * lowerCaseHash(service) + lowerCaseHash(name);
  }

  public String service() {
    return service;
  }

  public String name() {
    return name;
  }

  /** Parses {@code prefix:Name}. */
  public static IamAction parse(String action) {
    int colon = action == null ? -1 : action.indexOf(':');
    if (colon <= 0 || colon == action.length() - 1 || action.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "Cannot parse IAM action '" + action + "': expected 'service:ActionName', e.g. 's3:GetObject'");
    }
    return new IamAction(action.substring(0, colon), action.substring(colon + 1));
  }

  public String key() {
    return (service + ":" + name).toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IamAction other && service.equalsIgnoreCase(other.service) && name.equalsIgnoreCase(other.name);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  private static int lowerCaseHash(String s) {
    int hash = 0;
    for (int i = 0; i < s.length(); i++) {
      hash = 31 * hash + fold(s.charAt(i));
    }
    return hash;
  }

  /**
   * A char as {@link String#equalsIgnoreCase} compares it: lower case of upper case. Plain lower case would split
   * what it calls equal ({@code ſ} and {@code s}, {@code ı} and {@code i}), giving equal actions two hashes.
   */
  private static char fold(char c) {
    return Character.toLowerCase(Character.toUpperCase(c));
  }

  private String lowerCaseKey() {
    String key = lowerCaseKey;
    if (key == null) {
      key = lowerCaseChars(service + ":" + name);
      lowerCaseKey = key;
    }
    return key;
  }

  /** Char by char (not {@link String#toLowerCase}, which may change the length): as the hash folds. */
  private static String lowerCaseChars(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = fold(chars[i]);
    }
    return new String(chars);
  }

  /** Orders as {@link #key()} does ("service:name" in lower case), then by spelling. */
  @Override
  public int compareTo(IamAction o) {
    int byKey = lowerCaseKey().compareTo(o.lowerCaseKey());
    if (byKey != 0) {
      return byKey;
    }
    return service.equals(o.service) && name.equals(o.name) ? 0 : toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return service + ":" + name;
  }
}
