package dev.trailtrim.evidence;

import java.util.List;

/**
 * One advanced event selector: its field selectors must all match (AND); a trail records an
 * event that any of its selectors matches (OR).
 *
 * @param name the selector's optional {@code Name}, or null
 */
public record AdvancedEventSelector(String name, List<AdvancedFieldSelector> fieldSelectors) {

  public AdvancedEventSelector {
    fieldSelectors = List.copyOf(fieldSelectors);
    if (fieldSelectors.isEmpty()) {
      throw new IllegalArgumentException("Advanced event selector '" + name + "' has no FieldSelectors:"
          + " pass the output of 'aws cloudtrail get-event-selectors' unchanged");
    }
  }
}
