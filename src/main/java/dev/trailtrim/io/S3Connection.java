package dev.trailtrim.io;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An SDK v2 {@link S3Client} configured from the same Hadoop settings that drive s3a, so that
 * listing with the SDK and reading through Hadoop reach the same endpoint with the same
 * credentials: {@code fs.s3a.endpoint}, {@code fs.s3a.endpoint.region},
 * {@code fs.s3a.path.style.access}, {@code fs.s3a.connection.ssl.enabled},
 * {@code fs.s3a.access.key}/{@code secret.key}/{@code session.token}, and s3a's retry settings
 * ({@link Retries}), each overridable per bucket as {@code fs.s3a.bucket.<bucket>.<option>} (as s3a does).
 * Without keys it uses the SDK's default credentials chain (on EMR: the instance profile).
 */
public final class S3Connection implements AutoCloseable {

  /** Amazon's own S3 hosts; a region in the name ({@code s3.eu-west-1.amazonaws.com}) is the bucket's. */
  private static final Pattern AWS_HOST =
      Pattern.compile(
          "(?:[a-z0-9.-]+\\.)?s3[.-](?:dualstack\\.)?(?:([a-z]{2}(?:-[a-z]+)+-\\d+)\\.)?amazonaws\\.com(?:\\.cn)?");
  private static final Region FALLBACK_REGION = Region.US_EAST_1;

  /**
   * What the client is built from. {@code endpoint} is null for Amazon S3 itself and
   * {@code region} null when the SDK's default region chain decides; the keys are null for the
   * default credentials chain.
   */
  public record Settings(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey,
      String sessionToken, Retries retries) {

    public Settings {
      if ((accessKey == null) != (secretKey == null)) {
        throw new IllegalArgumentException("S3 credentials need both fs.s3a.access.key and fs.s3a.secret.key,"
            + " got only the " + (accessKey == null ? "secret key" : "access key"));
      }
    }

    /** With s3a's default retries. */
    public Settings(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey,
        String sessionToken) {
      this(endpoint, region, pathStyle, accessKey, secretKey, sessionToken, Retries.S3A_DEFAULTS);
    }

    /** The settings s3a would use for {@code bucket}: per-bucket options win over the global ones. */
    public static Settings of(Configuration conf, String bucket) throws IOException {
      String endpoint = option(conf, bucket, "endpoint");
      String region = option(conf, bucket, "endpoint.region");
      boolean ssl = Boolean.parseBoolean(option(conf, bucket, "connection.ssl.enabled", "true"));
      URI endpointUri = null;
      if (!endpoint.isEmpty()) {
        URI parsed = URI.create(endpoint.contains("://") ? endpoint : (ssl ? "https://" : "http://") + endpoint);
        Matcher aws = AWS_HOST.matcher(parsed.getHost() == null ? "" : parsed.getHost().toLowerCase(Locale.ROOT));
        if (aws.matches()) {
          // Amazon's endpoints: the SDK resolves them from the region (and follows a bucket to its region).
          if (region.isEmpty() && aws.group(1) != null) {
            region = aws.group(1);
          }
        } else {
          endpointUri = parsed;
        }
      }
      String accessKey = secret(conf, bucket, "access.key");
      String secretKey = secret(conf, bucket, "secret.key");
      String sessionToken = secret(conf, bucket, "session.token");
      return new Settings(endpointUri, region.isEmpty() ? null : region,
          Boolean.parseBoolean(option(conf, bucket, "path.style.access", "false")), accessKey, secretKey,
          accessKey == null ? null : sessionToken, Retries.of(conf, bucket));
    }

    @Override
    public String toString() {
      return "S3 settings [endpoint " + (endpoint == null ? "Amazon S3" : endpoint) + ", region "
          + (region == null ? "from the default chain" : region) + ", path style " + pathStyle + ", credentials "
          + (accessKey == null ? "from the default chain"
              : "key " + accessKey + (sessionToken == null ? "" : " with session token"))
          + ", " + retries + "]";
    }
  }

  /**
   * How the SDK client retries, from the settings s3a retries by, so that a user who tunes s3a's retries
   * tunes the listing and the output lock too: up to {@code fs.s3a.retry.limit} retries, backing off
   * exponentially (full jitter) from {@code fs.s3a.retry.interval}, or from {@code fs.s3a.retry.throttle.interval}
   * when S3 throttles (503 SlowDown). s3a's defaults are 7, 500 ms and 100 ms.
   */
  public record Retries(int limit, Duration interval, Duration throttleInterval) {

    static final Retries S3A_DEFAULTS = new Retries(7, Duration.ofMillis(500), Duration.ofMillis(100));

    public Retries {
      if (limit < 0 || interval.isNegative() || interval.isZero() || throttleInterval.isNegative()
          || throttleInterval.isZero()) {
        throw new IllegalArgumentException("S3 retries need fs.s3a.retry.limit >= 0 and positive"
            + " fs.s3a.retry.interval and fs.s3a.retry.throttle.interval, got " + limit + ", " + interval + ", "
            + throttleInterval);
      }
    }

    static Retries of(Configuration conf, String bucket) {
      String limit = option(conf, bucket, "retry.limit", "" + S3A_DEFAULTS.limit());
      try {
        return new Retries(Integer.parseInt(limit), duration(conf, bucket, "retry.interval", S3A_DEFAULTS.interval()),
            duration(conf, bucket, "retry.throttle.interval", S3A_DEFAULTS.throttleInterval()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("S3 retries of bucket " + bucket + ": fs.s3a.retry.limit must be a whole"
            + " number and the intervals durations such as 500ms or 2s, got limit '" + limit + "' (" + e.getMessage()
            + ")", e);
      }
    }

    /** As s3a reads its intervals: a Hadoop time duration ({@code 50ms}, {@code 2s}), milliseconds without a unit. */
    private static Duration duration(Configuration conf, String bucket, String name, Duration fallback) {
      String perBucket = "fs.s3a.bucket." + bucket + "." + name;
      String key = conf.getTrimmed(perBucket, "").isEmpty() ? "fs.s3a." + name : perBucket;
      return Duration.ofMillis(conf.getTimeDuration(key, fallback.toMillis(), TimeUnit.MILLISECONDS));
    }

    RetryStrategy strategy() {
      return SdkClients.retryStrategy(limit + 1, interval, throttleInterval);
    }

    @Override
    public String toString() {
      return "retries " + limit + " from " + interval.toMillis() + " ms (throttled: " + throttleInterval.toMillis()
          + " ms)";
    }
  }

  private final S3Client client;
  private final AwsCredentialsProvider credentials;

  private S3Connection(S3Client client, AwsCredentialsProvider credentials) {
    this.client = client;
    this.credentials = credentials;
  }

  /** A client for {@code bucket} with up to {@code maxConnections} requests in flight. Close it when done. */
  public static S3Connection open(Configuration conf, String bucket, int maxConnections) throws IOException {
    return open(Settings.of(conf, bucket), maxConnections);
  }

  @SuppressWarnings("deprecation") // ApacheHttpClient: see LiveIamReader.newClient
  public static S3Connection open(Settings settings, int maxConnections) {
    AwsCredentialsProvider credentials;
    if (settings.accessKey() == null) {
      credentials = DefaultCredentialsProvider.builder().build();
    } else if (settings.sessionToken() == null) {
      credentials =
          StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    } else {
      credentials = StaticCredentialsProvider.create(
          AwsSessionCredentials.create(settings.accessKey(), settings.secretKey(), settings.sessionToken()));
    }
    S3ClientBuilder builder = S3Client.builder()
        .credentialsProvider(credentials)
        .region(settings.region() != null ? Region.of(settings.region()) : defaultRegion())
        .forcePathStyle(settings.pathStyle())
        .overrideConfiguration(o -> o.retryStrategy(settings.retries().strategy()))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(1, maxConnections)));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    } else {
      // Log buckets often live in another region than the cluster: let the SDK follow the redirect.
      builder.crossRegionAccessEnabled(true);
    }
    try {
      return new S3Connection(builder.build(), credentials);
    } catch (RuntimeException e) {
      closeQuietly(credentials);
      throw e;
    }
  }

  /** The region of the environment (on EMR the instance's), else us-east-1: cross-region access finds the bucket. */
  private static Region defaultRegion() {
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      return FALLBACK_REGION;
    }
  }

  public S3Client client() {
    return client;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      closeQuietly(credentials);
    }
  }

  private static void closeQuietly(AwsCredentialsProvider credentials) {
    if (credentials instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Nothing to release that outlives the JVM; the client is closed regardless.
      }
    }
  }

  private static String option(Configuration conf, String bucket, String name) {
    return option(conf, bucket, name, "");
  }

  private static String option(Configuration conf, String bucket, String name, String fallback) {
    String perBucket = conf.getTrimmed("fs.s3a.bucket." + bucket + "." + name);
    if (perBucket != null && !perBucket.isEmpty()) {
      return perBucket;
    }
    return conf.getTrimmed("fs.s3a." + name, fallback);
  }

  /** Through {@code getPassword}, so keys kept in a Hadoop credential provider (JCEKS) work too. */
  private static String secret(Configuration conf, String bucket, String name) throws IOException {
    for (String key : new String[] {"fs.s3a.bucket." + bucket + "." + name, "fs.s3a." + name}) {
      char[] value = conf.getPassword(key);
      if (value != null && value.length > 0) {
        String trimmed = new String(value).trim();
        if (!trimmed.isEmpty()) {
          return trimmed;
        }
      }
    }
    return null;
  }
}
