package dev.trailtrim.analysis;

import dev.trailtrim.model.IamAction;
import java.util.Comparator;
import java.util.Objects;

/**
 * A granted permission the window shows no use of, which a safety control keeps in the suggestion
 * anyway: so {@code unused} lists only what the suggestion removes.
 *
 * @param action    a catalog action, or {@code service:*} for a statement reported per service
 * @param resource  the granted resource pattern ({@code NotResource [...]} for NotResource statements)
 * @param rule      {@code protected-by-config}, {@code opted-out-by-sid}, {@code observation-window-too-short}
 *                  or {@code role-too-new}
 * @param detail    which setting, with its value
 */
public record KeptBySafety(IamAction action, String resource, GrantRef grantedBy, String rule, String detail)
    implements Comparable<KeptBySafety> {

  private static final Comparator<KeptBySafety> ORDER = Comparator.comparing(KeptBySafety::action)
      .thenComparing(KeptBySafety::resource).thenComparing(KeptBySafety::grantedBy);

  public KeptBySafety {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(grantedBy, "grantedBy");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public int compareTo(KeptBySafety o) {
    return ORDER.compare(this, o);
  }
}
