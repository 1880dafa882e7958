package dev.trailtrim.policy;

import java.io.Serializable;
import java.util.List;

/**
 * An identity policy document.
 *
 * @param version {@code 2012-10-17}, {@code 2008-10-17}, or null when the document has none
 *                (IAM then applies 2008-10-17 rules: no policy variables)
 */
public record PolicyDocument(String version, List<Statement> statements) implements Serializable {

  public static final String CURRENT_VERSION = "2012-10-17";
  public static final String OLD_VERSION = "2008-10-17";

  public PolicyDocument {
    if (version != null && !version.equals(CURRENT_VERSION) && !version.equals(OLD_VERSION)) {
      throw new IllegalArgumentException("Policy Version must be 2012-10-17 or 2008-10-17, got '" + version + "'");
    }
    statements = List.copyOf(statements);
  }

  /** Policy variables such as {@code ${aws:username}} are only variables in 2012-10-17 documents. */
  public boolean supportsPolicyVariables() {
    return CURRENT_VERSION.equals(version);
  }
}
