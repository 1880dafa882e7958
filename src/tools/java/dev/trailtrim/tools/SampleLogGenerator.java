package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.obj;
import static dev.trailtrim.tools.SampleScenario.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the bundled sample logs: CloudTrail files as a trail delivers them to S3 (two trails,
 * two accounts, two regions, with digest files), the IAM snapshots of both accounts, and the
 * ground truth a correct tool must reproduce. The same seed gives byte-identical files.
 *
 * <p>Usage: {@code SampleLogGenerator [--seed N] [--out DIR]} (defaults 42 and sample-logs). The
 * output folder is deleted and rewritten.
 */
public final class SampleLogGenerator {

  public static final long DEFAULT_SEED = 42L;
  static final long WINDOW_MILLIS = 5 * 60_000L;
  static final int MAX_RECORDS_PER_FILE = 100;
  private static final Set<String> OUTPUT_ENTRIES =
      Set.of("cloudtrail", "iam", "iam-night2", "trail-config", "lambda-inventory", "ground-truth.json",
          "README.md", ".gitattributes");
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DIGEST_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_PATH =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private SampleLogGenerator() {}

  /** What one generation wrote. */
  public record Summary(int logFiles, int digestFiles, int records, int calls) {}

  /** A CloudTrail log file before it is written. */
  record LogFile(String path, String prefixRoot, String account, String region, long deliveredMillis,
      List<SampleCall> calls) {}

  public static void main(String[] args) throws IOException {
    long seed = DEFAULT_SEED;
    Path out = Paths.get("sample-logs");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> seed = parseSeed(value(args, ++i, "--seed"));
        case "--out" -> out = Paths.get(value(args, ++i, "--out"));
        case "--help", "-h" -> {
          System.out.println("Usage: SampleLogGenerator [--seed N] [--out DIR]  (defaults: 42, sample-logs)");
          return;
        }
        default -> {
          System.err.println("Unknown flag '" + args[i] + "'. Usage: SampleLogGenerator [--seed N] [--out DIR]");
          System.exit(2);
        }
      }
    }
    Summary summary = generate(seed, out);
    System.out.println("Wrote " + summary.logFiles() + " CloudTrail files (" + summary.records() + " records of "
        + summary.calls() + " calls), " + summary.digestFiles() + " digest files, 2 IAM snapshots,"
        + " the Lambda inventory, ground-truth.json and README.md to " + out.toAbsolutePath().normalize());
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      System.err.println("Flag " + flag + " needs a value. Usage: SampleLogGenerator [--seed N] [--out DIR]");
      System.exit(2);
    }
    return args[index];
  }

  private static long parseSeed(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      System.err.println("--seed must be a whole number, got '" + text + "'");
      System.exit(2);
      return 0L;
    }
  }

  /** Deletes {@code out} and writes the whole sample set for {@code seed} into it. */
  public static Summary generate(long seed, Path out) throws IOException {
    SampleActivity activity = new SampleActivity(seed);
    List<SampleCall> calls = new ArrayList<>(activity.run());
    // Stable sort: calls at the same millisecond keep the order the scenario made them in.
    calls.sort(Comparator.comparingLong(c -> c.timeMillis));
    for (SampleCall call : calls) {
      call.logged = recordedByTrail(call);
      if (call.logged) {
        boolean s3 = call.eventSource.equals("s3.amazonaws.com");
        String requestId = call.eventName.equals("ConsoleLogin") ? null
            : s3 ? activity.alnum(16, true) : activity.uuid();
        call.render(requestId, activity.uuid());
      }
    }
    List<LogFile> files = deliver(calls, activity);

    GeneratedOutput.clear(out, OUTPUT_ENTRIES, "the generator",
        "Use an empty folder or a previous sample-logs output.");
    Files.createDirectories(out);
    Map<String, byte[]> written = new TreeMap<>();
    int records = 0;
    for (LogFile file : files) {
      ArrayNode list = SampleJson.NODES.arrayNode();
      file.calls.forEach(c -> list.add(c.record));
      records += file.calls.size();
      byte[] gz = gzip(SampleJson.compact(obj("Records", list)));
      write(out.resolve(file.path), gz);
      written.put(file.path, gz);
    }
    int digests = writeDigests(out, files, activity);

    Map<String, SampleIam.LastUse> lastUse = lastUse(calls);
    for (String account : List.of(ACCOUNT, ORG_ACCOUNT)) {
      write(out.resolve("iam/" + account + ".json"),
          SampleJson.pretty(SampleIam.snapshot(account, lastUse), "    ").getBytes(StandardCharsets.UTF_8));
    }
    // The next night's snapshot of the account trail: one grant more (scripts/run-local.sh twice, README).
    write(out.resolve("iam-night2/" + ACCOUNT + ".json"),
        SampleJson.pretty(SampleIam.snapshot(ACCOUNT, lastUse, true), "    ").getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, com.fasterxml.jackson.databind.node.ObjectNode> trail : SampleTrails.documents()
        .entrySet()) {
      write(out.resolve("trail-config/" + trail.getKey()),
          SampleJson.pretty(trail.getValue(), "    ").getBytes(StandardCharsets.UTF_8));
    }
    for (Map.Entry<String, ObjectNode> listing : SampleInventory.documents().entrySet()) {
      write(out.resolve("lambda-inventory/" + listing.getKey()),
          SampleJson.pretty(listing.getValue(), "    ").getBytes(StandardCharsets.UTF_8));
    }
    SampleGroundTruth truth = new SampleGroundTruth(seed, calls, files.size(), digests);
    write(out.resolve("ground-truth.json"), truth.json().getBytes(StandardCharsets.UTF_8));
    write(out.resolve("README.md"), truth.readme().getBytes(StandardCharsets.UTF_8));
    // Checkouts must keep the exact bytes (no CRLF conversion) or the regeneration test fails.
    write(out.resolve(".gitattributes"),
        "# Written by SampleLogGenerator: keep every byte as generated.\n* -text\n".getBytes(StandardCharsets.UTF_8));
    return new Summary(files.size(), digests, records, calls.size());
  }

  /**
   * The account's own trail logs management events plus S3 object and SQS queue data events; the
   * organization trail logs management events plus S3 object data events. Neither logs DynamoDB,
   * SNS or Lambda data events, and no trail ever records logs:PutLogEvents.
   */
  static boolean recordedByTrail(SampleCall call) {
    return switch (call.kind) {
      case MANAGEMENT -> true;
      case NEVER_RECORDED -> false;
      case DATA -> call.dataResourceType.equals("AWS::S3::Object")
          || (call.dataResourceType.equals("AWS::SQS::Queue") && call.recipientAccount.equals(ACCOUNT));
    };
  }

  /** Groups recorded calls into files the way CloudTrail delivers them: per account, region and ~5 minutes. */
  private static List<LogFile> deliver(List<SampleCall> calls, SampleActivity activity) {
    Map<String, List<SampleCall>> windows = new TreeMap<>();
    for (SampleCall call : calls) {
      if (call.logged) {
        long window = Math.floorDiv(call.timeMillis, WINDOW_MILLIS);
        String key = call.recipientAccount + "|" + call.region + "|" + String.format(Locale.ROOT, "%012d", window);
        windows.computeIfAbsent(key, k -> new ArrayList<>()).add(call);
      }
    }
    List<LogFile> files = new ArrayList<>();
    for (Map.Entry<String, List<SampleCall>> entry : windows.entrySet()) {
      String[] key = entry.getKey().split("\\|");
      String account = key[0];
      String region = key[1];
      long delivered = (Long.parseLong(key[2]) + 1) * WINDOW_MILLIS + 30_000L + activity.rnd.nextInt(200_000);
      List<SampleCall> all = entry.getValue();
      int parts = (all.size() + MAX_RECORDS_PER_FILE - 1) / MAX_RECORDS_PER_FILE;
      for (int part = 0; part < parts; part++) {
        // CloudTrail splits busy periods into several files whose records interleave in time.
        List<SampleCall> mine = new ArrayList<>();
        for (int i = part; i < all.size(); i += parts) {
          mine.add(all.get(i));
        }
        String root = account.equals(ORG_ACCOUNT) ? "AWSLogs/" + ORG_ID + "/" + account : "AWSLogs/" + account;
        Instant at = Instant.ofEpochMilli(delivered);
        String name = account + "_CloudTrail_" + region + "_" + FILE_TIME.format(at) + "_"
            + activity.alnum(16, false) + ".json.gz";
        String path = "cloudtrail/" + root + "/CloudTrail/" + region + "/" + DAY_PATH.format(at) + "/" + name;
        files.add(new LogFile(path, root, account, region, delivered, mine));
      }
    }
    files.sort(Comparator.comparing(LogFile::path));
    return files;
  }

  /**
   * One digest per day for the account trail in us-east-1, covering the hour of the first orders
   * burst. Digest hashes and signatures are random: nothing can verify them without AWS's key,
   * and hashing the gzip bytes would tie the digests to one zlib build.
   */
  private static int writeDigests(Path out, List<LogFile> files, SampleActivity activity) throws IOException {
    int count = 0;
    String previousObject = null;
    for (int day = 0; day < 5; day++) {
      long end = FIRST_DAY.plusDays(day).atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli()
          + 60_000L * (1 + activity.rnd.nextInt(9)) + 1_000L * activity.rnd.nextInt(60);
      long start = end - 3_600_000L;
      String dayPath = DAY_PATH.format(Instant.ofEpochMilli(end));
      String name = ACCOUNT + "_CloudTrail-Digest_us-east-1_" + TRAIL_NAME + "_us-east-1_"
          + DIGEST_TIME.format(Instant.ofEpochMilli(end)) + ".json.gz";
      String object = "AWSLogs/" + ACCOUNT + "/CloudTrail-Digest/us-east-1/" + dayPath + "/" + name;
      if (previousObject == null) {
        previousObject = "AWSLogs/" + ACCOUNT + "/CloudTrail-Digest/us-east-1/2026/10/31/" + ACCOUNT
            + "_CloudTrail-Digest_us-east-1_" + TRAIL_NAME + "_us-east-1_20261031T235941Z.json.gz";
      }
      ArrayNode logFiles = SampleJson.NODES.arrayNode();
      long newest = Long.MIN_VALUE;
      long oldest = Long.MAX_VALUE;
      for (LogFile file : files) {
        if (file.account.equals(ACCOUNT) && file.region.equals(HOME)
            && file.deliveredMillis > start && file.deliveredMillis <= end) {
          long fileNewest = file.calls.stream().mapToLong(c -> c.timeMillis).max().orElseThrow();
          long fileOldest = file.calls.stream().mapToLong(c -> c.timeMillis).min().orElseThrow();
          newest = Math.max(newest, fileNewest);
          oldest = Math.min(oldest, fileOldest);
          logFiles.add(obj(
              "s3Bucket", TRAIL_BUCKET,
              "s3Object", file.path.substring("cloudtrail/".length()),
              "hashValue", activity.hex(64),
              "hashAlgorithm", "SHA-256",
              "newestEventTime", SampleJson.eventTime(fileNewest),
              "oldestEventTime", SampleJson.eventTime(fileOldest)));
        }
      }
      ObjectNode digest = obj(
          "awsAccountId", ACCOUNT,
          "digestStartTime", SampleJson.eventTime(start),
          "digestEndTime", SampleJson.eventTime(end),
          "digestS3Bucket", TRAIL_BUCKET,
          "digestS3Object", object,
          "digestPublicKeyFingerprint", activity.hex(32),
          "digestSignatureAlgorithm", "SHA256withRSA");
      if (!logFiles.isEmpty()) {
        digest.put("newestEventTime", SampleJson.eventTime(newest));
        digest.put("oldestEventTime", SampleJson.eventTime(oldest));
      }
      digest.put("previousDigestS3Bucket", TRAIL_BUCKET);
      digest.put("previousDigestS3Object", previousObject);
      digest.put("previousDigestHashValue", activity.hex(64));
      digest.put("previousDigestHashAlgorithm", "SHA-256");
      digest.put("previousDigestSignature", activity.hex(512));
      digest.set("logFiles", logFiles);
      write(out.resolve("cloudtrail/" + object), gzip(SampleJson.compact(digest)));
      previousObject = object;
      count++;
    }
    return count;
  }

  /** RoleLastUsed as IAM reports it: the last call the role made, recorded or not. */
  private static Map<String, SampleIam.LastUse> lastUse(List<SampleCall> calls) {
    Map<String, SampleCall> last = new HashMap<>();
    for (SampleCall call : calls) {
      String role = call.roleArn();
      if (role != null) {
        last.merge(role, call, (a, b) -> b.timeMillis >= a.timeMillis ? b : a);
      }
    }
    Map<String, SampleIam.LastUse> result = new HashMap<>();
    last.forEach((role, call) -> result.put(role,
        new SampleIam.LastUse(SampleJson.eventTime(call.timeMillis), call.region)));
    result.put(WEBHOOK.arn(), new SampleIam.LastUse("2026-06-12T17:42:09Z", HOME));
    return result;
  }

  static byte[] gzip(byte[] content) {
    // GZIPOutputStream writes a zero modification time and no file name: same bytes every run.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

}
