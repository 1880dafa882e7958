package dev.trailtrim.tools;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * The fixed world of the sample logs: accounts, roles, functions, buckets, keys, and what a
 * correct tool must conclude about each role. Names and ids here do not depend on the seed; the
 * seed only drives the activity (timing, counts, request ids).
 */
final class SampleScenario {

  private SampleScenario() {}

  static final String ACCOUNT = "111122223333";
  static final String ORG_ACCOUNT = "444455556666";
  static final String ORG_ID = "o-a1b2c3d4e5";
  static final String MANAGEMENT_ACCOUNT = "777788889999";
  static final String HOME = "us-east-1";
  static final String EU = "eu-west-1";
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
  static final LocalDate LAST_DAY = LocalDate.of(2026, 11, 5);
  static final String SNAPSHOT_TIME = "2026-11-06T06:00:00Z";

  static final String TRAIL_NAME = "acme-main-trail";
  static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:" + ACCOUNT + ":trail/" + TRAIL_NAME;
  static final String TRAIL_BUCKET = "acme-cloudtrail-logs-" + ACCOUNT;
  static final String ORG_TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:" + MANAGEMENT_ACCOUNT
      + ":trail/acme-org-trail";

  // KMS keys (account 111122223333, us-east-1).
  static final String ORDERS_KEY = key("6f1c2b4e-8a3d-4c5f-9e7a-1b2c3d4e5f60");
  static final String ORDERS_KEY_ALIAS = "alias/orders-field-encryption";
  static final String SQS_KEY = key("2a7e9c41-3b5d-4f60-8a1b-c2d3e4f5a6b7");
  static final String INVOICES_KEY = key("9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
  static final String PAYMENTS_KEY = key("c4b3a291-7e6f-4d5c-b4a3-92817f6e5d4c");
  static final String TRAIL_KEY = key("0e1d2c3b-4a59-4687-b5a4-c3d2e1f0a9b8");

  // Secrets: ARNs end in the 6-character suffix Secrets Manager adds; functions often use names.
  static final String ORDERS_DB_SECRET_NAME = "prod/orders/db";
  static final String ORDERS_DB_SECRET = secret(ACCOUNT, ORDERS_DB_SECRET_NAME + "-Ab3dEf");
  static final String STRIPE_SECRET_NAME = "prod/payments/stripe-api-key";
  static final String STRIPE_SECRET = secret(ACCOUNT, STRIPE_SECRET_NAME + "-Zx9Yw8");
  static final String WEBHOOK_SECRET = secret(ACCOUNT, "webhook/signing-key-Hj5Kl2");
  static final String BILLING_SECRET = secret(ORG_ACCOUNT, "billing/sync/api-credentials-Qw7Rt2");

  static final String ORDERS_TABLE = table(ACCOUNT, "orders");
  static final String ORDERS_BY_CUSTOMER = ORDERS_TABLE + "/index/by-customer";
  static final String ORDERS_BY_STATUS = ORDERS_TABLE + "/index/by-status";
  static final String BILLING_TABLE = table(ORG_ACCOUNT, "billing-line-items");

  static final String ORDER_EVENTS_QUEUE = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":order-events";
  static final String ORDER_EVENTS_URL = "https://sqs.us-east-1.amazonaws.com/" + ACCOUNT + "/order-events";
  static final String WEBHOOK_QUEUE = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":webhook-inbound";
  static final String ORDER_TOPIC = "arn:aws:sns:us-east-1:" + ACCOUNT + ":order-notifications";
  static final String REPORT_TOPIC = "arn:aws:sns:us-east-1:" + ACCOUNT + ":report-ready";

  static final String TEMPLATES_BUCKET = "acme-invoices-templates";
  static final String INVOICES_BUCKET = "acme-invoices-prod";
  static final String REPORTS_BUCKET = "acme-reports";
  static final String MEDIA_BUCKET = "acme-media-eu";
  static final String ARTIFACTS_BUCKET = "acme-build-artifacts";
  static final String BILLING_BUCKET = "acme-billing-exports-" + ORG_ACCOUNT;

  static final String BOUNDARY_POLICY = "arn:aws:iam::" + ACCOUNT + ":policy/boundaries/lambda-workload-boundary";
  static final String REPORT_POLICY = "arn:aws:iam::" + ACCOUNT + ":policy/report-exporter-access";
  static final String QUEUE_WORKER_POLICY = "arn:aws:iam::" + ACCOUNT + ":policy/queue-worker-access";
  static final String DEVELOPER_POLICY = "arn:aws:iam::" + ACCOUNT + ":policy/developer-access";
  static final String BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
  static final String SQS_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole";
  static final String ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess";
  static final String REPLICATOR = "arn:aws:iam::aws:policy/aws-service-role/AWSLambdaReplicator";

  // Roles of account 111122223333.
  static final SampleRole ORDERS_API = role(ACCOUNT, "/service-role/", "orders-api-role",
      "2025-03-14T09:21:07Z", true, "app", "orders", "team", "commerce");
  static final SampleRole INVOICE_RENDERER = role(ACCOUNT, "/", "invoice-renderer-role",
      "2024-11-02T16:45:30Z", true, "app", "billing");
  static final SampleRole REPORT_EXPORTER = role(ACCOUNT, "/service-role/", "report-exporter",
      "2025-08-20T11:03:52Z", true, "app", "reporting");
  static final SampleRole QUEUE_WORKER = role(ACCOUNT, "/service-role/", "queue-worker-role",
      "2025-03-14T09:21:09Z", true, "app", "orders", "team", "commerce");
  static final SampleRole THUMBNAILER = role(ACCOUNT, "/", "thumbnailer-role",
      "2026-10-30T13:12:44Z", true, "app", "media");
  static final SampleRole WEBHOOK = role(ACCOUNT, "/service-role/", "deprecated-webhook-role",
      "2023-05-09T08:00:12Z", true);
  /** Trusts Lambda, but no function uses it and it makes no call: the inventory shows it is an orphan. */
  static final SampleRole CSV_IMPORT = role(ACCOUNT, "/service-role/", "csv-import-role",
      "2024-02-12T10:15:33Z", true, "app", "imports");
  static final SampleRole LEGACY_CRON = role(ACCOUNT, "/", "legacy-cron-role",
      "2021-02-17T22:10:05Z", false);
  static final SampleRole CODEBUILD = role(ACCOUNT, "/service-role/", "codebuild-acme-api-service-role",
      "2024-06-01T10:00:00Z", true);
  static final SampleRole ADMIN = role(ACCOUNT, "/", "AdminAccess", "2022-01-10T15:30:00Z", true);
  static final SampleRole REPLICATOR_ROLE = role(ACCOUNT, "/aws-service-role/replicator.lambda.amazonaws.com/",
      "AWSServiceRoleForLambdaReplicator", "2023-02-01T12:00:00Z", true);
  // Roles of the organization member account 444455556666.
  static final SampleRole BILLING_SYNC = role(ORG_ACCOUNT, "/service-role/", "billing-sync-role",
      "2025-12-01T08:30:00Z", true, "app", "billing");
  static final SampleRole ORG_ACCESS = role(ORG_ACCOUNT, "/", "OrganizationAccountAccessRole",
      "2021-01-05T10:00:00Z", true);

  static final SampleFunction ORDERS_API_FN = new SampleFunction("orders-api", HOME, "python3.12", ORDERS_API);
  static final SampleFunction RENDERER_FN = new SampleFunction("invoice-renderer", HOME, "java17", INVOICE_RENDERER);
  static final SampleFunction BACKFILL_FN =
      new SampleFunction("invoice-renderer-backfill", HOME, "java17", INVOICE_RENDERER);
  static final SampleFunction EXPORTER_FN = new SampleFunction("report-exporter", HOME, "python3.12", REPORT_EXPORTER);
  static final SampleFunction WORKER_FN = new SampleFunction("queue-worker", HOME, "java17", QUEUE_WORKER);
  static final SampleFunction THUMBNAILER_FN = new SampleFunction("thumbnailer", EU, "python3.12", THUMBNAILER);
  static final SampleFunction LEGACY_FN = new SampleFunction("legacy-nightly-cleanup", HOME, "python3.9", LEGACY_CRON);
  static final SampleFunction BILLING_FN = new SampleFunction("billing-sync", HOME, "nodejs20.x", BILLING_SYNC);
  /** Deployed (in the Lambda inventory) but never invoked in the window. */
  static final SampleFunction WEBHOOK_FN = new SampleFunction("webhook-receiver", HOME, "python3.12", WEBHOOK);
  static final String IMPORTS_BUCKET = "acme-imports";

  static final String ALICE_ID = stableId("AIDA", "alice");
  static final String SAML_PROVIDER = "arn:aws:iam::" + ACCOUNT + ":saml-provider/AcmeOkta";

  static final String PASS_ROLE_UNOBSERVABLE = "granted on * and never needed here, but CloudTrail records no call of"
      + " its own for iam:PassRole (IAM checks it inside the call that passes a role), so its absence proves nothing";

  /** A granted (action, resource) a correct tool must not put in the suggested policy, and why. */
  record Probe(String action, String resource, String why) {}

  /** A grant that is wider than the role's use. */
  record OverGrant(String grant, String policy, String expected) {}

  /** What a correct tool must conclude about one role, beyond what the activity shows. */
  record Expectation(SampleRole role, boolean lambdaExecutionRole, String lambdaEvidence,
      List<SampleFunction> functions, List<Probe> mustNotAllow, List<Probe> keepAsNotObservable,
      List<OverGrant> overGranted, List<String> notes) {}

  static List<Expectation> expectations() {
    return List.of(
        new Expectation(ORDERS_API, true, "trust policy allows lambda.amazonaws.com",
            List.of(ORDERS_API_FN),
            List.of(
                new Probe("dynamodb:DeleteTable", ORDERS_TABLE,
                    "management event, granted by dynamodb:* on *, never called"),
                new Probe("dynamodb:DescribeTable", table(ACCOUNT, "customers"),
                    "management event on a table the function never describes"),
                new Probe("dynamodb:CreateBackup", ORDERS_TABLE,
                    "management event, granted by dynamodb:* on *, never called"),
                new Probe("secretsmanager:DescribeSecret", ORDERS_DB_SECRET, "management event, granted, never called"),
                new Probe("kms:Decrypt", SQS_KEY,
                    "management event: the function only sends to the queue, it never decrypts with its key"),
                new Probe("logs:CreateLogGroup", logGroup(HOME, ACCOUNT, "orders-api"),
                    "management event; the log group already existed, never called in the window")),
            List.of(
                new Probe("dynamodb:DeleteItem", ORDERS_TABLE,
                    "granted by dynamodb:* on *; DynamoDB data events are not logged, so its absence proves nothing")),
            List.of(
                new OverGrant("dynamodb:* on *", "inline orders-api-data (Sid OrdersTable)",
                    "item actions on the orders table and its by-customer index stay (not observable); DescribeTable only on orders; no table management"),
                new OverGrant("secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on secret:prod/orders/*",
                    "inline orders-api-data (Sid Secrets)", "GetSecretValue on prod/orders/db only"),
                new OverGrant("kms:Decrypt, kms:GenerateDataKey on the orders and order-events keys",
                    "inline orders-api-data (Sid Keys)",
                    "Decrypt and GenerateDataKey on the orders key; only GenerateDataKey on the order-events key"),
                new OverGrant("logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents on *",
                    "AWS managed AWSLambdaBasicExecutionRole",
                    "CreateLogStream on its log group; PutLogEvents kept (never logged)")),
            List.of("Denied calls to the Stripe secret must be reported under denied and must not be granted.",
                "KMS Decrypt on the orders key appears with invokedBy secretsmanager.amazonaws.com: Secrets Manager decrypts on the role's behalf, so the role needs it.")),
        new Expectation(INVOICE_RENDERER, true, "trust policy allows lambda.amazonaws.com",
            List.of(RENDERER_FN, BACKFILL_FN),
            List.of(
                new Probe("s3:DeleteBucket", "arn:aws:s3:::" + INVOICES_BUCKET,
                    "management event, granted by s3:* on *, never called"),
                new Probe("s3:PutBucketPolicy", "arn:aws:s3:::" + INVOICES_BUCKET,
                    "management event, granted by s3:* on *, never called"),
                new Probe("s3:GetObject", "arn:aws:s3:::acme-hr-confidential/payroll/2026-10.csv",
                    "S3 data events are logged; this bucket is never read"),
                new Probe("s3:PutObject", "arn:aws:s3:::" + TEMPLATES_BUCKET + "/templates/standard.hbs",
                    "S3 data events are logged; templates are only read"),
                new Probe("kms:Encrypt", INVOICES_KEY, "management event, granted, never called"),
                new Probe("ssm:GetParametersByPath", "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/invoice/renderer",
                    "management event, granted, never called"),
                new Probe("lambda:UpdateFunctionCode",
                    "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:invoice-renderer",
                    "management event, granted, never called")),
            List.of(),
            List.of(
                new OverGrant("s3:* on *", "inline invoice-renderer-s3 (Sid S3Access)",
                    "s3:ListBucket on acme-invoices-templates and acme-invoices-prod, s3:GetObject on templates/, s3:PutObject on rendered/"),
                new OverGrant("kms:Decrypt, kms:Encrypt, kms:GenerateDataKey on the invoices key",
                    "inline invoice-renderer-kms-ssm (Sid InvoiceKey)",
                    "Decrypt and GenerateDataKey (both made by S3 on the role's behalf)"),
                new OverGrant("ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath on parameter/invoice/*",
                    "inline invoice-renderer-kms-ssm (Sid Config)", "ssm:GetParameter on the two parameters read"),
                new OverGrant("lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration on function:invoice-*",
                    "inline invoice-renderer-kms-ssm (Sid Deploy)", "removed: never used")),
            List.of("The role is shared by two functions (sessions invoice-renderer and invoice-renderer-backfill).",
                "The explicit Deny on s3:DeleteObject in acme-invoices-prod must survive or the suggested policy must not allow DeleteObject there at all.",
                "ssm:GetParameter on /invoice/renderer/feature-flags failed with ParameterNotFound: IAM allowed it (authorizedButFailed).")),
        new Expectation(REPORT_EXPORTER, true, "trust policy allows lambda.amazonaws.com",
            List.of(EXPORTER_FN),
            List.of(
                new Probe("ec2:DescribeInstances", "*", "management event, granted by ec2:Describe*, never called"),
                new Probe("s3:DeleteObject", "arn:aws:s3:::" + REPORTS_BUCKET + "/exports/2026-11-01/orders.csv",
                    "S3 data events are logged; never called (and the boundary forbids it)"),
                new Probe("dynamodb:DeleteTable", ORDERS_TABLE,
                    "management event, granted by dynamodb:* on *, never called")),
            List.of(
                new Probe("dynamodb:Scan", ORDERS_TABLE,
                    "granted by dynamodb:* and the boundary; DynamoDB data events are not logged")),
            List.of(
                new OverGrant("s3:* on acme-reports and acme-reports/*", "managed report-exporter-access (Sid Reports)",
                    "s3:ListBucket on acme-reports and s3:PutObject on exports/"),
                new OverGrant("dynamodb:* on *", "managed report-exporter-access (Sid OrdersRead)",
                    "DescribeTable on orders; item reads kept as not observable"),
                new OverGrant("ec2:Describe*, iam:PassRole on *", "managed report-exporter-access (Sid Legacy)",
                    "ec2:Describe* removed: never used; iam:PassRole is not observable, and the boundary blocks it anyway")),
            List.of("Permissions boundary " + BOUNDARY_POLICY
                + " allows less than the identity policy: s3:PutObjectAcl is allowed by s3:* but denied by the boundary (the denied calls show it).",
                "iam:PassRole (identity policy, on *) is outside the boundary, so effectively not granted; CloudTrail cannot show its use, so it is in neither probe list.")),
        new Expectation(QUEUE_WORKER, true, "trust policy allows lambda.amazonaws.com",
            List.of(WORKER_FN),
            List.of(
                new Probe("secretsmanager:GetSecretValue", ORDERS_DB_SECRET,
                    "management event, granted by secretsmanager:* on *, never called"),
                new Probe("secretsmanager:DeleteSecret", ORDERS_DB_SECRET,
                    "management event, granted by secretsmanager:* on *, never called"),
                new Probe("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:orders-api",
                    "management event, granted on *, never called"),
                new Probe("sqs:ReceiveMessage", WEBHOOK_QUEUE,
                    "SQS data events are logged by this trail; this queue is never read"),
                new Probe("s3:GetObject", "arn:aws:s3:::" + REPORTS_BUCKET + "/exports/2026-11-01/orders.csv",
                    "only the non-default version v2 of queue-worker-access grants s3:*; the default v3 does not"),
                new Probe("logs:CreateLogGroup", logGroup(HOME, ACCOUNT, "queue-worker"),
                    "management event; never called in the window")),
            List.of(
                new Probe("dynamodb:PutItem", ORDERS_TABLE, "granted; DynamoDB data events are not logged"),
                new Probe("iam:PassRole", ORDERS_API.arn(), PASS_ROLE_UNOBSERVABLE)),
            List.of(
                new OverGrant("secretsmanager:* on *", "managed queue-worker-access v3 (Sid Secrets)",
                    "removed: never used (all management events)"),
                new OverGrant("iam:PassRole, lambda:UpdateFunctionCode on *",
                    "managed queue-worker-access v3 (Sid Ops)",
                    "lambda:UpdateFunctionCode removed: never used; iam:PassRole kept as not observable"),
                new OverGrant("sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes, logs:* on *",
                    "AWS managed AWSLambdaSQSQueueExecutionRole",
                    "the three SQS actions on order-events only; CreateLogStream on its log group; PutLogEvents kept")),
            List.of(
                "KMS Decrypt on the order-events queue key appears with invokedBy sqs.amazonaws.com (SSE-KMS queue).",
                "Parsers must read the default version (v3) of queue-worker-access; v1 and v2 are older.")),
        new Expectation(THUMBNAILER, true, "trust policy allows lambda.amazonaws.com",
            List.of(THUMBNAILER_FN),
            List.of(
                new Probe("ec2:DeleteNetworkInterface",
                    "arn:aws:ec2:eu-west-1:" + ACCOUNT + ":network-interface/eni-0a1b2c3d4e5f60718",
                    "management event, granted, never called (the function is not in a VPC)"),
                new Probe("ec2:DescribeNetworkInterfaces", "*",
                    "management event, granted by ec2:Describe*, never called"),
                new Probe("ec2:DescribeInstances", "*", "management event, granted by ec2:Describe*, never called"),
                new Probe("ssm:GetParameter",
                    "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/thumbnailer-legacy-token",
                    "management event; granted by parameter/thumbnailer-*, never read")),
            List.of(),
            List.of(
                new OverGrant("ec2:Describe*, ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface on *",
                    "inline thumbnailer (Sid Vpc)", "removed: never used"),
                new OverGrant("ssm:GetParameter on parameter/thumbnailer-*", "inline thumbnailer (Sid Sizes)",
                    "parameter/thumbnailer-sizes")),
            List.of(
                "Runs in eu-west-1 only. The parameter name thumbnailer-sizes has no leading slash: its ARN is parameter/thumbnailer-sizes.",
                "s3:PutObject on thumbnails/ is granted only with Condition s3:x-amz-server-side-encryption = AES256; a suggested statement must keep that condition or it widens the grant.")),
        new Expectation(WEBHOOK, true, "trust policy allows lambda.amazonaws.com",
            List.of(),
            List.of(
                new Probe("sqs:SendMessage", WEBHOOK_QUEUE, "SQS data events are logged; never called in the window"),
                new Probe("secretsmanager:GetSecretValue", WEBHOOK_SECRET, "management event, never called"),
                new Probe("logs:CreateLogStream",
                    logGroup(HOME, ACCOUNT, "webhook-receiver") + ":log-stream:2026/11/01/[$LATEST]0",
                    "management event, never called")),
            List.of(
                new Probe("dynamodb:PutItem", table(ACCOUNT, "webhooks"),
                    "granted; DynamoDB data events are not logged"),
                new Probe("logs:PutLogEvents",
                    logGroup(HOME, ACCOUNT, "webhook-receiver") + ":log-stream:2026/11/01/[$LATEST]0",
                    "CloudTrail never records PutLogEvents")),
            List.of(new OverGrant("all of it", "inline webhook and AWSLambdaBasicExecutionRole",
                "no activity at all in the window: only the not-observable grants may stay")),
            List.of(
                "An idle Lambda execution role (RoleLastUsed 2026-06-12): its function webhook-receiver never ran in the window, so everything observable is unused.",
                "The Lambda inventory lists webhook-receiver with this role: a function uses it (not active in the window), so it is no orphan.")),
        new Expectation(CSV_IMPORT, true, "trust policy allows lambda.amazonaws.com",
            List.of(),
            List.of(
                new Probe("s3:GetObject", "arn:aws:s3:::" + IMPORTS_BUCKET + "/incoming/customers-2026-11-01.csv",
                    "S3 data events are logged; never called"),
                new Probe("logs:CreateLogStream",
                    logGroup(HOME, ACCOUNT, "csv-import") + ":log-stream:2026/11/01/[$LATEST]0",
                    "management event, never called")),
            List.of(
                new Probe("dynamodb:BatchWriteItem", table(ACCOUNT, "customers"),
                    "granted; DynamoDB data events are not logged"),
                new Probe("logs:PutLogEvents",
                    logGroup(HOME, ACCOUNT, "csv-import") + ":log-stream:2026/11/01/[$LATEST]0",
                    "CloudTrail never records PutLogEvents")),
            List.of(new OverGrant("all of it", "inline csv-import and AWSLambdaBasicExecutionRole",
                "no activity at all in the window: only the not-observable grants may stay")),
            List.of(
                "An orphan: it trusts lambda.amazonaws.com, but no function in lambda-inventory/ uses it and it made no call (no RoleLastUsed). With --lambda-inventory a tool reports no-function-uses-role: a candidate for deletion.")),
        new Expectation(LEGACY_CRON, true,
            "not in the IAM snapshot; CloudTrail only: session name legacy-nightly-cleanup with user agent exec-env/AWS_Lambda_python3.9, credentials issued by lambda.amazonaws.com",
            List.of(LEGACY_FN),
            List.of(), List.of(), List.of(),
            List.of(
                "Missing from the IAM snapshot: there is no granted policy to diff or tighten; a tool should report its observed use and say the grants are unknown.")),
        new Expectation(BILLING_SYNC, true, "trust policy allows lambda.amazonaws.com",
            List.of(BILLING_FN),
            List.of(
                new Probe("kms:ScheduleKeyDeletion",
                    "arn:aws:kms:us-east-1:" + ORG_ACCOUNT + ":key/5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
                    "management event, granted by kms:* on *, never called"),
                new Probe("kms:Decrypt",
                    "arn:aws:kms:us-east-1:" + ORG_ACCOUNT + ":key/5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
                    "management event, granted by kms:* on *, never called"),
                new Probe("ssm:PutParameter", "arn:aws:ssm:us-east-1:" + ORG_ACCOUNT + ":parameter/billing/sync/config",
                    "management event, granted by ssm:* on *, never called"),
                new Probe("ssm:GetParameter", "arn:aws:ssm:us-east-1:" + ORG_ACCOUNT + ":parameter/billing/other",
                    "management event, granted by ssm:* on *, never read")),
            List.of(
                new Probe("dynamodb:PutItem", BILLING_TABLE, "granted; DynamoDB data events are not logged")),
            List.of(
                new OverGrant("kms:*, ssm:* on *", "inline billing-sync (Sid Broad)",
                    "ssm:GetParameter on /billing/sync/config only; no KMS")),
            List.of(
                "Organization trail " + ORG_ID + ": its logs are under AWSLogs/" + ORG_ID + "/" + ORG_ACCOUNT + "/.",
                "The secret is read by full ARN.")));
  }

  /** Principals whose calls are in the logs but must not yield a suggested policy. */
  record Noise(String principal, String type, String why) {}

  static List<Noise> noise() {
    return List.of(
        new Noise("arn:aws:iam::" + ACCOUNT + ":user/alice", "IAMUser", "an IAM user (console and aws-cli)"),
        new Noise(ADMIN.arn(), "AssumedRole",
            "role assumed through SAML (AssumeRoleWithSAML, session alice@acme.example); trust is the AcmeOkta SAML provider"),
        new Noise(CODEBUILD.arn(), "AssumedRole",
            "CodeBuild service role (trust codebuild.amazonaws.com); it even updates Lambda code, but it is not a Lambda execution role"),
        new Noise(REPLICATOR_ROLE.arn(), "AssumedRole",
            "service-linked role trusting replicator.lambda.amazonaws.com, not lambda.amazonaws.com; no activity"),
        new Noise(ORG_ACCESS.arn(), "AssumedRole", "cross-account admin role of the organization"),
        new Noise("alice@acme.example", "SAMLUser", "the SAML federated user calling AssumeRoleWithSAML"),
        new Noise("lambda.amazonaws.com", "AWSService",
            "AssumeRole for every Lambda execution environment: the Lambda service assumes the role, the role does not need sts:AssumeRole"),
        new Noise("codebuild.amazonaws.com", "AWSService", "AssumeRole of the CodeBuild role"),
        new Noise("cloudtrail.amazonaws.com", "AWSService", "KMS GenerateDataKey to encrypt the trail's log files"));
  }

  static SampleRole role(String account, String path, String name, String created, boolean inSnapshot,
      String... tags) {
    return new SampleRole(account, path, name, stableId("AROA", name), created, inSnapshot, List.of(tags));
  }

  /** An IAM-style unique id that depends only on the name, so it is the same for every seed. */
  static String stableId(String prefix, String name) {
    Random random = new Random(name.hashCode() * 31L + prefix.hashCode());
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder(prefix);
    while (id.length() < 21) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  static String key(String id) {
    return "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + id;
  }

  static String secret(String account, String nameWithSuffix) {
    return "arn:aws:secretsmanager:us-east-1:" + account + ":secret:" + nameWithSuffix;
  }

  static String table(String account, String name) {
    return "arn:aws:dynamodb:us-east-1:" + account + ":table/" + name;
  }

  static String logGroup(String region, String account, String function) {
    return "arn:aws:logs:" + region + ":" + account + ":log-group:/aws/lambda/" + function;
  }

  static String parameter(String region, String account, String name) {
    return "arn:aws:ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? name : "/" + name);
  }
}
