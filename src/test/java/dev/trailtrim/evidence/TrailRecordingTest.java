package dev.trailtrim.evidence;

import static dev.trailtrim.evidence.Trails.ACCOUNT;
import static dev.trailtrim.evidence.Trails.advanced;
import static dev.trailtrim.evidence.Trails.basic;
import static dev.trailtrim.evidence.Trails.data;
import static dev.trailtrim.evidence.Trails.dataSelector;
import static dev.trailtrim.evidence.Trails.field;
import static dev.trailtrim.evidence.Trails.management;
import static dev.trailtrim.evidence.Trails.multiRegion;
import static dev.trailtrim.evidence.Trails.selector;
import static dev.trailtrim.evidence.Trails.singleRegion;
import static dev.trailtrim.evidence.Trails.trail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.evidence.Recording.Status;
import dev.trailtrim.model.IamAction;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrailRecordingTest {

  private static final ActionEvent GET_OBJECT =
      ActionEvent.data(IamAction.parse("s3:GetObject"), "s3.amazonaws.com", true);
  private static final ActionEvent PUT_OBJECT =
      ActionEvent.data(IamAction.parse("s3:PutObject"), "s3.amazonaws.com", false);
  private static final ActionEvent DELETE_OBJECT =
      ActionEvent.data(IamAction.parse("s3:DeleteObject"), "s3.amazonaws.com", false);
  private static final ActionEvent GET_ITEM =
      ActionEvent.data(IamAction.parse("dynamodb:GetItem"), "dynamodb.amazonaws.com", true);
  private static final ActionEvent INVOKE =
      ActionEvent.data(IamAction.parse("lambda:InvokeFunction"), "lambda.amazonaws.com", false)
          .withEventNames(Set.of("Invoke"));
  private static final ActionEvent SEND_MESSAGE =
      ActionEvent.data(IamAction.parse("sqs:SendMessage"), "sqs.amazonaws.com", false);
  private static final ActionEvent PUBLISH =
      ActionEvent.data(IamAction.parse("sns:Publish"), "sns.amazonaws.com", false);
  private static final ActionEvent CREATE_ROLE =
      ActionEvent.management(IamAction.parse("iam:CreateRole"), "iam.amazonaws.com", false);
  private static final ActionEvent ASSUME_ROLE =
      ActionEvent.management(IamAction.parse("sts:AssumeRole"), "sts.amazonaws.com", false);
  private static final ActionEvent DECRYPT =
      ActionEvent.management(IamAction.parse("kms:Decrypt"), "kms.amazonaws.com", true);
  private static final ActionEvent CREATE_BUCKET =
      ActionEvent.management(IamAction.parse("s3:CreateBucket"), "s3.amazonaws.com", false);
  private static final ActionEvent DESCRIBE_INSTANCES =
      ActionEvent.management(IamAction.parse("ec2:DescribeInstances"), "ec2.amazonaws.com", true);
  private static final String TABLES = "arn:aws:dynamodb:us-east-1:111122223333:table/";

  private static Recording in(String region, ActionEvent event, String resource, Trail... trails) {
    return TrailRecording.of(List.of(trails)).recording(ACCOUNT, region, event, resource);
  }

  private static Recording of(ActionEvent event, String resource, Trail... trails) {
    return in("us-east-1", event, resource, trails);
  }

  @Test
  void basicSelectorForAllBucketsRecordsEveryObject() {
    Trail all = multiRegion("all-s3", basic(data(ReadWriteType.ALL, "AWS::S3::Object", "arn:aws:s3")));

    Recording recording = of(GET_OBJECT, "*", all);

    assertEquals(Status.RECORDED, recording.status());
    assertEquals(List.of(), recording.unrecorded());
    assertEquals("s3:GetObject on '*' in 111122223333/us-east-1 is recorded as read data events of AWS::S3::Object by"
        + " trail 'all-s3' (EventSelectors[0]).", recording.reason());
  }

  @Test
  void basicSelectorForOneBucketRecordsItsObjectsOnly() {
    Trail one = multiRegion("bucket-a", basic(data(ReadWriteType.ALL, "AWS::S3::Object", "arn:aws:s3:::bucket-a/")));

    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/*", one).status());
    assertEquals(Status.NOT_RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-b/*", one).status());
    Recording wide = of(GET_OBJECT, "arn:aws:s3:::*/*", one);
    assertEquals(Status.PARTLY_RECORDED, wide.status());
    // "Every bucket but bucket-a" has no IAM pattern: the whole grant counts as unrecorded.
    assertNull(wide.unrecorded());
    assertTrue(wide.reason().contains("IAM resource patterns cannot name just the unrecorded part"), wide.reason());
    assertTrue(wide.reason().contains("'bucket-a' (EventSelectors[0])"), wide.reason());
  }

  @Test
  void basicSelectorForAKeyPrefixRecordsThatPrefixOnly() {
    Trail prefix =
        multiRegion("logs", basic(data(ReadWriteType.ALL, "AWS::S3::Object", "arn:aws:s3:::bucket-a/logs/")));

    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/logs/*", prefix).status());
    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/logs/2026/*.gz", prefix).status());
    assertEquals(Status.PARTLY_RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/*", prefix).status());
    // A ? could be the 's' of logs/ or anything else.
    assertEquals(Status.PARTLY_RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/log?/*", prefix).status());
    assertEquals(Status.NOT_RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/data/*", prefix).status());
  }

  @Test
  void readOnlyBasicSelectorLeavesWritesUnrecorded() {
    Trail reads = multiRegion("reads", basic(data(ReadWriteType.READ_ONLY, "AWS::S3::Object", "arn:aws:s3")));

    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/*", reads).status());
    Recording put = of(PUT_OBJECT, "arn:aws:s3:::bucket-a/*", reads);
    assertEquals(Status.NOT_RECORDED, put.status());
    assertEquals("No trail records s3:PutObject on 'arn:aws:s3:::bucket-a/*' in 111122223333/us-east-1 as write data"
        + " events of AWS::S3::Object: 'reads' selects no write data events of AWS::S3::Object.", put.reason());
  }

  @Test
  void notStartsWithLeavesTheExcludedPrefixAsTheUnrecordedPart() {
    Trail org = multiRegion("org-trail", advanced(dataSelector("S3 but secret", "AWS::S3::Object",
        field("resources.ARN", "NotStartsWith", "arn:aws:s3:::secret-bucket/"))));

    for (String grant : List.of("*", "arn:aws:s3:::*/*", "arn:aws:s3:::*")) {
      Recording recording = of(GET_OBJECT, grant, org);
      assertEquals(Status.PARTLY_RECORDED, recording.status(), grant);
      assertEquals(List.of("arn:aws:s3:::secret-bucket/*"), recording.unrecorded(), grant);
      assertEquals("s3:GetObject on '" + grant + "' in 111122223333/us-east-1 is recorded as read data events of"
          + " AWS::S3::Object only in part, by trail 'org-trail' (selector 'S3 but secret'): not, for example, for"
          + " 'arn:aws:s3:::secret-bucket/'.", recording.reason());
    }
    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::other-bucket/*", org).status());
    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::logs-*/*", org).status());
    assertEquals(Status.NOT_RECORDED, of(GET_OBJECT, "arn:aws:s3:::secret-bucket/reports/*", org).status());
    // secret-* also reaches secret-bucket: only that part is unrecorded.
    assertEquals(List.of("arn:aws:s3:::secret-bucket/*"), of(GET_OBJECT, "arn:aws:s3:::secret-*/*", org).unrecorded());
  }

  @Test
  void startsWithAndReadOnlyTogether() {
    Trail two = multiRegion("two-buckets", advanced(dataSelector("reads of a and b", "AWS::S3::Object",
        field("resources.ARN", "StartsWith", "arn:aws:s3:::bucket-a/", "arn:aws:s3:::bucket-b/"),
        AdvancedFieldSelector.equalTo("readOnly", "true"))));

    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a/*", two).status());
    assertEquals(Status.RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-b/x/*", two).status());
    assertEquals(Status.NOT_RECORDED, of(PUT_OBJECT, "arn:aws:s3:::bucket-a/*", two).status());
    assertEquals(Status.PARTLY_RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-?/*", two).status());
  }

  @Test
  void eventNameEqualsAndNotEquals() {
    Trail gets = multiRegion("gets", advanced(dataSelector("GetObject only", "AWS::S3::Object",
        field("eventName", "Equals", "GetObject"))));
    Trail allButDeletes = multiRegion("no-deletes", advanced(dataSelector("no deletes", "AWS::S3::Object",
        field("eventName", "NotEquals", "DeleteObject"))));

    assertEquals(Status.RECORDED, of(GET_OBJECT, "*", gets).status());
    assertEquals(Status.NOT_RECORDED, of(PUT_OBJECT, "*", gets).status());
    assertEquals(Status.RECORDED, of(PUT_OBJECT, "*", allButDeletes).status());
    assertEquals(Status.NOT_RECORDED, of(DELETE_OBJECT, "*", allButDeletes).status());
    // A use may show under either name: both must be recorded.
    Trail puts = multiRegion("puts", advanced(dataSelector("PutObject only", "AWS::S3::Object",
        field("eventName", "Equals", "PutObject"))));
    Recording upload = of(PUT_OBJECT.withEventNames(Set.of("PutObject", "CompleteMultipartUpload")), "*", puts);
    assertEquals(Status.NOT_RECORDED, upload.status());
    assertTrue(upload.reason().contains("named CompleteMultipartUpload"), upload.reason());
  }

  @Test
  void dynamoDbTables() {
    Trail orders = multiRegion("orders", advanced(dataSelector("orders", "AWS::DynamoDB::Table",
        field("resources.ARN", "Equals", TABLES + "orders"))));
    Trail allButAudit = multiRegion("not-audit", advanced(dataSelector("not audit", "AWS::DynamoDB::Table",
        field("resources.ARN", "NotEquals", TABLES + "audit"))));
    Trail basicAll = multiRegion("basic", basic(data(ReadWriteType.ALL, "AWS::DynamoDB::Table", "arn:aws:dynamodb")));

    assertEquals(Status.RECORDED, of(GET_ITEM, TABLES + "orders", orders).status());
    assertEquals(Status.PARTLY_RECORDED, of(GET_ITEM, TABLES + "*", orders).status());
    assertNull(of(GET_ITEM, TABLES + "*", orders).unrecorded());
    assertEquals(List.of(TABLES + "audit"), of(GET_ITEM, TABLES + "*", allButAudit).unrecorded());
    assertEquals(List.of(TABLES + "audit"), of(GET_ITEM, "*", allButAudit).unrecorded());
    assertEquals(Status.RECORDED, of(GET_ITEM, "*", basicAll).status());
    // A table of us-east-1 is not touched by calls logged in us-west-2.
    assertEquals(Status.NOT_RECORDED, in("us-west-2", GET_ITEM, TABLES + "orders", orders).status());
  }

  @Test
  void lambdaFunctions() {
    String functions = "arn:aws:lambda:us-east-1:111122223333:function:";
    Trail basicAll =
        multiRegion("all-functions", basic(data(ReadWriteType.ALL, "AWS::Lambda::Function", "arn:aws:lambda")));
    Trail basicOne = multiRegion("one-function",
        basic(data(ReadWriteType.ALL, "AWS::Lambda::Function", functions + "orders")));
    Trail noInternal = multiRegion("public", advanced(dataSelector("not internal", "AWS::Lambda::Function",
        field("resources.ARN", "NotStartsWith", functions + "internal-"))));

    assertEquals(Status.RECORDED, of(INVOKE, "*", basicAll).status());
    assertEquals(Status.RECORDED, of(INVOKE, functions + "orders", basicOne).status());
    assertEquals(Status.NOT_RECORDED, of(INVOKE, functions + "orders:*", basicOne).status());
    assertEquals(List.of(functions + "internal-*"), of(INVOKE, functions + "*", noInternal).unrecorded());
  }

  @Test
  void sqsQueuesAndSnsTopics() {
    Trail queues = multiRegion("queues", advanced(dataSelector("queues", "AWS::SQS::Queue")));
    Trail topics = multiRegion("topics", advanced(dataSelector("not test topics", "AWS::SNS::Topic",
        field("resources.ARN", "NotEndsWith", "-test"))));
    Trail alerts = multiRegion("alerts", advanced(dataSelector("alert topics", "AWS::SNS::Topic",
        field("resources.ARN", "EndsWith", ":alerts"))));

    assertEquals(Status.RECORDED, of(SEND_MESSAGE, "arn:aws:sqs:us-east-1:111122223333:orders", queues).status());
    assertEquals(Status.NOT_RECORDED, of(PUBLISH, "*", queues).status());
    assertEquals(List.of("arn:aws:sns:us-east-1:111122223333:*-test"),
        of(PUBLISH, "arn:aws:sns:us-east-1:111122223333:*", topics).unrecorded());
    // Cut from the grant itself, so it stays within it: a "*" grant leaves "*-test".
    assertEquals(List.of("*-test"), of(PUBLISH, "*", topics).unrecorded());
    assertEquals(Status.RECORDED, of(PUBLISH, "arn:aws:sns:us-east-1:111122223333:alerts", alerts).status());
    assertEquals(Status.PARTLY_RECORDED, of(PUBLISH, "arn:aws:sns:us-east-1:111122223333:*", alerts).status());
  }

  @Test
  void whatIsNotUnderstoodNeverLooksRecorded() {
    ActionEvent unknownType = ActionEvent.data(IamAction.parse("bedrock:InvokeAgent"), "bedrock.amazonaws.com", false,
        "AWS::Bedrock::AgentAlias");
    Trail agents = multiRegion("agents", advanced(dataSelector("agents", "AWS::Bedrock::AgentAlias")));
    Recording unknown = of(unknownType, "*", agents);
    assertEquals(Status.NOT_RECORDED, unknown.status());
    assertEquals("trailtrim cannot tell which AWS::Bedrock::AgentAlias resources a trail records, so it takes"
        + " bedrock:InvokeAgent on '*' in 111122223333/us-east-1 as not recorded.", unknown.reason());

    Trail byIdentity = multiRegion("identity", advanced(dataSelector("some callers", "AWS::S3::Object",
        field("userIdentity.arn", "NotStartsWith", "arn:aws:sts::111122223333:assumed-role/batch"))));
    Recording identity = of(GET_OBJECT, "*", byIdentity);
    assertEquals(Status.NOT_RECORDED, identity.status());
    assertTrue(identity.reason().contains("'identity' selector 'some callers' has a condition on userIdentity.arn,"
        + " which trailtrim cannot judge"), identity.reason());

    AdvancedFieldSelector contains = new AdvancedFieldSelector("resources.ARN", List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of("Contains"));
    assertEquals(Status.NOT_RECORDED,
        of(GET_OBJECT, "*", multiRegion("future", advanced(dataSelector("new operator", "AWS::S3::Object", contains))))
            .status());
    // resources.type is required for data events; without it nothing says which.
    assertEquals(Status.NOT_RECORDED, of(GET_OBJECT, "*", multiRegion("typeless",
        advanced(selector("typeless", AdvancedFieldSelector.equalTo("eventCategory", "Data"))))).status());
    // A grant that reaches no object (a bucket ARN) cannot be judged for object events.
    assertEquals(Status.NOT_RECORDED, of(GET_OBJECT, "arn:aws:s3:::bucket-a",
        multiRegion("all", basic(data(ReadWriteType.ALL, "AWS::S3::Object", "arn:aws:s3")))).status());
  }

  @Test
  void dataSelectorsSayNothingOfManagementEvents() {
    Trail dataOnly = multiRegion("data-only", advanced(dataSelector("S3 but secret", "AWS::S3::Object",
        field("resources.ARN", "NotStartsWith", "arn:aws:s3:::secret-bucket/"))));

    Recording recording = of(CREATE_BUCKET, "*", dataOnly);

    assertEquals(Status.NOT_RECORDED, recording.status());
    assertEquals("No trail records s3:CreateBucket in 111122223333/us-east-1 as write management events from"
        + " s3.amazonaws.com: 'data-only' selects no write management events from s3.amazonaws.com.",
        recording.reason());
    Trail arnOnManagement = multiRegion("odd", advanced(selector("management by ARN",
        AdvancedFieldSelector.equalTo("eventCategory", "Management"),
        field("resources.ARN", "StartsWith", "arn:aws:s3:::"))));
    assertTrue(of(CREATE_BUCKET, "*", arnOnManagement).reason()
        .contains("'odd' selector 'management by ARN' conditions management events on resources.ARN"));
  }

  @Test
  void organizationTrailsApplyToEveryAccountOtherTrailsToTheirOwn() {
    Trail org = trail("org", "999988887777", "us-east-1", true, true, true, basic(management(ReadWriteType.ALL)));
    Trail otherAccount = trail("other", "999988887777", "us-east-1", true, true, false,
        basic(management(ReadWriteType.ALL)));

    assertEquals(Status.RECORDED, of(CREATE_BUCKET, "*", org).status());
    Recording other = of(CREATE_BUCKET, "*", otherAccount);
    assertEquals(Status.NOT_RECORDED, other.status());
    assertEquals("No trail records s3:CreateBucket in 111122223333/us-east-1 as write management events from"
        + " s3.amazonaws.com: 'other' belongs to account 999988887777.", other.reason());
  }

  @Test
  void singleRegionTrailsRecordTheirHomeRegionOnly() {
    Trail ireland = singleRegion("ireland", "eu-west-1", true, basic(management(ReadWriteType.ALL)));
    Trail everywhere = multiRegion("everywhere", basic(management(ReadWriteType.ALL)));

    assertEquals(Status.RECORDED, in("eu-west-1", CREATE_BUCKET, "*", ireland).status());
    Recording elsewhere = in("us-west-2", CREATE_BUCKET, "*", ireland);
    assertEquals(Status.NOT_RECORDED, elsewhere.status());
    assertTrue(elsewhere.reason().endsWith("'ireland' is a single-region trail of eu-west-1."), elsewhere.reason());
    assertEquals(Status.RECORDED, in("us-west-2", CREATE_BUCKET, "*", ireland, everywhere).status());
  }

  @Test
  void globalServiceEventsAreLoggedInUsEast1IntoTrailsThatIncludeThem() {
    Trail everywhere = multiRegion("everywhere", basic(management(ReadWriteType.ALL)));
    Trail virginia = singleRegion("virginia", "us-east-1", true, basic(management(ReadWriteType.ALL)));
    Trail virginiaWithout =
        singleRegion("virginia-no-global", "us-east-1", false, basic(management(ReadWriteType.ALL)));
    Trail ireland = singleRegion("ireland", "eu-west-1", true, basic(management(ReadWriteType.ALL)));

    assertEquals(Status.RECORDED, in("eu-west-1", CREATE_ROLE, "*", everywhere).status());
    assertEquals(Status.RECORDED, in("eu-west-1", CREATE_ROLE, "*", virginia).status());
    Recording without = in("us-east-1", CREATE_ROLE, "*", virginiaWithout);
    assertEquals(Status.NOT_RECORDED, without.status());
    assertEquals("No trail records iam:CreateRole in 111122223333/us-east-1 as write management events from"
        + " iam.amazonaws.com (a global service event, logged in us-east-1): 'virginia-no-global' does not include"
        + " global service events.", without.reason());
    // Ireland's own events yes, IAM's no: a single-region trail outside us-east-1 no longer receives them.
    assertEquals(Status.RECORDED, in("eu-west-1", CREATE_BUCKET, "*", ireland).status());
    assertEquals(Status.NOT_RECORDED, in("eu-west-1", CREATE_ROLE, "*", ireland).status());
    // STS answers on a global and on regional endpoints: both places must be recorded.
    assertEquals(Status.NOT_RECORDED, in("eu-west-1", ASSUME_ROLE, "*", virginia).status());
    assertEquals(Status.NOT_RECORDED, in("eu-west-1", ASSUME_ROLE, "*", ireland).status());
    assertEquals(Status.RECORDED, in("eu-west-1", ASSUME_ROLE, "*", virginia, ireland).status());
    assertEquals(Status.RECORDED, in("eu-west-1", ASSUME_ROLE, "*", everywhere).status());
  }

  @Test
  void excludedManagementEventSources() {
    Trail basicNoKms = multiRegion("no-kms", basic(management(ReadWriteType.ALL, "kms.amazonaws.com")));
    Trail advancedNoKms = multiRegion("no-kms-advanced", advanced(selector("management but KMS",
        AdvancedFieldSelector.equalTo("eventCategory", "Management"),
        field("eventSource", "NotEquals", "kms.amazonaws.com"))));

    for (Trail trail : List.of(basicNoKms, advancedNoKms)) {
      assertEquals(Status.NOT_RECORDED, of(DECRYPT, "*", trail).status(), trail.name());
      assertEquals(Status.RECORDED, of(CREATE_BUCKET, "*", trail).status(), trail.name());
    }
  }

  @Test
  void writeOnlyManagementEventsLeaveReadsUnrecorded() {
    Trail writes = multiRegion("writes", basic(management(ReadWriteType.WRITE_ONLY)));
    Trail advancedWrites = multiRegion("writes-advanced", advanced(selector("writes",
        AdvancedFieldSelector.equalTo("eventCategory", "Management"),
        AdvancedFieldSelector.equalTo("readOnly", "false"))));

    for (Trail trail : List.of(writes, advancedWrites)) {
      assertEquals(Status.NOT_RECORDED, of(DESCRIBE_INSTANCES, "*", trail).status(), trail.name());
      assertEquals(Status.RECORDED, of(CREATE_BUCKET, "*", trail).status(), trail.name());
    }
  }

  @Test
  void trailsThatAreStoppedOrUnreadRecordNothing() {
    Trail stopped = multiRegion("stopped", basic(management(ReadWriteType.ALL))).withLogging(LoggingStatus.STOPPED);
    Trail unread = multiRegion("unread", TrailSelectors.NOT_READ);

    assertEquals(Status.NOT_RECORDED, of(CREATE_BUCKET, "*", stopped).status());
    Recording recording = of(CREATE_BUCKET, "*", stopped, unread);
    assertEquals("No trail records s3:CreateBucket in 111122223333/us-east-1 as write management events from"
        + " s3.amazonaws.com: 'stopped' is not logging (get-trail-status); 'unread' has no get-event-selectors output,"
        + " so nothing says what it records.", recording.reason());
    assertEquals(Status.NOT_RECORDED, of(CREATE_BUCKET, "*").status());
  }

  @Test
  void theUnionOfTrailsCanRecordWhatNoneRecordsAlone() {
    Trail bucketA = multiRegion("a", basic(data(ReadWriteType.ALL, "AWS::S3::Object", "arn:aws:s3:::bucket-a")));
    Trail rest = multiRegion("rest", advanced(dataSelector("all but a", "AWS::S3::Object",
        field("resources.ARN", "NotStartsWith", "arn:aws:s3:::bucket-a/"))));

    Recording recording = of(GET_OBJECT, "*", bucketA, rest);

    assertEquals(Status.RECORDED, recording.status());
    assertEquals("s3:GetObject on '*' in 111122223333/us-east-1 is recorded as read data events of AWS::S3::Object by"
        + " trail 'a' (EventSelectors[0]); 'rest' (selector 'all but a').", recording.reason());
  }

  @Test
  void policyVariablesAreDecidedForAnyValueButNeverCut() {
    Trail all = multiRegion("all", basic(data(ReadWriteType.ALL, "AWS::S3::Object", "arn:aws:s3")));
    Trail notSecret = multiRegion("org", advanced(dataSelector("S3 but secret", "AWS::S3::Object",
        field("resources.ARN", "NotStartsWith", "arn:aws:s3:::home/secret/"))));
    String home = "arn:aws:s3:::home/${aws:username}/*";

    assertEquals(Status.RECORDED, of(GET_OBJECT, home, all).status());
    Recording partly = of(GET_OBJECT, home, notSecret);
    assertEquals(Status.PARTLY_RECORDED, partly.status());
    assertNull(partly.unrecorded());
  }
}
