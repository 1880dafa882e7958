package dev.trailtrim.catalog;

import static dev.trailtrim.catalog.TestEvents.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.CloudTrailEvent.Identity;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Translation;
import dev.trailtrim.model.Translation.Outcome;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventTranslatorTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final EventTranslator TRANSLATOR = EventTranslator.create(CATALOG);
  private static final String A = TestEvents.ACCOUNT;

  /** The accesses as "action resource" lines joined by " ; ", or the outcome when not mapped. */
  private static String render(Translation translation) {
    if (translation.outcome() != Outcome.MAPPED) {
      return translation.outcome().name();
    }
    return translation.accesses().stream().map(a -> a.action() + " " + a.resource())
        .collect(Collectors.joining(" ; "));
  }

  static Stream<Arguments> specialCases() {
    return Stream.of(
        // eventSource -> prefix
        Arguments.of("irregular eventSource monitoring -> cloudwatch",
            call("monitoring", "DescribeAlarms").build(), "cloudwatch:DescribeAlarms *"),
        Arguments.of("irregular eventSource tagging -> tag",
            call("tagging", "GetResources").build(), "tag:GetResources *"),
        Arguments.of("irregular eventSource email -> ses",
            call("email", "ListIdentities").build(), "ses:ListIdentities *"),
        Arguments.of("irregular eventSource pinpoint -> mobiletargeting",
            call("pinpoint", "GetApps").build(),
            "mobiletargeting:GetApps arn:aws:mobiletargeting:us-east-1:" + A + ":apps/*"),
        Arguments.of("irregular eventSource rdsdata -> rds-data",
            call("rdsdata", "ExecuteStatement").request("{'resourceArn':'arn:aws:rds:us-east-1:" + A + ":cluster:db'}")
                .build(),
            "rds-data:ExecuteStatement arn:aws:rds:us-east-1:" + A + ":cluster:db"),
        Arguments.of("irregular eventSource streams.dynamodb -> dynamodb",
            call("streams.dynamodb", "GetShardIterator")
                .request("{'streamArn':'arn:aws:dynamodb:us-east-1:" + A + ":table/t/stream/2024-01-01T00:00:00.000'}")
                .build(),
            "dynamodb:GetShardIterator arn:aws:dynamodb:us-east-1:" + A + ":table/t/stream/2024-01-01T00:00:00.000"),

        // event name -> action
        Arguments.of("API-version suffix v2 is stripped",
            call("lambda", "GetFunction20150331v2").request("{'functionName':'fn'}").build(),
            "lambda:GetFunction arn:aws:lambda:us-east-1:" + A + ":function:fn"),
        Arguments.of("API-version suffix is stripped, partial ARN",
            call("lambda", "UpdateFunctionConfiguration20150331v2").request("{'functionName':'" + A + ":function:fn'}")
                .build(),
            "lambda:UpdateFunctionConfiguration arn:aws:lambda:us-east-1:" + A + ":function:fn"),
        Arguments.of("API-version suffix without v, no resource types",
            call("lambda", "ListFunctions20150331").build(), "lambda:ListFunctions *"),
        Arguments.of("lambda Invoke -> InvokeFunction, name with qualifier",
            call("lambda", "Invoke").request("{'functionName':'fn:prod'}").build(),
            "lambda:InvokeFunction arn:aws:lambda:us-east-1:" + A + ":function:fn:prod"),
        Arguments.of("lambda Invoke, full ARN of another account and a qualifier parameter",
            call("lambda", "Invoke")
                .request("{'functionName':'arn:aws:lambda:eu-west-1:444455556666:function:fn','qualifier':'7'}")
                .build(),
            "lambda:InvokeFunction arn:aws:lambda:eu-west-1:444455556666:function:fn:7"),
        Arguments.of("lambda CreateFunction also passes its role",
            call("lambda", "CreateFunction20150331")
                .request("{'functionName':'fn','role':'arn:aws:iam::" + A + ":role/service-role/r'}").build(),
            "iam:PassRole arn:aws:iam::" + A + ":role/service-role/r ; lambda:CreateFunction arn:aws:lambda:us-east-1:"
                + A + ":function:fn"),
        Arguments.of("s3 ListObjects -> ListBucket on the bucket",
            call("s3", "ListObjects").request("{'bucketName':'b','prefix':'x/'}").build(),
            "s3:ListBucket arn:aws:s3:::b"),
        Arguments.of("s3 ListObjectsV2 -> ListBucket",
            call("s3", "ListObjectsV2").request("{'bucketName':'b'}").build(),
            "s3:ListBucket arn:aws:s3:::b"),
        Arguments.of("s3 HeadBucket -> ListBucket", call("s3", "HeadBucket").request("{'bucketName':'b'}").build(),
            "s3:ListBucket arn:aws:s3:::b"),
        Arguments.of("s3 HeadObject -> GetObject on the object",
            call("s3", "HeadObject").request("{'bucketName':'b','key':'k/1.txt'}").build(),
            "s3:GetObject arn:aws:s3:::b/k/1.txt"),
        Arguments.of("s3 GetObject with versionId -> GetObjectVersion",
            call("s3", "GetObject").request("{'bucketName':'b','key':'k','versionId':'3HL4kqtJ'}").build(),
            "s3:GetObjectVersion arn:aws:s3:::b/k"),
        Arguments.of("s3 CreateMultipartUpload -> PutObject",
            call("s3", "CreateMultipartUpload").request("{'bucketName':'b','key':'k'}").build(),
            "s3:PutObject arn:aws:s3:::b/k"),
        Arguments.of("s3 UploadPart -> PutObject",
            call("s3", "UploadPart").request("{'bucketName':'b','key':'k','partNumber':'1'}").build(),
            "s3:PutObject arn:aws:s3:::b/k"),
        Arguments.of("s3 CompleteMultipartUpload -> PutObject",
            call("s3", "CompleteMultipartUpload").request("{'bucketName':'b','key':'k'}").build(),
            "s3:PutObject arn:aws:s3:::b/k"),
        Arguments.of("s3 ListBuckets -> ListAllMyBuckets", call("s3", "ListBuckets").build(), "s3:ListAllMyBuckets *"),
        Arguments.of("s3 GetBucketEncryption -> GetEncryptionConfiguration",
            call("s3", "GetBucketEncryption").request("{'bucketName':'b','encryption':''}").build(),
            "s3:GetEncryptionConfiguration arn:aws:s3:::b"),
        Arguments.of("s3 PutBucketLifecycle -> PutLifecycleConfiguration",
            call("s3", "PutBucketLifecycle").request("{'bucketName':'b'}").build(),
            "s3:PutLifecycleConfiguration arn:aws:s3:::b"),
        Arguments.of("s3 DeleteBucketReplication -> PutReplicationConfiguration",
            call("s3", "DeleteBucketReplication").request("{'bucketName':'b'}").build(),
            "s3:PutReplicationConfiguration arn:aws:s3:::b"),
        Arguments.of("s3 DeleteObjects -> DeleteObject on the objects in resources[]",
            call("s3", "DeleteObjects").request("{'bucketName':'b','delete':''}")
                .resource("arn:aws:s3:::b/k1", "AWS::S3::Object").resource("arn:aws:s3:::b/k2", "AWS::S3::Object")
                .resource("arn:aws:s3:::b", "AWS::S3::Bucket").build(),
            "s3:DeleteObject arn:aws:s3:::b/k1 ; s3:DeleteObject arn:aws:s3:::b/k2"),
        Arguments.of("s3 DeleteObjects without object ARNs -> any object in the bucket",
            call("s3", "DeleteObjects").request("{'bucketName':'b','delete':''}").build(),
            "s3:DeleteObject arn:aws:s3:::b/*"),
        Arguments.of("s3 CopyObject -> PutObject on the target, GetObject on the source",
            call("s3", "CopyObject")
                .request("{'bucketName':'dst','key':'new/k','x-amz-copy-source':'src/old/k%20v1.txt?versionId=x'}")
                .resource("arn:aws:s3:::src/old/k v1.txt", "AWS::S3::Object")
                .resource("arn:aws:s3:::dst/new/k", "AWS::S3::Object").build(),
            "s3:GetObject arn:aws:s3:::src/old/k v1.txt ; s3:PutObject arn:aws:s3:::dst/new/k"),
        Arguments.of("s3 object ARN from resources[] wins over request parameters",
            call("s3", "GetObject").request("{'bucketName':'b','key':'k'}")
                .resource("arn:aws:s3:::b/real-key", "AWS::S3::Object")
                .resource("arn:aws:s3:::b", "AWS::S3::Bucket").build(),
            "s3:GetObject arn:aws:s3:::b/real-key"),
        Arguments.of("s3 bucket action ignores the object ARN in resources[]",
            call("s3", "GetBucketAcl").request("{'bucketName':'b'}").resource("arn:aws:s3:::b", "AWS::S3::Bucket")
                .build(),
            "s3:GetBucketAcl arn:aws:s3:::b"),
        Arguments.of("kms ReEncrypt -> ReEncryptFrom and ReEncryptTo",
            call("kms", "ReEncrypt")
                .request("{'sourceKeyId':'arn:aws:kms:us-east-1:" + A + ":key/k1','destinationKeyId':'k2'}").build(),
            "kms:ReEncryptFrom arn:aws:kms:us-east-1:" + A + ":key/k1 ; kms:ReEncryptTo arn:aws:kms:us-east-1:" + A
                + ":key/k2"),
        Arguments.of("kms key id -> key ARN",
            call("kms", "Decrypt").request("{'keyId':'1234abcd-12ab-34cd-56ef-1234567890ab'}").build(),
            "kms:Decrypt arn:aws:kms:us-east-1:" + A + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        Arguments.of("kms alias without resources[] -> alias ARN",
            call("kms", "GenerateDataKey").request("{'keyId':'alias/app'}").build(),
            "kms:GenerateDataKey arn:aws:kms:us-east-1:" + A + ":alias/app"),
        Arguments.of("kms alias with the key ARN in resources[] -> key ARN",
            call("kms", "GenerateDataKey").request("{'keyId':'alias/app'}")
                .resource("arn:aws:kms:us-east-1:" + A + ":key/k1", "AWS::KMS::Key").build(),
            "kms:GenerateDataKey arn:aws:kms:us-east-1:" + A + ":key/k1"),
        Arguments.of("kms alias ARN stays",
            call("kms", "Encrypt").request("{'keyId':'arn:aws:kms:us-east-1:" + A + ":alias/app'}").build(),
            "kms:Encrypt arn:aws:kms:us-east-1:" + A + ":alias/app"),
        Arguments.of("kms CreateAlias needs the alias and the key",
            call("kms", "CreateAlias").request("{'aliasName':'alias/app','targetKeyId':'k1'}").build(),
            "kms:CreateAlias arn:aws:kms:us-east-1:" + A + ":alias/app ; kms:CreateAlias arn:aws:kms:us-east-1:" + A
                + ":key/k1"),
        Arguments.of("sts GetCallerIdentity needs no permission", call("sts", "GetCallerIdentity").build(),
            "NO_PERMISSION_NEEDED"),
        Arguments.of("console sign-in needs no permission", call("signin", "ConsoleLogin").build(),
            "NO_PERMISSION_NEEDED"),

        // resources from request parameters
        Arguments.of("dynamodb table", call("dynamodb", "GetItem").request("{'tableName':'t','key':{}}").build(),
            "dynamodb:GetItem arn:aws:dynamodb:us-east-1:" + A + ":table/t"),
        Arguments.of("dynamodb query on an index -> index ARN only",
            call("dynamodb", "Query").request("{'tableName':'t','indexName':'by-date'}").build(),
            "dynamodb:Query arn:aws:dynamodb:us-east-1:" + A + ":table/t/index/by-date"),
        Arguments.of("dynamodb table from resources[] and index from parameters",
            call("dynamodb", "Query").request("{'tableName':'t','indexName':'i'}")
                .resource("arn:aws:dynamodb:us-east-1:" + A + ":table/t", "AWS::DynamoDB::Table").build(),
            "dynamodb:Query arn:aws:dynamodb:us-east-1:" + A + ":table/t/index/i"),
        Arguments.of("sqs queue URL -> queue ARN in the URL's account and region",
            call("sqs", "SendMessage")
                .request("{'queueUrl':'https://sqs.eu-west-1.amazonaws.com/444455556666/jobs','messageBody':'x'}")
                .build(),
            "sqs:SendMessage arn:aws:sqs:eu-west-1:444455556666:jobs"),
        Arguments.of("sqs legacy queue URL", call("sqs", "ReceiveMessage")
            .request("{'queueUrl':'https://us-west-2.queue.amazonaws.com/" + A + "/q.fifo'}").build(),
            "sqs:ReceiveMessage arn:aws:sqs:us-west-2:" + A + ":q.fifo"),
        Arguments.of("sqs SendMessageBatch -> SendMessage",
            call("sqs", "SendMessageBatch").request("{'queueUrl':'https://sqs.us-east-1.amazonaws.com/" + A + "/q'}")
                .build(),
            "sqs:SendMessage arn:aws:sqs:us-east-1:" + A + ":q"),
        Arguments.of("sns topicArn",
            call("sns", "Publish").request("{'topicArn':'arn:aws:sns:us-east-1:" + A + ":alerts'}").build(),
            "sns:Publish arn:aws:sns:us-east-1:" + A + ":alerts"),
        Arguments.of("secretsmanager secret ARN from the request",
            call("secretsmanager", "GetSecretValue")
                .request("{'secretId':'arn:aws:secretsmanager:us-east-1:" + A + ":secret:db-AbCdEf'}").build(),
            "secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:" + A + ":secret:db-AbCdEf"),
        Arguments.of("secretsmanager name -> ARN with any suffix",
            call("secretsmanager", "GetSecretValue").request("{'secretId':'prod/db'}").build(),
            "secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:" + A + ":secret:prod/db-??????"),
        Arguments.of("secretsmanager partial ARN -> ARN with any suffix",
            call("secretsmanager", "GetSecretValue")
                .request("{'secretId':'arn:aws:secretsmanager:us-east-1:" + A + ":secret:prod/db'}").build(),
            "secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:" + A + ":secret:prod/db-??????"),
        Arguments.of("secretsmanager name with a literal ? is escaped before the suffix pattern",
            call("secretsmanager", "GetSecretValue").request("{'secretId':'odd?name'}").build(),
            "secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:" + A + ":secret:odd${?}name-??????"),
        Arguments.of("secretsmanager name, but the ARN in responseElements wins",
            call("secretsmanager", "DeleteSecret").request("{'secretId':'db'}")
                .response("{'aRN':'arn:aws:secretsmanager:us-east-1:" + A + ":secret:db-AbCdEf','name':'db'}").build(),
            "secretsmanager:DeleteSecret arn:aws:secretsmanager:us-east-1:" + A + ":secret:db-AbCdEf"),
        Arguments.of("secretsmanager BatchGetSecretValue also needs GetSecretValue on each secret",
            call("secretsmanager", "BatchGetSecretValue")
                .request("{'secretIdList':['a','arn:aws:secretsmanager:us-east-1:" + A + ":secret:b-123456']}").build(),
            "secretsmanager:BatchGetSecretValue * ; secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:" + A
                + ":secret:a-?????? ; secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:" + A
                + ":secret:b-123456"),
        Arguments.of("ssm parameter with leading slash",
            call("ssm", "GetParameter").request("{'name':'/app/db/password'}").build(),
            "ssm:GetParameter arn:aws:ssm:us-east-1:" + A + ":parameter/app/db/password"),
        Arguments.of("ssm parameter without leading slash",
            call("ssm", "GetParameter").request("{'name':'plain'}").build(),
            "ssm:GetParameter arn:aws:ssm:us-east-1:" + A + ":parameter/plain"),
        Arguments.of("ssm GetParameters -> one ARN per name",
            call("ssm", "GetParameters").request("{'names':['/a','b'],'withDecryption':true}").build(),
            "ssm:GetParameters arn:aws:ssm:us-east-1:" + A + ":parameter/a ; ssm:GetParameters arn:aws:ssm:us-east-1:"
                + A + ":parameter/b"),
        Arguments.of("logs log group",
            call("logs", "CreateLogGroup").request("{'logGroupName':'/aws/lambda/fn'}").build(),
            "logs:CreateLogGroup arn:aws:logs:us-east-1:" + A + ":log-group:/aws/lambda/fn"),
        Arguments.of("logs log stream", call("logs", "CreateLogStream")
            .request("{'logGroupName':'/aws/lambda/fn','logStreamName':'2024/01/01/[$LATEST]abc'}").build(),
            "logs:CreateLogStream arn:aws:logs:us-east-1:" + A
                + ":log-group:/aws/lambda/fn:log-stream:2024/01/01/[${$}LATEST]abc"),
        Arguments.of("S3 key with *, ? and $: escaped, so the pattern names just that object",
            call("s3", "PutObject").request("{'bucketName':'b','key':'in/a*b?c$d.json'}").build(),
            "s3:PutObject arn:aws:s3:::b/in/a${*}b${?}c${$}d.json"),
        Arguments.of("S3 copy source with a * in the key: escaped too",
            call("s3", "CopyObject").request("{'bucketName':'b','key':'out/k','x-amz-copy-source':'src/in%2Fa*.txt'}")
                .build(),
            "s3:GetObject arn:aws:s3:::src/in/a${*}.txt ; s3:PutObject arn:aws:s3:::b/out/k"),
        Arguments.of("ARN from resources[] with a * in the key: escaped",
            call("s3", "GetObject").resource("arn:aws:s3:::b/x*y", "AWS::S3::Object").build(),
            "s3:GetObject arn:aws:s3:::b/x${*}y"),
        Arguments.of("iam user from userName", call("iam", "ListAccessKeys").request("{'userName':'alice'}").build(),
            "iam:ListAccessKeys arn:aws:iam::" + A + ":user/alice"),
        Arguments.of("iam role from roleName; the policy ARN is a condition, not a resource",
            call("iam", "AttachRolePolicy")
                .request("{'roleName':'r','policyArn':'arn:aws:iam::aws:policy/ReadOnlyAccess'}").build(),
            "iam:AttachRolePolicy arn:aws:iam::" + A + ":role/r"),
        Arguments.of("iam AWS-managed policy ARN", call("iam", "GetPolicy")
            .request("{'policyArn':'arn:aws:iam::aws:policy/ReadOnlyAccess'}").build(),
            "iam:GetPolicy arn:aws:iam::aws:policy/ReadOnlyAccess"),
        Arguments.of("iam path from the request",
            call("iam", "CreateRole").request("{'roleName':'r','path':'/service-role/'}").build(),
            "iam:CreateRole arn:aws:iam::" + A + ":role/service-role/r"),
        Arguments.of("recipientAccountId wins over the caller's account",
            call("sns", "CreateTopic").recipientAccount("444455556666").request("{'name':'t'}").build(),
            "sns:CreateTopic arn:aws:sns:us-east-1:444455556666:t"),
        Arguments.of("caller's account when recipientAccountId is absent",
            call("sns", "CreateTopic").recipientAccount(null).request("{'name':'t'}").build(),
            "sns:CreateTopic arn:aws:sns:us-east-1:" + A + ":t"),
        Arguments.of("no ARN derivable -> *", call("s3", "GetObject").request("{'bucketName':'b'}").build(),
            "s3:GetObject *"),
        Arguments.of("action without resource types -> *", call("ec2", "DescribeInstances").build(),
            "ec2:DescribeInstances *"),

        // partitions
        Arguments.of("aws-cn partition",
            call("dynamodb", "PutItem").region("cn-north-1").request("{'tableName':'t'}").build(),
            "dynamodb:PutItem arn:aws-cn:dynamodb:cn-north-1:" + A + ":table/t"),
        Arguments.of("aws-us-gov partition", call("sqs", "DeleteMessage").region("us-gov-west-1")
            .request("{'queueUrl':'https://sqs.us-gov-west-1.amazonaws.com/" + A + "/q'}").build(),
            "sqs:DeleteMessage arn:aws-us-gov:sqs:us-gov-west-1:" + A + ":q"),
        Arguments.of("aws-cn S3 object",
            call("s3", "PutObject").region("cn-northwest-1").request("{'bucketName':'b','key':'k'}").build(),
            "s3:PutObject arn:aws-cn:s3:::b/k"),
        Arguments.of("aws-us-gov Lambda",
            call("lambda", "Invoke").region("us-gov-east-1").request("{'functionName':'fn'}").build(),
            "lambda:InvokeFunction arn:aws-us-gov:lambda:us-gov-east-1:" + A + ":function:fn"),
        Arguments.of("aws-cn secret name",
            call("secretsmanager", "GetSecretValue").region("cn-north-1").request("{'secretId':'s'}").build(),
            "secretsmanager:GetSecretValue arn:aws-cn:secretsmanager:cn-north-1:" + A + ":secret:s-??????"),
        Arguments.of("aws-us-gov KMS alias",
            call("kms", "Decrypt").region("us-gov-west-1").request("{'keyId':'alias/a'}").build(),
            "kms:Decrypt arn:aws-us-gov:kms:us-gov-west-1:" + A + ":alias/a"),
        Arguments.of("aws-cn log group",
            call("logs", "DescribeLogStreams").region("cn-north-1").request("{'logGroupName':'g'}").build(),
            "logs:DescribeLogStreams arn:aws-cn:logs:cn-north-1:" + A + ":log-group:g"),
        Arguments.of("aws-us-gov SSM parameter",
            call("ssm", "GetParameter").region("us-gov-west-1").request("{'name':'/p'}").build(),
            "ssm:GetParameter arn:aws-us-gov:ssm:us-gov-west-1:" + A + ":parameter/p"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specialCases")
  void translatesSpecialCases(String description, CloudTrailEvent event, String expected) {
    assertEquals(expected, render(TRANSLATOR.translate(event)), description);
  }

  @Test
  void everyEmittedActionIsInCanonicalCatalogSpelling() {
    Translation t = TRANSLATOR.translate(call("s3", "getobject").request("{'bucketName':'b','key':'k'}").build());
    assertEquals(Outcome.MAPPED, t.outcome());
    assertEquals("s3:GetObject", t.accesses().get(0).action().toString());
  }

  @Test
  void unknownCallsAreUnmappedWithAReasonNamingSourceAndName() {
    Translation unknownName = TRANSLATOR.translate(call("s3", "FrobnicateBucket").build());
    assertEquals(Outcome.UNMAPPED, unknownName.outcome());
    assertTrue(unknownName.rule().contains("s3.amazonaws.com") && unknownName.rule().contains("FrobnicateBucket"),
        unknownName.rule());

    Translation unknownSource = TRANSLATOR.translate(call("nosuchservice", "DoThing").build());
    assertEquals(Outcome.UNMAPPED, unknownSource.outcome());
    assertTrue(unknownSource.rule().contains("nosuchservice.amazonaws.com") && unknownSource.rule().contains("DoThing"),
        unknownSource.rule());
  }

  @Test
  void oddRecordsNeverThrow() {
    Identity nobody = new Identity(null, null, null, null, null, null, null);
    List<CloudTrailEvent> odd = List.of(
        new CloudTrailEvent(0, "", "", null, null, null, nobody, null, null, null, null, null, null),
        new CloudTrailEvent(0, "s3.amazonaws.com", "GetObject", null, null, null, nobody, null,
            TestEvents.parse("[1,2]"), TestEvents.parse("'text'"), null, null, null),
        new CloudTrailEvent(0, "sqs.amazonaws.com", "SendMessage", "us-east-1", null, null, nobody, null,
            TestEvents.parse("{'queueUrl':'::not a url::'}"), null,
            List.of(new CloudTrailEvent.EventResource(null, null, null),
                new CloudTrailEvent.EventResource("arn::::table/table", "AWS::DynamoDB::Table", null)),
            null, null),
        new CloudTrailEvent(0, "lambda.amazonaws.com", "Invoke20150331", "eu-west-1", "1", null, nobody, null,
            TestEvents.parse("{'functionName':{'nested':true}}"), null, null, null, null));
    for (CloudTrailEvent event : odd) {
      Translation translation = TRANSLATOR.translate(event);
      if (translation.outcome() == Outcome.MAPPED) {
        translation.accesses().forEach(a -> assertTrue(CATALOG.action(a.action()).isPresent(), a.toString()));
      } else {
        assertTrue(translation.rule() != null && !translation.rule().isEmpty());
      }
    }
    assertEquals(Outcome.UNMAPPED, TRANSLATOR.translate(null).outcome());
  }

  @Test
  void ruleNamesSayWhyAStarWasEmitted() {
    assertTrue(
        TRANSLATOR.translate(call("s3", "GetObject").build()).rule().contains(ResourceResolver.NO_ARN_DERIVABLE));
    assertTrue(
        TRANSLATOR.translate(call("ec2", "DescribeVpcs").build()).rule().contains(ResourceResolver.NO_RESOURCE_TYPES));
    assertTrue(TRANSLATOR.translate(call("kms", "Decrypt").request("{'keyId':'alias/a'}").build()).rule()
        .contains("kms.alias-arn"));
    assertTrue(TRANSLATOR.translate(call("secretsmanager", "GetSecretValue").request("{'secretId':'s'}").build()).rule()
        .contains("secretsmanager.name-any-suffix"));
  }

  @Test
  void everyActionARuleCanEmitExistsInTheCatalog() {
    List<IamAction> missing = TRANSLATOR.allEmittableActions().stream()
        .filter(a -> CATALOG.action(a).isEmpty()).toList();
    assertTrue(TRANSLATOR.allEmittableActions().size() > 40, "rules name " + TRANSLATOR.allEmittableActions().size());
    assertEquals(List.of(), missing, "actions in translation-rules.json that the IAM catalog lacks");
  }

  @Test
  void deniedCallsTranslateLikeSuccessfulOnes() {
    CloudTrailEvent denied =
        call("s3", "GetObject").error("AccessDenied").request("{'bucketName':'b','key':'k'}").build();
    assertEquals(List.of(new ActionOnResource(IamAction.parse("s3:GetObject"), "arn:aws:s3:::b/k")),
        TRANSLATOR.translate(denied).accesses());
  }
}
