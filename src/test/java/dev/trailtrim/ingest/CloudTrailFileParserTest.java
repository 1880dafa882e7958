package dev.trailtrim.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.CloudTrailFileParser.ParsedFile;
import dev.trailtrim.model.CloudTrailEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudTrailFileParserTest {

  static final String LAMBDA_GET_OBJECT = """
      {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:thumbnailer",
       "arn":"arn:aws:sts::111122223333:assumed-role/thumbnailer-role/thumbnailer","accountId":"111122223333",
       "accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",
       "arn":"arn:aws:iam::111122223333:role/service-role/thumbnailer-role","accountId":"111122223333",
       "userName":"thumbnailer-role"},"attributes":{"creationDate":"2026-11-01T00:00:00Z","mfaAuthenticated":"false"}}},
       "eventTime":"2026-11-01T00:05:12Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",
       "awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1",
       "userAgent":"Boto3/1.34.0 exec-env/AWS_Lambda_python3.12","requestParameters":{"bucketName":"uploads",
       "key":"in/cat.jpg"},"responseElements":null,"additionalEventData":{"bytesTransferredOut":1024},
       "resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::uploads/in/cat.jpg"},
       {"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::uploads"}],
       "eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data"}""";

  private static ParsedFile parse(String json) {
    return CloudTrailFileParser.parse(json.getBytes(UTF_8));
  }

  @Test
  void readsTheDeliveredShapeWithEveryFieldTheJobUses() {
    ParsedFile file = parse("{\"Records\":[" + LAMBDA_GET_OBJECT + "]}");
    assertFalse(file.rejected());
    CloudTrailEvent event = file.records().get(0);
    assertEquals(1, file.records().size());
    assertEquals(1761955512000L + 365L * 86_400_000L, event.eventTimeMillis());
    assertEquals("s3.amazonaws.com", event.eventSource());
    assertEquals("GetObject", event.eventName());
    assertEquals("us-east-1", event.awsRegion());
    assertEquals("111122223333", event.accountId());
    assertTrue(event.succeeded());
    assertEquals("AssumedRole", event.identity().type());
    assertEquals("arn:aws:iam::111122223333:role/service-role/thumbnailer-role", event.identity().sessionIssuerArn());
    assertEquals("thumbnailer", event.identity().sessionName());
    assertEquals("in/cat.jpg", event.requestParameters().path("key").asText());
    assertTrue(event.responseElements().isMissingNode(), "null responseElements become a missing node");
    assertEquals(List.of("arn:aws:s3:::uploads/in/cat.jpg", "arn:aws:s3:::uploads"),
        event.resources().stream().map(CloudTrailEvent.EventResource::arn).toList());
    assertEquals("Data", event.eventCategory());
    assertEquals(Boolean.FALSE, event.managementEvent());
  }

  @Test
  void readsArraysJsonLinesAndLookupEvents() {
    assertEquals(2, parse("[" + LAMBDA_GET_OBJECT + "," + LAMBDA_GET_OBJECT + "]").records().size());
    String oneLine = LAMBDA_GET_OBJECT.replace("\n", "");
    assertEquals(3, parse(oneLine + "\n" + oneLine + "\n" + oneLine + "\n").records().size());
    String quoted = oneLine.replace("\\", "\\\\").replace("\"", "\\\"");
    assertEquals(1,
        parse("{\"Events\":[{\"EventId\":\"1\",\"CloudTrailEvent\":\"" + quoted + "\"}]}").records().size());
    assertEquals(1, parse("{\"EventId\":\"1\",\"CloudTrailEvent\":\"" + quoted + "\"}").records().size());
  }

  @Test
  void anEmptyRecordsArrayIsAGoodFileWithNoRecords() {
    ParsedFile file = parse("{\"Records\":[]}");
    assertFalse(file.rejected());
    assertTrue(file.records().isEmpty());
  }

  @Test
  void rejectsWholeFilesThatAreTruncatedInvalidOrNotCloudTrail() {
    String truncated = "{\"Records\":[" + LAMBDA_GET_OBJECT + "," + LAMBDA_GET_OBJECT.substring(0, 200);
    ParsedFile file = parse(truncated);
    assertEquals(SkipReason.TRUNCATED_JSON, file.fileReject());
    assertTrue(file.records().isEmpty(), "a truncated file gives no records at all");
    assertEquals(SkipReason.INVALID_JSON, parse("{\"Records\":[} garbage").fileReject());
    assertEquals(SkipReason.INVALID_JSON, parse("not json at all").fileReject());
    ParsedFile config = parse("{\"name\":\"my-app\",\"version\":3}");
    assertEquals(SkipReason.NOT_CLOUDTRAIL, config.fileReject());
    assertTrue(config.detail().contains("record has no eventSource"), config.detail());
    assertEquals(SkipReason.NOT_CLOUDTRAIL, parse("\"just a string\"").fileReject());
    assertEquals(SkipReason.EMPTY_FILE, parse("  \n ").fileReject());
    assertEquals(SkipReason.INVALID_JSON, parse("{\"Records\":[]} {\"Records\":[]}").fileReject());
  }

  @Test
  void aRecordsOrEventsValueThatIsNoListMakesTheFileNotCloudTrail() {
    ParsedFile nullRecords = parse("{\"Records\": null}");
    assertEquals(SkipReason.NOT_CLOUDTRAIL, nullRecords.fileReject(), "was read as a good file of 0 records");
    assertEquals("Records is null, not a list of records", nullRecords.detail());
    ParsedFile objectRecords = parse("{\"Records\": " + LAMBDA_GET_OBJECT + "}");
    assertEquals(SkipReason.NOT_CLOUDTRAIL, objectRecords.fileReject());
    assertEquals("Records is an object, not a list of records", objectRecords.detail());
    assertEquals("Events is a string, not a list of records", parse("{\"Events\": \"x\"}").detail());
    // A list beside an odd field is a good file.
    assertEquals(1, parse("{\"Events\": 5, \"Records\": [" + LAMBDA_GET_OBJECT + "]}").records().size());
  }

  @Test
  void readsARecordWithAStringLongerThanJacksonsDefaultLimit() {
    // Jackson's default maxStringLength is 20,000,000 characters; this request parameter has more.
    String huge = "x".repeat(20_000_001);
    String record =
        LAMBDA_GET_OBJECT.replace("\"key\":\"in/cat.jpg\"}", "\"key\":\"in/cat.jpg\",\"tags\":\"" + huge + "\"}");
    ParsedFile file = parse("{\"Records\":[" + record + "," + LAMBDA_GET_OBJECT + "]}");
    assertNull(file.fileReject(), file.detail());
    assertEquals(2, file.records().size());
    assertEquals(huge.length(), file.records().get(0).requestParameters().path("tags").asText().length());
  }

  @Test
  void skipsBadRecordsInsideAGoodFileAndSaysWhy() {
    ParsedFile file = parse("{\"Records\":[" + LAMBDA_GET_OBJECT + ", 42, {\"eventSource\":\"s3.amazonaws.com\"},"
        + LAMBDA_GET_OBJECT.replace("2026-11-01T00:05:12Z", "yesterday") + "]}");
    assertNull(file.fileReject());
    assertEquals(1, file.records().size());
    assertEquals(List.of(SkipReason.RECORD_NOT_AN_OBJECT, SkipReason.RECORD_MISSING_FIELD,
        SkipReason.RECORD_BAD_EVENT_TIME), file.recordRejects().stream().map(r -> r.reason()).toList());
    assertEquals("eventTime 'yesterday' of s3.amazonaws.com GetObject is not an ISO-8601 instant",
        file.recordRejects().get(2).detail());
  }

  @Test
  void toleratesNullsAndUnexpectedTypesInOptionalFields() {
    ParsedFile file =
        parse("{\"Records\":[{\"eventTime\":\"2026-11-01T00:00:00Z\",\"eventSource\":\"sts.amazonaws.com\","
            + "\"eventName\":\"GetCallerIdentity\",\"userIdentity\":null,\"requestParameters\":null,\"resources\":null,"
            + "\"errorCode\":null,\"managementEvent\":\"yes\",\"awsRegion\":{\"odd\":true}}]}");
    assertNull(file.fileReject());
    CloudTrailEvent event = file.records().get(0);
    assertNull(event.identity().type());
    assertNull(event.awsRegion());
    assertTrue(event.succeeded());
    assertTrue(event.resources().isEmpty());
  }

  @Test
  void readsTheSpaceSeparatedUtcTimesOfSiemExports() {
    long iso = CloudTrailFileParser.eventTimeMillis("2026-11-01T00:05:12Z");
    assertEquals(iso, CloudTrailFileParser.eventTimeMillis("2026-11-01 00:05:12"));
    assertEquals(iso + 250, CloudTrailFileParser.eventTimeMillis("2026-11-01 00:05:12.250"));
    assertEquals(iso + 250, CloudTrailFileParser.eventTimeMillis("2026-11-01T00:05:12.250Z"));
    // The fast path for CloudTrail's own form agrees with the general parser, edge days included.
    for (String t : java.util.List.of("2026-11-01T00:05:12Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
        "2026-12-31T23:59:59Z", "1999-03-01T12:00:00Z")) {
      assertEquals(java.time.Instant.parse(t).toEpochMilli(), CloudTrailFileParser.eventTimeMillis(t), t);
    }
    assertThrows(java.time.format.DateTimeParseException.class,
        () -> CloudTrailFileParser.eventTimeMillis("2026-02-30T00:00:00Z"));
  }
}
