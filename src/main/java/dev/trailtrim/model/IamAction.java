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

  @Override
  public boolean equals(Object o) {
    return o instanceof IamAction other && key().equals(other.key());
  }

  @Override
  public int hashCode() {
    return key().hashCode();
  }

  @Override
  public int compareTo(IamAction o) {
    int byKey = key().compareTo(o.key());
    return byKey != 0 ? byKey : toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return service + ":" + name;
  }
}
