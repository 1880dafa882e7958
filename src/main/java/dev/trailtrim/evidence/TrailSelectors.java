package dev.trailtrim.evidence;

import java.util.List;

/**
 * What {@code get-event-selectors} says a trail records: basic selectors, advanced selectors (a
 * trail has one kind or the other), or nothing known because that output was not given.
 */
public sealed interface TrailSelectors {

  /** No {@code get-event-selectors} output for the trail: it is taken as recording nothing. */
  TrailSelectors NOT_READ = new NotRead();

  record Basic(List<EventSelector> selectors) implements TrailSelectors {
    public Basic {
      selectors = List.copyOf(selectors);
    }
  }

  record Advanced(List<AdvancedEventSelector> selectors) implements TrailSelectors {
    public Advanced {
      selectors = List.copyOf(selectors);
    }
  }

  record NotRead() implements TrailSelectors {}
}
