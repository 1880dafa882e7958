package dev.trailtrim.drift;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one run found about one Lambda role, kept in the run ({@code state/roles.json}) so that the
 * next run can say what changed. Actions are catalog actions as the role report names them.
 *
 * @param status     {@code analysed}, {@code grants-unknown}, {@code grants-incomplete}, {@code skipped},
 *                   {@code self-check-failed} (the suggestion withheld) or {@code failed}
 * @param granted    what its identity policies allow; null when the grants are unknown (not in the snapshot,
 *                   incomplete, or the analysis failed)
 * @param used       actions used successfully in the window
 * @param unused     actions granted and unused in the window (per-service rows as {@code service:*}); this
 *                   run's only, not kept in the file ({@link RunState})
 * @param denied     denied calls per action in the window
 * @param suggestion the suggested policy; null when none was suggested
 */
public record RoleState(String roleArn, String status, List<Grant> granted, SortedSet<String> used,
    SortedSet<String> unused, SortedMap<String, Long> denied, SuggestionState suggestion) {

  public static final String ANALYSED = "analysed";
  public static final String FAILED = "failed";

  public RoleState {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(status, "status");
    granted = granted == null ? null : granted.stream().sorted().toList();
    used = new TreeSet<>(used);
    unused = new TreeSet<>(unused);
    denied = new TreeMap<>(denied);
  }

  /** A role whose analysis failed: nothing of it is known, so nothing is compared. */
  public static RoleState failed(String roleArn) {
    return new RoleState(roleArn, FAILED, null, new TreeSet<>(), new TreeSet<>(), new TreeMap<>(), null);
  }

  boolean failed() {
    return status.equals(FAILED);
  }

  Map<String, Grant> grantsByKey() {
    Map<String, Grant> byKey = new TreeMap<>();
    if (granted != null) {
      granted.forEach(grant -> byKey.put(grant.key(), grant));
    }
    return byKey;
  }

  /**
   * The suggested policy in brief.
   *
   * @param actions    the Action entries of its Allow statements, sorted
   * @param policyHash {@code sha256:} and the hex SHA-256 of the policy as written (before any split)
   */
  public record SuggestionState(SortedSet<String> actions, String policyHash) {
    public SuggestionState {
      actions = new TreeSet<>(actions);
      Objects.requireNonNull(policyHash, "policyHash");
    }
  }
}
