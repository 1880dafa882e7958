package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.config.SafetyControls;
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
import dev.trailtrim.model.Visibility;
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
 * still allows it; and every call the role made is allowed. The same with random trail
 * configurations: whatever a trail's selectors do not record on a concrete resource stays allowed.
 * Set {@code -Dtrailtrim.property.cases} for a longer run.
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
      "arn:aws:s3:::b1", "arn:aws:s3:::b1/*", "arn:aws:iam::" + ACCOUNT + ":role/*",
      "arn:aws:kms:*:" + ACCOUNT + ":key/*",
      "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/app/*", "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:f*");
  private static final List<String> ARNS = List.of("arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/T",
      "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/U", "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":q1",
      "arn:aws:s3:::b1",
      "arn:aws:s3:::b1/k.json", "arn:aws:iam::" + ACCOUNT + ":role/r1", "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/k1",
      "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:s-AbCdEf", "arn:aws:ssm:eu-west-1:" + ACCOUNT
          + ":parameter/app/p",
      "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:/aws/lambda/f:log-stream:s",
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
      assertNotNull(analysis.suggestion(), where);
      GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", analysis.suggestion().policy()));
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
                where + ": " + action + " on " + arn
                    + " could have been used in the hole, yet the suggestion drops it");
          }
        }
      }
    }
    assertTrue(hidden > CASES, "the cases must exercise hidden permissions, got " + hidden);
  }

  @Test
  void noSuggestionDropsAPermissionTheTrailsSelectorsCouldHide() {
    Random random = new Random(4242L);
    int hidden = 0;
    for (int c = 0; c < CASES; c++) {
      RoleGrants grants = randomGrants(random);
      GrantSet granted = grants.grantSet();
      RoleUsage usage = randomUsage(random, granted);
      List<com.fasterxml.jackson.databind.JsonNode> documents = randomTrails(random);
      dev.trailtrim.evidence.TrailRecording trails = dev.trailtrim.evidence.TrailRecording.of(
          dev.trailtrim.evidence.TrailConfigParser.parse(documents));
      List<String> acting = List.copyOf(new TreeSet<>(some(random, REGIONS, 2)));
      LogCoverage logs = fullLogs();
      LogEvidence evidence = LogEvidence.of(logs, ACCOUNT, acting, 1, Set.of("us-east-1"));
      TrailView view = new TrailView((LogObservability) LOGS, trails, ACCOUNT, acting);
      RoleAnalysis analysis = RoleAnalyzer.analyze(context(), grants, usage, CATALOG, evidence.over(view, logs),
          SafetyControls.NONE, evidence);
      String where = "case " + c + " (" + grants.policies() + ", acting " + acting + ", trails " + documents + ")";
      GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", analysis.suggestion().policy()));
      for (ActionUsage use : usage.usages()) {
        assertTrue(PolicyEvaluator.evaluate(suggested, use.access().action(), use.access().resource()).allowed(),
            where + ": the call " + use.access() + " is not allowed by the suggestion");
      }
      for (String name : ACTIONS) {
        IamAction action = IamAction.parse(name);
        if (LOGS.visibility(action, "*") == Visibility.NOT_LOGGED) {
          continue; // CloudTrail never records it: kept whatever the trails say
        }
        boolean resourceTypes = CATALOG.action(action).orElseThrow().hasResourceTypes();
        for (String arn : resourceTypes ? ARNS : List.of("*")) {
          if (arn.equals("*") && resourceTypes || !plausible(action, arn)
              || !PolicyEvaluator.evaluate(granted, action, arn).allowed()) {
            continue;
          }
          boolean recorded = true;
          for (String region : regionsLogging(action, arn, acting)) {
            recorded &= view.visibility(action, arn).absenceMeansUnused()
                && trails.recording(ACCOUNT, region, eventOf(action), arn).absenceMeansUnused();
          }
          if (!recorded) {
            hidden++;
            assertTrue(PolicyEvaluator.evaluate(suggested, action, arn).allowed(), where + ": " + action + " on " + arn
                + " is not recorded by the trails, yet the suggestion drops it");
          }
        }
      }
    }
    assertTrue(hidden > CASES / 2, "the cases must exercise unrecorded permissions, got " + hidden);
  }

  /**
   * Whether IAM could evaluate the action against this ARN: one of its own service, and for S3 an
   * object for object actions, a bucket for bucket actions.
   */
  private static boolean plausible(IamAction action, String arn) {
    String[] parts = arn.split(":", 6);
    if (arn.equals("*") || parts.length < 6 || !parts[2].equals(action.service())) {
      return arn.equals("*");
    }
    boolean bucketAction = action.name().startsWith("GetBucket") || action.name().startsWith("ListBucket");
    return !action.service().equals("s3") || bucketAction != parts[5].contains("/");
  }

  /** Where a call of the action on this resource is recorded: the resource's region, or where the role acts. */
  private static List<String> regionsLogging(IamAction action, String arn, List<String> acting) {
    LogObservability rules = (LogObservability) LOGS;
    String[] parts = arn.split(":", 6);
    if (rules.callFacts(action).dataEvent() && parts.length == 6 && !parts[3].isEmpty()) {
      return List.of(parts[3]);
    }
    Observability.GlobalLogging global = rules.globalLogging(action);
    if (global == null) {
      return acting;
    }
    List<String> regions = new ArrayList<>(global.onlyThere() ? List.of() : acting);
    regions.add(global.region());
    return regions;
  }

  private static dev.trailtrim.evidence.ActionEvent eventOf(IamAction action) {
    LogObservability.CallFacts facts = ((LogObservability) LOGS).callFacts(action);
    return facts.dataEvent() ? dev.trailtrim.evidence.ActionEvent.data(action, facts.eventSource(), facts.readOnly(),
        dev.trailtrim.evidence.DataEventTypes.resourceTypeOf(action))
        : dev.trailtrim.evidence.ActionEvent.management(action, facts.eventSource(), facts.readOnly());
  }

  private static LogCoverage fullLogs() {
    SortedMap<String, SortedMap<LocalDate, DayLogs>> regions = new TreeMap<>();
    for (String region : REGIONS) {
      SortedMap<LocalDate, DayLogs> days = new TreeMap<>();
      for (int d = 0; d < 30; d++) {
        days.put(WINDOW.from().plusDays(d), new DayLogs(2, 0, 0, List.of()));
      }
      regions.put(region, days);
    }
    SortedMap<String, SortedMap<String, SortedMap<LocalDate, DayLogs>>> accounts = new TreeMap<>();
    accounts.put(ACCOUNT, regions);
    return new LogCoverage(WINDOW, accounts, 0);
  }

  /** One or two trails of the account or its organization, with random basic or advanced selectors. */
  private static List<com.fasterxml.jackson.databind.JsonNode> randomTrails(Random random) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<com.fasterxml.jackson.databind.JsonNode> documents = new ArrayList<>();
    List<String> trails = new ArrayList<>();
    int n = 1 + random.nextInt(2);
    for (int t = 0; t < n; t++) {
      boolean org = random.nextInt(3) == 0;
      String home = REGIONS.get(random.nextInt(REGIONS.size()));
      String arn = "arn:aws:cloudtrail:" + home + ":" + (org ? "999988887777" : ACCOUNT) + ":trail/t" + t;
      trails.add("{\"Name\":\"t" + t + "\",\"TrailARN\":\"" + arn + "\",\"HomeRegion\":\"" + home
          + "\",\"IsMultiRegionTrail\":" + (random.nextInt(3) > 0) + ",\"IncludeGlobalServiceEvents\":"
          + random.nextBoolean() + ",\"IsOrganizationTrail\":" + org + "}");
      String selectors = random.nextInt(3) == 0 ? basicSelectors(random) : advancedSelectors(random);
      documents.add(parse(json, "{\"TrailARN\":\"" + arn + "\"," + selectors + "}"));
    }
    documents.add(0, parse(json, "{\"trailList\":[" + String.join(",", trails) + "]}"));
    return documents;
  }

  private static String basicSelectors(Random random) {
    List<String> data = new ArrayList<>();
    if (random.nextBoolean()) {
      data.add("{\"Type\":\"AWS::S3::Object\",\"Values\":[\"" + pick(random, List.of("arn:aws:s3",
          "arn:aws:s3:::b1/", "arn:aws:s3:::b1/k", "arn:aws:s3:::b2/")) + "\"]}");
    }
    if (random.nextBoolean()) {
      data.add("{\"Type\":\"AWS::DynamoDB::Table\",\"Values\":[\"" + pick(random, List.of("arn:aws:dynamodb",
          "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/T")) + "\"]}");
    }
    return "\"EventSelectors\":[{\"ReadWriteType\":\"" + pick(random, List.of("All", "All", "ReadOnly", "WriteOnly"))
        + "\",\"IncludeManagementEvents\":" + (random.nextInt(4) > 0) + ",\"DataResources\":[" + String.join(",", data)
        + "],\"ExcludeManagementEventSources\":[" + (random.nextInt(3) == 0 ? "\"kms.amazonaws.com\"" : "") + "]}]";
  }

  private static String advancedSelectors(Random random) {
    List<String> selectors = new ArrayList<>();
    if (random.nextInt(4) > 0) {
      selectors.add("{\"Name\":\"m\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}"
          + (random.nextBoolean() ? ",{\"Field\":\"eventSource\",\"NotEquals\":[\"kms.amazonaws.com\"]}" : "")
          + (random.nextInt(4) == 0 ? ",{\"Field\":\"readOnly\",\"Equals\":[\"true\"]}" : "") + "]}");
    }
    if (random.nextInt(4) > 0) {
      // The Not forms most often: they leave part of a wide grant unrecorded, the case narrowing must get right.
      String arn = pick(random, List.of("", ",{\"Field\":\"resources.ARN\",\"StartsWith\":[\"arn:aws:s3:::b1/\"]}",
          ",{\"Field\":\"resources.ARN\",\"NotStartsWith\":[\"arn:aws:s3:::b1/\"]}",
          ",{\"Field\":\"resources.ARN\",\"NotStartsWith\":[\"arn:aws:s3:::b1/\"]}",
          ",{\"Field\":\"resources.ARN\",\"NotEquals\":[\"arn:aws:s3:::b1/k.json\"]}",
          ",{\"Field\":\"resources.ARN\",\"NotEquals\":[\"arn:aws:s3:::b1/k.json\"]}"));
      selectors.add("{\"Name\":\"s3\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]},"
          + "{\"Field\":\"resources.type\",\"Equals\":[\"AWS::S3::Object\"]}" + arn + "]}");
    }
    if (random.nextBoolean()) {
      selectors.add("{\"Name\":\"ddb\",\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]},"
          + "{\"Field\":\"resources.type\",\"Equals\":[\"" + pick(random, List.of("AWS::DynamoDB::Table",
              "AWS::SQS::Queue", "AWS::Made::Up"))
          + "\"]}]}");
    }
    return "\"AdvancedEventSelectors\":[" + String.join(",", selectors) + "]";
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(com.fasterxml.jackson.databind.ObjectMapper json,
      String text) {
    try {
      return json.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(text, e);
    }
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
      String arn =
          CATALOG.action(action).orElseThrow().hasResourceTypes() ? ARNS.get(random.nextInt(ARNS.size())) : "*";
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
