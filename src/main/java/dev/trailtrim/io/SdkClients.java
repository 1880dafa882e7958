package dev.trailtrim.io;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/** How every live reader (IAM, CloudTrail, Lambda) builds its SDK client: one rule, not one copy per service. */
final class SdkClients {

  /** The longest wait between two attempts, however many came before. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

  private SdkClients() {}

  /**
   * The client of {@code builder} in {@code region} ({@code endpointOverride} when not null, as the tests' local
   * endpoints are) that retries throttling and transient errors as {@link LiveIamReader#retryStrategy} does, from
   * {@code retryBaseDelay}.
   */
  // ApacheHttpClient, named so the SDK does not pick between the two HTTP clients on the class path. HttpClient 4
  // is deprecated for Apache5HttpClient, which the pom has at run time only; hadoop-aws uses 4.
  @SuppressWarnings("deprecation")
  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Region region,
      URI endpointOverride, AwsCredentialsProvider credentials, Duration retryBaseDelay) {
    if (retryBaseDelay.isNegative() || retryBaseDelay.isZero()) {
      throw new IllegalArgumentException("Retry base delay must be positive, got " + retryBaseDelay);
    }
    builder.region(region).credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(LiveIamReader.retryStrategy(retryBaseDelay)));
    if (endpointOverride != null) {
      builder.endpointOverride(endpointOverride);
    }
    return builder.build();
  }

  /**
   * Retries throttling and transient errors (AWS's retryable and throttling error codes: Throttling, SlowDown,
   * 5xx...) up to {@code maxAttempts} attempts in all, with full-jitter exponential backoff from {@code baseDelay},
   * or {@code throttlingBaseDelay} when throttled, doubling up to {@link #MAX_BACKOFF}.
   */
  static RetryStrategy retryStrategy(int maxAttempts, Duration baseDelay, Duration throttlingBaseDelay) {
    // configure() adds AWS's retryable and throttling error codes.
    return AwsRetryStrategy.configure(DefaultRetryStrategy.standardStrategyBuilder())
        .maxAttempts(maxAttempts)
        .backoffStrategy(BackoffStrategy.exponentialDelay(baseDelay, MAX_BACKOFF))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(throttlingBaseDelay, MAX_BACKOFF))
        // The token bucket would stop retrying throttled calls exactly when patience is needed.
        .circuitBreakerEnabled(false)
        .build();
  }
}
