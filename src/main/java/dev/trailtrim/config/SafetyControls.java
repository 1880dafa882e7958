package dev.trailtrim.config;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Patterns;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the configuration protects from removal (documented in {@code conf/trailtrim.properties}).
 * Each control that acts records its rule in the role report.
 *
 * @param skipRoles          role ARN globs ({@code *}, {@code ?}): such roles are reported as skipped, no suggestion
 * @param protectedActions   IAM action patterns ({@code kms:Decrypt}, {@code ssm:Get*}): kept as granted
 * @param minObservationDays below this many days in the window nothing is suggested for removal
 * @param minRoleAgeDays     a role younger than this (from its CreateDate to the window's end) keeps everything
 * @param optOutSidPrefix    statements whose Sid starts with it are kept as they are; empty: none
 */
public record SafetyControls(List<String> skipRoles, List<String> protectedActions, int minObservationDays,
    int minRoleAgeDays, String optOutSidPrefix) {

  // Declared before NONE, which the constructor validates with it.
  private static final Pattern SID_PREFIX = Pattern.compile("[A-Za-z0-9]*");

  /** No control acts: everything unused may be suggested for removal. */
  public static final SafetyControls NONE = new SafetyControls(List.of(), List.of(), 0, 0, "");

  public SafetyControls {
    skipRoles = List.copyOf(skipRoles);
    protectedActions = List.copyOf(protectedActions);
    Objects.requireNonNull(optOutSidPrefix, "optOutSidPrefix");
    for (String glob : skipRoles) {
      if (!glob.startsWith("arn:")) {
        throw new IllegalArgumentException("skip.roles: '" + glob + "' is not a role ARN glob: write e.g."
            + " arn:aws:iam::*:role/break-glass-*");
      }
    }
    for (String pattern : protectedActions) {
      int colon = pattern.indexOf(':');
      if (!pattern.equals("*")
          && (colon <= 0 || colon == pattern.length() - 1 || pattern.indexOf(':', colon + 1) >= 0)) {
        throw new IllegalArgumentException("protect.actions: '" + pattern + "' is not an IAM action pattern: write"
            + " service:Action, e.g. kms:Decrypt or ssm:GetParameter*");
      }
    }
    if (minObservationDays < 0 || minRoleAgeDays < 0) {
      throw new IllegalArgumentException("Minimum days must not be negative, got min.observation.days="
          + minObservationDays + " and min.role.age.days=" + minRoleAgeDays);
    }
    if (!SID_PREFIX.matcher(optOutSidPrefix).matches()) {
      throw new IllegalArgumentException("opt.out.sid.prefix '" + optOutSidPrefix + "' can never start a Sid: IAM Sids"
          + " are ASCII letters and digits only");
    }
  }

  /** The first skip glob the role ARN matches, or null. Globs match the whole ARN, case-sensitively. */
  public String skipping(String roleArn) {
    for (String glob : skipRoles) {
      if (Patterns.resourceMatches(glob, roleArn, Patterns.Variables.LITERAL)) {
        return glob;
      }
    }
    return null;
  }

  /** The first protected pattern that matches the action, or null. */
  public String protecting(IamAction action) {
    for (String pattern : protectedActions) {
      if (Patterns.actionMatches(pattern, action)) {
        return pattern;
      }
    }
    return null;
  }

  /** Whether a statement with this Sid opted out of tightening. */
  public boolean optsOut(String sid) {
    return !optOutSidPrefix.isEmpty() && sid != null && sid.startsWith(optOutSidPrefix);
  }

  /** Comma-separated list as conf/trailtrim.properties writes it: blanks ignored. */
  public static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "skip.roles=%s protect.actions=%s min.observation.days=%d min.role.age.days=%d"
        + " opt.out.sid.prefix=%s", skipRoles, protectedActions, minObservationDays, minRoleAgeDays, optOutSidPrefix);
  }
}
