package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.arr;
import static dev.trailtrim.tools.SampleJson.obj;
import static dev.trailtrim.tools.SampleScenario.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The granted side of the scenario: policy documents and the two IAM snapshots, shaped exactly
 * like the output of {@code aws iam get-account-authorization-details}.
 */
final class SampleIam {

  private SampleIam() {}

  /** When and where a role was last used, for RoleLastUsed. */
  record LastUse(String time, String region) {}

  private record Inline(String name, ObjectNode document) {}

  private record Version(String id, String created, ObjectNode document) {}

  private record Managed(String arn, String id, String created, String updated, List<Version> versions,
      String defaultVersion) {
    String name() {
      return arn.substring(arn.lastIndexOf('/') + 1);
    }

    String path() {
      String afterPolicy = arn.substring(arn.indexOf(":policy") + ":policy".length());
      return afterPolicy.substring(0, afterPolicy.lastIndexOf('/') + 1);
    }
  }

  private record RoleGrants(SampleRole role, ObjectNode trust, List<Inline> inline, List<String> attached,
      String boundary) {}

  static ObjectNode statement(String sid, String effect, Object actions, Object resources) {
    ObjectNode s = SampleJson.NODES.objectNode();
    if (sid != null) {
      s.put("Sid", sid);
    }
    s.put("Effect", effect);
    s.set("Action", SampleJson.node(actions));
    s.set("Resource", SampleJson.node(resources));
    return s;
  }

  static ObjectNode document(ObjectNode... statements) {
    return obj("Version", "2012-10-17", "Statement", arr((Object[]) statements));
  }

  private static ObjectNode trust(String principalKey, Object principal, String action) {
    return document(obj("Effect", "Allow", "Principal", obj(principalKey, principal), "Action", action));
  }

  private static ObjectNode lambdaTrust() {
    return trust("Service", "lambda.amazonaws.com", "sts:AssumeRole");
  }

  static final ObjectNode BASIC_EXECUTION_DOC = document(statement(null, "Allow",
      List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"), "*"));

  private static List<Managed> managedPolicies() {
    String boundaryCreated = "2025-08-20T10:55:00Z";
    return List.of(
        // v1 is a synthetic older version (the real policy never changed): parsers must use v2.
        new Managed(BASIC_EXECUTION, "ANPAJNCQGXC42545SKXIK", "2015-04-09T15:03:43Z", "2025-05-01T12:00:00Z",
            List.of(new Version("v2", "2025-05-01T12:00:00Z", BASIC_EXECUTION_DOC),
                new Version("v1", "2015-04-09T15:03:43Z", document(statement(null, "Allow", "logs:*",
                    "arn:aws:logs:*:*:*")))),
            "v2"),
        new Managed(SQS_EXECUTION, "ANPAJFWJZI6JNND4TSELK", "2018-06-14T21:50:45Z", "2018-06-14T21:50:45Z",
            List.of(new Version("v1", "2018-06-14T21:50:45Z", document(statement(null, "Allow",
                List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                    "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                "*")))),
            "v1"),
        new Managed(ADMINISTRATOR, "ANPAIWMBCKSKIEE64ZLYK", "2015-02-06T18:39:46Z", "2015-02-06T18:39:46Z",
            List.of(new Version("v1", "2015-02-06T18:39:46Z", document(statement(null, "Allow", "*", "*")))),
            "v1"),
        new Managed(REPLICATOR, "ANPAIW4ZSWVUYQ6ITUDK6", "2017-05-23T17:53:03Z", "2017-12-08T00:17:54Z",
            List.of(new Version("v3", "2017-12-08T00:17:54Z", document(
                statement("LambdaCreateDeletePermission", "Allow",
                    List.of("lambda:CreateFunction", "lambda:DeleteFunction", "lambda:DisableReplication"),
                    List.of("arn:aws:lambda:*:*:function:*")),
                statement("IamPassRolePermission", "Allow", List.of("iam:PassRole"), List.of("*"))
                    .set("Condition", obj("StringLikeIfExists", obj("iam:PassedToService", "lambda.amazonaws.com"))),
                statement("CloudFrontListDistributions", "Allow",
                    List.of("cloudfront:ListDistributionsByLambdaFunction"), List.of("*"))))),
            "v3"),
        new Managed(BOUNDARY_POLICY, stableId("ANPA", "lambda-workload-boundary"), boundaryCreated, boundaryCreated,
            List.of(new Version("v1", boundaryCreated, document(
                statement("Storage", "Allow", List.of("s3:GetObject", "s3:PutObject", "s3:ListBucket"), "*"),
                statement("Tables", "Allow", List.of("dynamodb:DescribeTable", "dynamodb:GetItem",
                    "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"), "*"),
                statement("Messaging", "Allow", List.of("sns:Publish", "sqs:SendMessage"), "*"),
                statement("Logs", "Allow", List.of("logs:CreateLogGroup", "logs:CreateLogStream",
                    "logs:PutLogEvents"), "*")))),
            "v1"),
        new Managed(REPORT_POLICY, stableId("ANPA", "report-exporter-access"), "2025-08-20T11:03:50Z",
            "2025-08-20T11:03:50Z",
            List.of(new Version("v1", "2025-08-20T11:03:50Z", document(
                statement("Reports", "Allow", "s3:*", List.of("arn:aws:s3:::" + REPORTS_BUCKET,
                    "arn:aws:s3:::" + REPORTS_BUCKET + "/*")),
                statement("OrdersRead", "Allow", "dynamodb:*", "*"),
                statement("Notify", "Allow", "sns:Publish", REPORT_TOPIC),
                statement("Legacy", "Allow", List.of("ec2:Describe*", "iam:PassRole"), "*")))),
            "v1"),
        new Managed(QUEUE_WORKER_POLICY, stableId("ANPA", "queue-worker-access"), "2025-03-14T09:21:05Z",
            "2026-09-02T14:12:31Z",
            List.of(
                new Version("v3", "2026-09-02T14:12:31Z", document(
                    statement("OrdersTable", "Allow", List.of("dynamodb:GetItem", "dynamodb:UpdateItem",
                        "dynamodb:PutItem"), ORDERS_TABLE),
                    statement("Keys", "Allow", "kms:Decrypt", List.of(SQS_KEY, ORDERS_KEY)),
                    statement("Secrets", "Allow", "secretsmanager:*", "*"),
                    statement("Ops", "Allow", List.of("iam:PassRole", "lambda:UpdateFunctionCode"), "*"))),
                new Version("v2", "2025-07-30T08:44:10Z", document(
                    statement("OrdersTable", "Allow", "dynamodb:*", ORDERS_TABLE),
                    statement("Keys", "Allow", "kms:Decrypt", "*"),
                    statement("Everything", "Allow", "s3:*", "*"))),
                new Version("v1", "2025-03-14T09:21:05Z", document(
                    statement(null, "Allow", "dynamodb:*", "*")))),
            "v3"),
        new Managed(DEVELOPER_POLICY, stableId("ANPA", "developer-access"), "2022-01-10T15:20:00Z",
            "2024-02-12T09:00:00Z",
            List.of(new Version("v2", "2024-02-12T09:00:00Z", document(
                statement("ReadMost", "Allow", List.of("lambda:Get*", "lambda:List*", "logs:Describe*",
                    "logs:Get*", "logs:FilterLogEvents", "ec2:Describe*", "s3:ListAllMyBuckets"), "*"),
                statement("Reports", "Allow", List.of("s3:GetObject", "s3:ListBucket"),
                    List.of("arn:aws:s3:::" + REPORTS_BUCKET, "arn:aws:s3:::" + REPORTS_BUCKET + "/*")))),
                new Version("v1", "2022-01-10T15:20:00Z", document(
                    statement(null, "Allow", List.of("lambda:Get*", "lambda:List*"), "*")))),
            "v2"));
  }

  /**
   * The grant the second night's snapshot adds (iam-night2/): the thumbnailer may now delete uploads, which
   * it never does, so the next run reports it newly granted and unused.
   */
  static final String NIGHT2_SID = "CleanUpUploads";

  private static List<RoleGrants> roles(String account, boolean night2) {
    ObjectNode thumbnailer = document(
        statement("ReadUploads", "Allow", "s3:GetObject", "arn:aws:s3:::" + MEDIA_BUCKET + "/uploads/*"),
        statement("WriteThumbnails", "Allow", "s3:PutObject", "arn:aws:s3:::" + MEDIA_BUCKET + "/thumbnails/*")
            .set("Condition", obj("StringEquals", obj("s3:x-amz-server-side-encryption", "AES256"))),
        statement("Sizes", "Allow", "ssm:GetParameter",
            "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/thumbnailer-*"),
        statement("Vpc", "Allow", List.of("ec2:Describe*", "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface"), "*"));
    if (night2) {
      ((ArrayNode) thumbnailer.get("Statement")).add(statement(NIGHT2_SID, "Allow", "s3:DeleteObject",
          "arn:aws:s3:::" + MEDIA_BUCKET + "/uploads/*"));
    }
    List<RoleGrants> all = List.of(
        new RoleGrants(ORDERS_API, lambdaTrust(),
            List.of(new Inline("orders-api-data", document(
                statement("OrdersTable", "Allow", "dynamodb:*", "*"),
                statement("Events", "Allow", "sqs:SendMessage", ORDER_EVENTS_QUEUE),
                statement("Notifications", "Allow", "sns:Publish", ORDER_TOPIC),
                statement("Secrets", "Allow", List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                    "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:prod/orders/*"),
                statement("Keys", "Allow", List.of("kms:Decrypt", "kms:GenerateDataKey"),
                    List.of(ORDERS_KEY, SQS_KEY))))),
            List.of(BASIC_EXECUTION), null),
        new RoleGrants(INVOICE_RENDERER, lambdaTrust(),
            List.of(
                new Inline("invoice-renderer-s3", document(
                    statement("S3Access", "Allow", "s3:*", "*"),
                    statement("NeverDeleteIssuedInvoices", "Deny",
                        List.of("s3:DeleteObject", "s3:DeleteObjectVersion"),
                        "arn:aws:s3:::" + INVOICES_BUCKET + "/*"))),
                new Inline("invoice-renderer-kms-ssm", document(
                    statement("InvoiceKey", "Allow", List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"),
                        INVOICES_KEY),
                    statement("Config", "Allow", List.of("ssm:GetParameter", "ssm:GetParameters",
                        "ssm:GetParametersByPath"), "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/invoice/*"),
                    statement("Deploy", "Allow", List.of("lambda:UpdateFunctionCode",
                        "lambda:UpdateFunctionConfiguration"),
                        "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:invoice-*")))),
            List.of(BASIC_EXECUTION), null),
        new RoleGrants(REPORT_EXPORTER,
            trust("Service", List.of("lambda.amazonaws.com"), "sts:AssumeRole"),
            List.of(), List.of(BASIC_EXECUTION, REPORT_POLICY), BOUNDARY_POLICY),
        new RoleGrants(QUEUE_WORKER, lambdaTrust(), List.of(), List.of(SQS_EXECUTION, QUEUE_WORKER_POLICY), null),
        new RoleGrants(THUMBNAILER, lambdaTrust(),
            List.of(new Inline("thumbnailer", thumbnailer)),
            List.of(BASIC_EXECUTION), null),
        new RoleGrants(WEBHOOK, lambdaTrust(),
            List.of(new Inline("webhook", document(
                statement(null, "Allow", "sqs:SendMessage", WEBHOOK_QUEUE),
                statement(null, "Allow", "dynamodb:PutItem", table(ACCOUNT, "webhooks")),
                statement(null, "Allow", "secretsmanager:GetSecretValue",
                    "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:webhook/*")))),
            List.of(BASIC_EXECUTION), null),
        new RoleGrants(CSV_IMPORT, lambdaTrust(),
            List.of(new Inline("csv-import", document(
                statement("Incoming", "Allow", "s3:GetObject", "arn:aws:s3:::" + IMPORTS_BUCKET + "/incoming/*"),
                statement("Customers", "Allow", "dynamodb:BatchWriteItem", table(ACCOUNT, "customers"))))),
            List.of(BASIC_EXECUTION), null),
        new RoleGrants(CODEBUILD, trust("Service", "codebuild.amazonaws.com", "sts:AssumeRole"),
            List.of(new Inline("CodeBuildBasePolicy-acme-api-us-east-1", document(
                statement(null, "Allow", List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                    List.of("arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/aws/codebuild/acme-api",
                        "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/aws/codebuild/acme-api:*")),
                statement(null, "Allow", List.of("s3:PutObject", "s3:GetObject", "s3:GetObjectVersion",
                    "s3:GetBucketAcl", "s3:GetBucketLocation"),
                    List.of("arn:aws:s3:::" + ARTIFACTS_BUCKET, "arn:aws:s3:::" + ARTIFACTS_BUCKET + "/*")),
                statement(null, "Allow", List.of("lambda:UpdateFunctionCode", "lambda:GetFunction"),
                    "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:*")))),
            List.of(), null),
        new RoleGrants(ADMIN, document(obj("Effect", "Allow", "Principal", obj("Federated", SAML_PROVIDER),
            "Action", "sts:AssumeRoleWithSAML",
            "Condition", obj("StringEquals", obj("SAML:aud", "https://signin.aws.amazon.com/saml")))),
            List.of(), List.of(ADMINISTRATOR), null),
        new RoleGrants(REPLICATOR_ROLE, trust("Service", "replicator.lambda.amazonaws.com", "sts:AssumeRole"),
            List.of(), List.of(REPLICATOR), null),
        new RoleGrants(BILLING_SYNC, lambdaTrust(),
            List.of(new Inline("billing-sync", document(
                statement("Exports", "Allow", List.of("s3:GetObject", "s3:ListBucket"),
                    List.of("arn:aws:s3:::" + BILLING_BUCKET, "arn:aws:s3:::" + BILLING_BUCKET + "/*")),
                statement("Credentials", "Allow", "secretsmanager:GetSecretValue",
                    "arn:aws:secretsmanager:us-east-1:" + ORG_ACCOUNT + ":secret:billing/*"),
                statement("LineItems", "Allow", List.of("dynamodb:PutItem", "dynamodb:BatchWriteItem",
                    "dynamodb:DescribeTable"), BILLING_TABLE),
                statement("Broad", "Allow", List.of("kms:*", "ssm:*"), "*")))),
            List.of(BASIC_EXECUTION), null),
        new RoleGrants(ORG_ACCESS, trust("AWS", "arn:aws:iam::" + MANAGEMENT_ACCOUNT + ":root", "sts:AssumeRole"),
            List.of(), List.of(ADMINISTRATOR), null));
    List<RoleGrants> mine = new ArrayList<>();
    for (RoleGrants grants : all) {
      if (grants.role.account().equals(account) && grants.role.inSnapshot()) {
        mine.add(grants);
      }
    }
    mine.sort(Comparator.comparing(g -> g.role.name()));
    return mine;
  }

  /** The get-account-authorization-details output for one account. */
  static ObjectNode snapshot(String account, Map<String, LastUse> lastUse) {
    return snapshot(account, lastUse, false);
  }

  /** @param night2 with the grant a second night's snapshot adds ({@link #NIGHT2_SID}) */
  static ObjectNode snapshot(String account, Map<String, LastUse> lastUse, boolean night2) {
    List<RoleGrants> roles = roles(account, night2);
    ArrayNode users = SampleJson.NODES.arrayNode();
    ArrayNode groups = SampleJson.NODES.arrayNode();
    List<String> attachedByUsersAndGroups = new ArrayList<>();
    if (account.equals(ACCOUNT)) {
      users.add(obj(
          "Path", "/",
          "UserName", "alice",
          "UserId", ALICE_ID,
          "Arn", "arn:aws:iam::" + ACCOUNT + ":user/alice",
          "CreateDate", SampleJson.cliTime("2022-01-10T15:25:41Z"),
          "GroupList", arr("developers"),
          "AttachedManagedPolicies", arr(),
          "Tags", arr(obj("Key", "team", "Value", "platform"))));
      groups.add(obj(
          "Path", "/",
          "GroupName", "developers",
          "GroupId", stableId("AGPA", "developers"),
          "Arn", "arn:aws:iam::" + ACCOUNT + ":group/developers",
          "CreateDate", SampleJson.cliTime("2022-01-10T15:22:03Z"),
          "GroupPolicyList", arr(obj("PolicyName", "developers-read-reports", "PolicyDocument", document(
              statement(null, "Allow", "s3:GetObject", "arn:aws:s3:::" + REPORTS_BUCKET + "/exports/*")))),
          "AttachedManagedPolicies", arr(managedRef(DEVELOPER_POLICY))));
      attachedByUsersAndGroups.add(DEVELOPER_POLICY);
    }
    ArrayNode roleList = SampleJson.NODES.arrayNode();
    for (RoleGrants grants : roles) {
      roleList.add(roleDetail(grants, lastUse.get(grants.role.arn())));
    }
    ArrayNode policies = SampleJson.NODES.arrayNode();
    List<Managed> managed = new ArrayList<>(managedPolicies());
    managed.sort(Comparator.comparing(Managed::name));
    for (Managed policy : managed) {
      int attachments = (int) attachedByUsersAndGroups.stream().filter(policy.arn::equals).count();
      int boundaries = 0;
      for (RoleGrants grants : roles) {
        attachments += (int) grants.attached.stream().filter(policy.arn::equals).count();
        boundaries += policy.arn.equals(grants.boundary) ? 1 : 0;
      }
      if (attachments + boundaries == 0) {
        continue;
      }
      ArrayNode versions = SampleJson.NODES.arrayNode();
      for (Version version : policy.versions) {
        versions.add(obj(
            "Document", version.document,
            "VersionId", version.id,
            "IsDefaultVersion", version.id.equals(policy.defaultVersion),
            "CreateDate", SampleJson.cliTime(version.created)));
      }
      policies.add(obj(
          "PolicyName", policy.name(),
          "PolicyId", policy.id,
          "Arn", policy.arn,
          "Path", policy.path(),
          "DefaultVersionId", policy.defaultVersion,
          "AttachmentCount", attachments,
          "PermissionsBoundaryUsageCount", boundaries,
          "IsAttachable", true,
          "CreateDate", SampleJson.cliTime(policy.created),
          "UpdateDate", SampleJson.cliTime(policy.updated),
          "PolicyVersionList", versions));
    }
    return obj("UserDetailList", users, "GroupDetailList", groups, "RoleDetailList", roleList,
        "Policies", policies);
  }

  private static ObjectNode roleDetail(RoleGrants grants, LastUse lastUse) {
    SampleRole role = grants.role;
    ArrayNode inline = SampleJson.NODES.arrayNode();
    for (Inline policy : grants.inline) {
      inline.add(obj("PolicyName", policy.name, "PolicyDocument", policy.document));
    }
    ArrayNode attached = SampleJson.NODES.arrayNode();
    for (String arn : grants.attached) {
      attached.add(managedRef(arn));
    }
    ObjectNode detail = obj(
        "Path", role.path(),
        "RoleName", role.name(),
        "RoleId", role.roleId(),
        "Arn", role.arn(),
        "CreateDate", SampleJson.cliTime(role.createDate()),
        "AssumeRolePolicyDocument", grants.trust,
        "InstanceProfileList", arr(),
        "RolePolicyList", inline,
        "AttachedManagedPolicies", attached);
    if (grants.boundary != null) {
      detail.set("PermissionsBoundary", obj(
          "PermissionsBoundaryType", "Policy",
          "PermissionsBoundaryArn", grants.boundary));
    }
    ArrayNode tags = SampleJson.NODES.arrayNode();
    for (int i = 0; i < role.tags().size(); i += 2) {
      tags.add(obj("Key", role.tags().get(i), "Value", role.tags().get(i + 1)));
    }
    detail.set("Tags", tags);
    detail.set("RoleLastUsed", lastUse == null ? obj()
        : obj("LastUsedDate", SampleJson.cliTime(lastUse.time()), "Region", lastUse.region()));
    return detail;
  }

  private static JsonNode managedRef(String arn) {
    return obj("PolicyName", arn.substring(arn.lastIndexOf('/') + 1), "PolicyArn", arn);
  }
}
