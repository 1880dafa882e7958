package dev.trailtrim.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.IngestStats.RoleEvidence;
import dev.trailtrim.model.ObservationWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Attribution, window filtering and accounting of one file's records, without Spark. */
class FileIngestorTest {

  private static final String ROLE = "arn:aws:iam::111122223333:role/service-role/thumbnailer-role";
  private static final FileIngestor INGESTOR = new FileIngestor(EventTranslator.create(IamCatalog.loadDefault()),
      new ObservationWindow(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 1)), 1 << 20);

  private static String record(String time, String identity, String source, String name, String extra) {
    return "{\"eventTime\":\"" + time + "\",\"eventSource\":\"" + source + "\",\"eventName\":\"" + name + "\","
        + "\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":" + identity + extra
        + "}";
  }

  private static String lambdaSession(String invokedBy) {
    return "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/thumbnailer-role/thumbnailer\","
        + "\"accountId\":\"111122223333\"" + (invokedBy == null ? "" : ",\"invokedBy\":\"" + invokedBy + "\"")
        + ",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"" + ROLE + "\"}}}";
  }

  private record Use(String role, String access, String errorCode) {}

  @Test
  void attributesRoleSessionsAndCountsEverythingElseWithAReason() {
    String lambdaAgent = ",\"userAgent\":\"aws-sdk-java/2.25 exec-env/AWS_Lambda_java17\"";
    String file = "{\"Records\":[" + String.join(",",
        record("2026-11-01T10:00:00Z", lambdaSession(null), "s3.amazonaws.com", "GetObject",
            lambdaAgent + ",\"requestParameters\":{\"bucketName\":\"uploads\",\"key\":\"a.jpg\"}"),
        record("2026-11-01T10:00:01Z", lambdaSession("s3.amazonaws.com"), "kms.amazonaws.com", "Decrypt",
            ",\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k1\"}]"),
        record("2026-11-01T10:00:02Z", lambdaSession(null), "s3.amazonaws.com", "PutObject",
            lambdaAgent
                + ",\"errorCode\":\"AccessDenied\",\"requestParameters\":{\"bucketName\":\"thumbs\",\"key\":\"a.jpg\"}"),
        record("2026-11-01T10:00:03Z", lambdaSession(null), "sts.amazonaws.com", "GetCallerIdentity", lambdaAgent),
        record("2026-11-01T10:00:04Z", lambdaSession(null), "example.amazonaws.com", "DoSomething", ""),
        record("2026-11-01T10:00:05Z", "{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\"}",
            "s3.amazonaws.com", "ListBuckets", ""),
        record("2026-11-01T10:00:06Z", "{\"type\":\"AWSService\",\"invokedBy\":\"lambda.amazonaws.com\"}",
            "sts.amazonaws.com", "AssumeRole", ""),
        record("2026-11-02T00:00:01Z", lambdaSession(null), "s3.amazonaws.com", "GetObject", "")) + "]}";
    IngestStats stats = new IngestStats(5);
    List<Use> uses = new ArrayList<>();
    INGESTOR.ingest("file:/day/x.json", file.getBytes(UTF_8), stats,
        (role, access, error, time) -> uses.add(new Use(role, access.action() + " " + access.resource(), error)));

    assertEquals(List.of(
        new Use(ROLE, "s3:GetObject arn:aws:s3:::uploads/a.jpg", null),
        new Use(ROLE, "kms:Decrypt arn:aws:kms:us-east-1:111122223333:key/k1", null),
        new Use(ROLE, "s3:PutObject arn:aws:s3:::thumbs/a.jpg", "AccessDenied")), uses);
    assertEquals(1, stats.counter("files.read"));
    assertEquals(8, stats.counter("records.read"));
    assertEquals(1, stats.counter("records.skipped.record-outside-window"));
    assertEquals(2, stats.counter("records.skipped.record-not-a-role-session"));
    RoleEvidence evidence = stats.roles().get(ROLE);
    // 5 calls in the window: 3 mapped (one made by S3 on the role's behalf), 1 needing no permission, 1 unknown.
    assertEquals(new RoleEvidence(5, 3, 3, 1, 1, Set.of("thumbnailer"), Set.of("us-east-1"),
        Map.of("thumbnailer", Set.of("us-east-1"))), evidence);
    assertEquals(1L, stats.unmapped().get("example.amazonaws.com DoSomething"));
  }

  private static String sessionOf(String issuerArn) {
    return "{\"type\":\"AssumedRole\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\""
        + (issuerArn == null ? "" : ",\"arn\":\"" + issuerArn + "\"") + "}}}";
  }

  @Test
  void aRoleSessionWhoseIssuerArnIsNotARoleArnIsARejectedRecordNamedInTheSample() {
    List<String> badArns =
        List.of("arn:aws:iam::role/x", "arn:aws:iam", "not-an-arn", "arn:aws:iam::111122223333:role/",
            "arn:aws:sts::111122223333:assumed-role/x/y", "arn:aws:iam:us-east-1:111122223333:role/x",
            "arn:aws:iam:::role/x");
    StringBuilder records = new StringBuilder();
    for (String arn : badArns) {
      records.append(record("2026-11-01T10:00:00Z", sessionOf(arn), "s3.amazonaws.com", "GetObject", "")).append(',');
    }
    records.append(record("2026-11-01T10:00:00Z", sessionOf(null), "s3.amazonaws.com", "GetObject", "")).append(',');
    // Hostile but well-formed: names are data, so these are attributed.
    records.append(record("2026-11-01T10:00:00Z", sessionOf("arn:aws:iam::..:role/svc..role"), "sts.amazonaws.com",
        "GetCallerIdentity", ""));
    IngestStats stats = new IngestStats(20);
    List<String> roles = new ArrayList<>();
    INGESTOR.ingest("file:/day/arns.json", ("{\"Records\":[" + records + "]}").getBytes(UTF_8), stats,
        (role, access, error, time) -> roles.add(role));
    assertEquals(badArns.size() + 1, stats.counter("records.rejected.record-bad-arn"));
    assertEquals(0, stats.counter("records.skipped.record-not-a-role-session"));
    assertEquals(Set.of("arn:aws:iam::..:role/svc..role"), stats.roles().keySet());
    List<String> details = stats.samples().stream().map(IngestStats.RejectSample::detail).sorted().toList();
    assertTrue(details.contains("s3.amazonaws.com GetObject: sessionIssuer.arn: 'arn:aws:iam::role/x' has 4 colons,"
        + " not the 5 of arn:partition:iam::account:role/name"), details.toString());
    assertTrue(details.contains("s3.amazonaws.com GetObject: sessionIssuer.arn: the role ARN is missing"),
        details.toString());
    assertTrue(stats.samples().stream().allMatch(r -> r.reason().equals("record-bad-arn")
        && r.file().equals("file:/day/arns.json")));
  }

  @Test
  void recordsWrittenBeforeEventCategoryAreDataEventsWhenTheRulesSaySo() {
    // No eventCategory, no managementEvent: as CloudTrail wrote records before it added them.
    String old = ",\"requestParameters\":{\"bucketName\":\"uploads\",\"key\":\"a.jpg\"},\"resources\":[{\"ARN\":"
        + "\"arn:aws:s3:::uploads/a.jpg\",\"type\":\"AWS::S3::Object\"},{\"ARN\":\"arn:aws:s3:::uploads\","
        + "\"type\":\"AWS::S3::Bucket\"}]";
    String file = "{\"Records\":["
        + record("2026-11-01T10:00:00Z", lambdaSession(null), "s3.amazonaws.com", "GetObject",
            old)
        + "," + record("2026-11-01T10:00:01Z", lambdaSession(null), "s3.amazonaws.com", "GetBucketPolicy",
            ",\"requestParameters\":{\"bucketName\":\"uploads\"}")
        + "]}";
    IngestStats stats = new IngestStats(5);
    INGESTOR.ingest("file:/day/old.json", file.getBytes(UTF_8), stats, (role, access, error, time) -> {});
    assertEquals(List.of("s3 read arn:aws:s3:::uploads"), stats.dataEventResources().stream()
        .map(d -> d.service() + (d.readOnly() ? " read " : " write ") + d.resource()).toList(),
        "the object read is evidence that the trail records the bucket; the bucket policy read is a management event");
  }

  private static String withId(String eventId, String time, String source, String name, String extra) {
    return record(time, lambdaSession(null), source, name, (eventId == null ? "" : ",\"eventID\":\"" + eventId + "\"")
        + extra);
  }

  /** Uses and counts of ingesting {@code files} in order, with one set of eventIDs for all or none. */
  private static List<Use> ingestAll(IngestStats stats, boolean dropRepeatedEvents, String... files) {
    List<Use> uses = new ArrayList<>();
    EventIdSet seen = dropRepeatedEvents ? new EventIdSet() : null;
    for (int i = 0; i < files.length; i++) {
      INGESTOR.ingest("file:/AWSLogs/" + i + "/f.json", files[i].getBytes(UTF_8), new FileIngestor.StatsRouter() {
        @Override
        public IngestStats files() {
          return stats;
        }

        @Override
        public IngestStats records(long eventTimeMillis) {
          return stats;
        }
      }, seen,
          (role, access, error, time) -> uses.add(new Use(role, access.action() + " " + access.resource(), error)));
    }
    return uses;
  }

  /**
   * An account trail's file and an organization trail's file of the same five minutes: the
   * second repeats two events (same eventID), lacks one and has one of its own. Read with one set
   * of eventIDs, every event counts once; the repeats are read and counted as duplicates.
   */
  @Test
  void anEventDeliveredTwiceIsUsedOnceAndCountedAsADuplicate() {
    String get = ",\"requestParameters\":{\"bucketName\":\"uploads\",\"key\":\"a.jpg\"}";
    String accountTrail = "{\"Records\":[" + String.join(",",
        withId("11111111-1111-4111-8111-111111111111", "2026-11-01T10:00:00Z", "s3.amazonaws.com", "GetObject", get),
        withId("22222222-2222-4222-8222-222222222222", "2026-11-01T10:00:01Z", "example.amazonaws.com", "DoSomething",
            ""),
        withId("33333333-3333-4333-8333-333333333333", "2026-11-01T10:00:02Z", "s3.amazonaws.com", "GetObject", get),
        withId(null, "2026-11-01T10:00:03Z", "s3.amazonaws.com", "GetObject", get)) + "]}";
    String organizationTrail = "{\"Records\":[" + String.join(",",
        withId("11111111-1111-4111-8111-111111111111", "2026-11-01T10:00:00Z", "s3.amazonaws.com", "GetObject", get),
        withId("22222222-2222-4222-8222-222222222222", "2026-11-01T10:00:01Z", "example.amazonaws.com", "DoSomething",
            ""),
        withId("44444444-4444-4444-8444-444444444444", "2026-11-01T10:00:04Z", "s3.amazonaws.com", "GetObject", get),
        // A record without an eventID may be another event: never dropped.
        withId(null, "2026-11-01T10:00:03Z", "s3.amazonaws.com", "GetObject", get)) + "]}";

    IngestStats deduplicated = new IngestStats(5);
    List<Use> once = ingestAll(deduplicated, true, accountTrail, organizationTrail);
    assertEquals(8, deduplicated.counter("records.read"));
    assertEquals(2, deduplicated.counter("records.duplicate"));
    // Events 1, 3, the first without an id, 4 and the second without an id: five GetObject calls.
    assertEquals(5, once.size(), once.toString());
    assertEquals(new RoleEvidence(6, 0, 5, 1, 0, Set.of("thumbnailer"), Set.of("us-east-1"),
        Map.of("thumbnailer", Set.of("us-east-1"))), deduplicated.roles().get(ROLE));
    assertEquals(1L, deduplicated.unmapped().get("example.amazonaws.com DoSomething"));
    assertEquals(deduplicated.counter("records.read"), deduplicated.counter("records.duplicate")
        + deduplicated.roles().get(ROLE).calls(), "every record read is a role call or a duplicate");

    // Without the set (files no other trail repeats) every record counts, repeats too.
    IngestStats plain = new IngestStats(5);
    List<Use> twice = ingestAll(plain, false, accountTrail, organizationTrail);
    assertEquals(0, plain.counter("records.duplicate"));
    assertEquals(6, twice.size(), "event 1 twice: " + twice);
    assertEquals(2L, plain.unmapped().get("example.amazonaws.com DoSomething"));
  }

  @Test
  void aRejectedFileAddsNoUsage() {
    IngestStats stats = new IngestStats(5);
    List<String> uses = new ArrayList<>();
    INGESTOR.ingest("file:/day/bad.json", "{\"Records\":[{\"eventTime\"".getBytes(UTF_8), stats,
        (role, access, error, time) -> uses.add(access.toString()));
    assertTrue(uses.isEmpty());
    assertEquals(1, stats.counter("files.rejected.truncated-json"));
    assertEquals(0, stats.counter("files.read"));
    assertEquals("file:/day/bad.json", stats.samples().get(0).file());
  }

  @Test
  void theTrustPolicyDecidesLambdaRolesAndTheLogsOnlyWhenTheSnapshotLacksTheRole() {
    RoleEvidence fromLambda = new RoleEvidence(10, 9, 9, 0, 1, Set.of("nightly-cleanup"));
    RoleEvidence fromCli = new RoleEvidence(10, 0, 10, 0, 0, Set.of("alice"));
    assertEquals("trust policy allows lambda.amazonaws.com", LambdaRoles.evidence(true, true, fromCli));
    assertNull(LambdaRoles.evidence(true, false, fromLambda), "a role that does not trust Lambda is not a Lambda's");
    assertEquals("not in the IAM snapshot; 9 of 10 calls came from the Lambda runtime (user agent "
        + "exec-env/AWS_Lambda_*), in sessions named nightly-cleanup", LambdaRoles.evidence(false, false, fromLambda));
    assertNull(LambdaRoles.evidence(false, false, fromCli));
    assertNull(LambdaRoles.evidence(false, false, null));
  }
}
