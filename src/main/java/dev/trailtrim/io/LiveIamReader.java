package dev.trailtrim.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsRequest;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;

/**
 * Reads the account's roles and managed policies live from IAM ({@code GetAccountAuthorizationDetails},
 * all pages) and returns them in exactly the shape {@code aws iam get-account-authorization-details}
 * prints, so the snapshot parser serves both {@code --iam-snapshot} and {@code --iam-live}.
 *
 * <p>As the CLI does, policy documents (which IAM sends URL-encoded) become JSON objects, timestamps
 * become {@code 2023-03-09T10:41:45+00:00}, and fields IAM did not send are left out. Users and groups
 * are not requested; their lists are present and empty.
 *
 * <p>The only class of the project that touches the AWS SDK's IAM client (the job jar relocates the SDK).
 */
public final class LiveIamReader implements AutoCloseable {

  /** What the job needs: roles with their inline policies, and the managed policies they attach. */
  static final List<EntityType> FILTERS =
      List.of(EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY, EntityType.AWS_MANAGED_POLICY);
  /**
   * IAM throttles this call hard on large accounts; back off from here, doubling up to
   * {@link SdkClients#MAX_BACKOFF}.
   */
  static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofSeconds(1);
  static final int MAX_ATTEMPTS = 10;

  private static final Set<String> DOCUMENT_MEMBERS = Set.of("PolicyDocument", "AssumeRolePolicyDocument", "Document");
  private static final List<String> RESULT_LISTS =
      List.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IamClient iam;
  private final boolean ownsClient;

  /** Reads through {@code iam}, which the caller configures (retries included) and closes. */
  public LiveIamReader(IamClient iam) {
    this(iam, false);
  }

  private LiveIamReader(IamClient iam, boolean ownsClient) {
    if (iam == null) {
      throw new IllegalArgumentException("IamClient must not be null");
    }
    this.iam = iam;
    this.ownsClient = ownsClient;
  }

  /** Reads from AWS IAM with the default credentials chain (environment, profile, instance role). */
  public static LiveIamReader connect() {
    return connect(null);
  }

  /** Like {@link #connect()}, against {@code endpointOverride} when it is not null (local stand-ins). */
  public static LiveIamReader connect(URI endpointOverride) {
    return new LiveIamReader(
        newClient(endpointOverride, DefaultCredentialsProvider.builder().build(), DEFAULT_RETRY_BASE_DELAY), true);
  }

  /**
   * A client for IAM's global endpoint ({@code Region.AWS_GLOBAL}, or {@code endpointOverride} when not null)
   * that retries throttling and transient errors up to {@link #MAX_ATTEMPTS} times with full-jitter exponential
   * backoff from {@code retryBaseDelay} (tests pass a few milliseconds).
   */
  public static IamClient newClient(URI endpointOverride, AwsCredentialsProvider credentials, Duration retryBaseDelay) {
    return SdkClients.build(IamClient.builder(), Region.AWS_GLOBAL, endpointOverride, credentials, retryBaseDelay);
  }

  static RetryStrategy retryStrategy(Duration baseDelay) {
    return SdkClients.retryStrategy(MAX_ATTEMPTS, baseDelay, baseDelay);
  }

  /**
   * All pages of {@code GetAccountAuthorizationDetails} (filters {@link #FILTERS}) as one CLI-shaped object:
   * {@code UserDetailList}, {@code GroupDetailList}, {@code RoleDetailList}, {@code Policies}.
   *
   * @throws IllegalStateException when IAM keeps throttling, refuses access, or sends an unreadable document
   */
  public ObjectNode readAuthorizationDetails() {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    Map<String, ArrayNode> lists = new LinkedHashMap<>();
    for (String list : RESULT_LISTS) {
      lists.put(list, result.putArray(list));
    }
    GetAccountAuthorizationDetailsRequest request = GetAccountAuthorizationDetailsRequest.builder()
        .filter(FILTERS)
        .build();
    try {
      for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator(request)) {
        addAll(lists.get("UserDetailList"), page.userDetailList(), "UserDetailList");
        addAll(lists.get("GroupDetailList"), page.groupDetailList(), "GroupDetailList");
        addAll(lists.get("RoleDetailList"), page.roleDetailList(), "RoleDetailList");
        addAll(lists.get("Policies"), page.policies(), "Policies");
      }
    } catch (AwsServiceException e) {
      String why = e.isThrottlingException()
          ? "IAM kept throttling after " + MAX_ATTEMPTS + " attempts; run again later or use --iam-snapshot"
          : "check that the credentials allow iam:GetAccountAuthorizationDetails, or use --iam-snapshot";
      String code = e.awsErrorDetails() == null ? "error" : e.awsErrorDetails().errorCode();
      throw new IllegalStateException("Cannot read IAM authorization details: "
          + code + " (HTTP " + e.statusCode() + "): " + why, e);
    } catch (SdkException e) {
      throw new IllegalStateException("Cannot read IAM authorization details: " + e.getMessage()
          + "; check network access to IAM and the credentials, or use --iam-snapshot", e);
    }
    return result;
  }

  private static void addAll(ArrayNode target, List<? extends SdkPojo> items, String listName) {
    for (SdkPojo item : items) {
      target.add(CliJson.toJson(item, listName + "[" + target.size() + "]", DOCUMENT_MEMBERS,
          LiveIamReader::policyDocument));
    }
  }

  /** IAM URL-encodes policy documents and the SDK passes them on as they came. */
  static JsonNode policyDocument(String raw, String path) {
    String text = raw.strip();
    try {
      // Already decoded (some proxies and recorded responses do): decoding again would turn '+' into ' '.
      String json = text.startsWith("{") ? text : URLDecoder.decode(text, StandardCharsets.UTF_8);
      JsonNode document = JSON.readTree(json);
      if (document == null || !document.isObject()) {
        throw new IOException("not a JSON object");
      }
      return document;
    } catch (IOException | IllegalArgumentException e) {
      String shown = text.length() > 120 ? text.substring(0, 120) + "..." : text;
      throw new IllegalStateException("Cannot parse policy document at " + path + ": "
          + e.getMessage().lines().findFirst().orElse("") + "; got '" + shown + "'", e);
    }
  }

  /** Closes the client when this reader built it ({@link #connect()}). */
  @Override
  public void close() {
    if (ownsClient) {
      iam.close();
    }
  }
}
