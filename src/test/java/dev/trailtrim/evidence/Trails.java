package dev.trailtrim.evidence;

import java.util.ArrayList;
import java.util.List;

/** Small builders of trails and selectors for the tests of this package. */
final class Trails {

  static final String ACCOUNT = "111122223333";

  private Trails() {}

  static Trail multiRegion(String name, TrailSelectors selectors) {
    return trail(name, ACCOUNT, "us-east-1", true, true, false, selectors);
  }

  static Trail singleRegion(String name, String region, boolean globalServiceEvents, TrailSelectors selectors) {
    return trail(name, ACCOUNT, region, false, globalServiceEvents, false, selectors);
  }

  static Trail trail(String name, String account, String home, boolean multiRegion, boolean globalServiceEvents,
      boolean organization, TrailSelectors selectors) {
    return new Trail(name, "arn:aws:cloudtrail:" + home + ":" + account + ":trail/" + name, home, multiRegion,
        globalServiceEvents, organization, "trail-bucket", null, selectors, LoggingStatus.NOT_READ);
  }

  static TrailSelectors basic(EventSelector... selectors) {
    return new TrailSelectors.Basic(List.of(selectors));
  }

  static EventSelector management(ReadWriteType readWrite, String... excludedSources) {
    return new EventSelector(readWrite, true, List.of(), List.of(excludedSources));
  }

  static EventSelector data(ReadWriteType readWrite, String type, String... values) {
    return new EventSelector(readWrite, false, List.of(new DataResource(type, List.of(values))), List.of());
  }

  static TrailSelectors advanced(AdvancedEventSelector... selectors) {
    return new TrailSelectors.Advanced(List.of(selectors));
  }

  static AdvancedEventSelector selector(String name, AdvancedFieldSelector... fields) {
    return new AdvancedEventSelector(name, List.of(fields));
  }

  /** Data events of one resource type, plus any further conditions. */
  static AdvancedEventSelector dataSelector(String name, String type, AdvancedFieldSelector... more) {
    List<AdvancedFieldSelector> fields = new ArrayList<>(List.of(
        AdvancedFieldSelector.equalTo("eventCategory", "Data"), AdvancedFieldSelector.equalTo("resources.type", type)));
    fields.addAll(List.of(more));
    return new AdvancedEventSelector(name, fields);
  }

  /** A field condition with one operator: Equals, StartsWith, EndsWith, NotEquals, NotStartsWith or NotEndsWith. */
  static AdvancedFieldSelector field(String field, String operator, String... values) {
    List<String> given = List.of(values);
    List<String> none = List.of();
    return new AdvancedFieldSelector(field,
        operator.equals("Equals") ? given : none, operator.equals("StartsWith") ? given : none,
        operator.equals("EndsWith") ? given : none, operator.equals("NotEquals") ? given : none,
        operator.equals("NotStartsWith") ? given : none, operator.equals("NotEndsWith") ? given : none, none);
  }
}
