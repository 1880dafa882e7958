package dev.trailtrim.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.ObservationWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The coverage map from a plan and the read's counters: which (account, region, day) the logs
 * cover, and what each hole is called. Files are named and placed as CloudTrail delivers them.
 */
class CoverageMapTest {

  private static final ObservationWindow WINDOW = new ObservationWindow(LocalDate.of(2026, 11, 1),
      LocalDate.of(2026, 11, 5));
  private static final String A = "111122223333";
  private static final String B = "444455556666";
  private static final EventTranslator TRANSLATOR = EventTranslator.create(IamCatalog.loadDefault());

  /** A delivered file of CloudTrail's layout, under an organization trail when {@code org} is set. */
  private static PlannedFile delivered(String org, String account, String region, LocalDate day, String id) {
    String date = day.toString().replace("-", "");
    return new PlannedFile("s3a://trail/AWSLogs/" + (org == null ? "" : org + "/") + account + "/CloudTrail/" + region
        + "/" + day.toString().replace('-', '/') + "/" + account + "_CloudTrail_" + region + "_" + date + "T1200Z_"
        + id + ".json.gz", 1000);
  }

  /** Every day of the window in these regions of an account, one file a day. */
  private static List<PlannedFile> everyDay(String account, String... regions) {
    List<PlannedFile> files = new ArrayList<>();
    for (String region : regions) {
      for (LocalDate day = WINDOW.from(); !day.isAfter(WINDOW.to()); day = day.plusDays(1)) {
        files.add(delivered(null, account, region, day, "x" + day.getDayOfMonth()));
      }
    }
    return files;
  }

  @Test
  void everyDeliveredDayIsCoveredAndAnAccountWithoutLogsIsNamed() {
    List<PlannedFile> plan = everyDay(A, "us-east-1", "eu-west-1");
    LogCoverage coverage = CoverageMap.build(plan, new IngestStats(5), WINDOW);
    assertEquals(List.of("eu-west-1", "us-east-1"), coverage.regionsOf(A));
    assertEquals(5, coverage.coveredDays(A, "eu-west-1").size());
    assertNull(coverage.gap(A, Set.of("us-east-1", "eu-west-1"), 5));
    assertNull(coverage.gap(A, Set.of(), 5), "a role never seen needs every region of its account with logs");

    LogCoverage.Gap none = coverage.gap(B, Set.of("us-east-1"), 1);
    assertEquals(LogCoverage.RULE_NO_LOGS_FOR_ACCOUNT, none.rule());
    assertTrue(none.detail().contains(B), none.detail());
  }

  @Test
  void aRegionWithoutLogsAndARegionWithGapsAreNotCovered() {
    List<PlannedFile> plan = new ArrayList<>(everyDay(A, "us-east-1"));
    plan.add(delivered(null, A, "eu-west-1", LocalDate.of(2026, 11, 2), "only"));
    LogCoverage coverage = CoverageMap.build(plan, new IngestStats(5), WINDOW);

    LogCoverage.Gap notThere = coverage.gap(A, Set.of("us-east-1", "ap-south-1"), 1);
    assertEquals(LogCoverage.RULE_REGION_NOT_COVERED, notThere.rule());
    assertTrue(notThere.detail().contains("ap-south-1"), notThere.detail());

    LogCoverage.Gap thin = coverage.gap(A, Set.of("eu-west-1"), 2);
    assertEquals(LogCoverage.RULE_TOO_FEW_COVERED_DAYS, thin.rule());
    assertEquals("Account 111122223333 in eu-west-1 is covered on 1 of 5 days of the window, fewer than"
        + " min.observation.days=2 (no logs on 2026-11-01, 2026-11-03..2026-11-05)", thin.detail());
    assertNull(coverage.gap(A, Set.of("eu-west-1"), 1), "one covered day is enough when one is asked for");
    assertEquals("2026-11-01, 2026-11-03..2026-11-05", coverage.gapsOf(A, "eu-west-1"));
    // A role never seen acts anywhere in its account: the thin region counts against it too.
    assertEquals(LogCoverage.RULE_TOO_FEW_COVERED_DAYS, coverage.gap(A, Set.of(), 2).rule());
  }

  @Test
  void aDayWithARejectedFileIsNotCovered() {
    List<PlannedFile> plan = everyDay(A, "us-east-1");
    IngestStats stats = new IngestStats(5);
    stats.reject(SkipReason.CORRUPT_GZIP, plan.get(2).uri(), "truncated");
    LogCoverage coverage = CoverageMap.build(plan, stats, WINDOW);
    assertEquals(4, coverage.coveredDays(A, "us-east-1").size());
    assertFalse(coverage.coveredDays(A, "us-east-1").contains(LocalDate.of(2026, 11, 3)));
    LogCoverage.Gap gap = coverage.gap(A, Set.of("us-east-1"), 5);
    assertEquals(LogCoverage.RULE_TOO_FEW_COVERED_DAYS, gap.rule());
    assertTrue(gap.detail().endsWith("(rejected files on 2026-11-03)"), gap.detail());
  }

  @Test
  void aRejectedFileThatNamesNoLocationLeavesNothingCovered() {
    List<PlannedFile> plan = everyDay(A, "us-east-1");
    IngestStats stats = new IngestStats(5);
    stats.reject(SkipReason.TRUNCATED_JSON, "file:/exports/broken.json", "ends early");
    LogCoverage coverage = CoverageMap.build(plan, stats, WINDOW);
    assertEquals(1, coverage.unlocatedRejects());
    assertEquals(LogCoverage.RULE_REJECTED_FILES_UNLOCATED, coverage.gap(A, Set.of("us-east-1"), 1).rule());
  }

  @Test
  void anOrganizationTrailsFilesCountForTheirAccount() {
    List<PlannedFile> plan = new ArrayList<>();
    for (LocalDate day = WINDOW.from(); !day.isAfter(WINDOW.to()); day = day.plusDays(1)) {
      plan.add(delivered("o-a1b2", B, "us-east-1", day, "o" + day.getDayOfMonth()));
    }
    LogCoverage coverage = CoverageMap.build(plan, new IngestStats(5), WINDOW);
    assertNull(coverage.gap(B, Set.of("us-east-1"), 5));
  }

  @Test
  void filesOutsideTheLayoutShowCoverageThroughTheirRecords() {
    IngestStats stats = new IngestStats(5);
    FileIngestor ingestor = new FileIngestor(TRANSLATOR, null, 1 << 20);
    StringBuilder records = new StringBuilder("{\"Records\":[");
    for (int day = 1; day <= 5; day++) {
      records.append(day == 1 ? "" : ",").append("{\"eventTime\":\"2026-11-0").append(day).append("T10:00:00Z\","
          + "\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"DescribeInstances\",\"awsRegion\":\"eu-west-1\","
          + "\"recipientAccountId\":\"" + A + "\",\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"" + A
          + "\"}}");
    }
    records.append("]}");
    ingestor.ingest("file:/exports/export-1.json", records.toString().getBytes(UTF_8), stats, (r, a, e, t) -> {});
    LogCoverage coverage =
        CoverageMap.build(List.of(new PlannedFile("file:/exports/export-1.json", 10)), stats, WINDOW);
    assertEquals(List.of("eu-west-1"), coverage.regionsOf(A));
    assertEquals(5, coverage.coveredDays(A, "eu-west-1").size());
  }

  @Test
  void aStoppedTrailIsAGapFromStopToStartInEveryRegionOfItsAccount() {
    List<PlannedFile> plan = everyDay(A, "us-east-1", "eu-west-1");
    IngestStats stats = new IngestStats(5);
    FileIngestor ingestor = new FileIngestor(TRANSLATOR, null, 1 << 20);
    String file = "{\"Records\":[" + trailCall("2026-11-02T22:00:00Z", "StopLogging") + ","
        + trailCall("2026-11-03T18:00:00Z", "StartLogging") + "," + trailCall("2026-11-05T08:00:00Z", "DeleteTrail")
        + "]}";
    ingestor.ingest(plan.get(1).uri(), file.getBytes(UTF_8), stats, (r, a, e, t) -> {});
    LogCoverage coverage = CoverageMap.build(plan, stats, WINDOW);
    assertEquals(List.of(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 4)), coverage.coveredDays(A, "eu-west-1"));
    assertEquals(coverage.coveredDays(A, "eu-west-1"), coverage.coveredDays(A, "us-east-1"));
    LogCoverage.Gap gap = coverage.gap(A, Set.of("eu-west-1"), 3);
    assertTrue(gap.detail().endsWith("(logging stopped on 2026-11-02..2026-11-03, 2026-11-05)"), gap.detail());
  }

  @Test
  void aFailedStopLoggingLeavesNoGap() {
    List<PlannedFile> plan = everyDay(A, "us-east-1");
    IngestStats stats = new IngestStats(5);
    String failed = trailCall("2026-11-02T22:00:00Z", "StopLogging").replace("}}", "},\"errorCode\":\"AccessDenied\"}");
    new FileIngestor(TRANSLATOR, null, 1 << 20).ingest(plan.get(1).uri(), ("{\"Records\":[" + failed + "]}")
        .getBytes(UTF_8), stats, (r, a, e, t) -> {});
    assertTrue(stats.trailChanges().isEmpty());
    assertEquals(5, CoverageMap.build(plan, stats, WINDOW).coveredDays(A, "us-east-1").size());
  }

  @Test
  void theCountersSurviveTheStoredStatesJson() {
    List<PlannedFile> plan = everyDay(A, "us-east-1");
    IngestStats stats = new IngestStats(5);
    stats.reject(SkipReason.CORRUPT_GZIP, plan.get(2).uri(), "truncated");
    stats.trailChange(new TrailChange(1_762_120_800_000L, A, "us-east-1", "StopLogging", "main"));
    IngestStats back = IngestStats.fromJson(stats.toJson(), 5);
    assertEquals(stats.rejectedFiles(), back.rejectedFiles());
    assertEquals(stats.trailChanges(), back.trailChanges());
    assertEquals(CoverageMap.build(plan, stats, WINDOW), CoverageMap.build(plan, back, WINDOW));
  }

  private static String trailCall(String time, String name) {
    return "{\"eventTime\":\"" + time + "\",\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"" + name
        + "\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"" + A + "\",\"userIdentity\":{\"type\":\"IAMUser\","
        + "\"accountId\":\"" + A + "\"},\"requestParameters\":{\"name\":\"arn:aws:cloudtrail:us-east-1:" + A
        + ":trail/main\"}}";
  }
}
