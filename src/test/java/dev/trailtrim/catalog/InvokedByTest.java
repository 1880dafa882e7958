package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.ingest.CloudTrailFileParser;
import dev.trailtrim.ingest.RoleAttribution;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.Translation;
import dev.trailtrim.model.Translation.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Calls a service makes with the role's credentials ({@code userIdentity.invokedBy}: S3, SQS or
 * Secrets Manager asking KMS) belong to the role and are translated like the role's own calls;
 * calls a service makes as itself ({@code type AWSService}) belong to no role. Each such call is
 * counted once: no other record's translation adds the same KMS permission.
 */
class InvokedByTest {

  private static final EventTranslator TRANSLATOR = EventTranslator.create(IamCatalog.loadDefault());

  /** Records as the sample logs and CloudTrail write them, cut to the fields trailtrim reads. */
  private static final String S3_ASKS_KMS = """
      {"Records":[{"eventVersion":"1.11","userIdentity":{"type":"AssumedRole",
       "principalId":"AROAH7VN5BLODXHUYA2OQ:invoice-renderer",
       "arn":"arn:aws:sts::111122223333:assumed-role/invoice-renderer-role/invoice-renderer","accountId":"111122223333",
       "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAH7VN5BLODXHUYA2OQ",
        "arn":"arn:aws:iam::111122223333:role/invoice-renderer-role","accountId":"111122223333","userName":"invoice-renderer-role"},
        "attributes":{"creationDate":"2026-11-03T18:00:10Z","mfaAuthenticated":"false"}},"invokedBy":"s3.amazonaws.com"},
       "eventTime":"2026-11-03T18:00:12Z","eventSource":"kms.amazonaws.com","eventName":"GenerateDataKey","awsRegion":"us-east-1",
       "sourceIPAddress":"s3.amazonaws.com","userAgent":"s3.amazonaws.com",
       "requestParameters":{"keyId":"arn:aws:kms:us-east-1:111122223333:key/9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "encryptionContext":{"aws:s3:arn":"arn:aws:s3:::acme-invoices-prod/rendered/INV-1.pdf"},"keySpec":"AES_256"},
       "responseElements":null,"readOnly":true,
       "resources":[{"accountId":"111122223333","type":"AWS::KMS::Key",
        "ARN":"arn:aws:kms:us-east-1:111122223333:key/9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}],
       "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"},
      {"eventVersion":"1.11","userIdentity":{"type":"AssumedRole",
       "principalId":"AROAL5LFKJGB5X6J72GQI:orders-api",
       "arn":"arn:aws:sts::111122223333:assumed-role/orders-api-role/orders-api","accountId":"111122223333",
       "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAL5LFKJGB5X6J72GQI",
        "arn":"arn:aws:iam::111122223333:role/service-role/orders-api-role","accountId":"111122223333","userName":"orders-api-role"}},
       "invokedBy":"secretsmanager.amazonaws.com"},
       "eventTime":"2026-11-03T00:00:05Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1",
       "sourceIPAddress":"secretsmanager.amazonaws.com","userAgent":"secretsmanager.amazonaws.com",
       "requestParameters":{"encryptionContext":{"SecretARN":"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/orders/db-Ab3dEf"},
        "encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,
       "resources":[{"accountId":"111122223333","type":"AWS::KMS::Key",
        "ARN":"arn:aws:kms:us-east-1:111122223333:key/6f1c2b4e-8a3d-4c5f-9e7a-1b2c3d4e5f60"}],
       "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"},
      {"eventVersion":"1.11","userIdentity":{"type":"AWSService","invokedBy":"lambda.amazonaws.com"},
       "eventTime":"2026-11-03T03:10:15Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1",
       "sourceIPAddress":"lambda.amazonaws.com","userAgent":"lambda.amazonaws.com",
       "requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/service-role/orders-api-role","roleSessionName":"orders-api"},
       "responseElements":null,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333"}]}
      """;

  @Test
  void aServiceCallingKmsWithTheRolesCredentialsCountsForTheRole() {
    List<CloudTrailEvent> records = CloudTrailFileParser.parse(S3_ASKS_KMS.getBytes(StandardCharsets.UTF_8)).records();
    assertEquals(3, records.size());

    CloudTrailEvent s3AsksKms = records.get(0);
    assertEquals("s3.amazonaws.com", s3AsksKms.identity().invokedBy());
    assertEquals("arn:aws:iam::111122223333:role/invoice-renderer-role", RoleAttribution.roleArn(s3AsksKms));
    assertEquals("kms:GenerateDataKey arn:aws:kms:us-east-1:111122223333:key/9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        ServiceResourceRulesTest.render(TRANSLATOR.translate(s3AsksKms)));

    CloudTrailEvent secretsManagerDecrypts = records.get(1);
    assertEquals("arn:aws:iam::111122223333:role/service-role/orders-api-role",
        RoleAttribution.roleArn(secretsManagerDecrypts));
    assertEquals("kms:Decrypt arn:aws:kms:us-east-1:111122223333:key/6f1c2b4e-8a3d-4c5f-9e7a-1b2c3d4e5f60",
        ServiceResourceRulesTest.render(TRANSLATOR.translate(secretsManagerDecrypts)));

    CloudTrailEvent lambdaAssumesTheRole = records.get(2);
    assertNull(RoleAttribution.roleArn(lambdaAssumesTheRole),
        "Lambda assuming the role is Lambda's call, not the role's");
  }

  /**
   * Over the committed sample logs: every KMS call a service made for a role is attributed to that
   * role and maps to exactly the KMS action on the key of the record; and the only KMS permissions
   * any attributed record yields come from KMS records, so no call is counted twice.
   */
  @Test
  void overTheSampleLogsEveryServiceMadeCallIsTheRolesAndCountedOnce() throws IOException {
    Path samples = Path.of(System.getProperty("trailtrim.project.dir", "."), "sample-logs", "cloudtrail");
    assertTrue(Files.isDirectory(samples), "sample logs missing at " + samples.toAbsolutePath());
    List<CloudTrailEvent> records = new ArrayList<>();
    try (Stream<Path> files = Files.walk(samples)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
          records.addAll(CloudTrailFileParser.parse(in.readAllBytes()).records());
        }
      }
    }
    Map<String, Integer> kmsRecordsByRole = new TreeMap<>();
    Map<String, Integer> kmsAccessesByRole = new TreeMap<>();
    int invokedForRole = 0;
    int invokedAsService = 0;
    for (CloudTrailEvent event : records) {
      String role = RoleAttribution.roleArn(event);
      String invokedBy = event.identity().invokedBy();
      if (invokedBy != null && role == null) {
        assertEquals("AWSService", event.identity().type(), "a service call without the role's session: " + event);
        invokedAsService++;
      }
      if (role == null) {
        continue;
      }
      Translation translation = TRANSLATOR.translate(event);
      if (invokedBy != null) {
        invokedForRole++;
        assertEquals(Outcome.MAPPED, translation.outcome(), translation.rule());
        assertEquals(1, translation.accesses().size(),
            "one permission per service-made call: " + translation.accesses());
        ActionOnResource access = translation.accesses().get(0);
        assertEquals("kms:" + event.eventName(), access.action().toString());
        assertEquals(event.resources().get(0).arn(), access.resource());
      }
      if (event.eventSource().equals("kms.amazonaws.com")) {
        kmsRecordsByRole.merge(role, 1, Integer::sum);
      }
      long kms = translation.accesses().stream().filter(a -> a.action().service().equals("kms")).count();
      if (kms > 0) {
        kmsAccessesByRole.merge(role, (int) kms, Integer::sum);
      }
    }
    assertTrue(invokedForRole >= 100 && invokedAsService >= 100,
        "sample logs should hold both kinds: for a role " + invokedForRole + ", as a service " + invokedAsService);
    assertEquals(kmsRecordsByRole, kmsAccessesByRole,
        "KMS permissions per role must come from KMS records only, once each");
  }
}
