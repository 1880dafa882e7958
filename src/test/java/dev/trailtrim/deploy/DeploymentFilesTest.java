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
      Map.entry("STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:111122223333:stateMachine:trailtrim-nightly"));

  private static final List<String> IDENTITY_POLICIES = List.of("job-iam-policy.json", "job-iam-policy-sse-kms.json",
      "nightly-emr-serverless-scheduler-policy.json", "nightly-stepfunctions-policy.json",
      "nightly-stepfunctions-scheduler-policy.json");
  private static final Map<String, String> TRUST_POLICIES = Map.of(
      "job-trust-policy.json", "emr-serverless.amazonaws.com",
      "scheduler-trust-policy.json", "scheduler.amazonaws.com",
      "stepfunctions-trust-policy.json", "states.amazonaws.com");
  private static final List<String> SCHEDULES = List.of("nightly-emr-serverless-schedule.json",
      "nightly-stepfunctions-schedule.json");
  private static final String STATE_MACHINE = "nightly-stepfunctions.asl.json";

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
    known.add(STATE_MACHINE);
    assertEquals(known, found, "every conf/*.json must be one of the kinds this test checks");
  }

  @Test
  void placeholdersAreUpperCaseAndDocumentedInTheReadme() throws IOException {
    String readme = Files.readString(PROJECT.resolve("README.md"));
    Set<String> used = new TreeSet<>();
    for (String name : jsonFiles()) {
      Matcher m = PLACEHOLDER.matcher(conf(name));
      while (m.find()) {
        assertTrue(m.group(1).matches("[A-Z][A-Z0-9_]*"), name + ": placeholder ${" + m.group(1) + "} is not UPPER_CASE");
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
              .orElseThrow(() -> new AssertionError(name + ": " + action + " is not an IAM action (not in the catalog)"));
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
        "lambda:ListFunctions", "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject")), actions);
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
        "runs/20261129T033000Z/_staging/permissions/_temporary/0/_temporary/attempt_1/part-00000.snappy.parquet",
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

  @Test
  void trustPoliciesLetOnlyTheirServiceAssumeTheRole() throws IOException {
    for (Map.Entry<String, String> entry : TRUST_POLICIES.entrySet()) {
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
  }

  @Test
  void stepFunctionsStateMachineAddsTheSparkStepAndWaits() throws IOException {
    JsonNode definition = STRICT_JSON.readTree(fill(conf(STATE_MACHINE)));
    JsonNode task = definition.path("States").path(definition.path("StartAt").asText());
    assertEquals("Task", task.path("Type").asText());
    assertEquals("arn:aws:states:::elasticmapreduce:addStep.sync", task.path("Resource").asText());
    assertTrue(task.path("End").asBoolean(), "the run is the whole state machine");
    JsonNode parameters = task.path("Parameters");
    assertEquals(SAMPLES.get("CLUSTER_ID"), parameters.path("ClusterId").asText());
    JsonNode jarStep = parameters.path("Step").path("HadoopJarStep");
    assertEquals("command-runner.jar", jarStep.path("Jar").asText());
    List<String> expected = new ArrayList<>(List.of("spark-submit"));
    expected.addAll(expectedSparkArgs());
    expected.add(SAMPLES.get("JAR_URI"));
    expected.addAll(nightlyJobFlags());
    assertEquals(expected, strings(jarStep.path("Args")),
        "the state machine's spark-submit differs from what scripts/submit-emr.sh runs; update it");

    JsonNode schedule = STRICT_JSON.readTree(fill(conf("nightly-stepfunctions-schedule.json")));
    assertEquals(SAMPLES.get("STATE_MACHINE_ARN"), schedule.path("Target").path("Arn").asText());
    assertEquals("{}", schedule.path("Target").path("Input").asText());
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
    assertEquals(List.of("--query", "jobRunId", "--output", "text"), argv.subList(12, argv.size()));
    JsonNode sparkSubmit = STRICT_JSON.readTree(argv.get(11)).path("sparkSubmit");
    assertEquals(SAMPLES.get("JAR_URI"), sparkSubmit.path("entryPoint").asText());
    assertEquals(TRICKY_JOB_FLAGS, strings(sparkSubmit.path("entryPointArguments")));
    assertEquals(expectedSubmitParameters(), sparkSubmit.path("sparkSubmitParameters").asText());
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
    return List.of("--cloudtrail", "s3://org-trail-logs/AWSLogs/", "--iam-live", "--output", "s3://trailtrim-results/trailtrim");
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
    assertFalse(decision.allowedUnlessConditionalDeny(), action + " on " + resource + " must not be allowed: " + decision);
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
