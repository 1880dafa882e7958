package dev.trailtrim.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.model.CloudTrailEvent;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * A successful change to a trail that the logs themselves record. {@code StopLogging} (until a
 * {@code StartLogging}) and {@code DeleteTrail} open a gap in what the logs can show; selector and
 * trail updates mean the configuration read today did not hold before them.
 *
 * @param trail the trail's name or ARN as the call gave it ({@code requestParameters.name})
 */
public record TrailChange(long timeMillis, String accountId, String region, String eventName, String trail)
    implements Serializable, Comparable<TrailChange> {

  /** The calls that change what a trail records. */
  public static final Set<String> EVENT_NAMES = Set.of("StopLogging", "StartLogging", "DeleteTrail", "CreateTrail",
      "UpdateTrail", "PutEventSelectors");

  private static final Comparator<TrailChange> ORDER = Comparator.comparingLong(TrailChange::timeMillis)
      .thenComparing(TrailChange::accountId).thenComparing(TrailChange::region).thenComparing(TrailChange::eventName)
      .thenComparing(TrailChange::trail);

  public TrailChange {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(trail, "trail");
  }

  /** The change a record makes, or null when it makes none (another call, or a failed one). */
  public static TrailChange of(CloudTrailEvent event) {
    if (!"cloudtrail.amazonaws.com".equals(event.eventSource()) || !EVENT_NAMES.contains(event.eventName())
        || !event.succeeded()) {
      return null;
    }
    JsonNode name = event.requestParameters().path("name");
    JsonNode trailName = name.isMissingNode() ? event.requestParameters().path("trailName") : name;
    String account = event.accountId();
    return new TrailChange(event.eventTimeMillis(), account == null ? "" : account,
        event.awsRegion() == null ? "" : event.awsRegion(), event.eventName(),
        trailName.isTextual() ? trailName.asText() : "(unnamed)");
  }

  /** Whether the trail stops recording from this change on (until it is started or created again). */
  public boolean stops() {
    return eventName.equals("StopLogging") || eventName.equals("DeleteTrail");
  }

  /** Whether the trail records again from this change on. */
  public boolean starts() {
    return eventName.equals("StartLogging") || eventName.equals("CreateTrail");
  }

  /** The trail's name without an ARN's prefix: StopLogging may name it either way. */
  public String trailName() {
    return trail.substring(trail.lastIndexOf('/') + 1);
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("time", Instant.ofEpochMilli(timeMillis).toString());
    json.put("accountId", accountId);
    json.put("region", region);
    json.put("eventName", eventName);
    json.put("trail", trail);
    return json;
  }

  static TrailChange fromJson(JsonNode json) {
    return new TrailChange(Instant.parse(json.path("time").asText()).toEpochMilli(), json.path("accountId").asText(),
        json.path("region").asText(), json.path("eventName").asText(), json.path("trail").asText());
  }

  @Override
  public int compareTo(TrailChange o) {
    return ORDER.compare(this, o);
  }
}
