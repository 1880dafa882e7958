package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Visibility;
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
        Arguments.of("dynamodb:GetItem", Visibility.DATA_EVENT_NOT_LOGGED, "no data events from dynamodb.amazonaws.com"),
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
}
