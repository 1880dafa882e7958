package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.arr;
import static dev.trailtrim.tools.SampleJson.obj;
import static dev.trailtrim.tools.SampleScenario.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Five days of activity, in bursts that CloudTrail would deliver as one file each. Every call is
 * kept, including the ones the trail does not record, so the ground truth knows the real use.
 */
final class SampleActivity {

  private static final int[][] ORDER_SLOTS = {{8, 10}, {10, 40}, {12, 15}, {14, 30}, {16, 50}};
  private static final String[] TEMPLATES = {"standard.hbs", "eu-vat.hbs", "credit-note.hbs"};
  private static final String LAMBDA_WORKER = "awslambda-worker/1.0 rusoto/0.48.0 rust/1.77.2 linux";
  private static final String BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
      + " (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
  private static final String ALICE_CLI = "aws-cli/2.18.9 md/awscrt#0.22.0 ua/2.0 os/macos#23.6.0 md/arch#arm64"
      + " lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#";
  private static final String CODEBUILD_CLI = "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0"
      + " os/linux#5.10.218-208.862.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython"
      + " exec-env/AWS_ECS_EC2 cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2 md/prompt#off md/command#";
  private static final String ALICE_IP = "203.0.113.45";
  private static final DateTimeFormatter EXPIRATION =
      DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  final Random rnd;
  final List<SampleCall> calls = new ArrayList<>();
  private int invoiceNumber = 104230;

  /** A Lambda execution environment: its credentials and its clock. */
  private static final class Env {
    final SampleSession session;
    final SampleFunction function;
    final String stream;
    long t;

    Env(SampleSession session, SampleFunction function, long t, String stream) {
      this.session = session;
      this.function = function;
      this.t = t;
      this.stream = stream;
    }
  }

  SampleActivity(long seed) {
    this.rnd = new Random(seed);
  }

  List<SampleCall> run() {
    for (int day = 0; day < 5; day++) {
      LocalDate date = FIRST_DAY.plusDays(day);
      nightly(at(date, 2, 5), date, day == 3);
      billing(at(date, 3, 10), date, false);
      invoices(at(date, 6, 0), date, day == 0);
      thumbnails(at(date, 7, 30), day == 0);
      for (int slot = 0; slot < ORDER_SLOTS.length; slot++) {
        long t0 = at(date, ORDER_SLOTS[slot][0], ORDER_SLOTS[slot][1]);
        orders(t0);
        if (slot == 0 && (day == 1 || day == 3)) {
          aliceConsole(t0 + 20_000 + rnd.nextInt(40_000));
        }
        if (slot == 1) {
          aliceCli(t0 + 30_000 + rnd.nextInt(60_000), date);
        }
        if (slot == 3 && day == 2) {
          samlAdmin(t0 + 15_000 + rnd.nextInt(30_000));
        }
        if (slot == 4 && (day == 2 || day == 4)) {
          codeBuild(t0 + 10_000 + rnd.nextInt(30_000));
        }
      }
      billing(at(date, 15, 10), date, day == 2);
      thumbnails(at(date, 15, 45), false);
      invoices(at(date, 18, 0), date, false);
      if (day == 1) {
        orders(at(date, 23, 55));
      }
    }
    return calls;
  }

  // ---------------------------------------------------------------- bursts

  private void orders(long t0) {
    trailKey(t0 + 2_000 + rnd.nextInt(60_000));
    int orders = 5 + rnd.nextInt(5);
    Env env = coldStart(ORDERS_API_FN, t0, false);
    ordersBootstrap(env);
    Env second = null;
    List<Long> sent = new ArrayList<>();
    long lastQueueKey = Long.MIN_VALUE;
    long t = env.t;
    for (int i = 0; i < orders; i++) {
      t += 4_000 + rnd.nextInt(8_000);
      Env current = env;
      if (orders > 8 && i >= orders / 2) {
        if (second == null) {
          second = coldStart(ORDERS_API_FN, t - 2_500, false);
          ordersBootstrap(second);
        }
        current = second;
      }
      String orderId = "ord_" + alnum(12, false);
      dynamo(current.session, t, "GetItem", ORDERS_TABLE, obj("tableName", "orders", "key", obj("orderId", orderId)));
      if (rnd.nextInt(3) == 0) {
        dynamo(current.session, t + 40, "Query", ORDERS_BY_CUSTOMER,
            obj("tableName", "orders", "indexName", "by-customer", "keyConditionExpression", "customerId = :c"));
      }
      dynamo(current.session, t + 90, "PutItem", ORDERS_TABLE,
          obj("tableName", "orders", "key", obj("orderId", orderId)));
      if (rnd.nextInt(4) == 0) {
        dynamo(current.session, t + 120, "UpdateItem", ORDERS_TABLE,
            obj("tableName", "orders", "key", obj("orderId", orderId), "updateExpression", "SET #s = :s"));
      }
      sqsSend(current.session, t + 160);
      if (t + 160 - lastQueueKey > 300_000) {
        // SQS asks KMS for a data key on the sender's behalf, reused for five minutes.
        kmsByService(current.session, t + 170, "GenerateDataKey", SQS_KEY, "sqs.amazonaws.com",
            obj("keyId", "alias/order-events-sqs", "encryptionContext", obj("aws:sqs:arn", ORDER_EVENTS_QUEUE),
                "keySpec", "AES_256"));
        lastQueueKey = t + 160;
      }
      publish(current.session, t + 210, ORDER_TOPIC);
      sent.add(t + 160);
      putLogEvents(current, t + 260);
    }
    queueWorker(t0 + 90_000 + rnd.nextInt(20_000), sent);
  }

  private void ordersBootstrap(Env env) {
    long t = env.t + 400 + rnd.nextInt(600);
    call(env.session, t, "secretsmanager.amazonaws.com", "GetSecretValue", HOME)
        .params(obj("secretId", ORDERS_DB_SECRET_NAME)).readOnly(true)
        .needs("secretsmanager:GetSecretValue", ORDERS_DB_SECRET, ORDERS_DB_SECRET_NAME);
    kmsByService(env.session, t + 30, "Decrypt", ORDERS_KEY, "secretsmanager.amazonaws.com",
        obj("encryptionContext",
            obj("SecretARN", ORDERS_DB_SECRET, "SecretVersionId", "a3f1c2d4-5b6e-4f70-8192-a3b4c5d6e7f8"),
            "encryptionAlgorithm", "SYMMETRIC_DEFAULT"));
    t += 300 + rnd.nextInt(300);
    call(env.session, t, "dynamodb.amazonaws.com", "DescribeTable", HOME)
        .params(obj("tableName", "orders")).readOnly(true).apiVersion("2012-08-10")
        .resource("AWS::DynamoDB::Table", ORDERS_TABLE, ACCOUNT)
        .needs("dynamodb:DescribeTable", ORDERS_TABLE, "orders");
    t += 200 + rnd.nextInt(300);
    call(env.session, t, "kms.amazonaws.com", "GenerateDataKey", HOME)
        .params(obj("keyId", ORDERS_KEY_ALIAS, "keySpec", "AES_256")).readOnly(true)
        .resource("AWS::KMS::Key", ORDERS_KEY, ACCOUNT)
        .needs("kms:GenerateDataKey", ORDERS_KEY, ORDERS_KEY_ALIAS);
    if (rnd.nextInt(2) == 0) {
      // A payment feature flag path tries the Stripe secret, which the role is not granted.
      t += 150 + rnd.nextInt(200);
      call(env.session, t, "secretsmanager.amazonaws.com", "GetSecretValue", HOME)
          .params(obj("secretId", STRIPE_SECRET_NAME)).readOnly(true)
          .needs("secretsmanager:GetSecretValue", STRIPE_SECRET, STRIPE_SECRET_NAME)
          .denied("AccessDenied", "User: " + stsArn(env) + " is not authorized to perform:"
              + " secretsmanager:GetSecretValue on resource: " + STRIPE_SECRET_NAME
              + " because no identity-based policy allows the secretsmanager:GetSecretValue action");
    }
    env.t = t;
  }

  private void queueWorker(long start, List<Long> sent) {
    Env env = coldStart(WORKER_FN, start, false);
    long t = env.t + 300 + rnd.nextInt(500);
    call(env.session, t, "sqs.amazonaws.com", "GetQueueAttributes", HOME)
        .params(obj("queueUrl", ORDER_EVENTS_URL, "attributeNames", arr("ApproximateNumberOfMessages")))
        .readOnly(true).resource("AWS::SQS::Queue", ORDER_EVENTS_QUEUE, ACCOUNT)
        .needs("sqs:GetQueueAttributes", ORDER_EVENTS_QUEUE, ORDER_EVENTS_URL);
    int next = 0;
    boolean haveDataKey = false;
    while (next < sent.size()) {
      t += 150 + rnd.nextInt(400);
      long ready = sent.get(next) + 1_000;
      long requestTime = t;
      if (t < ready) {
        if (ready - t > 20_000) {
          receive(env.session, requestTime);
          t += 20_000;
          continue;
        }
        t = ready;
      }
      receive(env.session, requestTime);
      if (!haveDataKey) {
        kmsByService(env.session, t + 20, "Decrypt", SQS_KEY, "sqs.amazonaws.com",
            obj("encryptionContext", obj("aws:sqs:arn", ORDER_EVENTS_QUEUE), "encryptionAlgorithm",
                "SYMMETRIC_DEFAULT"));
        haveDataKey = true;
      }
      int batch = 0;
      while (next < sent.size() && batch < 10 && sent.get(next) + 1_000 <= t) {
        next++;
        batch++;
        t += 150 + rnd.nextInt(700);
        if (rnd.nextInt(3) == 0) {
          // Orders with a delivery address carry an envelope-encrypted field.
          call(env.session, t, "kms.amazonaws.com", "Decrypt", HOME)
              .params(obj("keyId", ORDERS_KEY, "encryptionAlgorithm", "SYMMETRIC_DEFAULT"))
              .readOnly(true).resource("AWS::KMS::Key", ORDERS_KEY, ACCOUNT)
              .needs("kms:Decrypt", ORDERS_KEY, ORDERS_KEY);
        }
        if (rnd.nextInt(7) == 0) {
          call(env.session, t + 60, "kms.amazonaws.com", "Decrypt", HOME)
              .params(
                  obj("encryptionAlgorithm", "SYMMETRIC_DEFAULT", "encryptionContext", obj("purpose", "payment-token")))
              .readOnly(true).resource("AWS::KMS::Key", PAYMENTS_KEY, ACCOUNT)
              .needs("kms:Decrypt", PAYMENTS_KEY, PAYMENTS_KEY)
              .denied("AccessDeniedException", "User: " + stsArn(env) + " is not authorized to perform:"
                  + " kms:Decrypt on resource: " + PAYMENTS_KEY
                  + " because no identity-based policy allows the kms:Decrypt action");
        }
        String orderId = "ord_" + alnum(12, false);
        dynamo(env.session, t + 120, "GetItem", ORDERS_TABLE,
            obj("tableName", "orders", "key", obj("orderId", orderId)));
        dynamo(env.session, t + 170, "UpdateItem", ORDERS_TABLE,
            obj("tableName", "orders", "key", obj("orderId", orderId), "updateExpression", "SET #s = :s"));
        call(env.session, t + 220, "sqs.amazonaws.com", "DeleteMessage", HOME).data("AWS::SQS::Queue")
            .params(obj("queueUrl", ORDER_EVENTS_URL, "receiptHandle", "HIDDEN_DUE_TO_SECURITY_REASONS"))
            .readOnly(false).resource("AWS::SQS::Queue", ORDER_EVENTS_QUEUE, ACCOUNT)
            .needs("sqs:DeleteMessage", ORDER_EVENTS_QUEUE, ORDER_EVENTS_URL);
        putLogEvents(env, t + 260);
      }
    }
    receive(env.session, t + 200);
  }

  private void invoices(long t0, LocalDate date, boolean monthStart) {
    trailKey(t0 + 1_000 + rnd.nextInt(30_000));
    Env env = coldStart(RENDERER_FN, t0, false);
    long t = env.t + 800 + rnd.nextInt(1_200);
    getParameter(env.session, t, HOME, "/invoice/renderer/config", true);
    t += 100 + rnd.nextInt(200);
    call(env.session, t, "ssm.amazonaws.com", "GetParameter", HOME)
        .params(obj("name", "/invoice/renderer/feature-flags", "withDecryption", false)).readOnly(true)
        .needs("ssm:GetParameter", parameter(HOME, ACCOUNT, "/invoice/renderer/feature-flags"),
            "/invoice/renderer/feature-flags")
        .failed("ParameterNotFound", null);
    t += 200 + rnd.nextInt(300);
    list(env.session, t, HOME, TEMPLATES_BUCKET, "templates/");
    for (String template : TEMPLATES) {
      String key = "templates/" + template;
      t += 80 + rnd.nextInt(200);
      s3Object(env.session, t, HOME, "HeadObject", TEMPLATES_BUCKET, key, "s3:GetObject", true, null);
      t += 40 + rnd.nextInt(100);
      s3Object(env.session, t, HOME, "GetObject", TEMPLATES_BUCKET, key, "s3:GetObject", true, null)
          .additional(s3Additional(0, 2_048 + rnd.nextInt(6_000), "Default_SSE_KMS"));
      kmsByService(env.session, t + 25, "Decrypt", INVOICES_KEY, "s3.amazonaws.com",
          obj("encryptionContext", obj("aws:s3:arn", "arn:aws:s3:::" + TEMPLATES_BUCKET + "/" + key),
              "encryptionAlgorithm", "SYMMETRIC_DEFAULT"));
    }
    // The first run of the month renders the whole backlog: the one burst CloudTrail splits into two files.
    int count = monthStart ? 55 + rnd.nextInt(10) : 5 + rnd.nextInt(5);
    for (int i = 0; i < count; i++) {
      t += (monthStart ? 1_000 : 1_500) + rnd.nextInt(monthStart ? 1_500 : 2_500);
      renderInvoice(env, t, "rendered/" + date.toString().replace('-', '/') + "/INV-" + (invoiceNumber++) + ".pdf");
    }
  }

  private void renderInvoice(Env env, long t, String key) {
    s3Object(env.session, t, HOME, "PutObject", INVOICES_BUCKET, key, "s3:PutObject", false, null)
        .additional(s3Additional(40_000 + rnd.nextInt(90_000), 0, "Default_SSE_KMS"));
    kmsByService(env.session, t + 30, "GenerateDataKey", INVOICES_KEY, "s3.amazonaws.com",
        obj("keyId", INVOICES_KEY, "encryptionContext",
            obj("aws:s3:arn", "arn:aws:s3:::" + INVOICES_BUCKET + "/" + key),
            "keySpec", "AES_256"));
    putLogEvents(env, t + 80);
  }

  private void nightly(long t0, LocalDate date, boolean backfill) {
    trailKey(t0 + 500 + rnd.nextInt(20_000));
    Env env = coldStart(EXPORTER_FN, t0, false);
    long t = env.t + 500 + rnd.nextInt(500);
    call(env.session, t, "sts.amazonaws.com", "GetCallerIdentity", HOME).readOnly(true);
    t += 200 + rnd.nextInt(200);
    call(env.session, t, "dynamodb.amazonaws.com", "DescribeTable", HOME)
        .params(obj("tableName", "orders")).readOnly(true).apiVersion("2012-08-10")
        .resource("AWS::DynamoDB::Table", ORDERS_TABLE, ACCOUNT)
        .needs("dynamodb:DescribeTable", ORDERS_TABLE, "orders");
    for (int page = 0; page < 3; page++) {
      t += 600 + rnd.nextInt(900);
      dynamo(env.session, t, "Query", ORDERS_BY_STATUS,
          obj("tableName", "orders", "indexName", "by-status", "keyConditionExpression", "orderStatus = :s"));
    }
    String prefix = "exports/" + date + "/";
    t += 300;
    list(env.session, t, HOME, REPORTS_BUCKET, prefix);
    for (String name : new String[] {"orders.csv", "revenue.csv"}) {
      t += 900 + rnd.nextInt(1_500);
      s3Object(env.session, t, HOME, "PutObject", REPORTS_BUCKET, prefix + name, "s3:PutObject", false, null)
          .additional(s3Additional(120_000 + rnd.nextInt(400_000), 0, "Default_SSE_S3"));
    }
    t += 200;
    s3Object(env.session, t, HOME, "PutObjectAcl", REPORTS_BUCKET, prefix + "orders.csv", "s3:PutObjectAcl", false,
        obj("acl", "", "x-amz-acl", "bucket-owner-full-control"))
        .denied("AccessDenied", "User: " + stsArn(env) + " is not authorized to perform: s3:PutObjectAcl on resource:"
            + " \"arn:aws:s3:::" + REPORTS_BUCKET + "/" + prefix + "orders.csv\" because no permissions boundary"
            + " allows the s3:PutObjectAcl action");
    publish(env.session, t + 400, REPORT_TOPIC);
    putLogEvents(env, t + 500);

    Env legacy = coldStart(LEGACY_FN, t0 + 20_000 + rnd.nextInt(10_000), false);
    t = legacy.t + 600;
    list(legacy.session, t, HOME, ARTIFACTS_BUCKET, "tmp/");
    int stale = 2 + rnd.nextInt(4);
    for (int i = 0; i < stale; i++) {
      t += 150 + rnd.nextInt(300);
      s3Object(legacy.session, t, HOME, "DeleteObject", ARTIFACTS_BUCKET, "tmp/build-" + hex(8) + ".zip",
          "s3:DeleteObject", false, null);
    }
    putLogEvents(legacy, t + 100);

    if (backfill) {
      Env back = coldStart(BACKFILL_FN, t0 + 40_000 + rnd.nextInt(10_000), false);
      t = back.t + 900;
      list(back.session, t, HOME, INVOICES_BUCKET, "drafts/");
      for (int i = 0; i < 3; i++) {
        t += 200 + rnd.nextInt(300);
        String key = "drafts/INV-" + (103900 + i * 7) + ".pdf";
        s3Object(back.session, t, HOME, "DeleteObject", INVOICES_BUCKET, key, "s3:DeleteObject", false, null)
            .denied("AccessDenied", "User: " + stsArn(back) + " is not authorized to perform: s3:DeleteObject on"
                + " resource: \"arn:aws:s3:::" + INVOICES_BUCKET + "/" + key + "\" with an explicit deny in an"
                + " identity-based policy");
      }
      for (int i = 0; i < 4; i++) {
        t += 1_500 + rnd.nextInt(2_000);
        renderInvoice(back, t, "rendered/2026/10/31/INV-" + (104100 + i) + ".pdf");
      }
    }
  }

  private void thumbnails(long t0, boolean firstDeployment) {
    Env env = coldStart(THUMBNAILER_FN, t0, firstDeployment);
    long t = env.t + 500 + rnd.nextInt(500);
    getParameter(env.session, t, EU, "thumbnailer-sizes", false);
    int images = 6 + rnd.nextInt(6);
    for (int i = 0; i < images; i++) {
      t += 2_000 + rnd.nextInt(4_000);
      String id = uuid();
      s3Object(env.session, t, EU, "GetObject", MEDIA_BUCKET, "uploads/" + id + ".jpg", "s3:GetObject", true, null)
          .additional(s3Additional(0, 800_000 + rnd.nextInt(3_000_000), "Default_SSE_S3"));
      for (String size : new String[] {"256", "64"}) {
        t += 300 + rnd.nextInt(500);
        s3Object(env.session, t, EU, "PutObject", MEDIA_BUCKET, "thumbnails/" + id + "-" + size + ".jpg",
            "s3:PutObject", false, obj("x-amz-server-side-encryption", "AES256"))
            .additional(s3Additional(4_000 + rnd.nextInt(30_000), 0, "SSE_S3"));
      }
      putLogEvents(env, t + 50);
    }
  }

  private void billing(long t0, LocalDate date, boolean adminVisit) {
    Env env = coldStart(BILLING_FN, t0, false);
    long t = env.t + 700 + rnd.nextInt(500);
    call(env.session, t, "secretsmanager.amazonaws.com", "GetSecretValue", HOME)
        .params(obj("secretId", BILLING_SECRET)).readOnly(true)
        .needs("secretsmanager:GetSecretValue", BILLING_SECRET, BILLING_SECRET);
    t += 150 + rnd.nextInt(200);
    call(env.session, t, "ssm.amazonaws.com", "GetParameter", HOME)
        .params(obj("name", "/billing/sync/config")).readOnly(true)
        .needs("ssm:GetParameter", parameter(HOME, ORG_ACCOUNT, "/billing/sync/config"), "/billing/sync/config");
    t += 150 + rnd.nextInt(200);
    call(env.session, t, "dynamodb.amazonaws.com", "DescribeTable", HOME)
        .params(obj("tableName", "billing-line-items")).readOnly(true).apiVersion("2012-08-10")
        .resource("AWS::DynamoDB::Table", BILLING_TABLE, ORG_ACCOUNT)
        .needs("dynamodb:DescribeTable", BILLING_TABLE, "billing-line-items");
    String prefix = "cur/" + date.toString().substring(0, 7) + "/";
    t += 200;
    list(env.session, t, HOME, BILLING_BUCKET, prefix);
    int files = 2 + rnd.nextInt(3);
    for (int i = 1; i <= files; i++) {
      t += 400 + rnd.nextInt(800);
      s3Object(env.session, t, HOME, "GetObject", BILLING_BUCKET, prefix + "acme-cur-0000" + i + ".csv.gz",
          "s3:GetObject", true, null)
          .additional(s3Additional(0, 300_000 + rnd.nextInt(2_000_000), "Default_SSE_S3"));
      int writes = 3 + rnd.nextInt(4);
      for (int w = 0; w < writes; w++) {
        t += 120 + rnd.nextInt(200);
        dynamo(env.session, t, "BatchWriteItem", BILLING_TABLE,
            obj("requestItems", obj("billing-line-items", arr(obj("putRequest", obj())))));
      }
    }
    putLogEvents(env, t + 100);
    if (adminVisit) {
      orgAdmin(t0 + 30_000 + rnd.nextInt(30_000));
    }
  }

  // ---------------------------------------------------------------- noise

  private void trailKey(long t) {
    call(SampleSession.service("cloudtrail.amazonaws.com"), t, "kms.amazonaws.com", "GenerateDataKey", HOME)
        .recipient(ACCOUNT)
        .params(
            obj("keySpec", "AES_256", "encryptionContext", obj("aws:cloudtrail:arn", TRAIL_ARN), "keyId", TRAIL_KEY))
        .readOnly(true).resource("AWS::KMS::Key", TRAIL_KEY, ACCOUNT);
  }

  private void aliceConsole(long t) {
    SampleSession login = SampleSession.user(ACCOUNT, "alice", ALICE_ID, null, t, false, BROWSER, ALICE_IP);
    call(login, t, "signin.amazonaws.com", "ConsoleLogin", HOME)
        .eventType("AwsConsoleSignIn").readOnly(false)
        .response(obj("ConsoleLogin", "Success"))
        .additional(obj("LoginTo", "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
            "MobileVersion", "No", "MFAIdentifier", "arn:aws:iam::" + ACCOUNT + ":mfa/alice-phone", "MFAUsed", "Yes"));
    SampleSession console = SampleSession.user(ACCOUNT, "alice", ALICE_ID, accessKeyId(), t, true, BROWSER, ALICE_IP);
    t += 4_000 + rnd.nextInt(4_000);
    call(console, t, "lambda.amazonaws.com", "ListFunctions20150331", HOME).readOnly(true)
        .params(obj("functionVersion", "ALL", "maxItems", 50)).apiVersion("2015-03-31");
    t += 3_000 + rnd.nextInt(4_000);
    call(console, t, "lambda.amazonaws.com", "GetFunction20150331v2", HOME).readOnly(true)
        .params(obj("functionName", "orders-api")).apiVersion("2015-03-31");
    t += 2_000 + rnd.nextInt(4_000);
    call(console, t, "logs.amazonaws.com", "DescribeLogStreams", HOME).readOnly(true)
        .params(
            obj("logGroupName", "/aws/lambda/orders-api", "orderBy", "LastEventTime", "descending", true, "limit", 50))
        .apiVersion("20140328");
  }

  private void aliceCli(long t, LocalDate date) {
    SampleSession cli = SampleSession.user(ACCOUNT, "alice", ALICE_ID, "AKIA" + stableKey("alice"), t, false,
        ALICE_CLI + "s3.cp", ALICE_IP);
    call(cli, t, "sts.amazonaws.com", "GetCallerIdentity", HOME).readOnly(true);
    t += 600 + rnd.nextInt(600);
    call(cli, t, "s3.amazonaws.com", "ListBuckets", HOME).readOnly(true)
        .params(obj("Host", "s3.us-east-1.amazonaws.com")).host("s3.us-east-1.amazonaws.com");
    t += 500 + rnd.nextInt(500);
    s3Object(cli, t, HOME, "GetObject", REPORTS_BUCKET, "exports/" + date + "/orders.csv", "s3:GetObject", true, null)
        .additional(s3Additional(0, 150_000 + rnd.nextInt(300_000), "Default_SSE_S3"));
  }

  private void samlAdmin(long t) {
    String user = "alice@acme.example";
    String provider = "l4Kq3vN8mZ2pYx7RbT5sWc9Ue1o=";
    String key = accessKeyId();
    SampleSession federated = SampleSession.saml(ACCOUNT, user, provider, BROWSER, ALICE_IP);
    call(federated, t, "sts.amazonaws.com", "AssumeRoleWithSAML", HOME).readOnly(true)
        .params(obj("sAMLAssertionID", "id" + hex(32), "roleSessionName", user, "principalArn", SAML_PROVIDER,
            "roleArn", ADMIN.arn(), "durationSeconds", 3600))
        .response(obj("credentials", obj("accessKeyId", key, "sessionToken", sessionToken(),
            "expiration", EXPIRATION.format(Instant.ofEpochMilli(t + 3_600_000L))),
            "assumedRoleUser", obj("assumedRoleId", ADMIN.roleId() + ":" + user,
                "arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/AdminAccess/" + user),
            "subject", user, "subjectType", "persistent", "issuer", "http://www.okta.com/exk1a2b3c4d5e6f7g8h9",
            "audience", "https://signin.aws.amazon.com/saml", "nameQualifier", provider))
        .resource("AWS::IAM::Role", ADMIN.arn(), ACCOUNT)
        .resource("AWS::IAM::SAMLProvider", SAML_PROVIDER, ACCOUNT);
    SampleSession admin = SampleSession.role(ADMIN, user, key, t, false, true, BROWSER, ALICE_IP);
    t += 5_000 + rnd.nextInt(3_000);
    call(admin, t, "iam.amazonaws.com", "GetRole", HOME).readOnly(true).params(obj("roleName", "orders-api-role"));
    t += 700 + rnd.nextInt(500);
    call(admin, t, "iam.amazonaws.com", "ListAttachedRolePolicies", HOME).readOnly(true)
        .params(obj("roleName", "orders-api-role"));
    t += 300 + rnd.nextInt(300);
    call(admin, t, "iam.amazonaws.com", "GetRolePolicy", HOME).readOnly(true)
        .params(obj("roleName", "orders-api-role", "policyName", "orders-api-data"));
    t += 4_000 + rnd.nextInt(3_000);
    call(admin, t, "secretsmanager.amazonaws.com", "DescribeSecret", HOME).readOnly(true)
        .params(obj("secretId", STRIPE_SECRET));
    t += 6_000 + rnd.nextInt(3_000);
    call(admin, t, "lambda.amazonaws.com", "GetFunction20150331v2", HOME).readOnly(true)
        .params(obj("functionName", "orders-api")).apiVersion("2015-03-31");
    t += 9_000 + rnd.nextInt(5_000);
    call(admin, t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", HOME).readOnly(false)
        .params(obj("functionName", "orders-api", "environment", obj()))
        .apiVersion("2015-03-31");
  }

  private void codeBuild(long t) {
    String session = "AWSCodeBuild-" + uuid();
    String key = accessKeyId();
    call(SampleSession.service("codebuild.amazonaws.com"), t, "sts.amazonaws.com", "AssumeRole", HOME)
        .recipient(ACCOUNT).readOnly(true)
        .params(obj("roleArn", CODEBUILD.arn(), "roleSessionName", session))
        .response(obj("credentials", obj("accessKeyId", key, "sessionToken", sessionToken(),
            "expiration", EXPIRATION.format(Instant.ofEpochMilli(t + 3_600_000L))),
            "assumedRoleUser", obj("assumedRoleId", CODEBUILD.roleId() + ":" + session,
                "arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + CODEBUILD.name() + "/" + session)))
        .resource("AWS::IAM::Role", CODEBUILD.arn(), ACCOUNT).shared(uuid());
    SampleSession build = SampleSession.role(CODEBUILD, session, key, t, false, false,
        CODEBUILD_CLI + "lambda.update-function-code", "3.91.171." + (10 + rnd.nextInt(200)));
    t += 20_000 + rnd.nextInt(10_000);
    call(build, t, "sts.amazonaws.com", "GetCallerIdentity", HOME).readOnly(true);
    String artifact = "builds/acme-api/" + uuid() + ".zip";
    t += 2_000 + rnd.nextInt(2_000);
    s3Object(build, t, HOME, "PutObject", ARTIFACTS_BUCKET, artifact, "s3:PutObject", false, null)
        .additional(s3Additional(8_000_000 + rnd.nextInt(4_000_000), 0, "Default_SSE_S3"));
    t += 500;
    s3Object(build, t, HOME, "PutObject", ARTIFACTS_BUCKET, "tmp/build-" + hex(8) + ".zip", "s3:PutObject", false, null)
        .additional(s3Additional(2_000_000 + rnd.nextInt(1_000_000), 0, "Default_SSE_S3"));
    t += 3_000 + rnd.nextInt(2_000);
    call(build, t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", HOME).readOnly(false)
        .params(obj("functionName", "orders-api", "s3Bucket", ARTIFACTS_BUCKET, "s3Key", artifact, "publish", true,
            "dryRun", false))
        .apiVersion("2015-03-31");
    t += 4_000 + rnd.nextInt(2_000);
    call(build, t, "lambda.amazonaws.com", "GetFunction20150331v2", HOME).readOnly(true)
        .params(obj("functionName", "orders-api")).apiVersion("2015-03-31");
  }

  private void orgAdmin(long t) {
    SampleSession admin = SampleSession.role(ORG_ACCESS, "terraform", accessKeyId(), t - 60_000, false, false,
        "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0"
            + " (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.3 ua/2.1 os/linux"
            + " lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/lambda#1.64.2",
        "198.51.100.23");
    call(admin, t, "lambda.amazonaws.com", "GetFunction20150331v2", HOME).readOnly(true)
        .params(obj("functionName", "billing-sync")).apiVersion("2015-03-31");
    t += 400 + rnd.nextInt(400);
    call(admin, t, "iam.amazonaws.com", "GetRole", HOME).readOnly(true).params(obj("roleName", "billing-sync-role"));
    t += 300 + rnd.nextInt(400);
    call(admin, t, "iam.amazonaws.com", "ListRolePolicies", HOME).readOnly(true)
        .params(obj("roleName", "billing-sync-role"));
  }

  // ---------------------------------------------------------------- calls

  private Env coldStart(SampleFunction fn, long t, boolean createLogGroup) {
    SampleRole role = fn.role();
    String key = accessKeyId();
    call(SampleSession.service("lambda.amazonaws.com"), t, "sts.amazonaws.com", "AssumeRole", fn.region())
        .recipient(role.account()).readOnly(true)
        .params(obj("roleArn", role.arn(), "roleSessionName", fn.name()))
        .response(obj("credentials", obj("accessKeyId", key, "sessionToken", sessionToken(),
            "expiration", EXPIRATION.format(Instant.ofEpochMilli(t + 12 * 3_600_000L))),
            "assumedRoleUser", obj("assumedRoleId", role.roleId() + ":" + fn.name(),
                "arn", "arn:aws:sts::" + role.account() + ":assumed-role/" + role.name() + "/" + fn.name())))
        .resource("AWS::IAM::Role", role.arn(), role.account()).shared(uuid());
    SampleSession session = SampleSession.lambda(fn, key, t, functionIp(fn.region()));
    String workerIp = functionIp(fn.region());
    long now = t + 300 + rnd.nextInt(600);
    String groupArn = logGroup(fn.region(), role.account(), fn.name());
    if (createLogGroup) {
      call(session, now, "logs.amazonaws.com", "CreateLogGroup", fn.region()).agent(LAMBDA_WORKER, workerIp)
          .params(obj("logGroupName", fn.logGroup())).readOnly(false).apiVersion("20140328")
          .needs("logs:CreateLogGroup", groupArn, fn.logGroup());
      now += 40 + rnd.nextInt(60);
    }
    String stream = SampleJson.eventTime(t).substring(0, 10).replace('-', '/') + "/[$LATEST]" + hex(32);
    call(session, now, "logs.amazonaws.com", "CreateLogStream", fn.region()).agent(LAMBDA_WORKER, workerIp)
        .params(obj("logGroupName", fn.logGroup(), "logStreamName", stream)).readOnly(false).apiVersion("20140328")
        .needs("logs:CreateLogStream", groupArn + ":log-stream:" + stream, stream);
    return new Env(session, fn, now, stream);
  }

  private void putLogEvents(Env env, long t) {
    String stream = env.stream;
    call(env.session, t, "logs.amazonaws.com", "PutLogEvents", env.function.region()).neverRecorded()
        .agent(LAMBDA_WORKER, null)
        .needs("logs:PutLogEvents", logGroup(env.function.region(), env.session.account, env.function.name())
            + ":log-stream:" + stream, stream);
  }

  private void dynamo(SampleSession s, long t, String operation, String resource, ObjectNode params) {
    call(s, t, "dynamodb.amazonaws.com", operation, HOME).data("AWS::DynamoDB::Table")
        .params(params).readOnly(operation.equals("GetItem") || operation.equals("Query"))
        .apiVersion("2012-08-10")
        .needs("dynamodb:" + operation, resource, resource.substring(resource.indexOf('/') + 1));
  }

  private void sqsSend(SampleSession s, long t) {
    call(s, t, "sqs.amazonaws.com", "SendMessage", HOME).data("AWS::SQS::Queue")
        .params(obj("queueUrl", ORDER_EVENTS_URL, "messageBody", "HIDDEN_DUE_TO_SECURITY_REASONS",
            "messageAttributes", "HIDDEN_DUE_TO_SECURITY_REASONS"))
        .response(obj("mD5OfMessageBody", hex(32), "mD5OfMessageAttributes", hex(32), "messageId", uuid()))
        .readOnly(false).resource("AWS::SQS::Queue", ORDER_EVENTS_QUEUE, ACCOUNT)
        .needs("sqs:SendMessage", ORDER_EVENTS_QUEUE, ORDER_EVENTS_URL);
  }

  private void receive(SampleSession s, long t) {
    call(s, t, "sqs.amazonaws.com", "ReceiveMessage", HOME).data("AWS::SQS::Queue")
        .params(obj("queueUrl", ORDER_EVENTS_URL, "maxNumberOfMessages", 10, "waitTimeSeconds", 20,
            "messageSystemAttributeNames", arr("All")))
        .readOnly(true).resource("AWS::SQS::Queue", ORDER_EVENTS_QUEUE, ACCOUNT)
        .needs("sqs:ReceiveMessage", ORDER_EVENTS_QUEUE, ORDER_EVENTS_URL);
  }

  private void publish(SampleSession s, long t, String topic) {
    call(s, t, "sns.amazonaws.com", "Publish", HOME).data("AWS::SNS::Topic")
        .params(obj("topicArn", topic, "message", "HIDDEN_DUE_TO_SECURITY_REASONS"))
        .readOnly(false).needs("sns:Publish", topic, topic);
  }

  private void kmsByService(SampleSession s, long t, String operation, String keyArn, String service,
      ObjectNode params) {
    call(s, t, "kms.amazonaws.com", operation, HOME).invokedBy(service)
        .params(params).readOnly(true).resource("AWS::KMS::Key", keyArn, ACCOUNT)
        .needs("kms:" + operation, keyArn, keyArn);
  }

  private void getParameter(SampleSession s, long t, String region, String name, boolean decrypt) {
    call(s, t, "ssm.amazonaws.com", "GetParameter", region)
        .params(decrypt ? obj("name", name, "withDecryption", true) : obj("name", name)).readOnly(true)
        .needs("ssm:GetParameter", parameter(region, s.account, name), name);
  }

  private void list(SampleSession s, long t, String region, String bucket, String prefix) {
    String host = bucket + ".s3." + region + ".amazonaws.com";
    call(s, t, "s3.amazonaws.com", "ListObjects", region).data("AWS::S3::Object")
        .params(obj("list-type", "2", "bucketName", bucket, "encoding-type", "url", "max-keys", "1000",
            "prefix", prefix, "Host", host))
        .additional(s3Additional(0, 0, null)).readOnly(true).host(host)
        .resource("AWS::S3::Bucket", "arn:aws:s3:::" + bucket, s.account)
        .needs("s3:ListBucket", "arn:aws:s3:::" + bucket, bucket);
  }

  private SampleCall s3Object(SampleSession s, long t, String region, String operation, String bucket, String key,
      String action, boolean readOnly, ObjectNode extraParams) {
    String host = bucket + ".s3." + region + ".amazonaws.com";
    ObjectNode params = obj("bucketName", bucket, "Host", host, "key", key);
    if (extraParams != null) {
      params.setAll(extraParams);
    }
    String objectArn = "arn:aws:s3:::" + bucket + "/" + key;
    return call(s, t, "s3.amazonaws.com", operation, region).data("AWS::S3::Object")
        .params(params).additional(s3Additional(0, 0, null)).readOnly(readOnly).host(host)
        .resource("AWS::S3::Object", objectArn, null)
        .resource("AWS::S3::Bucket", "arn:aws:s3:::" + bucket, s.account)
        .needs(action, objectArn, key);
  }

  private ObjectNode s3Additional(long in, long out, String sse) {
    ObjectNode additional = obj("SignatureVersion", "SigV4", "CipherSuite", "TLS_AES_128_GCM_SHA256",
        "bytesTransferredIn", in);
    if (sse != null) {
      additional.put("SSEApplied", sse);
    }
    additional.put("AuthenticationMethod", "AuthHeader");
    additional.put("x-amz-id-2", base64(56));
    additional.put("bytesTransferredOut", out);
    return additional;
  }

  private SampleCall call(SampleSession s, long t, String source, String name, String region) {
    SampleCall call = new SampleCall(s, t, source, name, region);
    calls.add(call);
    return call;
  }

  // ---------------------------------------------------------------- ids

  private long at(LocalDate date, int hour, int minute) {
    return date.atTime(hour, minute).toInstant(ZoneOffset.UTC).toEpochMilli() + rnd.nextInt(20_000);
  }

  private static String stsArn(Env env) {
    SampleRole role = env.function.role();
    return "arn:aws:sts::" + role.account() + ":assumed-role/" + role.name() + "/" + env.function.name();
  }

  private String functionIp(String region) {
    int first = region.equals(EU) ? 34 + rnd.nextInt(2) * 18 : new int[] {3, 44, 54}[rnd.nextInt(3)];
    return first + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
  }

  String accessKeyId() {
    return "ASIA" + alnum(16, true);
  }

  private static String stableKey(String name) {
    return SampleScenario.stableId("", name).substring(0, 16);
  }

  private String sessionToken() {
    return "IQoJb3JpZ2luX2VjE" + base64(80);
  }

  String uuid() {
    return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-" + "89ab".charAt(rnd.nextInt(4)) + hex(3) + "-" + hex(12);
  }

  String hex(int length) {
    return pick("0123456789abcdef", length);
  }

  String alnum(int length, boolean upper) {
    return pick(upper ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
  }

  private String base64(int length) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", length);
  }

  private String pick(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
