package dev.trailtrim.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.aggregate.SparkSerialization;
import dev.trailtrim.aggregate.UsageKey;
import dev.trailtrim.aggregate.UsageStats;
import dev.trailtrim.aggregate.UsageWindow;
import dev.trailtrim.aggregate.WindowAggregation;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.Patterns;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyJson;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * How the job's memory behaves with very many distinct resources: the per-day usage of
 * {@code --distinct-arns} distinct resources (S3 objects, log streams, a share of refused calls)
 * of {@code --roles} Lambda roles is made inside Spark tasks, as the read would leave it, then
 * goes through the job's own steps after the read: the window's sum and compaction
 * ({@link WindowAggregation}), the per-role view, and {@link RoleAnalyzer} against grants parsed
 * from an authorization-details snapshot. Run it with a small heap ({@code -Xmx1g}; in local mode
 * the driver and executors share it) to show the driver holds only the compact result.
 * Checks that every suggested policy allows a sample of the successful calls and prints one
 * BENCH line. The read itself is measured by the other bench jobs; its memory per task is bounded
 * by task.max.usage.entries.
 */
public final class ScaleBench {

  private static final String ACCOUNT = "123456789012";
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    long distinct = 10_000_000L;
    int roles = 200;
    int cores = 2;
    int days = 30;
    int maxResources = 1000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--distinct-arns" -> distinct = Long.parseLong(args[i + 1]);
        case "--roles" -> roles = Integer.parseInt(args[i + 1]);
        case "--cores" -> cores = Integer.parseInt(args[i + 1]);
        case "--days" -> days = Integer.parseInt(args[i + 1]);
        case "--max-resources-per-action" -> maxResources = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("Unknown flag '" + args[i] + "'. Usage: ScaleBench [--distinct-arns N (10000000)]"
              + " [--roles N (200)] [--cores N (2)] [--days N (30)] [--max-resources-per-action N (1000)]");
          System.exit(2);
        }
      }
    }
    final long total = distinct;
    final int roleCount = roles;
    final int dayCount = days;
    ObservationWindow window = new ObservationWindow(FIRST_DAY, FIRST_DAY.plusDays(days - 1));
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(snapshot(roles));
    Map<String, GrantSet> grants = new HashMap<>();
    snapshot.roles().forEach(role -> grants.put(role.roleArn(), role.grantSet()));
    IamCatalog catalog = IamCatalog.loadDefault();

    try (SparkSession spark =
        SparkSerialization.configure(SparkSession.builder()).appName("bench-scale").master("local[" + cores + "]")
            .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int partitions = (int) Math.max(cores * 4L, total / 200_000);
      long started = System.nanoTime();
      JavaPairRDD<UsageKey, UsageStats> usage = jsc.parallelize(IntStream.range(0, partitions).boxed().toList(),
          partitions).flatMapToPair(p -> {
            List<Tuple2<UsageKey, UsageStats>> rows = new ArrayList<>();
            for (long i = p; i < total; i += partitions) {
              rows.add(row(i, roleCount, dayCount));
            }
            return rows.iterator();
          });
      WindowAggregation.Result windowed = WindowAggregation.compute(usage, window, grants, maxResources);
      long aggregated = System.nanoTime();
      UsageWindow.View view = UsageWindow.of(windowed, Map.of(), window, 5);
      LogObservability observability = LogObservability.create(catalog, List.of(), Set.of("s3"));
      long statements = 0;
      long checked = 0;
      for (RoleGrants role : snapshot.roles()) {
        RoleUsage roleUsage = view.usageByRole().getOrDefault(role.roleArn(), new RoleUsage(role.roleArn(), List.of()));
        RoleAnalysis analysis = RoleAnalyzer.analyze(new RoleContext(role.roleArn(), ACCOUNT, role.roleName(), window,
            "trust-policy"), role, roleUsage, catalog, observability);
        statements += analysis.suggestion().policy().statements().size();
        PolicyJson.render(analysis.suggestion().policy());
        // A sample of the role's successful calls must be allowed by its suggestion.
        GrantSet suggested = GrantSet.of(new dev.trailtrim.policy.LabeledPolicy("suggested",
            analysis.suggestion().policy()));
        int roleIndex = Integer.parseInt(role.roleName().substring("fn-".length(), role.roleName().indexOf("-role")));
        for (long i = roleIndex; i < total; i += (long) roleCount * 997) {
          UsageKey call = row(i, roleCount, dayCount)._1();
          if (call.errorCode().isEmpty() && !PolicyEvaluator.evaluate(suggested, IamAction.parse(call.action()),
              call.resource()).allowed()) {
            throw new IllegalStateException("The suggestion for " + role.roleArn() + " does not allow "
                + call.action() + " on " + call.resource());
          }
          checked++;
        }
      }
      long analysed = System.nanoTime();
      System.out.println(String.format(Locale.ROOT, "BENCH job=scale cores=%d distinct_arns=%d roles=%d"
          + " window_and_compaction_s=%.1f analysis_s=%.1f rows_to_driver=%d compacted_actions=%d"
          + " compacted_resources=%d statements=%d calls_checked=%d max_heap_mb=%d gc_s=%.1f",
          cores, total, roleCount, (aggregated - started) / 1e9, (analysed - aggregated) / 1e9,
          windowed.usage().size(), windowed.compactedActions(), windowed.compactedResources(), statements, checked,
          Runtime.getRuntime().maxMemory() / 1_000_000, gcSeconds()));
    }
  }

  /** The i-th distinct resource: mostly S3 objects of the role's bucket, some log streams, 2 % refused. */
  static Tuple2<UsageKey, UsageStats> row(long i, int roles, int days) {
    int role = (int) (i % roles);
    int day = (int) ((i / roles) % days);
    String date = FIRST_DAY.plusDays(day).toString();
    String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/service-role/fn-" + role + "-role";
    long time = FIRST_DAY.plusDays(day).toEpochDay() * 86_400_000L + (i % 86_400_000L);
    String action;
    String resource;
    String error = "";
    if (i % 50 == 7) {
      action = "s3:GetObject";
      resource = "arn:aws:s3:::secrets-" + ACCOUNT + "/" + role + "/" + i;
      error = "AccessDenied";
    } else if (i % 10 == 3) {
      action = "logs:PutLogEvents";
      resource = "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:/aws/lambda/fn-" + role + ":log-stream:"
          + date.replace('-', '/') + "/[" + Patterns.escapeLiteral("$LATEST") + "]" + Long.toHexString(i * 2654435761L);
    } else {
      action = i % 3 == 0 ? "s3:PutObject" : "s3:GetObject";
      resource = "arn:aws:s3:::data-" + ACCOUNT + "-" + (role % 20) + "/fn-" + role + "/" + date.replace('-', '/') + "/"
          + Long.toHexString(i * 0x9E3779B97F4A7C15L) + ".json";
    }
    return new Tuple2<>(new UsageKey(date.replace('-', '/'), date, roleArn, action, resource, error),
        UsageStats.of(time));
  }

  /** An authorization-details snapshot of the roles: S3 on their data bucket, logs, and more they never use. */
  private static ObjectNode snapshot(int roles) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode list = root.putArray("RoleDetailList");
    for (int role = 0; role < roles; role++) {
      ObjectNode r = list.addObject();
      r.put("RoleName", "fn-" + role + "-role");
      r.put("Path", "/service-role/");
      r.put("Arn", "arn:aws:iam::" + ACCOUNT + ":role/service-role/fn-" + role + "-role");
      r.put("RoleId", "AROA" + String.format("%017d", role));
      r.put("CreateDate", "2025-01-01T00:00:00Z");
      ObjectNode trust = r.putObject("AssumeRolePolicyDocument");
      trust.put("Version", "2012-10-17");
      ObjectNode trustStatement = trust.putArray("Statement").addObject();
      trustStatement.put("Effect", "Allow");
      trustStatement.putObject("Principal").put("Service", "lambda.amazonaws.com");
      trustStatement.put("Action", "sts:AssumeRole");
      ObjectNode policy = r.putArray("RolePolicyList").addObject();
      policy.put("PolicyName", "app");
      ObjectNode document = policy.putObject("PolicyDocument");
      document.put("Version", "2012-10-17");
      ArrayNode statements = document.putArray("Statement");
      ObjectNode s3 = statements.addObject();
      s3.put("Effect", "Allow");
      s3.putArray("Action").add("s3:GetObject").add("s3:PutObject").add("s3:DeleteObject");
      s3.putArray("Resource").add("arn:aws:s3:::data-" + ACCOUNT + "-" + (role % 20) + "/*");
      ObjectNode logs = statements.addObject();
      logs.put("Effect", "Allow");
      logs.putArray("Action").add("logs:CreateLogStream").add("logs:PutLogEvents");
      logs.put("Resource", "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:/aws/lambda/fn-" + role + ":*");
      ObjectNode ddb = statements.addObject();
      ddb.put("Effect", "Allow");
      ddb.put("Action", "dynamodb:*");
      ddb.put("Resource", "*");
      r.putArray("AttachedManagedPolicies");
    }
    root.putArray("Policies");
    return root;
  }

  /** Time spent in garbage collection so far: what a too-small heap costs before it fails. */
  private static double gcSeconds() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum() / 1e3;
  }
}
