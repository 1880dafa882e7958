package dev.trailtrim.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Naming rules and decoding of the objects CloudTrail delivers. */
public final class CloudTrailFiles {

  private CloudTrailFiles() {}

  /**
   * Files under a trail's prefix that hold no API calls: digest files (integrity hashes) and
   * Insights files. Null when the file should be read.
   */
  public static SkipReason skipByName(String path) {
    if (path.contains("/CloudTrail-Digest/") || path.contains("_CloudTrail-Digest_")) {
      return SkipReason.DIGEST_FILE;
    }
    if (path.contains("/CloudTrail-Insight/") || path.contains("_CloudTrail-Insight_")) {
      return SkipReason.INSIGHT_FILE;
    }
    return null;
  }

  private static final java.util.regex.Pattern DAY_FOLDER =
      java.util.regex.Pattern.compile(".*/(\\d{4})/(\\d{2})/(\\d{2})/[^/]+$");

  /**
   * The day of the {@code YYYY/MM/DD/} folder CloudTrail delivered a file to, as
   * {@code YYYY-MM-DD}, or the empty string for a file outside that layout.
   */
  public static String folderDay(String uri) {
    java.util.regex.Matcher m = DAY_FOLDER.matcher(uri);
    return m.matches() ? m.group(1) + "-" + m.group(2) + "-" + m.group(3) : "";
  }

  /** Whether a listed object looks like data at all (hidden files and markers are not). */
  public static boolean isCandidate(String fileName) {
    return !fileName.startsWith(".") && !fileName.startsWith("_") && !fileName.endsWith("$folder$");
  }

  /** The decoded JSON bytes of a file, gzip'd or plain (told apart by content, not by name). */
  public record Decoded(byte[] json, SkipReason reject, String detail) {}

  public static Decoded decode(byte[] raw, long maxDecodedBytes) {
    if (raw.length == 0) {
      return new Decoded(null, SkipReason.EMPTY_FILE, "0 bytes");
    }
    boolean gzip = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    if (!gzip) {
      return raw.length > maxDecodedBytes
          ? new Decoded(null, SkipReason.TOO_LARGE, raw.length + " bytes > limit " + maxDecodedBytes)
          : new Decoded(raw, null, null);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 64 * 1024)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, raw.length * 8));
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxDecodedBytes) {
          return new Decoded(null, SkipReason.TOO_LARGE, "more than " + maxDecodedBytes + " bytes after gunzip");
        }
        out.write(buffer, 0, n);
      }
      byte[] json = out.toByteArray();
      return json.length == 0 ? new Decoded(null, SkipReason.EMPTY_FILE, "gzip holds 0 bytes")
          : new Decoded(json, null, null);
    } catch (EOFException e) {
      return new Decoded(null, SkipReason.CORRUPT_GZIP, "gzip stream ends early (truncated upload?)");
    } catch (IOException e) {
      return new Decoded(null, SkipReason.CORRUPT_GZIP, String.valueOf(e.getMessage()));
    }
  }
}
