package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The SDK client's settings come from the same s3a options Hadoop reads. */
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
}
