package dev.trailtrim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Objects;

/**
 * The fields of one CloudTrail record that trailtrim reads. Everything else in the record is
 * ignored. Absent string fields are {@code null}; absent JSON objects are {@link MissingNode}
 * so rules can navigate them without null checks.
 *
 * @param eventTimeMillis    eventTime as epoch milliseconds (UTC)
 * @param eventSource        e.g. {@code s3.amazonaws.com}
 * @param eventName          e.g. {@code GetObject}, {@code Invoke}, {@code GetFunction20150331v2}
 * @param awsRegion          region the call was made in
 * @param recipientAccountId account that received the call (the resource owner); may be null
 * @param errorCode          null for a successful call
 * @param identity           who made the call
 * @param userAgent          may be null
 * @param requestParameters  never null (MissingNode when absent or null in the record)
 * @param responseElements   never null (MissingNode when absent or null in the record)
 * @param resources          the record's {@code resources[]}, empty when absent
 * @param eventCategory      {@code Management}, {@code Data}, {@code Insight}; null in old records
 * @param managementEvent    the record's managementEvent flag, null when absent
 * @param eventId            the record's eventID (unique per event, the same in every trail that
 *                           delivers it), null when absent
 * @param vpcEndpointId      the VPC endpoint the call came through ({@code vpce-...}), null when it did not
 */
public record CloudTrailEvent(
    long eventTimeMillis,
    String eventSource,
    String eventName,
    String awsRegion,
    String recipientAccountId,
    String errorCode,
    Identity identity,
    String userAgent,
    JsonNode requestParameters,
    JsonNode responseElements,
    List<EventResource> resources,
    String eventCategory,
    Boolean managementEvent,
    String eventId,
    String vpcEndpointId) {

  public CloudTrailEvent {
    Objects.requireNonNull(eventSource, "eventSource");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(identity, "identity");
    requestParameters = requestParameters == null || requestParameters.isNull()
        ? MissingNode.getInstance() : requestParameters;
    responseElements = responseElements == null || responseElements.isNull()
        ? MissingNode.getInstance() : responseElements;
    resources = resources == null ? List.of() : List.copyOf(resources);
  }

  /** A record that did not come through a VPC endpoint. */
  public CloudTrailEvent(long eventTimeMillis, String eventSource, String eventName, String awsRegion,
      String recipientAccountId, String errorCode, Identity identity, String userAgent, JsonNode requestParameters,
      JsonNode responseElements, List<EventResource> resources, String eventCategory, Boolean managementEvent,
      String eventId) {
    this(eventTimeMillis, eventSource, eventName, awsRegion, recipientAccountId, errorCode, identity, userAgent,
        requestParameters, responseElements, resources, eventCategory, managementEvent, eventId, null);
  }

  /** A record without an eventID (rules and tests that build records by hand). */
  public CloudTrailEvent(long eventTimeMillis, String eventSource, String eventName, String awsRegion,
      String recipientAccountId, String errorCode, Identity identity, String userAgent, JsonNode requestParameters,
      JsonNode responseElements, List<EventResource> resources, String eventCategory, Boolean managementEvent) {
    this(eventTimeMillis, eventSource, eventName, awsRegion, recipientAccountId, errorCode, identity, userAgent,
        requestParameters, responseElements, resources, eventCategory, managementEvent, null);
  }

  public boolean succeeded() {
    return errorCode == null || errorCode.isEmpty();
  }

  /**
   * Whether this is a data event, which a trail records only for the resources its selectors
   * name: recent records say so in eventCategory, older ones with managementEvent=false.
   */
  public boolean isDataEvent() {
    return "Data".equalsIgnoreCase(eventCategory) || Boolean.FALSE.equals(managementEvent);
  }

  /** This record marked as a data event (for older records that carry no eventCategory). */
  public CloudTrailEvent asDataEvent() {
    return new CloudTrailEvent(eventTimeMillis, eventSource, eventName, awsRegion, recipientAccountId, errorCode,
        identity, userAgent, requestParameters, responseElements, resources, "Data", managementEvent, eventId,
        vpcEndpointId);
  }

  /** The account the call was made in, falling back to the caller's account. */
  public String accountId() {
    return recipientAccountId != null ? recipientAccountId : identity.accountId();
  }

  /**
   * {@code userIdentity}. For an assumed-role session the issuer fields name the role.
   *
   * @param type              AssumedRole, IAMUser, AWSService, Root, FederatedUser, ...
   * @param arn               the caller's ARN, e.g. {@code arn:aws:sts::1:assumed-role/R/session}
   * @param accountId         the caller's account
   * @param principalId       e.g. {@code AROA...:session}
   * @param invokedBy         set when an AWS service made the call on the principal's behalf
   * @param sessionIssuerType {@code Role} for role sessions
   * @param sessionIssuerArn  the role's ARN with its path, e.g. {@code arn:aws:iam::1:role/service-role/R}
   */
  public record Identity(
      String type,
      String arn,
      String accountId,
      String principalId,
      String invokedBy,
      String sessionIssuerType,
      String sessionIssuerArn) {

    /** The session name of an assumed-role ARN (its last path element), or null. */
    public String sessionName() {
      if (arn == null || !arn.contains(":assumed-role/")) {
        return null;
      }
      int slash = arn.lastIndexOf('/');
      return slash < 0 ? null : arn.substring(slash + 1);
    }
  }

  /** One element of {@code resources[]}. */
  public record EventResource(String arn, String type, String accountId) {}
}
