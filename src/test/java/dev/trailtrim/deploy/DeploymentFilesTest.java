package dev.trailtrim.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.Statement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files that run trailtrim on AWS (conf/*.json, conf/spark-emr.conf, the submit scripts),
 * checked without AWS: they parse, the IAM policies grant what the job needs and nothing else
 * (judged by the project's own policy evaluator and IAM catalog), and the scripts print commands
 * that carry the job's flags unchanged.
 */
class DeploymentFilesTest {

  private static final Path PROJECT = Path.of(System.getProperty("trailtrim.project.dir", ".")).toAbsolutePath();
  private static final Path CONF = PROJECT.resolve("conf");
  private static final String MAIN_CLASS = "dev.trailtrim.cli.TrailtrimMain";
  private static final ObjectMapper STRICT_JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  /** A value for every placeholder of conf/, as a user would fill them in. */
  private static final Map<String, String> SAMPLES = Map.ofEntries(
      Map.entry("TRAIL_BUCKET", "org-trail-logs"),
      Map.entry("LOG_PREFIX", "AWSLogs"),
      Map.entry("TRAIL_BUCKET_REGION", "us-east-1"),
      Map.entry("TRAIL_KMS_KEY_ARN", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
      Map.entry("OUTPUT_BUCKET", "trailtrim-results"),
      Map.entry("OUTPUT_PREFIX", "trailtrim"),
      Map.entry("ARTIFACTS_BUCKET", "trailtrim-artifacts"),
      Map.entry("ARTIFACTS_PREFIX", "trailtrim"),
      Map.entry("JAR_URI", "s3://trailtrim-artifacts/trailtrim/trailtrim-0.1.0-SNAPSHOT-0123456789ab.jar"),
      Map.entry("REGION", "eu-west-1"),
      Map.entry("ACCOUNT_ID", "111122223333"),
      Map.entry("APPLICATION_ID", "00fabcdexample01"),
      Map.entry("JOB_ROLE_ARN", "arn:aws:iam::111122223333:role/trailtrim-job"),
      Map.entry("SCHEDULER_ROLE_ARN", "arn:aws:iam::111122223333:role/trailtrim-scheduler"),
      Map.entry("CLUSTER_ID", "j-2AXXXXXXGAPLF"),
      Map.entry("STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:111122223333:stateMachine:trailtrim-nightly"),
      Map.entry("FAILURE_TOPIC_ARN", "arn:aws:sns:eu-west-1:111122223333:trailtrim-failures"),
      Map.entry("EMR_SERVICE_ROLE", "EMR_DefaultRole"),
      Map.entry("EMR_INSTANCE_PROFILE", "EMR_EC2_DefaultRole"),
      Map.entry("SUBNET_ID", "subnet-0123456789abcdef0"));

  private static final List<String> IDENTITY_POLICIES = List.of("job-iam-policy.json", "job-iam-policy-sse-kms.json",
      "nightly-emr-serverless-scheduler-policy.json", "nightly-stepfunctions-policy.json",
      "nightly-stepfunctions-scheduler-policy.json", "nightly-stepfunctions-cluster-policy.json");
  private static final Map<String, String> TRUST_POLICIES = Map.of(
      "job-trust-policy.json", "emr-serverless.amazonaws.com",
      "scheduler-trust-policy.json", "scheduler.amazonaws.com",
      "stepfunctions-trust-policy.json", "states.amazonaws.com");
  private static final List<String> SCHEDULES = List.of("nightly-emr-serverless-schedule.json",
      "nightly-stepfunctions-schedule.json");
  private static final String STATE_MACHINE = "nightly-stepfunctions.asl.json";
  private static final String CLUSTER_STATE_MACHINE = "nightly-stepfunctions-cluster.asl.json";
  /** The SNS topic's own policy: who may publish failures to it. */
  private static final String TOPIC_POLICY = "nightly-failure-topic-policy.json";
  private static final String FAILURE_RULE = "nightly-emr-serverless-failure-rule.json";
  private static final String FAILURE_TARGETS = "nightly-emr-serverless-failure-targets.json";

  private static final String TRAIL = "arn:aws:s3:::org-trail-logs";
  private static final String RESULTS = "arn:aws:s3:::trailtrim-results";
  private static final String ARTIFACTS = "arn:aws:s3:::trailtrim-artifacts";
  private static final String LOG_OBJECT = TRAIL
      + "/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/01/"
      + "111122223333_CloudTrail_us-east-1_20261101T0005Z_abcdefghijklmnop.json.gz";

  // ---- every file parses and is accounted for ----

  @Test
  void everyJsonFileInConfParsesStrictlyAndHasATest() throws IOException {
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.list(CONF)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        found.add(file.getFileName().toString());
        String text = Files.readString(file);
        assertTrue(STRICT_JSON.readTree(text).isObject(), file + " is not a JSON object");
        assertFalse(text.contains("\r"), file + " has CR line endings");
      }
    }
    Set<String> known = new TreeSet<>(IDENTITY_POLICIES);
    known.addAll(TRUST_POLICIES.keySet());
    known.addAll(SCHEDULES);
    known.addAll(List.of(STATE_MACHINE, CLUSTER_STATE_MACHINE, TOPIC_POLICY, FAILURE_RULE, FAILURE_TARGETS));
    assertEquals(known, found, "every conf/*.json must be one of the kinds this test checks");
  }

  @Test
  void placeholdersAreUpperCaseAndDocumentedInTheReadme() throws IOException {
    String readme = Files.readString(PROJECT.resolve("README.md"));
    Set<String> used = new TreeSet<>();
    for (String name : jsonFiles()) {
      Matcher m = PLACEHOLDER.matcher(conf(name));
      while (m.find()) {
        assertTrue(m.group(1).matches("[A-Z][A-Z0-9_]*"),
            name + ": placeholder ${" + m.group(1) + "} is not UPPER_CASE");
        used.add(m.group(1));
      }
    }
    assertEquals(new TreeSet<>(SAMPLES.keySet()), used, "placeholders in conf/ and the samples of this test differ");
    for (String name : used) {
      assertTrue(readme.contains("`${" + name + "}`"), "README.md does not explain the placeholder ${" + name + "}");
    }
  }

  // ---- IAM policies ----

  @Test
  void identityPoliciesParseAndNameOnlyActionsOfTheCatalog() {
    IamCatalog catalog = IamCatalog.loadDefault();
    for (String name : IDENTITY_POLICIES) {
      PolicyDocument doc = identityPolicy(name);
      assertEquals(PolicyDocument.CURRENT_VERSION, doc.version(), name);
      for (Statement statement : doc.statements()) {
        assertEquals(Effect.ALLOW, statement.effect(), name + ": " + statement.sid());
        assertTrue(statement.notActions().isEmpty() && statement.notResources().isEmpty(),
            name + ": " + statement.sid() + " uses NotAction/NotResource, which grant by exclusion");
        for (String action : statement.actions()) {
          assertFalse(action.contains("*") || action.contains("?"), name + ": wildcard action " + action);
          ActionInfo info = catalog.action(action)
              .orElseThrow(
                  () -> new AssertionError(name + ": " + action + " is not an IAM action (not in the catalog)"));
          // An action that takes resources is scoped to them; one that takes none can only have "*".
          assertEquals(!info.hasResourceTypes(), statement.resources().equals(List.of("*")),
              name + ": " + action + " with resources " + statement.resources());
        }
      }
    }
  }

  @Test
  void jobPolicyGrantsExactlyTheActionsTheJobUses() {
    Set<String> actions = identityPolicy("job-iam-policy.json").statements().stream()
        .flatMap(s -> s.actions().stream()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of("cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors",
        "cloudtrail:GetTrailStatus", "cloudtrail:ListTrails", "iam:GetAccountAuthorizationDetails",
        "lambda:ListFunctions", "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket",
        "s3:PutObject")), actions);
  }

  @Test
  void jobPolicyAllowsTheJobsReadsAndWrites() {
    PolicyDocument job = identityPolicy("job-iam-policy.json");
    assertAllowed(job, "s3:GetObject", LOG_OBJECT);
    // S3A first HEADs the --cloudtrail folder's own key before listing it.
    assertAllowed(job, "s3:GetObject", TRAIL + "/AWSLogs");
    for (String key : List.of("runs/20261129T033000Z/summary.json", "runs/20261129T033000Z/_SUCCESS",
        "runs/20261129T033000Z/policies/111122223333/invoice-renderer-role.json", "latest.json",
        "runs/20261129T033000Z/tables/permissions/part-00000.snappy.parquet",
        "state/day=2026-11-28/part-00000-0b1c.snappy.parquet")) {
      for (String action : List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")) {
        assertAllowed(job, action, RESULTS + "/trailtrim/" + key);
      }
    }
    assertAllowed(job, "s3:GetObject", RESULTS + "/trailtrim");
    assertAllowed(job, "s3:GetObject", ARTIFACTS + "/trailtrim/trailtrim-0.1.0-SNAPSHOT-0123456789ab.jar");
    assertAllowed(job, "s3:GetObject", ARTIFACTS + "/trailtrim/conf/trailtrim.properties");
    assertAllowed(job, "s3:GetObject", ARTIFACTS + "/trailtrim/iam/111122223333.json");
    assertAllowed(job, "iam:GetAccountAuthorizationDetails", "*");
    // --trail-config-live: the trails seen from the job's region, organization trails of another account too.
    assertAllowed(job, "cloudtrail:ListTrails", "*");
    assertAllowed(job, "cloudtrail:DescribeTrails", "*");
    assertAllowed(job, "cloudtrail:GetEventSelectors", "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail");
    assertAllowed(job, "cloudtrail:GetTrailStatus", "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main");
    // --lambda-inventory-live: ListFunctions takes no resource (IAM allows nothing narrower than *).
    assertAllowed(job, "lambda:ListFunctions", "*");
  }

  @Test
  void jobPolicyListsEachBucketOnlyUnderItsPrefix() {
    PolicyDocument job = identityPolicy("job-iam-policy.json");
    Map<String, String> prefixes = Map.of(TRAIL, "AWSLogs", RESULTS, "trailtrim", ARTIFACTS, "trailtrim");
    prefixes.forEach((bucket, prefix) -> {
      Decision decision = evaluate(job, "s3:ListBucket", bucket);
      assertTrue(decision.allowed() && decision.allowConditional(), bucket + ": " + decision);
      assertEquals(Map.of("StringLike", Map.of("s3:prefix", List.of(prefix, prefix + "/*"))),
          decision.allowedBy().statement().conditions().operators(), bucket);
    });
    for (Statement statement : job.statements()) {
      if (PolicyEvaluator.actionApplies(statement, IamAction.parse("s3:ListBucket"))) {
        assertTrue(statement.conditional(), statement.sid() + " lists a whole bucket");
      }
    }
    assertNotAllowed(job, "s3:ListBucket", "arn:aws:s3:::unrelated-bucket");
  }

  @Test
  void jobPolicyCannotChangeTheLogsNorReachOutsideItsPrefixes() {
    PolicyDocument job = identityPolicy("job-iam-policy.json");
    for (String action : List.of("s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl",
        "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:RestoreObject")) {
      assertNotAllowed(job, action, LOG_OBJECT);
    }
    assertNotAllowed(job, "s3:PutObject", TRAIL + "/AWSLogs");
    assertNotAllowed(job, "s3:GetObject", TRAIL + "/notes/readme.txt");
    assertNotAllowed(job, "s3:GetObject", TRAIL + "/AWSLogsArchive/111122223333/CloudTrail/x.json.gz");
    assertNotAllowed(job, "s3:GetObject", "arn:aws:s3:::unrelated-bucket/AWSLogs/x.json.gz");
    assertNotAllowed(job, "s3:GetObject", RESULTS + "/other-team/report.csv");
    assertNotAllowed(job, "s3:PutObject", RESULTS + "/trailtrimmed/latest.json");
    assertNotAllowed(job, "s3:PutObject", RESULTS + "/trailtrim");
    // A job that could replace its own jar or configuration could change what runs next night.
    assertNotAllowed(job, "s3:PutObject", ARTIFACTS + "/trailtrim/trailtrim-0.1.0-SNAPSHOT-0123456789ab.jar");
    assertNotAllowed(job, "s3:PutObject", ARTIFACTS + "/trailtrim/conf/trailtrim.properties");
    assertNotAllowed(job, "s3:GetObject", ARTIFACTS + "/elsewhere/secret.properties");
    for (String bucket : List.of(TRAIL, RESULTS, ARTIFACTS)) {
      assertNotAllowed(job, "s3:PutBucketPolicy", bucket);
      assertNotAllowed(job, "s3:DeleteBucket", bucket);
    }
    assertNotAllowed(job, "s3:ListAllMyBuckets", "*");
    assertNotAllowed(job, "iam:PassRole", "arn:aws:iam::111122223333:role/admin");
    assertNotAllowed(job, "iam:PutRolePolicy", "arn:aws:iam::111122223333:role/trailtrim-job");
    assertNotAllowed(job, "kms:Decrypt", SAMPLES.get("TRAIL_KMS_KEY_ARN"));
  }

  @Test
  void sseKmsAdditionDecryptsWithTheTrailKeyThroughS3Only() {
    PolicyDocument kms = identityPolicy("job-iam-policy-sse-kms.json");
    Decision decision = evaluate(kms, "kms:Decrypt", SAMPLES.get("TRAIL_KMS_KEY_ARN"));
    assertTrue(decision.allowed() && decision.allowConditional(), decision.toString());
    assertEquals(Map.of("StringEquals", Map.of("kms:ViaService", List.of("s3.us-east-1.amazonaws.com"))),
        decision.allowedBy().statement().conditions().operators());
    assertNotAllowed(kms, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/ffffffff-0000-0000-0000-000000000000");
    assertNotAllowed(kms, "kms:Encrypt", SAMPLES.get("TRAIL_KMS_KEY_ARN"));
  }

  @Test
  void schedulerAndStepFunctionsRolesMayStartOnlyTheTrailtrimJob() {
    PolicyDocument serverless = identityPolicy("nightly-emr-serverless-scheduler-policy.json");
    String application = "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00fabcdexample01";
    assertAllowed(serverless, "emr-serverless:StartJobRun", application);
    assertNotAllowed(serverless, "emr-serverless:StartJobRun", application.replace("00fabcdexample01", "00fother"));
    Decision pass = evaluate(serverless, "iam:PassRole", SAMPLES.get("JOB_ROLE_ARN"));
    assertTrue(pass.allowed() && pass.allowConditional(), pass.toString());
    assertEquals(Map.of("StringEquals", Map.of("iam:PassedToService", List.of("emr-serverless.amazonaws.com"))),
        pass.allowedBy().statement().conditions().operators());
    assertNotAllowed(serverless, "iam:PassRole", "arn:aws:iam::111122223333:role/admin");

    PolicyDocument stepFunctions = identityPolicy("nightly-stepfunctions-policy.json");
    String cluster = "arn:aws:elasticmapreduce:eu-west-1:111122223333:cluster/j-2AXXXXXXGAPLF";
    for (String action : List.of("elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeStep",
        "elasticmapreduce:CancelSteps")) {
      assertAllowed(stepFunctions, action, cluster);
      assertNotAllowed(stepFunctions, action, cluster.replace("j-2AXXXXXXGAPLF", "j-OTHERCLUSTER"));
    }
    assertNotAllowed(stepFunctions, "elasticmapreduce:TerminateJobFlows", cluster);
    String rule = "arn:aws:events:eu-west-1:111122223333:rule/StepFunctionsGetEventForEMRAddJobFlowStepsRule";
    for (String action : List.of("events:PutRule", "events:PutTargets", "events:DescribeRule")) {
      assertAllowed(stepFunctions, action, rule);
      assertNotAllowed(stepFunctions, action, "arn:aws:events:eu-west-1:111122223333:rule/someone-elses-rule");
    }

    PolicyDocument startStateMachine = identityPolicy("nightly-stepfunctions-scheduler-policy.json");
    assertAllowed(startStateMachine, "states:StartExecution", SAMPLES.get("STATE_MACHINE_ARN"));
    assertNotAllowed(startStateMachine, "states:StartExecution",
        "arn:aws:states:eu-west-1:111122223333:stateMachine:other");
  }

  /** The source each trust policy names, against the confused deputy: another account's service cannot use it. */
  private static final Map<String, String> TRUST_SOURCES = Map.of(
      // The application or a job run of it: only that application's runs may use the role.
      "job-trust-policy.json", "\"ArnLike\":{\"aws:SourceArn\":["
          + "\"arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00fabcdexample01\","
          + "\"arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00fabcdexample01/*\"]}",
      "scheduler-trust-policy.json",
      "\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:scheduler:eu-west-1:111122223333:schedule-group/default\"}",
      "stepfunctions-trust-policy.json",
      "\"ArnEquals\":{\"aws:SourceArn\":\"" + SAMPLES.get("STATE_MACHINE_ARN") + "\"}");

  @Test
  void trustPoliciesLetOnlyTheirServiceAssumeTheRole() throws IOException {
    for (Map.Entry<String, String> entry : TRUST_POLICIES.entrySet()) {
      JsonNode filled = STRICT_JSON.readTree(fill(conf(entry.getKey()))).path("Statement").get(0);
      assertEquals(STRICT_JSON.readTree("{\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"},"
          + TRUST_SOURCES.get(entry.getKey()) + "}"),
          filled.path("Condition"), entry.getKey() + " must name the source account and resource");
      JsonNode statements = STRICT_JSON.readTree(conf(entry.getKey())).path("Statement");
      assertEquals(1, statements.size(), entry.getKey());
      JsonNode statement = statements.get(0);
      assertEquals("Allow", statement.path("Effect").asText(), entry.getKey());
      assertEquals("sts:AssumeRole", statement.path("Action").asText(), entry.getKey());
      assertEquals(STRICT_JSON.readTree("{\"Service\":\"" + entry.getValue() + "\"}"), statement.path("Principal"),
          entry.getKey());
    }
  }

  // ---- nightly definitions carry the same Spark settings as the scripts ----

  @Test
  void emrServerlessScheduleStartsTheJobWithTheSharedSparkSettings() throws IOException {
    JsonNode schedule = STRICT_JSON.readTree(fill(conf("nightly-emr-serverless-schedule.json")));
    assertTrue(schedule.path("ScheduleExpression").asText().startsWith("cron("), schedule.toString());
    assertEquals("UTC", schedule.path("ScheduleExpressionTimezone").asText());
    JsonNode target = schedule.path("Target");
    assertEquals("arn:aws:scheduler:::aws-sdk:emrserverless:startJobRun", target.path("Arn").asText());
    assertEquals(SAMPLES.get("SCHEDULER_ROLE_ARN"), target.path("RoleArn").asText());
    JsonNode input = STRICT_JSON.readTree(target.path("Input").asText());
    assertEquals(SAMPLES.get("APPLICATION_ID"), input.path("ApplicationId").asText());
    assertEquals(SAMPLES.get("JOB_ROLE_ARN"), input.path("ExecutionRoleArn").asText());
    // StartJobRun requires a client token of [A-Za-z0-9._-]; the execution id is one, the scheduled time is not.
    assertEquals("<aws.scheduler.execution-id>", input.path("ClientToken").asText());
    JsonNode sparkSubmit = input.path("JobDriver").path("SparkSubmit");
    assertEquals(SAMPLES.get("JAR_URI"), sparkSubmit.path("EntryPoint").asText());
    assertEquals(expectedSubmitParameters(), sparkSubmit.path("SparkSubmitParameters").asText(),
        "the schedule's Spark settings differ from conf/spark-emr.conf; update the schedule");
    assertEquals(nightlyJobFlags(), strings(sparkSubmit.path("EntryPointArguments")));
    // Logs under the output, which the job's role may already write (conf/job-iam-policy.json).
    String logUri = input.path("ConfigurationOverrides").path("MonitoringConfiguration")
        .path("S3MonitoringConfiguration").path("LogUri").asText();
    assertEquals("s3://trailtrim-results/trailtrim/emr-logs/", logUri);
    assertAllowed(identityPolicy("job-iam-policy.json"), "s3:PutObject", "arn:aws:s3:::trailtrim-results/trailtrim/"
        + "emr-logs/applications/00fabcdexample01/jobs/00fjobrun/SPARK_DRIVER/stderr.gz");
  }

  @Test
  void stepFunctionsStateMachineAddsTheSparkStepAndWaits() throws IOException {
    JsonNode definition = STRICT_JSON.readTree(fill(conf(STATE_MACHINE)));
    JsonNode task = definition.path("States").path(definition.path("StartAt").asText());
    assertEquals("Task", task.path("Type").asText());
    assertEquals("arn:aws:states:::elasticmapreduce:addStep.sync", task.path("Resource").asText());
    assertTrue(task.path("End").asBoolean(), "the run is the whole state machine");
    assertFailureIsPublishedThenFails(definition, task);
    JsonNode parameters = task.path("Parameters");
    assertEquals(SAMPLES.get("CLUSTER_ID"), parameters.path("ClusterId").asText());
    assertSparkStep(parameters.path("Step"));

    JsonNode schedule = STRICT_JSON.readTree(fill(conf("nightly-stepfunctions-schedule.json")));
    assertEquals(SAMPLES.get("STATE_MACHINE_ARN"), schedule.path("Target").path("Arn").asText());
    assertEquals("{}", schedule.path("Target").path("Input").asText());
  }

  /** The step as scripts/submit-emr.sh adds it, in both state machines. */
  private static void assertSparkStep(JsonNode step) {
    assertEquals("CONTINUE", step.path("ActionOnFailure").asText());
    JsonNode jarStep = step.path("HadoopJarStep");
    assertEquals("command-runner.jar", jarStep.path("Jar").asText());
    List<String> expected = new ArrayList<>(List.of("spark-submit"));
    expected.addAll(expectedSparkArgs());
    expected.add(SAMPLES.get("JAR_URI"));
    expected.addAll(nightlyJobFlags());
    assertEquals(expected, strings(jarStep.path("Args")),
        "the state machine's spark-submit differs from what scripts/submit-emr.sh runs; update it");
  }

  /** Any error of the task is caught, published to the one topic, and the execution still fails. */
  private static void assertFailureIsPublishedThenFails(JsonNode definition, JsonNode task) {
    JsonNode notify = definition.path("States").path(caughtBy(task));
    assertEquals("arn:aws:states:::sns:publish", notify.path("Resource").asText());
    assertEquals(SAMPLES.get("FAILURE_TOPIC_ARN"), notify.path("Parameters").path("TopicArn").asText());
    assertTrue(notify.path("Parameters").path("Message.$").asText().contains("$.error.Cause"), notify.toString());
    assertEquals("Fail", definition.path("States").path(notify.path("Next").asText()).path("Type").asText(),
        "after the notification the execution must still fail, so its history shows it");
  }

  /** The state a Task's catch-all goes to; it must catch every error and keep the input beside the error. */
  private static String caughtBy(JsonNode task) {
    JsonNode catches = task.path("Catch");
    assertEquals(1, catches.size(), task.toString());
    assertEquals(List.of("States.ALL"), strings(catches.get(0).path("ErrorEquals")));
    assertTrue(catches.get(0).path("ResultPath").asText().startsWith("$."), "the input must survive: " + task);
    return catches.get(0).path("Next").asText();
  }

  @Test
  void clusterStateMachineTerminatesItsClusterWhateverHappens() throws IOException {
    JsonNode definition = STRICT_JSON.readTree(fill(conf(CLUSTER_STATE_MACHINE)));
    JsonNode states = definition.path("States");
    JsonNode create = states.path(definition.path("StartAt").asText());
    assertEquals("arn:aws:states:::elasticmapreduce:createCluster.sync", create.path("Resource").asText());
    JsonNode cluster = create.path("Parameters");
    assertEquals("emr-7.13.0", cluster.path("ReleaseLabel").asText());
    assertEquals("EMR_DefaultRole", cluster.path("ServiceRole").asText());
    assertEquals("EMR_EC2_DefaultRole", cluster.path("JobFlowRole").asText());
    assertEquals("s3://trailtrim-results/trailtrim/emr-logs/", cluster.path("LogUri").asText());
    assertTrue(cluster.path("Instances").path("KeepJobFlowAliveWhenNoSteps").asBoolean(), "the step comes after");
    // A cluster the state machine could not terminate (execution stopped by hand) still ends itself.
    assertTrue(cluster.path("AutoTerminationPolicy").path("IdleTimeout").asInt() > 0, cluster.toString());
    // The tag the role's policy requires to create, and to touch, a cluster.
    assertEquals(STRICT_JSON.readTree("[{\"Key\":\"trailtrim\",\"Value\":\"nightly\"}]"), cluster.path("Tags"));
    String clusterPath = create.path("ResultPath").asText();
    // Creating failed: there is no cluster to terminate (EMR ends one that failed to start).
    assertFailureIsPublishedThenFails(definition, create);

    JsonNode run = states.path(create.path("Next").asText());
    assertEquals("arn:aws:states:::elasticmapreduce:addStep.sync", run.path("Resource").asText());
    assertEquals(clusterPath + ".ClusterId", run.path("Parameters").path("ClusterId.$").asText());
    assertSparkStep(run.path("Parameters").path("Step"));
    // Both ways out of the step terminate the same cluster.
    for (String next : List.of(run.path("Next").asText(), caughtBy(run))) {
      JsonNode terminate = states.path(next);
      assertEquals("arn:aws:states:::elasticmapreduce:terminateCluster.sync", terminate.path("Resource").asText(),
          next);
      assertEquals(clusterPath + ".ClusterId", terminate.path("Parameters").path("ClusterId.$").asText(), next);
      assertTrue(terminate.path("Retry").size() > 0, next + " must retry: a cluster left running costs money");
      assertEquals("null", String.valueOf(terminate.get("ResultPath")), next + " must keep the error it may carry");
      assertFailureIsPublishedThenFails(definition, terminate);
    }
    assertTrue(states.path(run.path("Next").asText()).path("End").asBoolean(), "success ends after terminating");
    assertEquals(caughtBy(states.path(caughtBy(run))), states.path(caughtBy(run)).path("Next").asText(),
        "after a failed step the cluster is terminated, then the failure published");
  }

  @Test
  void clusterStateMachinePolicyTouchesOnlyTheClustersItCreates() {
    PolicyDocument policy = identityPolicy("nightly-stepfunctions-cluster-policy.json");
    Decision create = evaluate(policy, "elasticmapreduce:RunJobFlow", "*");
    assertTrue(create.allowed() && create.allowConditional(), create.toString());
    assertEquals(Map.of("StringEquals", Map.of("elasticmapreduce:RequestTag/trailtrim", List.of("nightly"))),
        create.allowedBy().statement().conditions().operators());
    String cluster = "arn:aws:elasticmapreduce:eu-west-1:111122223333:cluster/j-NEWCLUSTER";
    for (String action : List.of("elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeStep",
        "elasticmapreduce:CancelSteps", "elasticmapreduce:DescribeCluster", "elasticmapreduce:TerminateJobFlows")) {
      Decision decision = evaluate(policy, action, cluster);
      assertTrue(decision.allowed() && decision.allowConditional(), action + ": " + decision);
      assertEquals(Map.of("StringEquals", Map.of("elasticmapreduce:ResourceTag/trailtrim", List.of("nightly"))),
          decision.allowedBy().statement().conditions().operators(), action + " must be limited to its own clusters");
      assertNotAllowed(policy, action, cluster.replace("eu-west-1:111122223333", "eu-west-1:999988887777"));
    }
    Map<String, String> passed = Map.of("EMR_DefaultRole", "elasticmapreduce.amazonaws.com",
        "EMR_EC2_DefaultRole", "ec2.amazonaws.com");
    passed.forEach((role, service) -> {
      Decision pass = evaluate(policy, "iam:PassRole", "arn:aws:iam::111122223333:role/" + role);
      assertTrue(pass.allowed() && pass.allowConditional(), pass.toString());
      assertEquals(Map.of("StringEquals", Map.of("iam:PassedToService", List.of(service))),
          pass.allowedBy().statement().conditions().operators(), role);
    });
    assertNotAllowed(policy, "iam:PassRole", "arn:aws:iam::111122223333:role/admin");
    assertNotAllowed(policy, "iam:PassRole", SAMPLES.get("JOB_ROLE_ARN"));
    for (String rule : List.of("RunJobFlow", "AddJobFlowSteps", "TerminateJobFlows")) {
      assertAllowed(policy, "events:PutRule", "arn:aws:events:eu-west-1:111122223333:rule/StepFunctionsGetEventForEMR"
          + rule + "Rule");
    }
    assertNotAllowed(policy, "events:PutRule", "arn:aws:events:eu-west-1:111122223333:rule/someone-elses-rule");
    assertAllowed(policy, "sns:Publish", SAMPLES.get("FAILURE_TOPIC_ARN"));
    assertNotAllowed(policy, "sns:Publish", "arn:aws:sns:eu-west-1:111122223333:another-topic");
    assertNotAllowed(policy, "ec2:RunInstances", "*");
  }

  @Test
  void failureRuleMatchesOnlyFailedRunsOfTheApplicationAndPublishesToTheTopic() throws IOException {
    JsonNode rule = STRICT_JSON.readTree(fill(conf(FAILURE_RULE)));
    JsonNode pattern = STRICT_JSON.readTree(rule.path("EventPattern").asText());
    for (String state : List.of("FAILED", "CANCELLED", "SUCCESS", "RUNNING")) {
      for (String application : List.of("00fabcdexample01", "00fother")) {
        JsonNode event = STRICT_JSON.readTree("{\"source\":\"aws.emr-serverless\",\"detail-type\":"
            + "\"EMR Serverless Job Run State Change\",\"detail\":{\"jobRunId\":\"00fjobrun\",\"applicationId\":\""
            + application + "\",\"state\":\"" + state + "\"}}");
        assertEquals(Set.of("FAILED", "CANCELLED").contains(state) && application.equals("00fabcdexample01"),
            matches(pattern, event), state + " of " + application);
      }
    }
    JsonNode targets = STRICT_JSON.readTree(fill(conf(FAILURE_TARGETS)));
    assertEquals(rule.path("Name").asText(), targets.path("Rule").asText());
    assertEquals(1, targets.path("Targets").size());
    JsonNode target = targets.path("Targets").get(0);
    assertEquals(SAMPLES.get("FAILURE_TOPIC_ARN"), target.path("Arn").asText());
    assertTrue(target.path("InputTransformer").path("InputTemplate").asText().contains("<jobRunId>"),
        target.toString());

    // The topic lets that rule of this account publish, and nothing else.
    JsonNode topicPolicy = STRICT_JSON.readTree(fill(conf(TOPIC_POLICY)));
    assertEquals(1, topicPolicy.path("Statement").size());
    JsonNode statement = topicPolicy.path("Statement").get(0);
    assertEquals(STRICT_JSON.readTree("{\"Service\":\"events.amazonaws.com\"}"), statement.path("Principal"));
    assertEquals("sns:Publish", statement.path("Action").asText());
    assertEquals(SAMPLES.get("FAILURE_TOPIC_ARN"), statement.path("Resource").asText());
    assertEquals("arn:aws:events:eu-west-1:111122223333:rule/" + rule.path("Name").asText(),
        statement.path("Condition").path("ArnEquals").path("aws:SourceArn").asText());
    assertEquals("111122223333", statement.path("Condition").path("StringEquals").path("aws:SourceAccount").asText());

    // The Step Functions roles publish to the one topic only.
    for (String name : List.of("nightly-stepfunctions-policy.json", "nightly-stepfunctions-cluster-policy.json")) {
      assertAllowed(identityPolicy(name), "sns:Publish", SAMPLES.get("FAILURE_TOPIC_ARN"));
      assertNotAllowed(identityPolicy(name), "sns:Publish", "arn:aws:sns:eu-west-1:111122223333:other");
    }
  }

  /** EventBridge's matching for patterns of exact values: every field of the pattern holds one of its values. */
  private static boolean matches(JsonNode pattern, JsonNode event) {
    for (var field : (Iterable<Map.Entry<String, JsonNode>>) pattern::fields) {
      JsonNode value = event.path(field.getKey());
      if (field.getValue().isObject()) {
        if (!matches(field.getValue(), value)) {
          return false;
        }
      } else if (!strings(field.getValue()).contains(value.asText(null))) {
        return false;
      }
    }
    return true;
  }

  // ---- the submit scripts ----

  /** Job flags with every shell and JSON hazard: quotes, comma, dollar, backslash, =, spaces. */
  private static final List<String> TRICKY_JOB_FLAGS = List.of(
      "--cloudtrail", "s3://org-trail-logs/AWSLogs/",
      "--cloudtrail=s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/",
      "--iam-snapshot", "s3://trailtrim-artifacts/trailtrim/iam/",
      "--output", "s3://trailtrim-results/trailtrim",
      "--from", "2026-08-01", "--to", "2026-10-31",
      "--config", "s3://trailtrim-artifacts/trailtrim/conf/trail trim.properties",
      "--run-id", "it's \"nightly\", $HOME & `date` \\ done");

  @Test
  void submitEmrDryRunPrintsTheStepWithTheJobFlagsUnchanged() throws IOException {
    List<String> command = new ArrayList<>(List.of("scripts/submit-emr.sh", "--dry-run", "--cluster-id",
        "j-2AXXXXXXGAPLF", "--jar", SAMPLES.get("JAR_URI"), "--name", "trailtrim-test", "--"));
    command.addAll(TRICKY_JOB_FLAGS);
    Result result = runBash(command, Map.of());
    assertEquals(0, result.exitCode(), result.stderr());
    List<String> argv = awsArgv(result.singleLine());
    assertEquals(List.of("emr", "add-steps", "--cluster-id", "j-2AXXXXXXGAPLF", "--steps"), argv.subList(0, 5));
    assertEquals(List.of("--query", "StepIds[0]", "--output", "text"), argv.subList(6, argv.size()));
    JsonNode steps = STRICT_JSON.readTree(argv.get(5));
    assertEquals(1, steps.size());
    JsonNode step = steps.get(0);
    assertEquals("Spark", step.path("Type").asText());
    assertEquals("trailtrim-test", step.path("Name").asText());
    assertEquals("CONTINUE", step.path("ActionOnFailure").asText());
    List<String> expected = new ArrayList<>(expectedSparkArgs());
    expected.add(SAMPLES.get("JAR_URI"));
    expected.addAll(TRICKY_JOB_FLAGS);
    assertEquals(expected, strings(step.path("Args")));
  }

  @Test
  void submitEmrServerlessDryRunPrintsTheJobRunWithTheJobFlagsUnchanged() throws IOException {
    List<String> command = new ArrayList<>(List.of("scripts/submit-emr-serverless.sh", "--dry-run",
        "--application-id", "00fabcdexample01", "--execution-role-arn", SAMPLES.get("JOB_ROLE_ARN"),
        "--jar", SAMPLES.get("JAR_URI"), "--region", "eu-west-1", "--"));
    command.addAll(TRICKY_JOB_FLAGS);
    Result result = runBash(command, Map.of());
    assertEquals(0, result.exitCode(), result.stderr());
    List<String> argv = awsArgv(result.singleLine());
    assertEquals(List.of("--region", "eu-west-1", "emr-serverless", "start-job-run", "--application-id",
        "00fabcdexample01", "--execution-role-arn", SAMPLES.get("JOB_ROLE_ARN"), "--name", "trailtrim",
        "--job-driver"), argv.subList(0, 11));
    assertEquals(List.of("--configuration-overrides", "--query", "jobRunId", "--output", "text"),
        List.of(argv.get(12), argv.get(14), argv.get(15), argv.get(16), argv.get(17)));
    assertEquals(18, argv.size());
    // Logs beside the output by default, where the job's role may write.
    assertEquals("s3://trailtrim-results/trailtrim/emr-logs/", STRICT_JSON.readTree(argv.get(13))
        .path("monitoringConfiguration").path("s3MonitoringConfiguration").path("logUri").asText());
    JsonNode sparkSubmit = STRICT_JSON.readTree(argv.get(11)).path("sparkSubmit");
    assertEquals(SAMPLES.get("JAR_URI"), sparkSubmit.path("entryPoint").asText());
    assertEquals(TRICKY_JOB_FLAGS, strings(sparkSubmit.path("entryPointArguments")));
    assertEquals(expectedSubmitParameters(), sparkSubmit.path("sparkSubmitParameters").asText());
  }

  @Test
  void submitScriptsTakeTheSpark4JarForAnEmr8ReleaseLabel() throws IOException {
    String jar = "s3://my-artifacts/trailtrim/trailtrim-0.1.0-spark4-0123456789ab.jar";
    Result result = runBash(List.of("scripts/submit-emr-serverless.sh", "--dry-run", "--application-id", "00f",
        "--execution-role-arn", SAMPLES.get("JOB_ROLE_ARN"), "--jar", jar, "--release-label", "emr-spark-8.0.0", "--",
        "--cloudtrail", "s3://b/", "--output", "s3://o/"), Map.of());
    assertEquals(0, result.exitCode(), result.stderr());
    List<String> argv = awsArgv(result.singleLine());
    assertEquals(jar, STRICT_JSON.readTree(argv.get(argv.indexOf("--job-driver") + 1)).path("sparkSubmit")
        .path("entryPoint").asText());
  }

  @Test
  void submitScriptsRefuseIncompleteCommandLinesBeforeCallingAws() {
    String jar = SAMPLES.get("JAR_URI");
    Map<List<String>, String> cases = new LinkedHashMap<>();
    cases.put(List.of("scripts/submit-emr.sh", "--dry-run", "--cluster-id", "j-1", "--jar", jar, "--",
        "--cloudtrail", "s3://b/AWSLogs/", "--iam-live"), "--output");
    cases.put(List.of("scripts/submit-emr.sh", "--dry-run", "--cluster-id", "j-1", "--jar", jar), "no job flags");
    cases.put(List.of("scripts/submit-emr.sh", "--dry-run", "--jar", jar, "--", "--cloudtrail", "s3://b/",
        "--output", "s3://o/"), "--cluster-id");
    cases.put(List.of("scripts/submit-emr.sh", "--dry-run", "--cluster-id", "j-1", "--jar", "target/x.jar", "--",
        "--cloudtrail", "s3://b/", "--output", "s3://o/"), "--jar must be an s3:// URI");
    cases.put(List.of("scripts/submit-emr.sh", "--dry-run", "--cluster-id", "j-1", "--jar", jar,
        "--cloudtrail", "s3://b/", "--output", "s3://o/"), "unknown option '--cloudtrail'");
    cases.put(List.of("scripts/submit-emr-serverless.sh", "--dry-run", "--application-id", "00f", "--jar", jar,
        "--", "--cloudtrail", "s3://b/", "--output", "s3://o/"), "--execution-role-arn");
    cases.put(List.of("scripts/submit-emr-serverless.sh", "--dry-run", "--application-id", "00f",
        "--execution-role-arn", SAMPLES.get("JOB_ROLE_ARN"), "--jar", jar, "--spark-conf", "README.md", "--",
        "--cloudtrail", "s3://b/", "--output", "s3://o/"), "is not a Spark setting");
    // The release label picks the Spark, so a jar built for the other one is refused before it fails on EMR.
    cases.put(List.of("scripts/submit-emr.sh", "--dry-run", "--cluster-id", "j-1", "--jar", jar, "--release-label",
        "emr-spark-8.0.0", "--", "--cloudtrail", "s3://b/", "--output", "s3://o/"), "is not a Spark 4 jar");
    cases.put(List.of("scripts/submit-emr-serverless.sh", "--dry-run", "--application-id", "00f",
        "--execution-role-arn", SAMPLES.get("JOB_ROLE_ARN"), "--jar", "s3://b/trailtrim-0.1.0-spark4-0123.jar", "--",
        "--cloudtrail", "s3://b/", "--output", "s3://o/"), "is built for Spark 4 (EMR 8), but emr-7.13.0");
    cases.put(List.of("scripts/submit-emr.sh", "--dry-run", "--cluster-id", "j-1", "--jar", jar, "--release-label",
        "emr-6.15.0", "--", "--cloudtrail", "s3://b/", "--output", "s3://o/"),
        "'emr-6.15.0' is not one trailtrim is built for");
    cases.forEach((command, message) -> {
      Result result = runBash(command, Map.of());
      assertEquals(2, result.exitCode(), command + "\n" + result.stderr());
      assertTrue(result.stderr().contains(message), command + ": expected '" + message + "' in\n" + result.stderr());
      assertEquals("", result.stdout(), "printed a command although the command line is wrong: " + command);
    });
  }

  @Test
  void fillPlaceholdersMatchesTheSamplesAndRefusesMissingValues() {
    Result filled = runBash(List.of("scripts/fill-placeholders.sh", "conf/job-iam-policy.json"), SAMPLES);
    assertEquals(0, filled.exitCode(), filled.stderr());
    assertEquals(fill(conf("job-iam-policy.json")), filled.stdout());

    Map<String, String> partial = new java.util.HashMap<>(SAMPLES);
    partial.put("OUTPUT_PREFIX", "");
    partial.remove("LOG_PREFIX");
    Result refused = runBash(List.of("scripts/fill-placeholders.sh", "conf/job-iam-policy.json"), partial);
    assertEquals(2, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().contains("set LOG_PREFIX OUTPUT_PREFIX"), refused.stderr());
    assertEquals("", refused.stdout());
  }

  // ---- the AWS CLI takes every input file as it is ----

  /**
   * Each file a README command hands to the AWS CLI, filled in, sent through the real CLI to a
   * local endpoint: the CLI checks names and types against the service's own model before it
   * sends anything, so a request that arrives is one AWS would parse. Skipped without {@code aws}.
   */
  @Test
  void theAwsCliSendsEveryNightlyInputFileAsItIs(@org.junit.jupiter.api.io.TempDir Path filled) throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runBash(List.of("-c", "command -v aws"), Map.of()).exitCode() == 0,
        "the AWS CLI is not installed");
    List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = read(exchange.getRequestBody());
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + (target == null ? "" : target) + " " + body);
      byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    });
    server.start();
    try {
      for (String name : List.of(FAILURE_RULE, FAILURE_TARGETS, "nightly-emr-serverless-schedule.json",
          "nightly-stepfunctions-schedule.json", STATE_MACHINE, CLUSTER_STATE_MACHINE)) {
        Files.writeString(filled.resolve(name), fill(conf(name)));
      }
      String endpoint = " --endpoint-url http://127.0.0.1:" + server.getAddress().getPort();
      String dir = filled.toString();
      Map<String, String> commands = new LinkedHashMap<>();
      commands.put("aws events put-rule --cli-input-json file://" + dir + "/" + FAILURE_RULE,
          "trailtrim-nightly-failed");
      commands.put("aws events put-targets --cli-input-json file://" + dir + "/" + FAILURE_TARGETS, "failure-topic");
      commands.put("aws scheduler create-schedule --cli-input-json file://" + dir
          + "/nightly-emr-serverless-schedule.json", "emr-logs");
      commands.put("aws scheduler create-schedule --cli-input-json file://" + dir
          + "/nightly-stepfunctions-schedule.json", "trailtrim-nightly-emr");
      for (String machine : List.of(STATE_MACHINE, CLUSTER_STATE_MACHINE)) {
        commands.put("aws stepfunctions create-state-machine --name trailtrim-nightly --definition file://" + dir + "/"
            + machine + " --role-arn arn:aws:iam::111122223333:role/trailtrim-stepfunctions", "sns:publish");
      }
      List<String> submit = new ArrayList<>(List.of("scripts/submit-emr-serverless.sh", "--dry-run",
          "--application-id", "00fabcdexample01", "--execution-role-arn", SAMPLES.get("JOB_ROLE_ARN"),
          "--jar", SAMPLES.get("JAR_URI"), "--timeout-minutes", "360", "--"));
      submit.addAll(nightlyJobFlags());
      commands.put(runBash(submit, Map.of()).singleLine(), "monitoringConfiguration");
      Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
          "AWS_DEFAULT_REGION", "eu-west-1", "AWS_CONFIG_FILE", dir + "/no-config",
          "AWS_SHARED_CREDENTIALS_FILE", dir + "/no-credentials", "AWS_EC2_METADATA_DISABLED", "true",
          "AWS_MAX_ATTEMPTS", "1");
      for (Map.Entry<String, String> command : commands.entrySet()) {
        int before = received.size();
        Result result = runBash(List.of("-c", command.getKey() + endpoint), env);
        assertEquals(0, result.exitCode(), command.getKey() + "\n" + result.stderr());
        assertEquals(before + 1, received.size(), command.getKey() + " sent no request");
        assertTrue(received.get(before).contains(command.getValue()), received.get(before));
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void fillPlaceholdersRefusesANightlyJarBuiltForTheOtherSparkThanItsReleaseLabel() {
    Map<String, String> emr8 = new java.util.HashMap<>(SAMPLES);
    emr8.put("RELEASE_LABEL", "emr-spark-8.0.0");
    List<String> fillSchedule = List.of("scripts/fill-placeholders.sh", "conf/nightly-emr-serverless-schedule.json");
    Result refused = runBash(fillSchedule, emr8);
    assertEquals(2, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().contains("is not a Spark 4 jar"), refused.stderr());
    assertEquals("", refused.stdout());

    emr8.put("JAR_URI", "s3://my-artifacts/trailtrim/trailtrim-0.1.0-SNAPSHOT-spark4-0123456789ab.jar");
    Result filled = runBash(fillSchedule, emr8);
    assertEquals(0, filled.exitCode(), filled.stderr());
    assertTrue(filled.stdout().contains("trailtrim-0.1.0-SNAPSHOT-spark4-0123456789ab.jar"), filled.stdout());
  }

  // ---- helpers ----

  /** conf/spark-emr.conf as spark-submit arguments: what both scripts and both nightly definitions must carry. */
  private static List<String> expectedSparkArgs() {
    List<String> args = new ArrayList<>(List.of("--deploy-mode", "client", "--class", MAIN_CLASS));
    for (String setting : sparkSettings()) {
      args.add("--conf");
      args.add(setting);
    }
    return args;
  }

  private static String expectedSubmitParameters() {
    return "--class " + MAIN_CLASS + sparkSettings().stream().map(s -> " --conf " + s).collect(Collectors.joining());
  }

  private static List<String> sparkSettings() {
    List<String> settings = new ArrayList<>();
    for (String line : conf("spark-emr.conf").split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] keyValue = trimmed.split("\\s+", 2);
      assertEquals(2, keyValue.length, "conf/spark-emr.conf: " + line);
      settings.add(keyValue[0] + "=" + keyValue[1]);
    }
    assertTrue(settings.stream().noneMatch(s -> s.startsWith("spark.serializer=") || s.startsWith("spark.kryo.")),
        "the job sets its serializer itself (SparkSerialization); the file must not contradict it");
    return settings;
  }

  private static List<String> nightlyJobFlags() {
    return List.of("--cloudtrail", "s3://org-trail-logs/AWSLogs/", "--iam-live", "--output",
        "s3://trailtrim-results/trailtrim");
  }

  private static PolicyDocument identityPolicy(String name) {
    return PolicyParser.parse(fill(conf(name)));
  }

  private static Decision evaluate(PolicyDocument doc, String action, String resource) {
    return PolicyEvaluator.evaluate(GrantSet.of(new LabeledPolicy("conf", doc)), IamAction.parse(action), resource);
  }

  private static void assertAllowed(PolicyDocument doc, String action, String resource) {
    Decision decision = evaluate(doc, action, resource);
    assertTrue(decision.allowed(), action + " on " + resource + " should be allowed: " + decision);
  }

  private static void assertNotAllowed(PolicyDocument doc, String action, String resource) {
    Decision decision = evaluate(doc, action, resource);
    assertFalse(decision.allowedUnlessConditionalDeny(),
        action + " on " + resource + " must not be allowed: " + decision);
  }

  private static String conf(String name) {
    try {
      return Files.readString(CONF.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> jsonFiles() throws IOException {
    try (Stream<Path> files = Files.list(CONF)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }

  /** Replaces every ${NAME} with its sample value; a placeholder without one fails the test. */
  private static String fill(String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = SAMPLES.get(m.group(1));
      if (value == null) {
        fail("no sample value for placeholder ${" + m.group(1) + "}: add it to SAMPLES and to the README's table");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static List<String> strings(JsonNode array) {
    assertTrue(array.isArray(), "expected a JSON list, got " + array);
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private record Result(int exitCode, String stdout, String stderr) {
    String singleLine() {
      List<String> lines = stdout.lines().toList();
      assertEquals(1, lines.size(), "expected one command line, got:\n" + stdout);
      return lines.get(0);
    }
  }

  /**
   * The words bash passes to {@code aws} when it runs the printed line: proves the line is valid,
   * copy-pasteable shell whose words are exactly what the script meant.
   */
  private static List<String> awsArgv(String line) {
    assertTrue(line.startsWith("aws "), line);
    Result result = runBash(List.of("-c", "aws() { printf '%s\\0' \"$@\"; }\n" + line), Map.of());
    assertEquals(0, result.exitCode(), result.stderr());
    List<String> words = new ArrayList<>(Arrays.asList(result.stdout().split("\0", -1)));
    assertEquals("", words.remove(words.size() - 1), "every word ends with NUL");
    return words;
  }

  private static Result runBash(List<String> args, Map<String, String> environment) {
    List<String> command = new ArrayList<>(List.of("bash"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile());
    builder.environment().keySet().removeIf(SAMPLES::containsKey);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("timed out: " + command);
      }
      return new Result(process.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(InputStream in) {
    try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
