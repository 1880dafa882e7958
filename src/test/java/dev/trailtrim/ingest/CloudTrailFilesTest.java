package dev.trailtrim.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CloudTrailFilesTest {

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void decodesGzipByContentNotByName() throws IOException {
    byte[] json = "{\"Records\":[]}".getBytes(UTF_8);
    assertArrayEquals(json, CloudTrailFiles.decode(gzip(json), 1 << 20).json());
    assertArrayEquals(json, CloudTrailFiles.decode(json, 1 << 20).json());
  }

  @Test
  void rejectsCorruptTruncatedEmptyAndOversizedFiles() throws IOException {
    byte[] gz = gzip("{\"Records\":[]}".repeat(100).getBytes(UTF_8));
    assertEquals(SkipReason.CORRUPT_GZIP, CloudTrailFiles.decode(Arrays.copyOf(gz, gz.length / 2), 1 << 20).reject());
    byte[] flipped = gz.clone();
    flipped[12] ^= 0x55;
    flipped[13] ^= 0x55;
    assertEquals(SkipReason.CORRUPT_GZIP, CloudTrailFiles.decode(flipped, 1 << 20).reject());
    assertEquals(SkipReason.CORRUPT_GZIP, CloudTrailFiles.decode(new byte[] {0x1f, (byte) 0x8b, 8}, 1 << 20).reject());
    assertEquals(SkipReason.EMPTY_FILE, CloudTrailFiles.decode(new byte[0], 1 << 20).reject());
    assertEquals(SkipReason.EMPTY_FILE, CloudTrailFiles.decode(gzip(new byte[0]), 1 << 20).reject());
    assertEquals(SkipReason.TOO_LARGE, CloudTrailFiles.decode(gz, 100).reject());
  }

  @Test
  void knowsWhichDeliveredFilesHoldNoCalls() {
    assertEquals(SkipReason.DIGEST_FILE, CloudTrailFiles.skipByName(
        "s3://b/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/01/"
            + "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261101T010000Z.json.gz"));
    assertEquals(SkipReason.DIGEST_FILE, CloudTrailFiles.skipByName(
        "file:/x/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261101T010000Z.json.gz"));
    assertEquals(SkipReason.INSIGHT_FILE, CloudTrailFiles.skipByName(
        "s3://b/AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/01/x.json.gz"));
    assertNull(CloudTrailFiles.skipByName(
        "s3://b/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/"
            + "111122223333_CloudTrail_us-east-1_20261101T0005Z_abcdEFGH12345678.json.gz"));
  }
}
