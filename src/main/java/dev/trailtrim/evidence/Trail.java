package dev.trailtrim.evidence;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trail's configuration as {@code describe-trails}, {@code get-event-selectors} and (optionally)
 * {@code get-trail-status} print it: where it applies and what it records.
 *
 * @param name                        the trail's {@code Name}
 * @param trailArn                    {@code arn:<partition>:cloudtrail:<home region>:<account>:trail/<name>}
 * @param homeRegion                  the region it was created in; a single-region trail records only there
 * @param multiRegion                 {@code IsMultiRegionTrail}: records every region
 * @param includeGlobalServiceEvents  {@code IncludeGlobalServiceEvents}: records IAM, CloudFront, ... events
 * @param organizationTrail           {@code IsOrganizationTrail}: records every account of the organization
 * @param s3BucketName                where it delivers, or null
 * @param s3KeyPrefix                 the key prefix it delivers under, or null
 */
public record Trail(String name, String trailArn, String homeRegion, boolean multiRegion,
    boolean includeGlobalServiceEvents, boolean organizationTrail, String s3BucketName, String s3KeyPrefix,
    TrailSelectors selectors, LoggingStatus logging) {

  private static final Pattern TRAIL_ARN =
      Pattern.compile("arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\\d{12}):trail/(.+)");

  public Trail {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Trail '" + trailArn + "' has no Name: pass the output of"
          + " 'aws cloudtrail describe-trails' unchanged");
    }
    Matcher arn = trailArn == null ? null : TRAIL_ARN.matcher(trailArn);
    if (arn == null || !arn.matches()) {
      throw new IllegalArgumentException("TrailARN '" + trailArn + "' is not a trail ARN such as"
          + " arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events");
    }
    if (homeRegion == null || homeRegion.isBlank()) {
      homeRegion = arn.group(2);
    } else if (!homeRegion.equals(arn.group(2))) {
      throw new IllegalArgumentException("HomeRegion '" + homeRegion + "' of trail '" + trailArn
          + "' differs from the region of its ARN: pass the output of 'aws cloudtrail describe-trails' unchanged");
    }
    Objects.requireNonNull(selectors, "selectors");
    Objects.requireNonNull(logging, "logging");
  }

  /** The account the trail belongs to (an organization trail's management or delegated account). */
  public String accountId() {
    return trailArn.split(":", 6)[4];
  }

  public String partition() {
    return trailArn.split(":", 6)[1];
  }

  Trail withSelectors(TrailSelectors newSelectors) {
    return new Trail(name, trailArn, homeRegion, multiRegion, includeGlobalServiceEvents, organizationTrail,
        s3BucketName, s3KeyPrefix, newSelectors, logging);
  }

  Trail withLogging(LoggingStatus newLogging) {
    return new Trail(name, trailArn, homeRegion, multiRegion, includeGlobalServiceEvents, organizationTrail,
        s3BucketName, s3KeyPrefix, selectors, newLogging);
  }
}
