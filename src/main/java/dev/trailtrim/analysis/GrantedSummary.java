package dev.trailtrim.analysis;

import java.util.List;

/**
 * What the role is granted, in brief.
 *
 * @param policies    labels of its identity policies, sorted
 * @param boundary    the boundary's label, or null
 * @param actionCount distinct catalog actions its Allow statements name (wildcards expanded)
 */
public record GrantedSummary(List<String> policies, String boundary, int actionCount) {

  public static final GrantedSummary UNKNOWN = new GrantedSummary(List.of(), null, 0);

  public GrantedSummary {
    policies = policies.stream().sorted().toList();
  }
}
