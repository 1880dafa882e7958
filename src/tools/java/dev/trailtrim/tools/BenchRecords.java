package dev.trailtrim.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic organisation behind the benchmark corpus (accounts, regions, thousands of Lambda
 * execution roles with their tables, buckets, queues, topics, secrets and parameters, plus a few
 * humans and non-Lambda roles), and the CloudTrail records they produce, written straight into a
 * {@link StringBuilder}: the corpus is gigabytes, so no JSON trees are built. Record shapes follow
 * {@link SampleCall} and {@link SampleSession} (field order as CloudTrail writes it); every value
 * is ASCII.
 */
final class BenchRecords {

  static final String[] REGIONS = {"us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2"};
  /** Most traffic is in the home region, as in most organisations. */
  private static final int[] REGION_WEIGHTS = {50, 20, 15, 10, 5};
  private static final String[] TEAMS = {"orders", "billing", "media", "search", "identity", "payments", "catalog",
      "shipping", "analytics", "notify", "fraud", "ledger", "inventory", "pricing", "support", "growth"};
  private static final String[] NOUNS = {"ingest", "export", "sync", "resize", "index", "audit", "router", "digest",
      "enricher", "scheduler", "webhook", "reconcile", "archiver", "notifier", "validator", "projector"};
  private static final String[] RUNTIMES = {"python3.12", "nodejs20.x", "java17", "python3.9"};

  /** What a Lambda function's code calls; each role uses a handful of these. */
  enum Op {
    S3_GET, S3_PUT, S3_HEAD, S3_DELETE, S3_LIST, DDB_GET, DDB_PUT, DDB_QUERY, DDB_UPDATE, DDB_BATCH_WRITE,
    SQS_SEND, SQS_RECEIVE, SQS_DELETE, SNS_PUBLISH, SECRET_GET, SSM_GET, KMS_DECRYPT, KMS_GENERATE,
    LOGS_CREATE_STREAM, STS_CALLER, SFN_START, EVENTS_PUT, LAMBDA_INVOKE
  }

  /** A Lambda execution role, its function and the resources its code touches. */
  record Role(String account, String region, String name, String arn, String roleId, String function,
      String runtime, String[] tables, String[] buckets, String[] queues, String topic, String secret,
      String[] parameters, String kmsKey, String stateMachine, String bus, String target, Op[] ops) {}

  /** A principal that is not a Lambda function: CI deploy roles, instance roles, users, SAML admins. */
  record Other(String account, String kind, String name, String arn, String roleId) {}

  final String[] accounts;
  final List<Role> roles = new ArrayList<>();
  /** Roles per account and region, so a file's records come from roles running there. */
  private final List<List<List<Role>>> rolesByAccountRegion = new ArrayList<>();
  private final List<List<Other>> othersByAccount = new ArrayList<>();

  BenchRecords(long seed, int accountCount, int roleCount) {
    SplittableRandom rnd = new SplittableRandom(seed);
    accounts = new String[accountCount];
    for (int a = 0; a < accountCount; a++) {
      accounts[a] = String.format("%012d", 100_000_000_000L + rnd.nextLong(899_999_999_999L));
      List<List<Role>> byRegion = new ArrayList<>();
      for (int r = 0; r < REGIONS.length; r++) {
        byRegion.add(new ArrayList<>());
      }
      rolesByAccountRegion.add(byRegion);
      List<Other> others = new ArrayList<>();
      String account = accounts[a];
      others.add(role(account, "ci", "github-deploy", rnd));
      others.add(role(account, "ci", "terraform-apply", rnd));
      for (int i = 0; i < 6; i++) {
        others.add(role(account, "ec2", "app-instance-" + TEAMS[rnd.nextInt(TEAMS.length)] + "-" + i, rnd));
      }
      others.add(role(account, "saml", "AdminAccess", rnd));
      others.add(role(account, "saml", "ReadOnly", rnd));
      for (String user : List.of("ops-bot", "backup-agent", "legacy-etl")) {
        others.add(new Other(account, "user", user, "arn:aws:iam::" + account + ":user/" + user,
            "AIDA" + alnum(rnd, 17, true)));
      }
      othersByAccount.add(others);
    }
    for (int i = 0; i < roleCount; i++) {
      int accountIndex = skewed(rnd, accountCount);
      int regionIndex = weighted(rnd, REGION_WEIGHTS);
      Role role = lambdaRole(i, accounts[accountIndex], REGIONS[regionIndex], rnd);
      roles.add(role);
      rolesByAccountRegion.get(accountIndex).get(regionIndex).add(role);
    }
  }

  private static Other role(String account, String kind, String name, SplittableRandom rnd) {
    return new Other(account, kind, name, "arn:aws:iam::" + account + ":role/" + name, "AROA" + alnum(rnd, 17, true));
  }

  private static Role lambdaRole(int index, String account, String region, SplittableRandom rnd) {
    String team = TEAMS[rnd.nextInt(TEAMS.length)];
    String noun = NOUNS[rnd.nextInt(NOUNS.length)];
    String function = team + "-" + noun + "-" + String.format("%04d", index);
    String name = function + "-role";
    String path = rnd.nextInt(10) < 6 ? "service-role/" : "";
    String arn = "arn:aws:iam::" + account + ":role/" + path + name;
    String[] tables = new String[1 + rnd.nextInt(3)];
    for (int t = 0; t < tables.length; t++) {
      tables[t] = team + "-" + NOUNS[rnd.nextInt(NOUNS.length)] + "-" + (t == 0 ? "items" : "state-" + t);
    }
    String[] buckets = new String[1 + rnd.nextInt(2)];
    for (int b = 0; b < buckets.length; b++) {
      buckets[b] = "acme-" + team + "-" + NOUNS[rnd.nextInt(NOUNS.length)] + "-" + account + "-" + region;
    }
    String[] queues = new String[rnd.nextInt(3)];
    for (int q = 0; q < queues.length; q++) {
      queues[q] = function + (q == 0 ? "-jobs" : "-dlq");
    }
    String[] parameters = new String[1 + rnd.nextInt(3)];
    for (int p = 0; p < parameters.length; p++) {
      parameters[p] = "/" + team + "/" + function + "/" + (p == 0 ? "config" : "feature-" + p);
    }
    List<Op> ops = new ArrayList<>(List.of(Op.LOGS_CREATE_STREAM, Op.S3_GET, Op.DDB_GET, Op.DDB_QUERY,
        Op.SSM_GET, Op.KMS_DECRYPT));
    for (Op optional : List.of(Op.S3_PUT, Op.S3_HEAD, Op.S3_DELETE, Op.S3_LIST, Op.DDB_PUT, Op.DDB_UPDATE,
        Op.DDB_BATCH_WRITE, Op.SECRET_GET, Op.KMS_GENERATE, Op.STS_CALLER, Op.SFN_START, Op.EVENTS_PUT,
        Op.LAMBDA_INVOKE, Op.SNS_PUBLISH)) {
      if (rnd.nextInt(3) == 0) {
        ops.add(optional);
      }
    }
    if (queues.length > 0) {
      ops.addAll(List.of(Op.SQS_SEND, Op.SQS_RECEIVE, Op.SQS_DELETE));
    }
    return new Role(account, region, name, arn, "AROA" + alnum(rnd, 17, true), function,
        RUNTIMES[rnd.nextInt(RUNTIMES.length)], tables, buckets, queues,
        function + "-events", team + "/" + function + "/credentials-" + alnum(rnd, 6, false), parameters,
        uuid(rnd), team + "-" + noun + "-workflow", team + "-bus", team + "-" + NOUNS[rnd.nextInt(NOUNS.length)]
            + "-" + String.format("%04d", rnd.nextInt(10_000)),
        ops.toArray(Op[]::new));
  }

  int regionIndex(SplittableRandom rnd) {
    return weighted(rnd, REGION_WEIGHTS);
  }

  /** Account i gets about twice the traffic of account i+1 (a few busy production accounts). */
  static int skewed(SplittableRandom rnd, int n) {
    int[] weights = new int[n];
    for (int i = 0; i < n; i++) {
      weights[i] = 1 << Math.max(0, Math.min(20, n - 1 - i));
    }
    return weighted(rnd, weights);
  }

  static int weighted(SplittableRandom rnd, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int pick = rnd.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /**
   * Appends one record for {@code account} in {@code region} at second-of-day {@code second} of
   * {@code day} ("2026-11-03").
   */
  void record(Json json, SplittableRandom rnd, int accountIndex, int regionIndex, String day, int second) {
    List<Role> local = rolesByAccountRegion.get(accountIndex).get(regionIndex);
    String account = accounts[accountIndex];
    String region = REGIONS[regionIndex];
    String time = day + "T" + twoDigits(second / 3600) + ":" + twoDigits(second / 60 % 60) + ":"
        + twoDigits(second % 60) + "Z";
    int kind = rnd.nextInt(100);
    if (kind < 86 && !local.isEmpty()) {
      lambdaCall(json, rnd, local.get(rnd.nextInt(local.size())), region, time, day);
    } else if (kind < 91 && !local.isEmpty()) {
      credentialFetch(json, rnd, local.get(rnd.nextInt(local.size())), region, time);
    } else {
      List<Other> others = othersByAccount.get(accountIndex);
      otherCall(json, rnd, others.get(rnd.nextInt(others.size())), region, time);
    }
  }

  private void lambdaCall(Json j, SplittableRandom rnd, Role role, String region, String time, String day) {
    Op op = role.ops[rnd.nextInt(role.ops.length)];
    String account = role.account;
    boolean s3 = op.name().startsWith("S3_");
    boolean worker = op == Op.LOGS_CREATE_STREAM;
    String source = switch (op) {
      case S3_GET, S3_PUT, S3_HEAD, S3_DELETE, S3_LIST -> "s3.amazonaws.com";
      case DDB_GET, DDB_PUT, DDB_QUERY, DDB_UPDATE, DDB_BATCH_WRITE -> "dynamodb.amazonaws.com";
      case SQS_SEND, SQS_RECEIVE, SQS_DELETE -> "sqs.amazonaws.com";
      case SNS_PUBLISH -> "sns.amazonaws.com";
      case SECRET_GET -> "secretsmanager.amazonaws.com";
      case SSM_GET -> "ssm.amazonaws.com";
      case KMS_DECRYPT, KMS_GENERATE -> "kms.amazonaws.com";
      case LOGS_CREATE_STREAM -> "logs.amazonaws.com";
      case STS_CALLER -> "sts.amazonaws.com";
      case SFN_START -> "states.amazonaws.com";
      case EVENTS_PUT -> "events.amazonaws.com";
      case LAMBDA_INVOKE -> "lambda.amazonaws.com";
    };
    String name = switch (op) {
      case S3_GET -> "GetObject";
      case S3_PUT -> "PutObject";
      case S3_HEAD -> "HeadObject";
      case S3_DELETE -> "DeleteObject";
      case S3_LIST -> "ListObjects";
      case DDB_GET -> "GetItem";
      case DDB_PUT -> "PutItem";
      case DDB_QUERY -> "Query";
      case DDB_UPDATE -> "UpdateItem";
      case DDB_BATCH_WRITE -> "BatchWriteItem";
      case SQS_SEND -> "SendMessage";
      case SQS_RECEIVE -> "ReceiveMessage";
      case SQS_DELETE -> "DeleteMessage";
      case SNS_PUBLISH -> "Publish";
      case SECRET_GET -> "GetSecretValue";
      case SSM_GET -> "GetParameter";
      case KMS_DECRYPT -> "Decrypt";
      case KMS_GENERATE -> "GenerateDataKey";
      case LOGS_CREATE_STREAM -> "CreateLogStream";
      case STS_CALLER -> "GetCallerIdentity";
      case SFN_START -> "StartExecution";
      case EVENTS_PUT -> "PutEvents";
      case LAMBDA_INVOKE -> "Invoke";
    };
    boolean data = s3 && op != Op.S3_LIST || op.name().startsWith("DDB_") && op != Op.DDB_QUERY
        || op == Op.LAMBDA_INVOKE || op == Op.SQS_SEND || op == Op.SQS_RECEIVE || op == Op.SQS_DELETE;
    j.begin();
    j.str("eventVersion", s3 && data ? "1.10" : "1.11");
    lambdaIdentity(j, rnd, role, time);
    j.str("eventTime", time);
    j.str("eventSource", source);
    j.str("eventName", name);
    j.str("awsRegion", region);
    j.str("sourceIPAddress", ip(rnd));
    j.str("userAgent", worker ? "awslambda-worker/1.0 rusoto/0.48.0 rust/1.77.2 linux"
        : s3 ? "[" + SampleFunction.userAgent(role.runtime, source) + "]"
        : SampleFunction.userAgent(role.runtime, source));
    int failure = rnd.nextInt(100);
    if (failure < 2) {
      j.str("errorCode", "AccessDenied");
      j.str("errorMessage", "User: arn:aws:sts::" + account + ":assumed-role/" + role.name + "/" + role.function
          + " is not authorized to perform: " + source.substring(0, source.indexOf('.')) + ":" + name);
    } else if (failure < 3) {
      j.str("errorCode",
          op.name().startsWith("DDB_") ? "ConditionalCheckFailedException" : "ResourceNotFoundException");
      j.str("errorMessage", "The requested resource was not found or a condition failed");
    }
    String tableArn = null;
    String objectArn = null;
    String bucket = null;
    String queueArn = null;
    j.key("requestParameters");
    switch (op) {
      case S3_GET, S3_PUT, S3_HEAD, S3_DELETE -> {
        bucket = pick(rnd, role.buckets);
        String key =
            role.function + "/" + day.replace('-', '/') + "/" + uuid(rnd) + (rnd.nextBoolean() ? ".json" : ".csv.gz");
        objectArn = "arn:aws:s3:::" + bucket + "/" + key;
        j.begin().str("bucketName", bucket).str("Host", bucket + ".s3." + region + ".amazonaws.com").str("key", key);
        if (op == Op.S3_PUT) {
          j.str("x-amz-server-side-encryption", "aws:kms");
        }
        j.end();
      }
      case S3_LIST -> {
        bucket = pick(rnd, role.buckets);
        j.begin().str("list-type", "2").str("bucketName", bucket).str("encoding-type", "url").str("max-keys", "1000")
            .str("prefix", role.function + "/" + day.replace('-', '/') + "/")
            .str("Host", bucket + ".s3." + region + ".amazonaws.com").end();
      }
      case DDB_GET, DDB_PUT, DDB_UPDATE -> {
        String table = pick(rnd, role.tables);
        tableArn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
        j.begin().str("tableName", table).begin("key").str("pk", "ITEM#" + alnum(rnd, 12, false)).end();
        if (op == Op.DDB_UPDATE) {
          j.str("updateExpression", "SET #s = :s, #u = :u").str("returnValues", "NONE");
        }
        j.str("consistentRead", null).end();
      }
      case DDB_QUERY -> {
        String table = pick(rnd, role.tables);
        tableArn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
        j.begin().str("tableName", table);
        if (rnd.nextBoolean()) {
          j.str("indexName", "by-customer");
          tableArn += "/index/by-customer";
        }
        j.str("keyConditionExpression", "pk = :pk").num("limit", 100).end();
      }
      case DDB_BATCH_WRITE -> {
        String table = pick(rnd, role.tables);
        tableArn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
        j.begin().begin("requestItems").beginArray(table);
        for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
          j.begin().begin("putRequest").begin("item").str("pk", "ITEM#" + alnum(rnd, 12, false)).end().end().end();
        }
        j.endArray().end().end();
      }
      case SQS_SEND, SQS_RECEIVE, SQS_DELETE -> {
        String queue = pick(rnd, role.queues);
        queueArn = "arn:aws:sqs:" + region + ":" + account + ":" + queue;
        j.begin().str("queueUrl", "https://sqs." + region + ".amazonaws.com/" + account + "/" + queue);
        if (op == Op.SQS_SEND) {
          j.str("messageBody", "HIDDEN_DUE_TO_SECURITY_REASONS");
        } else if (op == Op.SQS_RECEIVE) {
          j.num("maxNumberOfMessages", 10).num("waitTimeSeconds", 20);
        } else {
          j.str("receiptHandle", "HIDDEN_DUE_TO_SECURITY_REASONS");
        }
        j.end();
      }
      case SNS_PUBLISH -> j.begin().str("topicArn", "arn:aws:sns:" + region + ":" + account + ":" + role.topic)
          .str("message", "HIDDEN_DUE_TO_SECURITY_REASONS").end();
      case SECRET_GET -> j.begin().str("secretId", "arn:aws:secretsmanager:" + region + ":" + account + ":secret:"
          + role.secret).end();
      case SSM_GET -> j.begin().str("name", pick(rnd, role.parameters)).bool("withDecryption", true).end();
      case KMS_DECRYPT -> j.begin().begin("encryptionContext").str("aws:lambda:FunctionArn",
          "arn:aws:lambda:" + region + ":" + account + ":function:" + role.function).end()
          .str("encryptionAlgorithm", "SYMMETRIC_DEFAULT").end();
      case KMS_GENERATE -> j.begin().str("keyId", "arn:aws:kms:" + region + ":" + account + ":key/" + role.kmsKey)
          .str("keySpec", "AES_256").end();
      case LOGS_CREATE_STREAM -> j.begin().str("logGroupName", "/aws/lambda/" + role.function)
          .str("logStreamName", day.replace('-', '/') + "/[$LATEST]" + hex(rnd, 32)).end();
      case STS_CALLER -> j.nul();
      case SFN_START -> j.begin().str("stateMachineArn", "arn:aws:states:" + region + ":" + account + ":stateMachine:"
          + role.stateMachine).str("name", uuid(rnd)).str("input", "HIDDEN_DUE_TO_SECURITY_REASONS").end();
      case EVENTS_PUT -> j.begin().beginArray("entries").begin().str("source", "acme." + role.function)
          .str("detailType", "ItemChanged").str("eventBusName", role.bus).end().endArray().end();
      case LAMBDA_INVOKE -> j.begin().str("functionName", "arn:aws:lambda:" + region + ":" + account + ":function:"
          + role.target).str("invocationType", "Event").end();
    }
    j.key("responseElements");
    if (failure < 3) {
      j.nul();
    } else if (op == Op.SQS_SEND) {
      j.begin().str("mD5OfMessageBody", hex(rnd, 32)).str("messageId", uuid(rnd)).end();
    } else if (op == Op.SFN_START) {
      j.begin().str("executionArn", "arn:aws:states:" + region + ":" + account + ":execution:" + role.stateMachine
          + ":" + uuid(rnd)).str("startDate", "Nov 3, 2026, 3:10:15 PM").end();
    } else if (op == Op.STS_CALLER) {
      j.begin().str("userId", role.roleId + ":" + role.function).str("account", account)
          .str("arn", "arn:aws:sts::" + account + ":assumed-role/" + role.name + "/" + role.function).end();
    } else {
      j.nul();
    }
    if (s3) {
      j.begin("additionalEventData").str("SignatureVersion", "SigV4").str("CipherSuite", "TLS_AES_128_GCM_SHA256")
          .num("bytesTransferredIn", op == Op.S3_PUT ? 200 + rnd.nextInt(500_000) : 0)
          .str("AuthenticationMethod", "AuthHeader").str("x-amz-id-2", alnum(rnd, 76, false))
          .num("bytesTransferredOut", op == Op.S3_GET ? 200 + rnd.nextInt(2_000_000) : 0).end();
    }
    j.str("requestID", s3 ? alnum(rnd, 16, true) : uuid(rnd));
    j.str("eventID", uuid(rnd));
    j.bool("readOnly", op == Op.S3_GET || op == Op.S3_HEAD || op == Op.S3_LIST || op == Op.DDB_GET
        || op == Op.DDB_QUERY || op == Op.SECRET_GET || op == Op.SSM_GET || op == Op.KMS_DECRYPT
        || op == Op.STS_CALLER);
    if (objectArn != null || bucket != null) {
      j.beginArray("resources");
      if (objectArn != null) {
        j.begin().str("type", "AWS::S3::Object").str("ARN", objectArn).end();
      }
      j.begin().str("accountId", account).str("type", "AWS::S3::Bucket").str("ARN", "arn:aws:s3:::" + bucket).end();
      j.endArray();
    } else if (tableArn != null) {
      j.beginArray("resources").begin().str("accountId", account).str("type", "AWS::DynamoDB::Table")
          .str("ARN", tableArn).end().endArray();
    } else if (queueArn != null) {
      j.beginArray("resources").begin().str("accountId", account).str("type", "AWS::SQS::Queue")
          .str("ARN", queueArn).end().endArray();
    } else if (op == Op.KMS_DECRYPT || op == Op.KMS_GENERATE) {
      j.beginArray("resources").begin().str("accountId", account).str("type", "AWS::KMS::Key")
          .str("ARN", "arn:aws:kms:" + region + ":" + account + ":key/" + role.kmsKey).end().endArray();
    }
    j.str("eventType", "AwsApiCall");
    j.bool("managementEvent", !data);
    j.str("recipientAccountId", account);
    j.str("eventCategory", data ? "Data" : "Management");
    if (!worker) {
      j.begin("tlsDetails").str("tlsVersion", "TLSv1.3").str("cipherSuite", "TLS_AES_128_GCM_SHA256")
          .str("clientProvidedHostHeader", source.substring(0, source.indexOf('.')) + "." + region + ".amazonaws.com")
          .end();
    }
    j.end();
  }

  private static void lambdaIdentity(Json j, SplittableRandom rnd, Role role, String time) {
    j.begin("userIdentity").str("type", "AssumedRole").str("principalId", role.roleId + ":" + role.function)
        .str("arn", "arn:aws:sts::" + role.account + ":assumed-role/" + role.name + "/" + role.function)
        .str("accountId", role.account).str("accessKeyId", "ASIA" + alnum(rnd, 16, true))
        .begin("sessionContext")
        .begin("sessionIssuer").str("type", "Role").str("principalId", role.roleId).str("arn", role.arn)
        .str("accountId", role.account).str("userName", role.name).end()
        .begin("webIdFederationData").end()
        .begin("attributes").str("creationDate", time).str("mfaAuthenticated", "false").end()
        .end().end();
  }

  /** Lambda's service principal assuming the execution role for a new execution environment. */
  private static void credentialFetch(Json j, SplittableRandom rnd, Role role, String region, String time) {
    j.begin();
    j.str("eventVersion", "1.11");
    j.begin("userIdentity").str("type", "AWSService").str("invokedBy", "lambda.amazonaws.com").end();
    j.str("eventTime", time).str("eventSource", "sts.amazonaws.com").str("eventName", "AssumeRole")
        .str("awsRegion", region).str("sourceIPAddress", "lambda.amazonaws.com")
        .str("userAgent", "lambda.amazonaws.com");
    j.begin("requestParameters").str("roleArn", role.arn).str("roleSessionName", role.function).end();
    j.begin("responseElements").begin("credentials").str("accessKeyId", "ASIA" + alnum(rnd, 16, true))
        .str("sessionToken", "IQoJb3JpZ2luX2VjE" + alnum(rnd, 80, false)).str("expiration", "Nov 3, 2026, 3:10:15 PM")
        .end().begin("assumedRoleUser").str("assumedRoleId", role.roleId + ":" + role.function)
        .str("arn", "arn:aws:sts::" + role.account + ":assumed-role/" + role.name + "/" + role.function).end().end();
    j.str("requestID", uuid(rnd)).str("eventID", uuid(rnd)).bool("readOnly", true);
    j.beginArray("resources").begin().str("accountId", role.account).str("type", "AWS::IAM::Role")
        .str("ARN", role.arn).end().endArray();
    j.str("eventType", "AwsApiCall").bool("managementEvent", true).str("recipientAccountId", role.account)
        .str("sharedEventID", uuid(rnd)).str("eventCategory", "Management");
    j.end();
  }

  /** Noise: deploy pipelines, instance roles, IAM users and console admins. */
  private static void otherCall(Json j, SplittableRandom rnd, Other who, String region, String time) {
    String[][] calls = switch (who.kind) {
      case "ci" -> new String[][] {{"cloudformation.amazonaws.com", "DescribeStacks"},
          {"lambda.amazonaws.com", "UpdateFunctionCode20150331v2"}, {"lambda.amazonaws.com", "GetFunction20150331v2"},
          {"iam.amazonaws.com", "GetRole"}, {"s3.amazonaws.com", "ListBuckets"}};
      case "ec2" -> new String[][] {{"ssm.amazonaws.com", "UpdateInstanceInformation"},
          {"ec2.amazonaws.com", "DescribeTags"}, {"monitoring.amazonaws.com", "PutMetricData"},
          {"sts.amazonaws.com", "GetCallerIdentity"}};
      case "saml" -> new String[][] {{"ec2.amazonaws.com", "DescribeInstances"}, {"iam.amazonaws.com", "ListRoles"},
          {"cloudtrail.amazonaws.com", "LookupEvents"}, {"lambda.amazonaws.com", "ListFunctions20150331"}};
      default -> new String[][] {{"s3.amazonaws.com", "ListBuckets"}, {"ec2.amazonaws.com", "DescribeSnapshots"},
          {"iam.amazonaws.com", "GetUser"}, {"rds.amazonaws.com", "DescribeDBInstances"}};
    };
    String[] call = calls[rnd.nextInt(calls.length)];
    if (call[0].startsWith("iam.") && !region.equals("us-east-1")) {
      // IAM is global: its events are delivered with us-east-1's files only.
      call = new String[] {"sts.amazonaws.com", "GetCallerIdentity"};
    }
    String session = switch (who.kind) {
      case "ci" -> "GitHubActions-" + alnum(rnd, 10, false);
      case "ec2" -> "i-0" + hex(rnd, 16);
      case "saml" -> "person" + rnd.nextInt(40) + "@acme.example";
      default -> null;
    };
    j.begin();
    j.str("eventVersion", "1.11");
    j.begin("userIdentity");
    if (session == null) {
      j.str("type", "IAMUser").str("principalId", who.roleId).str("arn", who.arn).str("accountId", who.account)
          .str("accessKeyId", "AKIA" + alnum(rnd, 16, true)).str("userName", who.name);
    } else {
      j.str("type", "AssumedRole").str("principalId", who.roleId + ":" + session)
          .str("arn", "arn:aws:sts::" + who.account + ":assumed-role/" + who.name + "/" + session)
          .str("accountId", who.account).str("accessKeyId", "ASIA" + alnum(rnd, 16, true))
          .begin("sessionContext").begin("sessionIssuer").str("type", "Role").str("principalId", who.roleId)
          .str("arn", who.arn).str("accountId", who.account).str("userName", who.name).end()
          .begin("webIdFederationData").end()
          .begin("attributes").str("creationDate", time)
          .str("mfaAuthenticated", who.kind.equals("saml") ? "true" : "false")
          .end().end();
      if (who.kind.equals("ec2")) {
        j.str("ec2RoleDelivery", "2.0");
      }
    }
    j.end();
    j.str("eventTime", time).str("eventSource", call[0]).str("eventName", call[1])
        .str("awsRegion", region).str("sourceIPAddress", ip(rnd))
        .str("userAgent",
            who.kind.equals("saml") ? "AWS Internal" : "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64");
    j.key("requestParameters");
    if (call[1].startsWith("Describe") || call[1].startsWith("List")) {
      j.begin().num("maxResults", 100).end();
    } else if (call[1].equals("GetRole")) {
      j.begin().str("roleName", "orders-ingest-" + rnd.nextInt(100) + "-role").end();
    } else if (call[1].equals("UpdateFunctionCode20150331v2")) {
      j.begin().str("functionName", "orders-ingest-" + rnd.nextInt(100)).str("s3Bucket", "acme-build-artifacts")
          .str("s3Key", "builds/" + uuid(rnd) + ".zip").bool("publish", true).end();
    } else if (call[1].equals("PutMetricData")) {
      j.begin().str("namespace", "CWAgent").end();
    } else {
      j.nul();
    }
    j.key("responseElements").nul();
    j.str("requestID", uuid(rnd)).str("eventID", uuid(rnd)).bool("readOnly", !call[1].startsWith("Update")
        && !call[1].startsWith("Put"));
    j.str("eventType", "AwsApiCall").bool("managementEvent", true)
        .str("recipientAccountId", who.account).str("eventCategory", "Management");
    if (who.kind.equals("saml")) {
      j.str("sessionCredentialFromConsole", "true");
    }
    j.end();
  }

  private static String pick(SplittableRandom rnd, String[] values) {
    return values[rnd.nextInt(values.length)];
  }

  private static String twoDigits(int value) {
    return value < 10 ? "0" + value : Integer.toString(value);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] ALNUM_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  static String hex(SplittableRandom rnd, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = HEX[rnd.nextInt(16)];
    }
    return new String(chars);
  }

  static String alnum(SplittableRandom rnd, int length, boolean upperOnly) {
    char[] alphabet = upperOnly ? ALNUM_UPPER : ALNUM;
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = alphabet[rnd.nextInt(alphabet.length)];
    }
    return new String(chars);
  }

  static String uuid(SplittableRandom rnd) {
    String h = hex(rnd, 32);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-" + h.substring(16, 20)
        + "-" + h.substring(20);
  }

  private static String ip(SplittableRandom rnd) {
    return (3 + rnd.nextInt(50)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
  }

  /**
   * A minimal streaming JSON writer: compact, keys in the order written, commas placed by
   * nesting depth. Values are escaped, though the generator only writes ASCII without controls.
   */
  static final class Json {
    final StringBuilder out;
    private final boolean[] first = new boolean[64];
    private int depth;
    /** After {@link #key}: the next value belongs to that key, so no comma goes before it. */
    private boolean afterKey;

    Json(int capacity) {
      out = new StringBuilder(capacity);
    }

    void reset() {
      out.setLength(0);
      depth = 0;
      afterKey = false;
    }

    /** An object as an array element, the root, or the value of the preceding {@link #key}. */
    Json begin() {
      separate();
      out.append('{');
      first[++depth] = true;
      return this;
    }

    Json begin(String key) {
      name(key);
      out.append('{');
      first[++depth] = true;
      return this;
    }

    Json end() {
      out.append('}');
      depth--;
      return this;
    }

    Json beginArray(String key) {
      name(key);
      out.append('[');
      first[++depth] = true;
      return this;
    }

    Json endArray() {
      out.append(']');
      depth--;
      return this;
    }

    /** Writes a key whose value the next call writes ({@link #begin()} or {@link #nul()}). */
    Json key(String key) {
      name(key);
      afterKey = true;
      return this;
    }

    Json nul() {
      separate();
      out.append("null");
      return this;
    }

    Json str(String key, String value) {
      name(key);
      if (value == null) {
        out.append("null");
      } else {
        quote(value);
      }
      return this;
    }

    Json num(String key, long value) {
      name(key);
      out.append(value);
      return this;
    }

    Json bool(String key, boolean value) {
      name(key);
      out.append(value);
      return this;
    }

    private void name(String key) {
      separate();
      quote(key);
      out.append(':');
    }

    private void separate() {
      if (afterKey) {
        afterKey = false;
        return;
      }
      if (depth > 0) {
        if (!first[depth]) {
          out.append(',');
        }
        first[depth] = false;
      }
    }

    private void quote(String value) {
      out.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      out.append('"');
    }
  }
}
