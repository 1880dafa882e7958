package dev.trailtrim.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.testing.AwsCli;
import dev.trailtrim.testing.IamQueryApiServer;
import dev.trailtrim.testing.S3ProxyServer;
import dev.trailtrim.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * {@code scripts/trailtrim-policy.sh} as a team runs it, with the real AWS CLI: on the sample run's
 * output in a folder and in S3 (the in-process S3 server), with {@code --dry-run}, and for real
 * against the IAM fake, where apply followed by diff shows nothing left to change.
 */
@Execution(ExecutionMode.CONCURRENT) // Waits on bash and the AWS CLI, no Spark: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
@Slow
class TrailtrimPolicyScriptTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROJECT = Path.of(System.getProperty("trailtrim.project.dir", "."));
  private static final Path SCRIPT = PROJECT.resolve("scripts/trailtrim-policy.sh");
  /** The sample run as the job writes it (SampleRunTest holds them equal). */
  private static final Path SAMPLE_RUN = PROJECT.resolve("src/test/resources/golden/sample-run");
  private static final String ROLE = "arn:aws:iam::111122223333:role/service-role/orders-api-role";

  @TempDir
  static Path work;
  static Path output;
  static S3ProxyServer s3;
  static String bucket;

  @BeforeAll
  static void sampleOutputLocallyAndInS3() throws IOException {
    assumeTrue(AwsCli.available(), "no aws command on the PATH: install the AWS CLI (pip install awscli or apt-get"
        + " install awscli) to run scripts/trailtrim-policy.sh");
    Map<String, byte[]> objects = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SAMPLE_RUN)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        objects.put("trailtrim/runs/sample/" + SAMPLE_RUN.relativize(file).toString().replace('\\', '/'),
            Files.readAllBytes(file));
      }
    }
    objects.put("trailtrim/runs/sample/_SUCCESS", "{}\n".getBytes(StandardCharsets.UTF_8));
    objects.put("trailtrim/latest.json", "{\n  \"runId\": \"sample\",\n  \"path\": \"runs/sample\"\n}\n"
        .getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, byte[]> object : objects.entrySet()) {
      Path target = work.resolve("out").resolve(object.getKey());
      Files.createDirectories(target.getParent());
      Files.write(target, object.getValue());
    }
    output = work.resolve("out/trailtrim");
    s3 = S3ProxyServer.start();
    bucket = s3.createUniqueBucket("team");
    s3.putObjectsDirectly(bucket, objects);
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static AwsCli.Result script(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    Map<String, String> withKeys = new TreeMap<>(env);
    withKeys.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    withKeys.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    return AwsCli.run(work, withKeys, command);
  }

  private static Map<String, String> s3Env() {
    return Map.of("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
  }

  private static String s3Output() {
    return "s3://" + bucket + "/trailtrim";
  }

  private static AwsCli.Result ok(AwsCli.Result result) {
    assertEquals(0, result.exitCode(), result.all());
    return result;
  }

  @Test
  void getPrintsTheLatestSuggestionFromAFolderAndFromS3() throws IOException {
    String expected = Files.readString(SAMPLE_RUN.resolve("policies/111122223333/orders-api-role.json"));
    assertEquals(expected, ok(script(Map.of(), "get", "--output", output.toString(), "--role", ROLE)).stdout());
    assertEquals(expected, ok(script(s3Env(), "get", "--output", s3Output(), "--role", ROLE)).stdout());
  }

  @Test
  void diffDryRunComparesTheSnapshotAndPrintsTheIamReads() {
    try (IamQueryApiServer iam = IamQueryApiServer.serving(PROJECT.resolve("sample-logs/iam/111122223333.json"))) {
      Map<String, String> iamEnv = Map.of("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
      String local = ok(script(iamEnv, "diff", "--dry-run", "--output", output.toString(), "--role", ROLE)).stdout();
      assertTrue(local.contains("#   aws iam list-role-policies --role-name orders-api-role --query 'PolicyNames[]'"
          + " --output text\n"), local);
      assertTrue(local.contains("--- before: orders-api-role in the snapshot of run sample\n"
          + "+++ suggested: orders-api-role by run sample\n"), local);
      assertTrue(local.contains("\n-# inline policy orders-api-data\n+# inline policy trailtrim-least-privilege\n"),
          local);
      assertTrue(
          local.contains("\n-# managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n"),
          local);
      assertTrue(local.contains("\n-      \"Action\": \"dynamodb:*\",\n"), local);
      assertEquals(List.of(), iam.requests(), "a dry run asks IAM nothing");

      Map<String, String> bothEnv = new TreeMap<>(s3Env());
      bothEnv.putAll(iamEnv);
      String fromS3 = ok(script(bothEnv, "diff", "--dry-run", "--output", s3Output(), "--role", ROLE)).stdout();
      assertEquals(local, fromS3, "the same run read from S3");
      assertEquals(List.of(), iam.requests(), "a dry run asks IAM nothing");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void checkDryRunPrintsAccessAnalyzerCallsOnTheSuggestionAndTheSnapshot() throws IOException {
    for (boolean inS3 : List.of(false, true)) {
      String out = ok(script(inS3 ? s3Env() : Map.of(), "check", "--dry-run", "--output",
          inS3 ? s3Output() : output.toString(), "--role", ROLE)).stdout();
      Matcher validate = Pattern.compile("(?m)^aws accessanalyzer validate-policy --policy-type IDENTITY_POLICY"
          + " --policy-document file://(\\S+/suggested\\.json) --query").matcher(out);
      assertTrue(validate.find(), out);
      assertEquals(Files.readString(SAMPLE_RUN.resolve("policies/111122223333/orders-api-role.json")),
          Files.readString(Path.of(validate.group(1))));
      Matcher noNewAccess = Pattern.compile("(?m)^aws accessanalyzer check-no-new-access --policy-type IDENTITY_POLICY"
          + " --existing-policy-document file://(\\S+) --new-policy-document file://(\\S+) --query").matcher(out);
      assertTrue(noNewAccess.find(), out);
      // The existing side is every statement of the role's policies as the snapshot saw them, in one document.
      PolicyDocument existing = PolicyParser.parse(Files.readString(Path.of(noNewAccess.group(1))));
      List<Statement> expected = new ArrayList<>();
      for (String file : List.of("inline-1.json", "managed-1.json")) {
        PolicyParser.parse(Files.readString(SAMPLE_RUN.resolve("apply/111122223333/orders-api-role/before/" + file)))
            .statements().forEach(statement -> expected.add(statement.withSid(null)));
      }
      assertEquals(expected, existing.statements());
      assertEquals(new HashSet<>(PolicyParser.parse(Files.readString(SAMPLE_RUN.resolve(
          "policies/111122223333/orders-api-role.json"))).statements().stream().map(s -> s.withSid(null)).toList()),
          new HashSet<>(PolicyParser.parse(Files.readString(Path.of(noNewAccess.group(2)))).statements()));
    }
  }

  @Test
  void applyThenDiffShowsNothingLeftAndRollbackBringsTheOldPoliciesBack() throws IOException {
    try (IamQueryApiServer iam = IamQueryApiServer.serving(PROJECT.resolve("sample-logs/iam/111122223333.json"))) {
      Map<String, String> env = Map.of("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString(),
          "AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
      String before = ok(script(env, "diff", "--output", s3Output(), "--role", ROLE)).stdout();
      assertTrue(before.startsWith("--- live: orders-api-role\n+++ suggested: orders-api-role by run sample\n"),
          before);

      String dryRun = ok(script(env, "apply", "--dry-run", "--yes", "--output", s3Output(), "--role", ROLE)).stdout();
      assertTrue(dryRun.matches("bash \\S+/apply\\.sh --yes\n"), dryRun);
      String applied = ok(script(env, "apply", "--yes", "--output", s3Output(), "--role", ROLE)).stdout();
      assertTrue(applied.endsWith("trailtrim: done, 3 changes\n"), applied);
      AwsCli.Result same = ok(script(env, "diff", "--output", s3Output(), "--role", ROLE));
      assertEquals("", same.stdout(), "the role now holds exactly the suggestion");
      assertEquals("trailtrim-policy: no difference: the role holds exactly the suggestion\n", same.stderr());

      ok(script(env, "rollback", "--yes", "--output", output.toString(), "--role", ROLE));
      assertEquals(before, ok(script(env, "diff", "--output", output.toString(), "--role", ROLE)).stdout());
    }
  }

  @Test
  void aRoleWithoutAPlanIsNamed() {
    AwsCli.Result result = script(Map.of(), "get", "--output", output.toString(), "--role",
        "arn:aws:iam::111122223333:role/legacy-cron-role");
    assertEquals(2, result.exitCode(), result.all());
    assertEquals("trailtrim-policy: run sample has no plan for arn:aws:iam::111122223333:role/legacy-cron-role: it"
        + " suggests nothing for the role (why: " + output + "/runs/sample/roles/)\n", result.stderr());
    AwsCli.Result badFlag = script(Map.of(), "get", "--output", output.toString(), "--role", "orders-api-role");
    assertEquals(2, badFlag.exitCode());
    assertEquals("trailtrim-policy: --role must be a role ARN like arn:aws:iam::111122223333:role/my-role, got"
        + " 'orders-api-role'\n", badFlag.stderr());
  }
}
