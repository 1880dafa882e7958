package dev.trailtrim.policy;

import dev.trailtrim.model.IamAction;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The condition keys of one request as IAM puts them in its request context, for the keys this
 * context speaks for: a known key is either present with its values or surely absent; any other key
 * is unknown, and a condition on it can be neither true nor false. Keys compare case-insensitively,
 * as IAM's do; values as they are.
 *
 * @param values per known key (lower-cased), its values; an empty list when the key is surely absent
 */
public record RequestContext(Map<String, List<String>> values) {

  /** Services documented to set {@code aws:CalledVia} when they call on to another service with the caller's credentials. */
  public static final Set<String> CALLED_VIA_SERVICES = Set.of("athena.amazonaws.com", "cloudformation.amazonaws.com",
      "dynamodb.amazonaws.com", "kms.amazonaws.com");

  /** Keys IAM defines as multivalued (a set of values; single-valued operators on them are not evaluated here). */
  static final Set<String> MULTIVALUED = Set.of("aws:calledvia", "aws:tagkeys", "aws:principalservicenameslist");

  static final String REQUESTED_REGION = "aws:RequestedRegion";
  static final String SOURCE_VPCE = "aws:SourceVpce";
  static final String CALLED_VIA = "aws:CalledVia";
  static final String KMS_VIA_SERVICE = "kms:ViaService";
  static final String S3_PREFIX = "s3:prefix";
  private static final String AWS_SERVICE_SUFFIX = ".amazonaws.com";

  public RequestContext {
    TreeMap<String, List<String>> copy = new TreeMap<>();
    values.forEach((key, list) -> copy.put(key.toLowerCase(Locale.ROOT), List.copyOf(list)));
    values = java.util.Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The context of one call as CloudTrail recorded it: {@code aws:RequestedRegion} is its awsRegion;
   * {@code aws:SourceVpce} its vpcEndpointId; a call a service made with the role's credentials
   * ({@code userIdentity.invokedBy}) carries that service in {@code aws:CalledVia} when the service is
   * one that sets it, and, for a KMS action, {@code kms:ViaService} as {@code <service>.<region>.amazonaws.com};
   * a listing with a prefix carries {@code s3:prefix}. Keys the record cannot tell are left unknown.
   *
   * @param region      awsRegion, or null
   * @param vpcEndpoint vpcEndpointId, or null when the call did not come through a VPC endpoint
   * @param invokedBy   userIdentity.invokedBy, or null
   * @param prefix      requestParameters.prefix of an s3:ListBucket call, or null
   */
  public static RequestContext ofCall(IamAction action, String region, String vpcEndpoint, String invokedBy,
      String prefix) {
    Map<String, List<String>> values = new TreeMap<>();
    if (region != null) {
      values.put(REQUESTED_REGION, List.of(region));
    }
    values.put(SOURCE_VPCE, vpcEndpoint == null ? List.of() : List.of(vpcEndpoint));
    values.put(CALLED_VIA, invokedBy != null && CALLED_VIA_SERVICES.contains(invokedBy) ? List.of(invokedBy)
        : List.of());
    String viaService = viaService(invokedBy, region);
    // A caller kms:ViaService cannot be named for (no region, not an AWS service) leaves the key unknown.
    if (action.service().equalsIgnoreCase("kms") && (invokedBy == null || viaService != null)) {
      values.put(KMS_VIA_SERVICE, viaService == null ? List.of() : List.of(viaService));
    }
    if (action.equals(new IamAction("s3", "ListBucket")) && prefix != null) {
      values.put(S3_PREFIX, List.of(prefix));
    }
    return new RequestContext(values);
  }

  /** {@code kms:ViaService} of a call a service made: {@code s3.us-east-1.amazonaws.com}; null for a direct call. */
  static String viaService(String invokedBy, String region) {
    if (invokedBy == null || region == null || !invokedBy.endsWith(AWS_SERVICE_SUFFIX)) {
      return null;
    }
    return invokedBy.substring(0, invokedBy.length() - AWS_SERVICE_SUFFIX.length()) + "." + region
        + AWS_SERVICE_SUFFIX;
  }

  /** Whether this context speaks for the key (it is then present or surely absent). */
  boolean knows(String key) {
    return values.containsKey(key.toLowerCase(Locale.ROOT));
  }

  /** The key's values; empty when it is absent. Only for keys it {@link #knows}. */
  List<String> valuesOf(String key) {
    return values.getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
  }
}
