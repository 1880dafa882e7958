package dev.trailtrim.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.DescribeTrailsResponse;
import software.amazon.awssdk.services.cloudtrail.model.ListTrailsResponse;
import software.amazon.awssdk.services.cloudtrail.model.TrailInfo;

/**
 * Reads the trails' own configuration live from CloudTrail and returns it as the JSON documents the
 * AWS CLI prints, so {@code dev.trailtrim.evidence.TrailConfigParser} serves both a live read and
 * files (a run can keep the documents as {@code trail-config.json} and be reproduced from it):
 * <ol>
 *   <li>one {@code describe-trails} document of every trail {@code ListTrails} names (all pages), described
 *       by ARN with shadow trails included, so trails of other regions and organization trails seen from
 *       this account are there;</li>
 *   <li>per trail, {@code get-event-selectors} output;</li>
 *   <li>per trail, {@code get-trail-status} output with the trail's {@code TrailARN} added (the CLI's
 *       output does not say which trail it describes).</li>
 * </ol>
 * Needs {@code cloudtrail:ListTrails}, {@code DescribeTrails}, {@code GetEventSelectors} and
 * {@code GetTrailStatus}. The only class of the project that touches the SDK's CloudTrail client.
 */
public final class LiveTrailConfigReader implements AutoCloseable {

  /** DescribeTrails takes a list of trails; asking for a few at a time keeps each request small. */
  static final int TRAILS_PER_DESCRIBE = 20;
  static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(500);

  private final CloudTrailClient cloudTrail;
  private final boolean ownsClient;

  /** Reads through {@code cloudTrail}, which the caller configures (region, retries) and closes. */
  public LiveTrailConfigReader(CloudTrailClient cloudTrail) {
    this(cloudTrail, false);
  }

  private LiveTrailConfigReader(CloudTrailClient cloudTrail, boolean ownsClient) {
    if (cloudTrail == null) {
      throw new IllegalArgumentException("CloudTrailClient must not be null");
    }
    this.cloudTrail = cloudTrail;
    this.ownsClient = ownsClient;
  }

  /** Reads from CloudTrail in {@code region} with the default credentials chain (environment, profile, instance role). */
  public static LiveTrailConfigReader connect(Region region) {
    return connect(region, null);
  }

  /** Like {@link #connect(Region)}, against {@code endpointOverride} when it is not null (local stand-ins). */
  public static LiveTrailConfigReader connect(Region region, URI endpointOverride) {
    return new LiveTrailConfigReader(newClient(region, endpointOverride, DefaultCredentialsProvider.builder().build(),
        DEFAULT_RETRY_BASE_DELAY), true);
  }

  /**
   * A client for CloudTrail in {@code region} ({@code endpointOverride} when not null) that retries throttling
   * and transient errors as {@link LiveIamReader#retryStrategy} does, from {@code retryBaseDelay}.
   */
  public static CloudTrailClient newClient(Region region, URI endpointOverride, AwsCredentialsProvider credentials,
      Duration retryBaseDelay) {
    if (region == null) {
      throw new IllegalArgumentException("CloudTrail needs a region, such as the one the job runs in");
    }
    return SdkClients.build(CloudTrailClient.builder(), region, endpointOverride, credentials, retryBaseDelay);
  }

  /**
   * The documents described in the class comment, trails sorted by ARN.
   *
   * @throws IllegalStateException when CloudTrail keeps throttling, refuses access or cannot be reached
   */
  public List<ObjectNode> readDocuments() {
    Set<String> arns = new TreeSet<>();
    call("ListTrails", "", () -> {
      for (ListTrailsResponse page : cloudTrail.listTrailsPaginator(r -> {})) {
        for (TrailInfo trail : page.trails()) {
          arns.add(trail.trailARN());
        }
      }
      return null;
    });
    List<String> all = new ArrayList<>(arns);
    List<JsonNode> described = new ArrayList<>();
    for (int from = 0; from < all.size(); from += TRAILS_PER_DESCRIBE) {
      List<String> some = all.subList(from, Math.min(all.size(), from + TRAILS_PER_DESCRIBE));
      DescribeTrailsResponse response = call("DescribeTrails", "",
          () -> cloudTrail.describeTrails(r -> r.trailNameList(some).includeShadowTrails(true)));
      CliJson.toJson(response).path("trailList").forEach(described::add);
    }
    described.sort(Comparator.comparing(t -> t.path("TrailARN").asText()));

    List<ObjectNode> documents = new ArrayList<>();
    ObjectNode describeTrails = JsonNodeFactory.instance.objectNode();
    ArrayNode trailList = describeTrails.putArray("trailList");
    described.forEach(trailList::add);
    documents.add(describeTrails);
    for (JsonNode trail : described) {
      String arn = trail.path("TrailARN").asText();
      documents.add((ObjectNode) CliJson.toJson(call("GetEventSelectors", arn,
          () -> cloudTrail.getEventSelectors(r -> r.trailName(arn)))));
    }
    for (JsonNode trail : described) {
      String arn = trail.path("TrailARN").asText();
      ObjectNode status = (ObjectNode) CliJson.toJson(call("GetTrailStatus", arn,
          () -> cloudTrail.getTrailStatus(r -> r.name(arn))));
      documents.add(JsonNodeFactory.instance.objectNode().put("TrailARN", arn).setAll(status));
    }
    return documents;
  }

  private interface Call<T> {
    T run();
  }

  private static <T> T call(String operation, String trailArn, Call<T> call) {
    String subject = operation + (trailArn.isEmpty() ? "" : " of '" + trailArn + "'");
    try {
      return call.run();
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "error" : e.awsErrorDetails().errorCode();
      String why = e.isThrottlingException()
          ? "CloudTrail kept throttling after " + LiveIamReader.MAX_ATTEMPTS + " attempts; run again later"
              + " or use --trail-config"
          : "check that the credentials allow cloudtrail:" + operation + ", or use --trail-config";
      throw new IllegalStateException("Cannot read the trail configuration: " + subject + " failed with " + code
          + " (HTTP " + e.statusCode() + "): " + why, e);
    } catch (SdkException e) {
      throw new IllegalStateException("Cannot read the trail configuration: " + subject + " failed: "
          + e.getMessage() + "; check network access to CloudTrail and the credentials, or use --trail-config",
          e);
    }
  }

  /** Closes the client when this reader built it ({@link #connect}). */
  @Override
  public void close() {
    if (ownsClient) {
      cloudTrail.close();
    }
  }
}
