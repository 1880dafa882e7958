package dev.trailtrim.evidence;

import java.util.List;
import java.util.Objects;

/**
 * One basic event selector of {@code get-event-selectors}: {@code ReadWriteType} filters both its
 * management and its data events; {@code ExcludeManagementEventSources} (kms.amazonaws.com,
 * rdsdata.amazonaws.com) removes those sources' management events.
 */
public record EventSelector(ReadWriteType readWriteType, boolean includeManagementEvents,
    List<DataResource> dataResources, List<String> excludeManagementEventSources) {

  public EventSelector {
    Objects.requireNonNull(readWriteType, "readWriteType");
    dataResources = List.copyOf(dataResources);
    excludeManagementEventSources = List.copyOf(excludeManagementEventSources);
  }
}
