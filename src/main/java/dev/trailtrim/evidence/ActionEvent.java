package dev.trailtrim.evidence;

import dev.trailtrim.model.IamAction;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a use of an IAM action shows in CloudTrail, as far as trail selectors can tell it apart.
 *
 * @param eventSource  e.g. {@code s3.amazonaws.com}
 * @param eventNames   every {@code eventName} a use may be recorded under; a use is recorded only if it
 *                     is whichever of them it takes
 * @param readOnly     whether the event is a read ({@code readOnly} true), which is what
 *                     {@code ReadWriteType} and the {@code readOnly} field select
 * @param resourceType for data events the advanced selectors' {@code resources.type}, e.g.
 *                     {@code AWS::S3::Object} (see {@link DataEventTypes}); null for management events
 */
public record ActionEvent(IamAction action, String eventSource, SortedSet<String> eventNames, EventCategory category,
    boolean readOnly, String resourceType) {

  public ActionEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(category, "category");
    if (eventSource == null || !eventSource.contains(".")) {
      throw new IllegalArgumentException("eventSource of " + action + " must look like s3.amazonaws.com, got '"
          + eventSource + "'");
    }
    eventSource = eventSource.toLowerCase(Locale.ROOT);
    if (eventNames == null || eventNames.isEmpty() || eventNames.stream().anyMatch(n -> n == null || n.isBlank())) {
      throw new IllegalArgumentException(
          "eventNames of " + action + " must name at least one event, got " + eventNames);
    }
    eventNames = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(eventNames));
    if (category == EventCategory.DATA && (resourceType == null || resourceType.isBlank())) {
      throw new IllegalArgumentException("A data event of " + action + " needs its resources.type, such as "
          + DataEventTypes.S3_OBJECT + ": see DataEventTypes.resourceTypeOf");
    }
    if (category == EventCategory.MANAGEMENT && resourceType != null) {
      throw new IllegalArgumentException("A management event of " + action + " has no resources.type, got '"
          + resourceType + "'");
    }
  }

  /** A management event recorded under the action's own name. */
  public static ActionEvent management(IamAction action, String eventSource, boolean readOnly) {
    return new ActionEvent(action, eventSource, new TreeSet<>(Set.of(action.name())), EventCategory.MANAGEMENT,
        readOnly, null);
  }

  /** A data event recorded under the action's own name, of the resource type {@link DataEventTypes} gives it. */
  public static ActionEvent data(IamAction action, String eventSource, boolean readOnly) {
    String type = DataEventTypes.resourceTypeOf(action);
    if (type == null) {
      throw new IllegalArgumentException("trailtrim knows no resources.type for the data events of " + action
          + ": add it to DataEventTypes, or pass the type with data(action, eventSource, readOnly, type)");
    }
    return data(action, eventSource, readOnly, type);
  }

  public static ActionEvent data(IamAction action, String eventSource, boolean readOnly, String resourceType) {
    return new ActionEvent(action, eventSource, new TreeSet<>(Set.of(action.name())), EventCategory.DATA, readOnly,
        resourceType);
  }

  /** The same event, recorded under any of {@code names} (e.g. s3:PutObject as PutObject or CompleteMultipartUpload). */
  public ActionEvent withEventNames(Set<String> names) {
    return new ActionEvent(action, eventSource, names == null ? null : new TreeSet<>(names), category, readOnly,
        resourceType);
  }

  /** "read data events of AWS::S3::Object", "write management events from iam.amazonaws.com". */
  String kind() {
    String access = readOnly ? "read" : "write";
    return category == EventCategory.DATA ? access + " data events of " + resourceType
        : access + " management events from " + eventSource;
  }
}
