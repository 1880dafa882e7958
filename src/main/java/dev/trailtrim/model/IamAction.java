package dev.trailtrim.model;

import java.util.Locale;

/**
 * An IAM action such as {@code s3:GetObject}: a service prefix and an action name. Equality is
 * case-insensitive, as IAM's is; {@link #toString()} keeps the spelling it was made with (the
 * catalog's canonical spelling when it came from the catalog).
 */
public record IamAction(String service, String name) implements Comparable<IamAction> {

  public IamAction {
    if (service == null || service.isEmpty() || name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot make an IAM action of service '" + service + "' and name '" + name + "'");
    }
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

  // equals, hashCode and compareTo sit on every hot path of the evaluator and the tightener:
  // they compare case-insensitively without building lower-case strings.

  @Override
  public boolean equals(Object o) {
    return o instanceof IamAction other && service.equalsIgnoreCase(other.service) && name.equalsIgnoreCase(other.name);
  }

  @Override
  public int hashCode() {
    return 31 * lowerCaseHash(service) + lowerCaseHash(name);
  }

  private static int lowerCaseHash(String s) {
    int hash = 0;
    for (int i = 0; i < s.length(); i++) {
      hash = 31 * hash + Character.toLowerCase(s.charAt(i));
    }
    return hash;
  }

  /** Orders as {@link #key()} does ("service:name" in lower case), then by spelling. */
  @Override
  public int compareTo(IamAction o) {
    int length = service.length() + 1 + name.length();
    int otherLength = o.service.length() + 1 + o.name.length();
    for (int i = 0; i < Math.min(length, otherLength); i++) {
      char a = Character.toLowerCase(charOfKey(i));
      char b = Character.toLowerCase(o.charOfKey(i));
      if (a != b) {
        return a - b;
      }
    }
    if (length != otherLength) {
      return length - otherLength;
    }
    return toString().compareTo(o.toString());
  }

  private char charOfKey(int i) {
    int colon = service.length();
    return i < colon ? service.charAt(i) : i == colon ? ':' : name.charAt(i - colon - 1);
  }

  @Override
  public String toString() {
    return service + ":" + name;
  }
}
