package dev.trailtrim.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;

/**
 * Lists the Lambda functions of the account the credentials belong to, region by region
 * ({@code ListFunctions}, every page), and returns per region the document {@code aws lambda
 * list-functions --region R} prints, so {@code dev.trailtrim.inventory.ListFunctionsParser} serves
 * both a live read and files (a run keeps the documents under {@code lambda-inventory/}). Needs
 * {@code lambda:ListFunctions}. The only class of the project that touches the SDK's Lambda client.
 */
public final class LiveLambdaInventoryReader {

  static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(500);

  /** Makes the client of one region; the reader closes it. */
  public interface Clients {
    LambdaClient forRegion(Region region);
  }

  private final Clients clients;

  public LiveLambdaInventoryReader(Clients clients) {
    if (clients == null) {
      throw new IllegalArgumentException("Lambda clients must not be null");
    }
    this.clients = clients;
  }

  /** Reads with the default credentials chain, against {@code endpointOverride} when not null (local stand-ins). */
  public static LiveLambdaInventoryReader connect(URI endpointOverride) {
    AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    return new LiveLambdaInventoryReader(region -> newClient(region, endpointOverride, credentials,
        DEFAULT_RETRY_BASE_DELAY));
  }

  /**
   * A client for Lambda in {@code region} ({@code endpointOverride} when not null) that retries throttling
   * and transient errors as {@link LiveIamReader#retryStrategy} does, from {@code retryBaseDelay}.
   */
  public static LambdaClient newClient(Region region, URI endpointOverride, AwsCredentialsProvider credentials,
      Duration retryBaseDelay) {
    if (region == null) {
      throw new IllegalArgumentException("Lambda needs a region: list it in lambda.regions");
    }
    return SdkClients.build(LambdaClient.builder(), region, endpointOverride, credentials, retryBaseDelay);
  }

  /**
   * Per region (sorted), {@code {"Functions": [...]}} with every page's functions, sorted by ARN.
   *
   * @throws IllegalStateException when Lambda keeps throttling, refuses access or cannot be reached
   */
  public Map<String, ObjectNode> readDocuments(Collection<String> regions) {
    Map<String, ObjectNode> documents = new TreeMap<>();
    for (String region : new TreeSet<>(regions)) {
      Map<String, FunctionConfiguration> byArn = new TreeMap<>();
      try (LambdaClient lambda = clients.forRegion(Region.of(region))) {
        for (ListFunctionsResponse page : lambda.listFunctionsPaginator(r -> {})) {
          for (FunctionConfiguration function : page.functions()) {
            byArn.put(function.functionArn(), function);
          }
        }
      } catch (AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "error" : e.awsErrorDetails().errorCode();
        String why = e.isThrottlingException()
            ? "Lambda kept throttling after " + LiveIamReader.MAX_ATTEMPTS + " attempts; run again later"
                + " or use --lambda-inventory"
            : "check that the credentials allow lambda:ListFunctions, or use --lambda-inventory";
        throw new IllegalStateException("Cannot list the Lambda functions: ListFunctions in " + region
            + " failed with " + code + " (HTTP " + e.statusCode() + "): " + why, e);
      } catch (SdkException e) {
        throw new IllegalStateException("Cannot list the Lambda functions: ListFunctions in " + region
            + " failed: " + e.getMessage() + "; check network access to Lambda and the credentials, or use"
            + " --lambda-inventory", e);
      }
      ObjectNode document = JsonNodeFactory.instance.objectNode();
      ArrayNode functions = document.putArray("Functions");
      byArn.values().forEach(function -> functions.add(CliJson.toJson(function)));
      documents.put(region, document);
    }
    return documents;
  }
}
