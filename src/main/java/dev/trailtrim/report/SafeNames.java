package dev.trailtrim.report;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a name taken from input (a role name, an account id) into one segment of an object name,
 * so that every name gets its own files and none can reach outside the run folder. Names are
 * data, never paths.
 *
 * <ul>
 *   <li>Letters, digits and {@code + = , @ _ -} stay as they are, and so does {@code .}, except a
 *       leading one (no {@code .}, {@code ..} or hidden segment) and the one that starts a
 *       trailing {@code .part-N} (so no name meets the parts of a split policy).
 *   <li>Every other character is percent-encoded as the bytes of its UTF-8 form, upper-case hex:
 *       {@code /} is {@code %2F}, {@code %} is {@code %25}, {@code é} is {@code %C3%A9}.
 *   <li>The empty name is {@value #EMPTY}.
 *   <li>A segment longer than {@value #MAX_BYTES} bytes, and any name that is not well-formed
 *       Unicode, becomes its encoded start, {@code ~} and the first 16 hex digits of the SHA-256 of
 *       the full name: stable and distinct, but not reversible (the report holds the full name).
 * </ul>
 *
 * {@link #decode} turns every other segment back into its name. Stable: the same name always
 * gives the same segment, so runs can be compared file by file.
 */
public final class SafeNames {

  /** Longest segment in bytes: far below file systems' 255, leaving room for {@code .part-N.json}. */
  public static final int MAX_BYTES = 120;
  /** The segment of the empty name: {@code ~} is never part of another reversible segment. */
  public static final String EMPTY = "~empty";
  private static final int HASH_HEX_DIGITS = 16;
  private static final char SHORTENED = '~';
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private SafeNames() {}

  /** The object-name segment of {@code name}; see the class comment for the rules. */
  public static String segment(String name) {
    if (name == null) {
      throw new IllegalArgumentException("Cannot name a file after a missing name: expected a role name or account id");
    }
    if (name.isEmpty()) {
      return EMPTY;
    }
    boolean wellFormed = isWellFormed(name);
    String encoded = percentEncode(wellFormed ? name : replaceLoneSurrogates(name));
    if (wellFormed && encoded.length() <= MAX_BYTES) {
      return encoded;
    }
    int keep = MAX_BYTES - 1 - HASH_HEX_DIGITS;
    if (encoded.length() > keep) {
      // Never cut a %XX in two.
      keep = encoded.charAt(keep - 1) == '%' ? keep - 1 : encoded.charAt(keep - 2) == '%' ? keep - 2 : keep;
      encoded = encoded.substring(0, keep);
    }
    return encoded + SHORTENED + hash(name);
  }

  /** Whether {@code segment} is a shortened (hashed) one, which {@link #decode} cannot reverse. */
  public static boolean isShortened(String segment) {
    return !segment.equals(EMPTY) && segment.indexOf(SHORTENED) >= 0;
  }

  /**
   * The name a segment was made of. Throws for a shortened segment (its name is in the report
   * the file belongs to) and for text that {@link #segment} never writes.
   */
  public static String decode(String segment) {
    if (segment.equals(EMPTY)) {
      return "";
    }
    if (isShortened(segment)) {
      throw new IllegalArgumentException("Segment '" + segment + "' is a shortened name and cannot be decoded:"
          + " read the full name from the report (roleName, accountId)");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          throw new IllegalArgumentException("Segment '" + segment + "' ends inside a %XX escape");
        }
        bytes.write(HexFormat.fromHexDigits(segment, i + 1, i + 3));
        i += 2;
      } else if (c < 0x80 && (isKept(c) || c == '.')) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException("Segment '" + segment + "' holds '" + c + "', which SafeNames never writes");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("Segment '" + segment + "' does not decode to UTF-8 text", e);
    }
  }

  private static boolean isKept(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '='
        || c == ',' || c == '@' || c == '_' || c == '-';
  }

  private static String percentEncode(String name) {
    int partDot = partSuffixDot(name);
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x80 && (isKept(c) || (c == '.' && i > 0 && i != partDot))) {
        out.append(c);
        continue;
      }
      int end = Character.isHighSurrogate(c) && i + 1 < name.length() ? i + 2 : i + 1;
      for (byte b : name.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        out.append('%').append(HEX.toHexDigits(b));
      }
      i = end - 1;
    }
    return out.toString();
  }

  /** Where the dot of a trailing {@code .part-<digits>} is, or -1. */
  private static int partSuffixDot(String name) {
    int dot = name.lastIndexOf(".part-");
    if (dot < 0 || dot + ".part-".length() == name.length()) {
      return -1;
    }
    for (int i = dot + ".part-".length(); i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return dot;
  }

  private static boolean isWellFormed(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String replaceLoneSurrogates(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
        out.append(c).append(name.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** SHA-256 of the name's UTF-16 code units (defined for every Java string, well-formed or not). */
  private static String hash(String name) {
    try {
      // By hand: String.getBytes would turn every lone surrogate into the same replacement character.
      byte[] units = new byte[name.length() * 2];
      for (int i = 0; i < name.length(); i++) {
        units[2 * i] = (byte) (name.charAt(i) >> 8);
        units[2 * i + 1] = (byte) name.charAt(i);
      }
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(units);
      return HEX.formatHex(digest).substring(0, HASH_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
