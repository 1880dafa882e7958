package dev.trailtrim.analysis;

import java.util.Objects;

/**
 * A safety control that acted on the whole role: it was skipped, or its suggestion keeps
 * everything granted.
 *
 * @param rule   {@code skipped-by-config}, {@code observation-window-too-short} or {@code role-too-new}
 * @param detail one sentence with the numbers and the setting that decided it
 */
public record SafetyDecision(String rule, String detail) {

  public SafetyDecision {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
  }
}
