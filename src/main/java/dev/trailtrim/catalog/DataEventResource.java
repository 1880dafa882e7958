package dev.trailtrim.catalog;

import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.Arn;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.Translation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evidence that the analysed trail logs data events: a data-event record of {@code service} (IAM
 * prefix) for a resource, reduced to the unit trails select data events by (an S3 bucket, a
 * DynamoDB table, a Lambda function without qualifier, a Kinesis stream, an SQS queue, an SNS
 * topic, ...), and whether the call read or wrote (trails select read and write data events
 * separately). {@code resource} is null when the record named no resource. Small, serializable and
 * ordered, so the ingest side can collect a set of them per file and merge the sets.
 *
 * @param service  the IAM prefix of the record's eventSource ({@code s3}, {@code dynamodb}, ...)
 * @param resource the logging unit's ARN, or null
 * @param readOnly true for a read (IAM access level Read or List), false for a write
 */
public record DataEventResource(String service, String resource, boolean readOnly)
    implements Serializable, Comparable<DataEventResource> {

  private static final long serialVersionUID = 1L;

  public DataEventResource {
    Objects.requireNonNull(service, "service");
    service = service.toLowerCase(Locale.ROOT);
    if (resource != null && !Arn.looksLikeArn(resource)) {
      throw new IllegalArgumentException("A data event resource must be an ARN or null, got '" + resource + "'");
    }
  }

  /**
   * What one record shows about data-event logging: nothing unless it is a data event
   * ({@code eventCategory} Data or {@code managementEvent} false); otherwise one entry per resource
   * of {@code resources[]} (or, when that is empty, per concrete resource the translation
   * derived), each reduced to its logging unit, read or write as the translated actions' access
   * level says. A record whose call cannot be translated or classified shows nothing, since it
   * cannot tell reads from writes.
   */
  public static List<DataEventResource> seenIn(CloudTrailEvent event, EventTranslator translator) {
    Objects.requireNonNull(translator, "translator");
    if (event == null || !event.isDataEvent()) {
      return List.of();
    }
    return seenIn(event, translator.translate(event), translator);
  }

  /** As {@link #seenIn(CloudTrailEvent, EventTranslator)}, with the record's translation at hand. */
  public static List<DataEventResource> seenIn(CloudTrailEvent event, Translation translation,
      EventTranslator translator) {
    if (event == null || !event.isDataEvent()) {
      return List.of();
    }
    String service = translator.prefixOfEventSource(event.eventSource());
    if (translation.outcome() != Translation.Outcome.MAPPED || service == null) {
      return List.of();
    }
    // A trail selects read or write data events; a call that writes anything (CopyObject) is a write.
    boolean readOnly = true;
    boolean classified = false;
    for (ActionOnResource a : translation.accesses()) {
      Optional<ActionInfo> info = translator.actionInfo(a.action());
      if (info.isPresent() && info.get().action().service().equalsIgnoreCase(service)) {
        classified = true;
        readOnly &= isRead(info.get());
      }
    }
    if (!classified) {
      return List.of();
    }
    Set<String> units = new TreeSet<>();
    for (CloudTrailEvent.EventResource resource : event.resources()) {
      if (resource != null && resource.arn() != null && Arn.looksLikeArn(resource.arn())) {
        try {
          units.add(unitOf(service, resource.arn()));
        } catch (IllegalArgumentException malformed) {
          // An odd ARN in resources[] shows nothing; the record's other resources still count.
        }
      }
    }
    if (units.isEmpty()) {
      for (ActionOnResource a : translation.accesses()) {
        String unit = a.action().service().equalsIgnoreCase(service) ? unitOfPattern(service, a.resource()) : null;
        if (unit != null) {
          units.add(unit);
        }
      }
    }
    List<DataEventResource> seen = new ArrayList<>();
    if (units.isEmpty()) {
      seen.add(new DataEventResource(service, null, readOnly));
    }
    for (String unit : units) {
      seen.add(new DataEventResource(service, unit, readOnly));
    }
    return seen;
  }

  /** Reads and lists are read data events; everything else writes. */
  static boolean isRead(ActionInfo action) {
    return action.accessLevel() == AccessLevel.READ || action.accessLevel() == AccessLevel.LIST;
  }

  /**
   * The unit trails select data events by, for a concrete ARN of the service: the bucket of an S3
   * object (or access point of an access-point object), the table of a DynamoDB index or stream,
   * the function of a qualified Lambda ARN, the stream of a Kinesis consumer; other ARNs as they are.
   */
  static String unitOf(String service, String arn) {
    // As Arn.parse and new Arn(...).toString() would, without splitting and joining per record.
    int[] colons = new int[5];
    int found = 0;
    for (int at = arn.indexOf(':'); at >= 0 && found < 5; at = arn.indexOf(':', at + 1)) {
      colons[found++] = at;
    }
    if (found < 5 || colons[0] != 3 || !arn.startsWith("arn")) {
      Arn.parse(arn);
    }
    String resource = arn.substring(colons[4] + 1);
    if (colons[1] == colons[0] + 1 || colons[2] == colons[1] + 1 || resource.isEmpty()) {
      Arn.parse(arn);
    }
    String unit = switch (service.toLowerCase(Locale.ROOT)) {
      case "s3", "s3-object-lambda" -> resource.startsWith("accesspoint/")
          ? upTo(resource, '/', 2) : upTo(resource, '/', 1);
      case "dynamodb" -> resource.startsWith("table/") ? upTo(resource, '/', 2) : resource;
      case "lambda" -> resource.startsWith("function:") ? upTo(resource, ':', 2) : resource;
      case "kinesis" -> resource.startsWith("stream/") ? upTo(resource, '/', 2) : resource;
      default -> resource;
    };
    if (unit.isEmpty()) {
      throw new IllegalArgumentException("Cannot make an ARN of " + arn + " without its resource part");
    }
    return unit.length() == resource.length() ? arn : arn.substring(0, colons[4] + 1) + unit;
  }

  /**
   * The unit a granted (or derived) resource pattern stays within, or null when it may reach more
   * than one unit: a wildcard in the unit's part ({@code *}, {@code arn:aws:s3:::*},
   * {@code arn:aws:s3:::logs-*}/..., {@code arn:aws:dynamodb:*:1:table/T}). Wildcards below the unit
   * ({@code arn:aws:s3:::b/*}, {@code ...:function:f:*}) keep one unit. Escaped literals
   * ({@code ${*}}) are the characters themselves.
   */
  static String unitOfPattern(String service, String pattern) {
    if (pattern == null || pattern.equals(ActionOnResource.ANY_RESOURCE) || !pattern.startsWith("arn:")) {
      return null;
    }
    String[] parts = pattern.split(":", 6);
    if (parts.length < 6) {
      return null;
    }
    // The unit's ARN is a prefix of the pattern's; cut the pattern where the unit ends.
    String head = String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4]) + ":";
    String resourcePart = parts[5];
    String unitResource;
    switch (service.toLowerCase(Locale.ROOT)) {
      case "s3", "s3-object-lambda" -> unitResource = resourcePart.startsWith("accesspoint/")
          ? upTo(resourcePart, '/', 2) : upTo(resourcePart, '/', 1);
      case "dynamodb" -> unitResource = resourcePart.startsWith("table/") ? upTo(resourcePart, '/', 2) : resourcePart;
      case "lambda" -> unitResource = resourcePart.startsWith("function:") ? upTo(resourcePart, ':', 2) : resourcePart;
      case "kinesis" -> unitResource = resourcePart.startsWith("stream/") ? upTo(resourcePart, '/', 2) : resourcePart;
      default -> unitResource = resourcePart;
    }
    String unitPattern = head + unitResource;
    if (hasWildcard(unitPattern)) {
      return null;
    }
    String unit = unescape(unitPattern);
    return Arn.looksLikeArn(unit) ? unit : null;
  }

  private static String upTo(String resource, char separator, int parts) {
    int at = -1;
    for (int i = 0; i < parts; i++) {
      at = resource.indexOf(separator, at + 1);
      if (at < 0) {
        return resource;
      }
    }
    return resource.substring(0, at);
  }

  /** A {@code *} or {@code ?} that is not inside an escape {@code ${*}}, {@code ${?}}. */
  private static boolean hasWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '$' && pattern.startsWith("${", i) && i + 3 < pattern.length() && pattern.charAt(i + 3) == '}') {
        i += 3;
        continue;
      }
      if (c == '*' || c == '?') {
        return true;
      }
    }
    return false;
  }

  private static String unescape(String pattern) {
    return pattern.replace("${*}", "*").replace("${?}", "?").replace("${$}", "$");
  }

  /** By service, then resource (null first), then write before read; written out, as sets of these are filled per record. */
  @Override
  public int compareTo(DataEventResource o) {
    int byService = service.compareTo(o.service);
    if (byService != 0) {
      return byService;
    }
    if (resource != o.resource) {
      if (resource == null) {
        return -1;
      }
      if (o.resource == null) {
        return 1;
      }
      int byResource = resource.compareTo(o.resource);
      if (byResource != 0) {
        return byResource;
      }
    }
    return Boolean.compare(readOnly, o.readOnly);
  }
}
