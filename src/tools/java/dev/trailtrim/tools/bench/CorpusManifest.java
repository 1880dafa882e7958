package dev.trailtrim.tools.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.trailtrim.tools.BenchCorpusGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Describes a corpus of CloudTrail logs that {@link BenchCorpusGenerator} did not write (a copy of
 * real logs, say) in the manifest the bench jobs read, {@value BenchCorpusGenerator#MANIFEST}
 * beside its {@code AWSLogs/}: files, records, bytes (gzip'd and not), the days of the earliest and
 * latest event, and the role sessions' distinct roles. It reads the files the bench jobs read
 * ({@code *.json.gz} under {@code AWSLogs/}, digests left out) with Jackson's streaming parser.
 *
 * <p>Usage: {@code CorpusManifest --corpus DIR}
 */
public final class CorpusManifest {

  private static final JsonFactory JSON = new JsonFactory();

  private CorpusManifest() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !args[0].equals("--corpus")) {
      System.err.println("Usage: CorpusManifest --corpus DIR (a folder holding AWSLogs/)");
      System.exit(2);
    }
    Path corpus = Paths.get(args[1]);
    Path awsLogs = corpus.resolve("AWSLogs");
    if (!Files.isDirectory(awsLogs)) {
      System.err
          .println("No AWSLogs/ folder in " + corpus.toAbsolutePath() + ": point --corpus at the folder that holds"
              + " CloudTrail's AWSLogs/ (as its S3 bucket does)");
      System.exit(2);
    }
    List<Path> files = FloorBench.corpusFiles(awsLogs).stream()
        .filter(file -> !file.toString().contains("CloudTrail-Digest")).toList();
    Tally tally = new Tally();
    for (Path file : files) {
      tally.compressedBytes += Files.size(file);
      tally.read(file);
    }
    if (tally.records == 0) {
      System.err.println("No CloudTrail records in the " + files.size() + " .json.gz files under " + awsLogs);
      System.exit(2);
    }
    TreeMap<String, String> entries = new TreeMap<>();
    entries.put("compressedBytes", Long.toString(tally.compressedBytes));
    entries.put("files", Integer.toString(files.size()));
    entries.put("from", day(tally.firstMillis).toString());
    entries.put("records", Long.toString(tally.records));
    entries.put("roles", Integer.toString(tally.roles.size()));
    entries.put("seed", "none");
    entries.put("to", day(tally.lastMillis).toString());
    entries.put("uncompressedBytes", Long.toString(tally.uncompressedBytes));
    StringBuilder text =
        new StringBuilder("# Written by CorpusManifest from the logs under AWSLogs/ (sizes in bytes).\n");
    entries.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Files.writeString(corpus.resolve(BenchCorpusGenerator.MANIFEST), text.toString(), StandardCharsets.UTF_8);
    System.out.println("Described " + files.size() + " files, " + tally.records + " records, " + tally.roles.size()
        + " roles, " + entries.get("from") + ".." + entries.get("to") + " in " + corpus.resolve(
            BenchCorpusGenerator.MANIFEST));
  }

  private static LocalDate day(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** What the files hold so far. */
  private static final class Tally {
    long records;
    long uncompressedBytes;
    long compressedBytes;
    long firstMillis = Long.MAX_VALUE;
    long lastMillis = Long.MIN_VALUE;
    final Set<String> roles = new HashSet<>();

    void read(Path file) throws IOException {
      try (CountingStream in = new CountingStream(new GZIPInputStream(Files.newInputStream(file), 64 * 1024));
          JsonParser parser = JSON.createParser(in)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException(file + " is not CloudTrail's {\"Records\":[...]}");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          if (parser.currentName().equals("Records") && parser.nextToken() == JsonToken.START_ARRAY) {
            while (parser.nextToken() == JsonToken.START_OBJECT) {
              record(parser);
            }
          } else {
            parser.nextToken();
            parser.skipChildren();
          }
        }
        while (in.read() >= 0) {
          // counts the rest (whitespace after the object)
        }
        uncompressedBytes += in.count;
      }
    }

    /** One record: its time and, for a role session, its role; the parser ends on its END_OBJECT. */
    private void record(JsonParser parser) throws IOException {
      records++;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("eventTime") && value == JsonToken.VALUE_STRING) {
          long millis = Instant.parse(parser.getText()).toEpochMilli();
          firstMillis = Math.min(firstMillis, millis);
          lastMillis = Math.max(lastMillis, millis);
        } else if (field.equals("userIdentity") && value == JsonToken.START_OBJECT) {
          String issuer = issuerArn(parser);
          if (issuer != null) {
            roles.add(issuer);
          }
        } else {
          parser.skipChildren();
        }
      }
    }

    /** {@code sessionContext.sessionIssuer.arn} of a userIdentity object; ends on its END_OBJECT. */
    private static String issuerArn(JsonParser parser) throws IOException {
      String arn = null;
      int depth = 1;
      String context = null;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_OBJECT) {
          depth++;
        } else if (token == JsonToken.END_OBJECT) {
          depth--;
        } else if (token == JsonToken.FIELD_NAME) {
          context = depth == 3 && parser.currentName().equals("arn") ? "arn" : parser.currentName();
        } else if (token == JsonToken.VALUE_STRING && depth == 3 && "arn".equals(context)
            && parser.getParsingContext().getParent().getCurrentName().equals("sessionIssuer")) {
          arn = parser.getText();
        }
      }
      return arn;
    }
  }

  /** Counts the bytes read through it: the decompressed size of a file. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
