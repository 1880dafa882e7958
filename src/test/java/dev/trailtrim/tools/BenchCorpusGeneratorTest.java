package dev.trailtrim.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.CloudTrailFileParser;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.RoleAttribution;
import dev.trailtrim.model.CloudTrailEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCorpusGeneratorTest {

  private static final Pattern LOG_FILE = Pattern.compile("AWSLogs/(\\d{12})/CloudTrail/([a-z0-9-]+)/(\\d{4})/(\\d{2})/"
      + "(\\d{2})/\\1_CloudTrail_\\2_\\3\\4\\5T(\\d{2})(\\d{2})Z_[A-Za-z0-9]{16}\\.json\\.gz");

  @TempDir
  static Path temp;
  private static BenchCorpusGenerator.Summary summary;
  private static Map<String, byte[]> firstRun;

  /** About 400 KB in files of 2-20 KB: enough files to cover several accounts, regions and days. */
  private static BenchCorpusGenerator.Options options(long seed, Path out, int threads) {
    return new BenchCorpusGenerator.Options(seed, 400_000, out, 3, 4, 200, 2_000, 20_000, threads);
  }

  @BeforeAll
  static void generate() throws IOException {
    summary = BenchCorpusGenerator.generate(options(7, temp.resolve("first"), 2));
    firstRun = files(temp.resolve("first"));
  }

  @Test
  void theSameSeedWritesTheSameBytesWhateverTheThreadCount() throws IOException {
    BenchCorpusGenerator.generate(options(7, temp.resolve("again"), 1));
    Map<String, byte[]> again = files(temp.resolve("again"));
    assertEquals(firstRun.keySet(), again.keySet(), "a second run with seed 7 wrote other files");
    firstRun.forEach((path, bytes) -> assertArrayEquals(bytes, again.get(path), path + " differs between runs"));
  }

  @Test
  void anotherSeedWritesAnotherCorpus() throws IOException {
    BenchCorpusGenerator.generate(options(8, temp.resolve("other"), 2));
    assertNotEquals(firstRun.keySet(), files(temp.resolve("other")).keySet());
  }

  @Test
  void filesAreInCloudTrailsLayoutAndTrailtrimReadsEveryRecord() throws IOException {
    Set<String> accounts = new HashSet<>();
    Set<String> regions = new HashSet<>();
    Set<String> days = new HashSet<>();
    Set<String> roles = new HashSet<>();
    long records = 0;
    long roleRecords = 0;
    long uncompressed = 0;
    long compressed = 0;
    for (Map.Entry<String, byte[]> file : firstRun.entrySet()) {
      if (file.getKey().equals(BenchCorpusGenerator.MANIFEST)) {
        continue;
      }
      Matcher m = LOG_FILE.matcher(file.getKey());
      assertTrue(m.matches(), file.getKey() + " is not in AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ layout");
      String account = m.group(1);
      String region = m.group(2);
      String day = m.group(3) + "-" + m.group(4) + "-" + m.group(5);
      accounts.add(account);
      regions.add(region);
      days.add(day);
      compressed += file.getValue().length;
      CloudTrailFiles.Decoded decoded = CloudTrailFiles.decode(file.getValue(), Long.MAX_VALUE);
      assertNull(decoded.reject(), file.getKey() + " is not gzip'd JSON: " + decoded.detail());
      assertTrue(
          new String(decoded.json(), 0, 12, java.nio.charset.StandardCharsets.US_ASCII).startsWith("{\"Records\":["),
          file.getKey() + " does not start with {\"Records\":[");
      uncompressed += decoded.json().length;
      CloudTrailFileParser.ParsedFile parsed = CloudTrailFileParser.parse(decoded.json());
      assertTrue(!parsed.rejected() && parsed.recordRejects().isEmpty(),
          file.getKey() + " has rejects: " + parsed.detail()
              + " " + parsed.recordRejects());
      long deliveredMinute = Long.parseLong(m.group(6)) * 60 + Long.parseLong(m.group(7));
      for (CloudTrailEvent event : parsed.records()) {
        records++;
        assertEquals(account, event.recipientAccountId(), "recipient account of a record in " + file.getKey());
        assertEquals(region, event.awsRegion(), "region of a record in " + file.getKey());
        Instant time = Instant.ofEpochMilli(event.eventTimeMillis());
        assertEquals(day, time.atZone(ZoneOffset.UTC).toLocalDate().toString(), "day of a record in " + file.getKey());
        long minute = time.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() / 60;
        assertTrue(minute >= deliveredMinute - 5 && minute < deliveredMinute,
            "a record at " + time + " in " + file.getKey() + " is not from the 5 minutes before delivery");
        String role = RoleAttribution.roleArn(event);
        if (role != null) {
          roleRecords++;
          roles.add(role);
        }
      }
    }
    assertTrue(accounts.size() >= 2 && regions.size() >= 2 && days.size() >= 2,
        "expected several accounts, regions and days, got " + accounts + " " + regions + " " + days);
    assertTrue(roleRecords > records * 8 / 10, "most calls come from role sessions: " + roleRecords + " of " + records);
    assertTrue(roles.size() >= 50, "a high-cardinality role mix, got " + roles.size() + " roles");

    Properties manifest = new Properties();
    manifest.load(new java.io.ByteArrayInputStream(firstRun.get(BenchCorpusGenerator.MANIFEST)));
    assertEquals(Long.toString(records), manifest.getProperty("records"));
    assertEquals(Long.toString(uncompressed), manifest.getProperty("uncompressedBytes"));
    assertEquals(Long.toString(compressed), manifest.getProperty("compressedBytes"));
    assertEquals(Integer.toString(firstRun.size() - 1), manifest.getProperty("files"));
    assertEquals(records, summary.records());
    // Each file ends at the record boundary nearest its planned size (records are under 4 KB),
    // and the last planned file is at least the smallest size (2 KB here).
    int files = firstRun.size() - 1;
    assertTrue(Math.abs(uncompressed - 400_000) < files * 2_000L + 2_000,
        "asked for 400000 bytes of JSON in " + files + " files, wrote " + uncompressed);
  }

  @Test
  void refusesToDeleteAFolderItDidNotWrite() throws IOException {
    Path foreign = temp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    IOException e = assertThrows(IOException.class, () -> BenchCorpusGenerator.generate(options(7, foreign, 1)));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    assertTrue(Files.exists(foreign.resolve("notes.txt")));
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
      }
    }
    return files;
  }
}
