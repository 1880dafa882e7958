package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.testing.S3Faults;
import dev.trailtrim.testing.S3Faults.Fault;
import dev.trailtrim.testing.S3Faults.Op;
import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/** The SDK client's settings come from the same s3a options Hadoop reads, its retries included. */
class S3ConnectionTest {

  private static Configuration conf(String... keyValues) {
    Configuration conf = new Configuration(false);
    for (int i = 0; i < keyValues.length; i += 2) {
      conf.set(keyValues[i], keyValues[i + 1]);
    }
    return conf;
  }

  @Test
  void nothingSetMeansAmazonS3WithTheDefaultChains() throws IOException {
    S3Connection.Settings settings = S3Connection.Settings.of(conf(), "logs");
    assertEquals(new S3Connection.Settings(null, null, false, null, null, null), settings);
  }

  @Test
  void aCustomEndpointIsUsedAsIsAndGetsASchemeFromTheSslSetting() throws IOException {
    assertEquals(URI.create("http://127.0.0.1:9000"), S3Connection.Settings.of(conf("fs.s3a.endpoint",
        "http://127.0.0.1:9000"), "b").endpoint());
    assertEquals(URI.create("http://minio:9000"), S3Connection.Settings.of(conf("fs.s3a.endpoint", "minio:9000",
        "fs.s3a.connection.ssl.enabled", "false"), "b").endpoint());
    assertEquals(URI.create("https://minio:9000"), S3Connection.Settings.of(conf("fs.s3a.endpoint", "minio:9000"), "b")
        .endpoint());
  }

  @Test
  void amazonsOwnEndpointsBecomeARegionNotAnOverride() throws IOException {
    S3Connection.Settings regional =
        S3Connection.Settings.of(conf("fs.s3a.endpoint", "s3.eu-west-1.amazonaws.com"), "b");
    assertNull(regional.endpoint());
    assertEquals("eu-west-1", regional.region());
    S3Connection.Settings central = S3Connection.Settings.of(conf("fs.s3a.endpoint", "s3.amazonaws.com"), "b");
    assertNull(central.endpoint());
    assertNull(central.region(), "the central endpoint names no region: the default chain decides");
    assertEquals("us-west-2", S3Connection.Settings.of(conf("fs.s3a.endpoint", "s3.eu-west-1.amazonaws.com",
        "fs.s3a.endpoint.region", "us-west-2"), "b").region(), "an explicit region wins");
  }

  @Test
  void perBucketOptionsWinOverGlobalOnes() throws IOException {
    Configuration conf =
        conf("fs.s3a.endpoint", "http://global:1", "fs.s3a.bucket.special.endpoint", "http://special:2",
            "fs.s3a.access.key", "AK", "fs.s3a.secret.key", "SK", "fs.s3a.bucket.special.secret.key", "SK2",
            "fs.s3a.bucket.special.path.style.access", "true");
    S3Connection.Settings special = S3Connection.Settings.of(conf, "special");
    assertEquals(new S3Connection.Settings(URI.create("http://special:2"), null, true, "AK", "SK2", null), special);
    S3Connection.Settings other = S3Connection.Settings.of(conf, "other");
    assertEquals(new S3Connection.Settings(URI.create("http://global:1"), null, false, "AK", "SK", null), other);
    assertFalse(special.toString().contains("SK2"), "no secret in " + special);
    assertTrue(special.toString().contains("key AK"), special.toString());
  }

  @Test
  void halfAKeyPairIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> S3Connection.Settings.of(conf("fs.s3a.access.key", "AK"), "b"));
    assertTrue(e.getMessage().contains("fs.s3a.secret.key"), e.getMessage());
  }

  @Test
  void retriesFollowS3asRetrySettingsPerBucketToo() throws IOException {
    assertEquals(new S3Connection.Retries(7, Duration.ofMillis(500), Duration.ofMillis(100)),
        S3Connection.Settings.of(conf(), "b").retries(), "s3a's defaults");
    Configuration conf = conf("fs.s3a.retry.limit", "2", "fs.s3a.retry.interval", "50ms",
        "fs.s3a.retry.throttle.interval", "2s", "fs.s3a.bucket.special.retry.throttle.interval", "30");
    assertEquals(new S3Connection.Retries(2, Duration.ofMillis(50), Duration.ofSeconds(2)),
        S3Connection.Settings.of(conf, "b").retries());
    assertEquals(new S3Connection.Retries(2, Duration.ofMillis(50), Duration.ofMillis(30)),
        S3Connection.Settings.of(conf, "special").retries(), "per bucket, and milliseconds without a unit");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> S3Connection.Settings.of(conf("fs.s3a.retry.interval", "0ms"), "b"));
    assertTrue(e.getMessage().contains("fs.s3a.retry.interval"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> S3Connection.Settings.of(conf("fs.s3a.bucket.b.retry.limit", "seven"), "b"));
    assertTrue(e.getMessage().contains("fs.s3a.retry.limit must be a whole number") && e.getMessage().contains(
        "'seven'"), e.getMessage());
  }

  /** The client makes 1 + fs.s3a.retry.limit attempts at a request that S3 keeps throttling or failing. */
  @Test
  void theClientRetriesAsOftenAsS3aIsToldTo() throws IOException {
    S3Faults faults = new S3Faults();
    try (S3ProxyServer server = S3ProxyServer.startWithFaults(faults, Duration.ZERO, 0)) {
      Configuration conf = conf();
      server.applyTo(conf);
      conf.set("fs.s3a.retry.limit", "3");
      conf.set("fs.s3a.retry.interval", "1ms");
      conf.set("fs.s3a.retry.throttle.interval", "1ms");
      String bucket = server.createUniqueBucket("retries");
      // GETs, whose errors come back whole: a PUT's error can close the connection under its body.
      server.putObjectsDirectly(bucket, Map.of("slow", new byte[] {1}, "broken", new byte[] {2}));
      faults.persistentFault(Op.GET, Pattern.quote(bucket) + "/slow", Fault.SLOW_DOWN)
          .persistentFault(Op.GET, Pattern.quote(bucket) + "/broken", Fault.INTERNAL_ERROR);
      try (S3Connection connection = S3Connection.open(conf, bucket, 1)) {
        for (String key : List.of("slow", "broken")) {
          SdkException e = assertThrows(SdkException.class,
              () -> connection.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)));
          assertEquals(4, e.numAttempts(), key + " with " + S3Connection.Settings.of(conf, bucket) + ": " + e);
          // Not every attempt need reach the server: one may meet a pooled connection the last error closed.
          assertTrue(faults.requests().stream().filter(r -> r.object().equals(bucket + "/" + key)).count() > 1,
              key + ": " + faults.requests());
        }
      }
    }
  }
}
