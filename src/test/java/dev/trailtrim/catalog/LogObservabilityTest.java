package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Visibility;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogObservabilityTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  /** Logs that contain S3 and Lambda data events, nothing else. */
  private static final LogObservability OBSERVED = LogObservability.create(CATALOG,
      Set.of("s3.amazonaws.com", "LAMBDA.amazonaws.com"));
  private static final String ANY = "*";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("s3:CreateBucket", Visibility.MANAGEMENT_EVENT, "management event"),
        Arguments.of("iam:GetRole", Visibility.MANAGEMENT_EVENT, "management event"),
        Arguments.of("secretsmanager:GetSecretValue", Visibility.MANAGEMENT_EVENT, "management event"),
        Arguments.of("kms:Decrypt", Visibility.MANAGEMENT_EVENT, "management event"),
        Arguments.of("s3:GetObject", Visibility.DATA_EVENT_LOGGED, "data events from s3.amazonaws.com"),
        Arguments.of("s3:getobjectversion", Visibility.DATA_EVENT_LOGGED, "data events from s3.amazonaws.com"),
        Arguments.of("s3:ListBucket", Visibility.DATA_EVENT_LOGGED, "data event"),
        Arguments.of("lambda:InvokeFunction", Visibility.DATA_EVENT_LOGGED, "data events from lambda.amazonaws.com"),
        Arguments.of("dynamodb:GetItem", Visibility.DATA_EVENT_NOT_LOGGED,
            "no data events from dynamodb.amazonaws.com"),
        Arguments.of("sqs:SendMessage", Visibility.DATA_EVENT_NOT_LOGGED, "no data events from sqs.amazonaws.com"),
        Arguments.of("sns:Publish", Visibility.DATA_EVENT_NOT_LOGGED, "proves nothing"),
        Arguments.of("kinesis:PutRecords", Visibility.DATA_EVENT_NOT_LOGGED, "proves nothing"),
        Arguments.of("logs:PutLogEvents", Visibility.NOT_LOGGED, "CloudTrail never shows logs:PutLogEvents"),
        Arguments.of("xray:PutTraceSegments", Visibility.NOT_LOGGED, "never shows"),
        Arguments.of("iam:PassRole", Visibility.NOT_LOGGED, "permission checked"),
        Arguments.of("rds-db:connect", Visibility.NOT_LOGGED, "never shows"),
        Arguments.of("comprehend:DetectSentiment", Visibility.NOT_LOGGED, "no CloudTrail facts for comprehend"),
        Arguments.of("s3:NoSuchAction", Visibility.NOT_LOGGED, "not an action in the IAM catalog"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("cases")
  void decidesFromTheRulesAndTheLogs(String action, Visibility expected, String reasonPart) {
    IamAction iamAction = IamAction.parse(action);
    assertEquals(expected, OBSERVED.visibility(iamAction, ANY));
    String reason = OBSERVED.reason(iamAction, ANY);
    assertTrue(reason.contains(reasonPart), reason);
    assertTrue(reason.endsWith(".") && reason.indexOf(". ") < 0, "one sentence: " + reason);
  }

  @Test
  void dataEventsBecomeObservableOnlyWhenTheirSourceWasSeen() {
    IamAction getItem = IamAction.parse("dynamodb:GetItem");
    assertEquals(Visibility.DATA_EVENT_NOT_LOGGED, LogObservability.create(CATALOG, Set.of()).visibility(getItem, ANY));
    assertEquals(Visibility.DATA_EVENT_LOGGED,
        LogObservability.create(CATALOG, Set.of("dynamodb.amazonaws.com")).visibility(getItem, ANY));
    assertEquals(Visibility.DATA_EVENT_LOGGED, LogObservability.create(CATALOG, Set.of("monitoring.amazonaws.com"))
        .visibility(IamAction.parse("cloudwatch:PutMetricData"), ANY));
  }

  @Test
  void onlyManagementAndLoggedDataEventsLetAbsenceMeanUnused() {
    assertTrue(OBSERVED.visibility(IamAction.parse("s3:PutObject"), ANY).absenceMeansUnused());
    assertTrue(!OBSERVED.visibility(IamAction.parse("sqs:ReceiveMessage"), ANY).absenceMeansUnused());
    assertTrue(!OBSERVED.visibility(IamAction.parse("logs:PutLogEvents"), ANY).absenceMeansUnused());
  }

  // Per granted resource: what the logs show, as DataEventResource.seenIn reports it.
  private static final String A = TestEvents.ACCOUNT;
  private static final List<DataEventResource> SEEN = List.of(
      new DataEventResource("s3", "arn:aws:s3:::orders-in", true),
      new DataEventResource("s3", "arn:aws:s3:::orders-out", false),
      new DataEventResource("dynamodb", "arn:aws:dynamodb:us-east-1:" + A + ":table/Orders", true),
      new DataEventResource("dynamodb", "arn:aws:dynamodb:us-east-1:" + A + ":table/Orders", false),
      new DataEventResource("lambda", "arn:aws:lambda:us-east-1:" + A + ":function:resize", false),
      new DataEventResource("cloudwatch", null, false));
  private static final LogObservability PER_RESOURCE = LogObservability.create(CATALOG, SEEN, Set.of());

  static Stream<Arguments> perResourceCases() {
    String table = "arn:aws:dynamodb:us-east-1:" + A + ":table/Orders";
    String function = "arn:aws:lambda:us-east-1:" + A + ":function:";
    return Stream.of(
        Arguments.of("s3:GetObject", "arn:aws:s3:::orders-in/*", Visibility.DATA_EVENT_LOGGED,
            "read data events for arn:aws:s3:::orders-in"),
        Arguments.of("s3:GetObject", "arn:aws:s3:::orders-in/2024/*", Visibility.DATA_EVENT_LOGGED,
            "absence means it was not used"),
        Arguments.of("s3:GetObjectVersion", "arn:aws:s3:::orders-in/a${*}b", Visibility.DATA_EVENT_LOGGED, "orders-in"),
        Arguments.of("s3:ListBucket", "arn:aws:s3:::orders-in", Visibility.DATA_EVENT_LOGGED, "read data events"),
        Arguments.of("s3:PutObject", "arn:aws:s3:::orders-in/*", Visibility.DATA_EVENT_NOT_LOGGED,
            "no write data events for arn:aws:s3:::orders-in"),
        Arguments.of("s3:PutObject", "arn:aws:s3:::orders-out/*", Visibility.DATA_EVENT_LOGGED, "write data events"),
        Arguments.of("s3:GetObject", "arn:aws:s3:::archive/*", Visibility.DATA_EVENT_NOT_LOGGED, "no read data events"),
        Arguments.of("s3:GetObject", "*", Visibility.DATA_EVENT_NOT_LOGGED, "reaches resources"),
        Arguments.of("s3:GetObject", "arn:aws:s3:::*", Visibility.DATA_EVENT_NOT_LOGGED, "reaches resources"),
        Arguments.of("s3:GetObject", "arn:aws:s3:::orders-*/*", Visibility.DATA_EVENT_NOT_LOGGED, "proves nothing"),
        Arguments.of("dynamodb:Query", table + "/index/*", Visibility.DATA_EVENT_LOGGED,
            "read data events for " + table),
        Arguments.of("dynamodb:PutItem", table, Visibility.DATA_EVENT_LOGGED, "write data events for " + table),
        Arguments.of("dynamodb:GetItem", "arn:aws:dynamodb:*:" + A + ":table/Orders", Visibility.DATA_EVENT_NOT_LOGGED,
            "reaches resources"),
        Arguments.of("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/Users",
            Visibility.DATA_EVENT_NOT_LOGGED,
            "no read data events"),
        Arguments.of("lambda:InvokeFunction", function + "resize:*", Visibility.DATA_EVENT_LOGGED, "function:resize"),
        Arguments.of("lambda:InvokeFunction", function + "resize:live", Visibility.DATA_EVENT_LOGGED,
            "function:resize"),
        Arguments.of("lambda:InvokeFunction", function + "thumbnail", Visibility.DATA_EVENT_NOT_LOGGED,
            "no write data events"),
        Arguments.of("lambda:InvokeFunction", "*", Visibility.DATA_EVENT_NOT_LOGGED, "reaches resources"),
        Arguments.of("cloudwatch:PutMetricData", "*", Visibility.DATA_EVENT_LOGGED,
            "write data events from cloudwatch"),
        Arguments.of("cloudwatch:GetMetricData", "*", Visibility.DATA_EVENT_NOT_LOGGED,
            "no read data events from cloudwatch"),
        Arguments.of("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + A + ":jobs", Visibility.DATA_EVENT_NOT_LOGGED,
            "no write data events"),
        Arguments.of("s3:CreateBucket", "arn:aws:s3:::orders-in", Visibility.MANAGEMENT_EVENT, "management event"),
        Arguments.of("logs:PutLogEvents", "*", Visibility.NOT_LOGGED, "never shows"),
        Arguments.of("events:PutEvents", "arn:aws:events:us-east-1:" + A + ":event-bus/default",
            Visibility.DATA_EVENT_NOT_LOGGED,
            "data event"),
        Arguments.of("bedrock:InvokeModel", "*", Visibility.MANAGEMENT_EVENT, "management event"));
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @MethodSource("perResourceCases")
  void decidesDataEventsPerGrantedResource(String action, String resource, Visibility expected, String reasonPart) {
    IamAction iamAction = IamAction.parse(action);
    assertEquals(expected, PER_RESOURCE.visibility(iamAction, resource));
    String reason = PER_RESOURCE.reason(iamAction, resource);
    assertTrue(reason.contains(reasonPart), reason);
    assertTrue(reason.endsWith(".") && reason.indexOf(". ") < 0, "one sentence: " + reason);
  }

  @Test
  void anOperatorCanSayATrailRecordsEveryResourceOfAService() {
    LogObservability all = LogObservability.create(CATALOG, SEEN, Set.of("s3", "sqs.amazonaws.com"));
    assertEquals(Visibility.DATA_EVENT_LOGGED, all.visibility(IamAction.parse("s3:GetObject"), "*"));
    assertEquals(Visibility.DATA_EVENT_LOGGED,
        all.visibility(IamAction.parse("s3:PutObject"), "arn:aws:s3:::archive/*"));
    assertEquals(Visibility.DATA_EVENT_NOT_LOGGED, all.visibility(IamAction.parse("sqs:SendMessage"), "*"),
        "said to be recorded, but no SQS data event is in the logs");
    assertEquals(Visibility.DATA_EVENT_NOT_LOGGED, all.visibility(IamAction.parse("lambda:InvokeFunction"), "*"));
  }

  @Test
  void theLogsSayWhichResourcesHaveDataEvents() {
    EventTranslator translator = EventTranslator.create(CATALOG);
    CloudTrailEvent getObject =
        TestEvents.call("s3", "GetObject").dataEvent().request("{'bucketName':'orders-in','key':'a/b.json'}")
            .resource("arn:aws:s3:::orders-in", "AWS::S3::Bucket")
            .resource("arn:aws:s3:::orders-in/a/b.json", "AWS::S3::Object").build();
    assertEquals(List.of(new DataEventResource("s3", "arn:aws:s3:::orders-in", true)),
        DataEventResource.seenIn(getObject, translator));

    CloudTrailEvent copy = TestEvents.call("s3", "CopyObject").dataEvent()
        .request("{'bucketName':'dst','key':'k','x-amz-copy-source':'src/k'}").build();
    assertEquals(
        List.of(new DataEventResource("s3", "arn:aws:s3:::dst", false),
            new DataEventResource("s3", "arn:aws:s3:::src", false)),
        DataEventResource.seenIn(copy, translator),
        "a call that writes is a write data event, for every bucket it names");

    CloudTrailEvent invoke =
        TestEvents.call("lambda", "Invoke").dataEvent().request("{'functionName':'resize:live'}").build();
    assertEquals(List.of(new DataEventResource("lambda", "arn:aws:lambda:us-east-1:" + A + ":function:resize", false)),
        DataEventResource.seenIn(invoke, translator));

    CloudTrailEvent getRecords = TestEvents.call("streams.dynamodb", "GetRecords").dataEvent()
        .resource("arn:aws:dynamodb:us-east-1:" + A + ":table/Orders/stream/2024-01-01T00:00:00.000",
            "AWS::DynamoDB::Stream")
        .build();
    assertEquals(List.of(new DataEventResource("dynamodb", "arn:aws:dynamodb:us-east-1:" + A + ":table/Orders", true)),
        DataEventResource.seenIn(getRecords, translator));

    CloudTrailEvent putMetricData =
        TestEvents.call("monitoring", "PutMetricData").dataEvent().request("{'namespace':'App'}").build();
    assertEquals(List.of(new DataEventResource("cloudwatch", null, false)),
        DataEventResource.seenIn(putMetricData, translator));

    assertEquals(List.of(),
        DataEventResource.seenIn(TestEvents.call("s3", "CreateBucket").request("{'bucketName':'b'}").build(),
            translator),
        "a management event says nothing about data events");
    assertEquals(List.of(),
        DataEventResource.seenIn(TestEvents.call("s3", "FrobnicateObject").dataEvent().build(), translator),
        "an untranslatable call cannot tell reads from writes");
    assertEquals(List.of(), DataEventResource.seenIn(TestEvents.call("sqs", "SendMessage").dataEvent()
        .resource("arn::::weird", "AWS::SQS::Queue").build(), translator).stream().filter(r -> r.resource() != null)
        .toList());
  }

  @Test
  void unitsOfGrantedPatterns() {
    assertEquals("arn:aws:s3:::b", DataEventResource.unitOfPattern("s3", "arn:aws:s3:::b/in/*"));
    assertEquals("arn:aws:s3:::b", DataEventResource.unitOfPattern("s3", "arn:aws:s3:::b"));
    assertEquals("arn:aws:s3:::a*b", DataEventResource.unitOfPattern("s3", "arn:aws:s3:::a${*}b/k"));
    assertEquals(null, DataEventResource.unitOfPattern("s3", "arn:aws:s3:::b?/k"));
    assertEquals("arn:aws-cn:lambda:cn-north-1:1:function:f",
        DataEventResource.unitOfPattern("lambda", "arn:aws-cn:lambda:cn-north-1:1:function:f:*"));
    assertEquals(null, DataEventResource.unitOfPattern("lambda", "arn:aws:lambda:us-east-1:1:function:f*"));
    assertEquals("arn:aws-us-gov:kinesis:us-gov-west-1:1:stream/s",
        DataEventResource.unitOfPattern("kinesis", "arn:aws-us-gov:kinesis:us-gov-west-1:1:stream/s/consumer/*"));
    assertEquals(null, DataEventResource.unitOfPattern("sqs", "arn:aws:sqs:us-east-1:*:q"));
    assertEquals(null, DataEventResource.unitOfPattern("sqs", "*"));
  }

  /** The evidence the sample logs give: a few units per service, not one per object or call. */
  @Test
  void theSampleLogsNameTheirDataEventUnits() throws java.io.IOException {
    java.nio.file.Path samples =
        java.nio.file.Path.of(System.getProperty("trailtrim.project.dir", "."), "sample-logs", "cloudtrail");
    EventTranslator translator = EventTranslator.create(CATALOG);
    java.util.TreeSet<DataEventResource> seen = new java.util.TreeSet<>();
    int dataEvents = 0;
    try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(samples)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList()) {
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))) {
          for (CloudTrailEvent event : dev.trailtrim.ingest.CloudTrailFileParser.parse(in.readAllBytes()).records()) {
            List<DataEventResource> found = DataEventResource.seenIn(event, translator);
            dataEvents += event.isDataEvent() ? 1 : 0;
            seen.addAll(found);
          }
        }
      }
    }
    System.out.printf("%nData-event units in the sample logs (%d data events):%n", dataEvents);
    seen.forEach(
        r -> System.out.println("  " + r.service() + " " + (r.readOnly() ? "read  " : "write ") + r.resource()));
    assertTrue(dataEvents > 100 && !seen.isEmpty() && seen.size() < 50, dataEvents + " data events, units " + seen);
    assertTrue(seen.stream().anyMatch(r -> r.service().equals("s3") && r.readOnly())
        && seen.stream().anyMatch(r -> r.service().equals("s3") && !r.readOnly()), seen.toString());
    assertTrue(seen.stream().filter(r -> r.service().equals("s3") && r.resource() != null)
        .allMatch(r -> r.resource().matches("arn:aws:s3:::[^/*?]+")), "S3 units are buckets: " + seen);
  }
}
