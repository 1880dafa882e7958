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

  /** The trailer's size only sizes the first array: files it misstates decode whole, and the limit holds exactly. */
  @Test
  void decodesWholeWhateverSizeTheGzipTrailerStates() throws IOException {
    byte[] first = "{\"Records\":[".repeat(3000).getBytes(UTF_8);
    byte[] second = "]}".repeat(5000).getBytes(UTF_8);
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    // Two members: the trailer at the end gives only the second's size.
    byte[] twoMembers = concat(gzip(first), gzip(second));
    assertArrayEquals(both, CloudTrailFiles.decode(twoMembers, 1 << 20).json());
    assertArrayEquals(both, CloudTrailFiles.decode(twoMembers, both.length).json());
    assertEquals(SkipReason.TOO_LARGE, CloudTrailFiles.decode(twoMembers, both.length - 1).reject());
    // A trailer claiming more or less than the data: the size check fails only after the data, as corrupt.
    for (int claimed : new int[] {1, first.length - 1, first.length + 1, Integer.MAX_VALUE}) {
      byte[] lying = gzip(first);
      for (int i = 0; i < 4; i++) {
        lying[lying.length - 4 + i] = (byte) (claimed >>> (8 * i));
      }
      assertEquals(SkipReason.CORRUPT_GZIP, CloudTrailFiles.decode(lying, 1 << 20).reject(), "claimed " + claimed);
    }
    byte[] exact = gzip(first);
    assertArrayEquals(first, CloudTrailFiles.decode(exact, first.length).json());
    assertEquals(SkipReason.TOO_LARGE, CloudTrailFiles.decode(exact, first.length - 1).reject());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
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
