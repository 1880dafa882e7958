package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.testing.RequestLog;
import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Planning against an S3-compatible server (S3Proxy on 127.0.0.1) through the SDK: the server's own
 * request log shows that only the window's day folders and the levels above them are listed, and
 * the plan is the one the same layout gives on the local file system, and through Hadoop's s3a.
 */
class S3InputPlannerTest {

  private static final String ORG = "o-abc123def4";
  private static final List<String> TRAILS = List.of("AWSLogs/111122223333/CloudTrail",
      "AWSLogs/444455556666/CloudTrail", "AWSLogs/" + ORG + "/777788889999/CloudTrail");
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static final int FILES_PER_DAY = 5;
  private static final ObservationWindow WINDOW =
      new ObservationWindow(LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 4));
  private static final int LATE_ARRIVAL_DAYS = 1;

  @TempDir
  static Path local;
  private static S3ProxyServer server;
  private static String bucket;
  private static Configuration conf;
  private static int stored;

  /** Ten months of every day in 3 trails x 2 regions, with digests beside them, on disk and in a bucket. */
  @BeforeAll
  static void layOutTenMonthsOfLogs() throws Exception {
    for (String trail : TRAILS) {
      String account = trail.split("/")[trail.split("/").length - 2];
      for (String region : REGIONS) {
        for (LocalDate day = LocalDate.of(2026, 3, 1); day.getYear() == 2026; day = day.plusDays(1)) {
          String folder = String.format("%s/%s/%04d/%02d/%02d/", trail, region, day.getYear(), day.getMonthValue(),
              day.getDayOfMonth());
          String stamp = String.format("%04d%02d%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
          for (int i = 0; i < FILES_PER_DAY; i++) {
            write(folder + String.format("%s_CloudTrail_%s_%sT%02d%02dZ_f%d.json.gz", account, region, stamp, i * 4,
                i * 7, i), 1 + (day.getDayOfYear() * 7 + i) % 50);
          }
          write(folder.replace("/CloudTrail/", "/CloudTrail-Digest/")
              + account + "_CloudTrail-Digest_" + region + "_t_" + region + "_" + stamp + "T000000Z.json.gz", 9);
        }
      }
    }
    write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_misplaced.json.gz", 4);
    write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/.hidden", 2);
    write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/_SUCCESS", 0);
    write("exports/a.json", 5);
    write("exports/sub/b.json.gz", 6);

    server = S3ProxyServer.shared();
    bucket = server.createUniqueBucket("cloudtrail-plan");
    conf = server.newHadoopConfiguration();
    stored = upload(local, bucket);
    assertTrue(stored > 10_000, "stored " + stored);
  }

  @AfterAll
  static void clearTheLog() {
    if (server != null) {
      server.requests().reset();
    }
  }

  private static void write(String relative, int length) throws IOException {
    Path file = local.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[length]);
  }

  /** The same files as objects: a few through the S3 API (to be sure it agrees), the rest straight into the store. */
  private static int upload(Path dir, String bucket) throws IOException {
    Map<String, byte[]> objects = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        objects.put(dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
    int count = objects.size();
    try (S3Client s3 = server.newS3Client()) {
      for (String key : List.copyOf(objects.keySet())) {
        if (key.startsWith("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/") || key.startsWith("exports/")) {
          s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(objects.remove(key)));
        }
      }
    }
    server.putObjectsDirectly(bucket, objects);
    return count;
  }

  private static InputPlanner.Plan plan(boolean sdk, Integer pageSize, String... roots) throws IOException {
    return new InputPlanner(conf, WINDOW, LATE_ARRIVAL_DAYS, 4, sdk, pageSize).plan(List.of(roots));
  }

  private static InputPlanner.Plan planS3(String... roots) throws IOException {
    return plan(true, null, roots);
  }

  private static InputPlanner.Plan planLocal(String... relativeRoots) throws IOException {
    return plan(true, null, Stream.of(relativeRoots).map(r -> local.resolve(r).toString()).toArray(String[]::new));
  }

  /** The day folders of the window and the late-arrival day, as key prefixes. */
  private static List<String> dayPrefixes(List<String> trails) {
    List<String> prefixes = new ArrayList<>();
    for (String trail : trails) {
      for (String region : REGIONS) {
        for (LocalDate day = WINDOW.from(); !day.isAfter(WINDOW.to().plusDays(LATE_ARRIVAL_DAYS));
            day = day.plusDays(1)) {
          prefixes.add(String.format("%s/%s/%04d/%02d/%02d/", trail, region, day.getYear(), day.getMonthValue(),
              day.getDayOfMonth()));
        }
      }
    }
    return prefixes;
  }

  @Test
  void listsOnlyTheWindowsDayFoldersAndTheLevelsAboveThemThroughS3aAndS3() throws IOException {
    InputPlanner.Plan onDisk = planLocal("AWSLogs");
    for (String scheme : List.of("s3a", "s3")) {
      RequestLog log = server.requests();
      log.reset();
      InputPlanner.Plan plan = planS3(scheme + "://" + bucket + "/AWSLogs/");

      List<String> days = dayPrefixes(TRAILS);
      List<String> expected = new ArrayList<>(days);
      expected.addAll(List.of("AWSLogs/", "AWSLogs/", "AWSLogs/" + ORG + "/", TRAILS.get(0) + "/", TRAILS.get(1) + "/",
          TRAILS.get(2) + "/"));
      expected.sort(null);
      List<RequestLog.Listing> listings = log.listings(bucket);
      assertEquals(expected, listings.stream().map(RequestLog.Listing::prefix).sorted().toList(),
          scheme + ": the root's probe, AWSLogs/, the organization, 3 trails' CloudTrail/ and the 24 day folders");
      assertTrue(listings.stream().allMatch(l -> "/".equals(l.delimiter())),
          scheme + ": every listing is one level deep");
      List<String> keys = listings.stream().flatMap(l -> l.keys().stream()).toList();
      assertTrue(keys.stream().allMatch(k -> days.stream().anyMatch(k::startsWith)), scheme + ": listed " + keys);
      // 24 day folders of 5 files, and the misplaced digest, .hidden and _SUCCESS in two of them.
      assertEquals(days.size() * FILES_PER_DAY + 3, keys.size(), scheme);
      assertEquals(keys.size(), log.keysListed(bucket));
      assertEquals(0, log.gets(), "planning reads no object");
      System.out.printf("S3InputPlannerTest: %s:// planned %d files: the server listed %d keys of %d stored,"
          + " in %d listings%n", scheme, plan.files().size(), keys.size(), stored, listings.size());

      assertSamePlan(onDisk, localBase(), plan, scheme + "://" + bucket + "/");
      assertEqualPlans(plan(false, null, scheme + "://" + bucket + "/AWSLogs/"), plan);
    }
  }

  @Test
  void startsFromAnyLevelOfTheLayoutAndFromSeveralRoots() throws IOException {
    String s3 = "s3a://" + bucket + "/";
    for (String root : List.of("AWSLogs/" + ORG, "AWSLogs/111122223333", TRAILS.get(1),
        TRAILS.get(2) + "/eu-west-1")) {
      assertSamePlan(planLocal(root), localBase(), planS3(s3 + root), s3);
    }
    InputPlanner.Plan several = planS3(s3 + "AWSLogs/111122223333", "s3://" + bucket + "/AWSLogs/" + ORG);
    assertEquals(2 * REGIONS.size() * 4 * FILES_PER_DAY, several.files().size(), "two trails, each in two regions");
    assertTrue(several.files().stream().anyMatch(f -> f.uri().startsWith("s3://" + bucket + "/AWSLogs/" + ORG + "/")));
    assertTrue(several.files().stream().anyMatch(f -> f.uri().startsWith(s3 + "AWSLogs/111122223333/")));
    assertEquals(planLocal("AWSLogs/111122223333", "AWSLogs/" + ORG).stats().counters(), several.stats().counters());

    InputPlanner.Plan wholeBucket = planS3("s3a://" + bucket);
    assertSamePlan(planLocal(""), localBase(), wholeBucket, s3);
    assertEquals(dayPrefixes(TRAILS).size() * FILES_PER_DAY, wholeBucket.files().size(),
        "a bucket root finds AWSLogs/ under it");
  }

  @Test
  void pagesThroughListingsLongerThanAPage() throws IOException {
    String root = "s3a://" + bucket + "/AWSLogs/";
    InputPlanner.Plan onePage = planS3(root);
    RequestLog log = server.requests();
    log.reset();
    InputPlanner.Plan pages = plan(true, 2, root);
    assertEqualPlans(onePage, pages);
    List<RequestLog.Listing> listings = log.listings(bucket);
    assertTrue(listings.stream().filter(l -> l.maxKeys() != null && l.maxKeys() == 2).count() > 30,
        "a day folder of 5 files takes 3 pages of 2: " + listings.size() + " listings");
    assertEquals(dayPrefixes(TRAILS).size() * FILES_PER_DAY + 3, log.keysListed(bucket), "each key listed once");
  }

  @Test
  void readsEverythingUnderAFolderOutsideTheLayoutAndSaysSo() throws IOException {
    InputPlanner.Plan plan = planS3("s3://" + bucket + "/exports");
    assertEquals(List.of(new PlannedFile("s3://" + bucket + "/exports/a.json", 5),
        new PlannedFile("s3://" + bucket + "/exports/sub/b.json.gz", 6)), plan.files());
    assertEquals(1, plan.notes().size());
    assertTrue(plan.notes().get(0).contains("not in CloudTrail's AWSLogs"), plan.notes().get(0));
    assertEquals(List.of(new PlannedFile("s3://" + bucket + "/exports/sub/b.json.gz", 6)),
        planS3("s3://" + bucket + "/exports/sub/b.json.gz").files(), "a single object is read as is");
  }

  @Test
  void aMissingRootIsAClearError() {
    for (String root : List.of("s3a://" + bucket + "/nope", "s3://" + bucket + "/AWSLogs/999999999999",
        "s3a://no-such-bucket-" + bucket + "/AWSLogs/")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> planS3(root));
      assertTrue(e.getMessage().contains("'" + root + "' does not exist: check --cloudtrail"), e.getMessage());
    }
  }

  @Test
  void wrongCredentialsAreAnErrorThatSaysSo() {
    Configuration wrong = new Configuration(conf);
    wrong.set("fs.s3a.bucket." + bucket + ".secret.key", "not-the-secret");
    IOException e = assertThrows(IOException.class,
        () -> new InputPlanner(wrong, WINDOW, 1, 2).plan(List.of("s3a://" + bucket + "/AWSLogs/")));
    assertTrue(e.getMessage().contains("access denied") && e.getMessage().contains("s3a://" + bucket + "/AWSLogs"),
        e.getMessage());
  }

  /** The same files (URIs included), counters, reject samples and notes. */
  private static void assertEqualPlans(InputPlanner.Plan expected, InputPlanner.Plan actual) {
    assertEquals(expected.files(), actual.files());
    assertEquals(expected.stats().counters(), actual.stats().counters());
    assertEquals(expected.stats().samples(), actual.stats().samples());
    assertEquals(expected.notes(), actual.notes());
  }

  private static String localBase() {
    return local.toUri().toString().replaceFirst("^file:///", "file:/");
  }

  /** Plans equal but for where the layout lives: file URIs, lengths, counters, reject samples, notes. */
  private static void assertSamePlan(InputPlanner.Plan expected, String expectedBase, InputPlanner.Plan actual,
      String actualBase) {
    assertEquals(relative(expected.files(), expectedBase), relative(actual.files(), actualBase));
    assertEquals(expected.stats().counters(), actual.stats().counters());
    assertEquals(
        expected.stats().samples().stream().map(s -> s.reason() + " " + s.file().replace(expectedBase, "")).toList(),
        actual.stats().samples().stream().map(s -> s.reason() + " " + s.file().replace(actualBase, "")).toList());
    assertEquals(expected.notes(), actual.notes());
  }

  private static Map<String, Long> relative(List<PlannedFile> files, String base) {
    Map<String, Long> byPath = new TreeMap<>();
    for (PlannedFile file : files) {
      assertTrue(file.uri().startsWith(base), file.uri() + " is not under " + base);
      byPath.put(file.uri().substring(base.length()), file.length());
    }
    assertEquals(files.size(), byPath.size());
    return byPath;
  }
}
