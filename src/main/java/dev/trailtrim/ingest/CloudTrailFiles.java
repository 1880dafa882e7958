package dev.trailtrim.ingest;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
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

  /** Bytes asked of the inflater at a time, as the 64 KB buffer of the stream copy this replaced did. */
  private static final int READ_CHUNK = 64 * 1024;
  /** The largest array the JVM allocates (ByteArrayOutputStream's limit too). */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  /**
   * The most a trailer is believed up front, per compressed byte: CloudTrail JSON shrinks about tenfold, and a hostile
   * file claiming a huge size then gets no huge array before it has inflated to it.
   */
  private static final long MAX_TRUSTED_RATIO = 64;

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
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), READ_CHUNK)) {
      // Inflated straight into an array of the size the gzip trailer states: the usual file needs no growing
      // copies and no final copy (they were a fifth of the bytes the read allocated per record).
      byte[] json = new byte[initialCapacity(raw, maxDecodedBytes)];
      int total = 0;
      while (true) {
        if (total == json.length) {
          int next = in.read();
          if (next < 0) {
            break;
          }
          // More than the trailer said (several gzip members, or a wrong size): grow as a byte stream would.
          if (total + 1L > maxDecodedBytes) {
            return tooLarge(maxDecodedBytes);
          }
          json = Arrays.copyOf(json, grown(json.length));
          json[total++] = (byte) next;
          continue;
        }
        int n = in.read(json, total, Math.min(READ_CHUNK, json.length - total));
        if (n < 0) {
          break;
        }
        total += n;
        if (total > maxDecodedBytes) {
          return tooLarge(maxDecodedBytes);
        }
      }
      return total == 0 ? new Decoded(null, SkipReason.EMPTY_FILE, "gzip holds 0 bytes")
          : new Decoded(total == json.length ? json : Arrays.copyOf(json, total), null, null);
    } catch (EOFException e) {
      return new Decoded(null, SkipReason.CORRUPT_GZIP, "gzip stream ends early (truncated upload?)");
    } catch (IOException e) {
      return new Decoded(null, SkipReason.CORRUPT_GZIP, String.valueOf(e.getMessage()));
    }
  }

  /**
   * The array to inflate into: the uncompressed size in the gzip trailer (ISIZE, the last four bytes, little endian)
   * up to {@link #MAX_TRUSTED_RATIO} times the compressed size and the limit, else a guess; either grows as needed.
   */
  private static int initialCapacity(byte[] gzip, long maxDecodedBytes) {
    long stated = gzip.length < 4 ? 0
        : (gzip[gzip.length - 4] & 0xffL) | (gzip[gzip.length - 3] & 0xffL) << 8 | (gzip[gzip.length - 2] & 0xffL) << 16
            | (gzip[gzip.length - 1] & 0xffL) << 24;
    long guess = stated > 0 ? Math.min(stated, gzip.length * MAX_TRUSTED_RATIO) : Math.max(1024L, gzip.length * 8L);
    return (int) Math.max(1, Math.min(guess, Math.min(maxDecodedBytes, MAX_ARRAY)));
  }

  private static int grown(int capacity) {
    if (capacity >= MAX_ARRAY) {
      throw new OutOfMemoryError("A decoded CloudTrail file cannot exceed " + MAX_ARRAY + " bytes");
    }
    return (int) Math.min(MAX_ARRAY, Math.max(1024L, 2L * capacity));
  }

  private static Decoded tooLarge(long maxDecodedBytes) {
    return new Decoded(null, SkipReason.TOO_LARGE, "more than " + maxDecodedBytes + " bytes after gunzip");
  }
}
