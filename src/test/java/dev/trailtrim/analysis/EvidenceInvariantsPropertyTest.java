package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.LogCoverage.DayLogs;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random grants x random calls x random holes in the logs (seeded; real catalog, real CloudTrail
 * facts): whenever the holes could hide a call of a granted permission (the role's account has no
 * logs, a region where it acts is missing or thin, IAM's us-east-1 is missing), the suggestion
 * still allows it; and every call the role made is allowed. Set {@code -Dtrailtrim.property.cases}
 * for a longer run.
 */
class EvidenceInvariantsPropertyTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final int CASES = Integer.getInteger("trailtrim.property.cases", 300);
  private static final String ACCOUNT = "111122223333";
  private static final ObservationWindow WINDOW = new ObservationWindow(LocalDate.of(2026, 10, 1),
      LocalDate.of(2026, 10, 30));
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1");
  /** Logged as management events, data events or never; IAM's in us-east-1 only. */
  private static final Observability LOGS = LogObservability.create(CATALOG, List.of(), Set.of());

  private static final List<String> ACTIONS = List.of("dynamodb:DescribeTable", "dynamodb:GetItem",
      "sqs:GetQueueAttributes", "sqs:SendMessage", "s3:GetObject", "s3:GetBucketPolicy", "iam:GetRole", "iam:PassRole",
      "kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:GetParameter", "logs:CreateLogStream", "lambda:GetFunction",
      "sts:GetCallerIdentity", "sts:AssumeRole");
  private static final List<String> ACTION_PATTERNS = List.of("dynamodb:Describe*", "iam:Get*", "kms:De*", "sqs:Get*",
      "ssm:GetParameter*", "s3:GetBucket*", "lambda:Get*", "sts:Assume*");
  private static final List<String> RESOURCE_PATTERNS = List.of("*", "arn:aws:dynamodb:eu-west-1:" + ACCOUNT
      + ":table/T", "arn:aws:dynamodb:*:" + ACCOUNT + ":table/*", "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":q*",
      "arn:aws:s3:::b1", "arn:aws:s3:::b1/*", "arn:aws:iam::" + ACCOUNT + ":role/*", "arn:aws:kms:*:" + ACCOUNT + ":key/*",
      "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/app/*", "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:f*");
  private static final List<String> ARNS = List.of("arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/T",
      "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/U", "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":q1", "arn:aws:s3:::b1",
      "arn:aws:s3:::b1/k.json", "arn:aws:iam::" + ACCOUNT + ":role/r1", "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/k1",
      "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:s-AbCdEf", "arn:aws:ssm:eu-west-1:" + ACCOUNT
          + ":parameter/app/p", "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:/aws/lambda/f:log-stream:s",
      "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:f1", "*");

  @Test
  void noSuggestionDropsAPermissionAHoleInTheLogsCouldHide() {
    Random random = new Random(20261204L);
    int hidden = 0;
    for (int c = 0; c < CASES; c++) {
      RoleGrants grants = randomGrants(random);
      GrantSet granted = grants.grantSet();
      RoleUsage usage = randomUsage(random, granted);
      LogCoverage logs = randomLogs(random);
      Set<String> acting = new TreeSet<>(some(random, REGIONS, 2));
      if (random.nextInt(4) == 0) {
        acting.clear(); // a role never seen: it may act in any region of its account
      }
      int minDays = List.of(1, 10, 30).get(random.nextInt(3));
      SafetyControls safety = new SafetyControls(List.of(), List.of(), minDays, 0, "");
      LogEvidence evidence = LogEvidence.of(logs, ACCOUNT, acting, minDays, Set.of("us-east-1"));
      RoleAnalysis analysis = RoleAnalyzer.analyze(context(), grants, usage, CATALOG, evidence.over(LOGS, logs), safety,
          evidence);
      String where = "case " + c + " (" + grants.policies() + ", acting " + acting + ", min " + minDays + ", logs "
          + logs.accounts() + ")";
      assertNotNull(analysis.suggestedPolicy(), where);
      GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", analysis.suggestedPolicy()));
      for (ActionUsage use : usage.usages()) {
        assertTrue(PolicyEvaluator.evaluate(suggested, use.access().action(), use.access().resource()).allowed(),
            where + ": the call " + use.access() + " is not allowed by the suggestion");
      }
      for (String name : ACTIONS) {
        IamAction action = IamAction.parse(name);
        ActionInfo info = CATALOG.action(action).orElseThrow();
        if (!LOGS.visibility(action, "*").absenceMeansUnused()
            || evidence.gapFor(LOGS.globalLogging(action), logs) == null) {
          continue; // kept whatever the logs hold, or the logs that would show it are complete
        }
        for (String arn : info.hasResourceTypes() ? ARNS : List.of("*")) {
          if (PolicyEvaluator.evaluate(granted, action, arn).allowed()) {
            hidden++;
            assertTrue(PolicyEvaluator.evaluate(suggested, action, arn).allowed(),
                where + ": " + action + " on " + arn + " could have been used in the hole, yet the suggestion drops it");
          }
        }
      }
    }
    assertTrue(hidden > CASES, "the cases must exercise hidden permissions, got " + hidden);
  }

  private static RoleContext context() {
    return new RoleContext("arn:aws:iam::" + ACCOUNT + ":role/fn", ACCOUNT, "fn", WINDOW, "test");
  }

  private static RoleGrants randomGrants(Random random) {
    List<String> statements = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      List<String> pool = new ArrayList<>(ACTIONS);
      pool.addAll(ACTION_PATTERNS);
      statements.add("{\"Effect\":\"Allow\",\"Action\":" + json(some(random, pool, 4)) + ",\"Resource\":"
          + json(some(random, RESOURCE_PATTERNS, 3)) + "}");
    }
    GrantedPolicy policy = new GrantedPolicy(GrantedPolicy.Kind.INLINE, "p", null,
        PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}"));
    return new RoleGrants("arn:aws:iam::" + ACCOUNT + ":role/fn", "fn", "/", ACCOUNT, Set.of("lambda.amazonaws.com"),
        List.of(policy), null, List.of());
  }

  /** Some successful calls the grant allows, on concrete resources. */
  private static RoleUsage randomUsage(Random random, GrantSet granted) {
    List<ActionUsage> uses = new ArrayList<>();
    long day = WINDOW.from().atStartOfDay().toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    for (int i = 0; i < random.nextInt(5); i++) {
      IamAction action = IamAction.parse(ACTIONS.get(random.nextInt(ACTIONS.size())));
      String arn = CATALOG.action(action).orElseThrow().hasResourceTypes() ? ARNS.get(random.nextInt(ARNS.size())) : "*";
      if (!arn.equals("*") && PolicyEvaluator.evaluate(granted, action, arn).allowed()) {
        uses.add(new ActionUsage(new ActionOnResource(action, arn), null, 1 + random.nextInt(9), day, day + 1000));
      }
    }
    return new RoleUsage("arn:aws:iam::" + ACCOUNT + ":role/fn", uses);
  }

  /** The account's logs: per region nothing, some days, or every day; now and then no account at all. */
  private static LogCoverage randomLogs(Random random) {
    SortedMap<String, SortedMap<String, SortedMap<LocalDate, DayLogs>>> accounts = new TreeMap<>();
    if (random.nextInt(6) > 0) {
      SortedMap<String, SortedMap<LocalDate, DayLogs>> regions = new TreeMap<>();
      for (String region : REGIONS) {
        int days = List.of(0, 5, 15, 29, 30, 30).get(random.nextInt(6));
        if (days == 0) {
          continue;
        }
        SortedMap<LocalDate, DayLogs> byDay = new TreeMap<>();
        for (int d = 0; d < 30; d++) {
          boolean delivered = d < days;
          boolean rejected = delivered && random.nextInt(20) == 0;
          if (delivered) {
            byDay.put(WINDOW.from().plusDays(d), new DayLogs(2, 0, rejected ? 1 : 0, List.of()));
          }
        }
        regions.put(region, byDay);
      }
      accounts.put(ACCOUNT, regions);
    }
    return new LogCoverage(WINDOW, accounts, 0);
  }

  private static List<String> some(Random random, List<String> pool, int max) {
    Set<String> values = new LinkedHashSet<>();
    int n = 1 + random.nextInt(max);
    for (int i = 0; i < n; i++) {
      values.add(pool.get(random.nextInt(pool.size())));
    }
    return List.copyOf(values);
  }

  private static String json(List<String> values) {
    return "[\"" + String.join("\",\"", values) + "\"]";
  }
}
