package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.Patterns;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The window's usage, summed and compacted where Spark holds it. */
class WindowAggregationTest {

  private static final String APP = "arn:aws:iam::111122223333:role/app";
  private static final String SMALL = "arn:aws:iam::111122223333:role/small";
  private static final ObservationWindow NOVEMBER = new ObservationWindow(LocalDate.of(2026, 11, 1),
      LocalDate.of(2026, 11, 30));
  private static final long T = 1_793_000_000_000L;

  private static final GrantSet APP_GRANTS = new GrantSet(List.of(new LabeledPolicy("inline:app", PolicyParser.parse(
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":[\"arn:aws:s3:::data/in/*\",\"arn:aws:s3:::data/other/*\"]}]}"))),
      null);

  private static List<Tuple2<UsageKey, UsageStats>> usage() {
    List<Tuple2<UsageKey, UsageStats>> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String day = i % 2 == 0 ? "2026-11-02" : "2026-11-03";
      rows.add(row(day, APP, "s3:GetObject", String.format("arn:aws:s3:::data/in/2026/11/obj-%05d", i), "", i));
      // The same object on another day: summed, not a second resource.
      rows.add(
          row("2026-11-04", APP, "s3:GetObject", String.format("arn:aws:s3:::data/in/2026/11/obj-%05d", i), "", i));
    }
    for (int i = 0; i < 800; i++) {
      rows.add(row("2026-11-05", APP, "s3:GetObject", "arn:aws:s3:::data/other/k" + i, "", i));
    }
    for (int i = 0; i < 1200; i++) {
      rows.add(row("2026-11-05", APP, "s3:GetObject", "arn:aws:s3:::secret/k" + i, "AccessDenied", i));
    }
    // Outside the window: never counted.
    rows.add(row("2026-10-31", APP, "s3:GetObject", "arn:aws:s3:::data/in/old", "", 0));
    for (int i = 0; i < 10; i++) {
      rows.add(row("2026-11-02", SMALL, "s3:GetObject", "arn:aws:s3:::small/k" + i, "", i));
    }
    return rows;
  }

  private static Tuple2<UsageKey, UsageStats> row(String day, String role, String action, String resource,
      String error, int offset) {
    return new Tuple2<>(new UsageKey("2026/11/05", day, role, action, resource, error), UsageStats.of(T + offset));
  }

  private static WindowAggregation.Result compute(int partitions, int maxResources) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    JavaPairRDD<UsageKey, UsageStats> rdd = jsc.parallelizePairs(usage(), partitions);
    return WindowAggregation.compute(rdd, NOVEMBER, Map.of(APP, APP_GRANTS), maxResources);
  }

  private static Map<String, WindowedUsage> byKey(WindowAggregation.Result result) {
    Map<String, WindowedUsage> rows = new TreeMap<>();
    result.usage().forEach(u -> rows.put(u.roleArn() + " " + u.resource() + " " + u.errorCode(), u));
    return rows;
  }

  @Test
  void crowdedActionsBecomeAFewPatternsThatCoverEveryCallAndStayInsideTheGrant() {
    WindowAggregation.Result result = compute(4, 1000);
    Map<String, WindowedUsage> rows = byKey(result);
    assertEquals(2, result.compactedActions(), "GetObject allowed (3800 objects) and denied (1200) of app");
    assertEquals(List.of(
        APP + " arn:aws:s3:::data/in/2026/11/* ",
        APP + " arn:aws:s3:::data/other/* ",
        APP + " arn:aws:s3:::secret/* AccessDenied",
        SMALL + " arn:aws:s3:::small/k0 "), List.copyOf(rows.keySet()).subList(0, 4));
    assertEquals(3 + 10, rows.size(), "the uncrowded role keeps its 10 resources as they are");
    WindowedUsage in = rows.get(APP + " arn:aws:s3:::data/in/2026/11/* ");
    assertEquals(3000, in.resources());
    assertEquals(6000, in.stats().count(), "two days of each object; the October call is outside the window");
    assertEquals(3000 + 800 + 1200, result.compactedResources());
    // Every successful call is covered by a pattern the grant allows whole.
    for (Tuple2<UsageKey, UsageStats> call : usage()) {
      UsageKey key = call._1();
      if (!key.roleArn().equals(APP) || !key.errorCode().isEmpty()
          || !NOVEMBER.contains(LocalDate.parse(key.eventDay()))) {
        continue;
      }
      assertTrue(result.usage().stream().anyMatch(u -> u.roleArn().equals(APP) && u.errorCode().isEmpty()
          && Patterns.resourceMatches(u.resource(), key.resource(), Patterns.Variables.MATCH_NOTHING)),
          "no pattern covers " + key.resource());
    }
    for (WindowedUsage u : result.usage()) {
      if (u.roleArn().equals(APP) && u.errorCode().isEmpty()) {
        assertTrue(PolicyEvaluator.evaluate(APP_GRANTS, IamAction.parse(u.action()), u.resource()).allowed(),
            u.resource() + " reaches beyond the grant");
      }
    }
  }

  @Test
  void theResultDoesNotDependOnPartitioning() {
    assertEquals(byKey(compute(1, 1000)), byKey(compute(7, 1000)));
  }

  @Test
  void belowTheLimitEveryResourceStaysAsItIs() {
    WindowAggregation.Result result = compute(3, 100_000);
    assertEquals(0, result.compactedActions());
    assertEquals(3000 + 800 + 1200 + 10, result.usage().size());
    assertTrue(result.usage().stream().allMatch(u -> u.resources() == 1));
  }

  private static final String SHARED = "arn:aws:iam::111122223333:role/shared";
  private static final String SOLO = "arn:aws:iam::111122223333:role/solo";

  /** shared: functions a and b (b on 1500 objects of data/in), and KMS calls of no known function; solo: one. */
  private static List<Tuple2<UsageKey, UsageStats>> functionUsage() {
    List<Tuple2<UsageKey, UsageStats>> rows = new ArrayList<>();
    for (String day : List.of("2026-11-02", "2026-11-03")) {
      rows.add(callBy(day, SHARED, "a", "s3:GetObject", "arn:aws:s3:::data/other/report.csv"));
      rows.add(callBy(day, SHARED, "b", "s3:GetObject", "arn:aws:s3:::data/other/report.csv"));
    }
    for (int i = 0; i < 1500; i++) {
      rows.add(callBy("2026-11-04", SHARED, "b", "s3:GetObject", String.format("arn:aws:s3:::data/in/b/obj-%05d", i)));
    }
    rows.add(callBy("2026-11-04", SHARED, "a", "s3:GetObject", "arn:aws:s3:::data/in/a/only"));
    rows.add(callBy("2026-11-04", SHARED, "", "kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/k"));
    rows.add(callBy("2026-11-04", SOLO, "solo", "s3:GetObject", "arn:aws:s3:::small/k"));
    rows.add(callBy("2026-11-04", SMALL, "", "s3:GetObject", "arn:aws:s3:::small/k"));
    return rows;
  }

  private static Tuple2<UsageKey, UsageStats> callBy(String day, String role, String function, String action,
      String resource) {
    return new Tuple2<>(new UsageKey("2026/11/05", day, role, function, action, resource, ""), UsageStats.of(T));
  }

  private static WindowAggregation.Result computeFunctions(List<Tuple2<UsageKey, UsageStats>> rows) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    return WindowAggregation.compute(jsc.parallelizePairs(rows, 3), NOVEMBER, Map.of(SHARED, APP_GRANTS), 1000);
  }

  private static List<String> lines(List<WindowedUsage> usage) {
    return usage.stream().map(u -> u.roleArn().substring(u.roleArn().lastIndexOf('/') + 1) + " " + u.function() + " "
        + u.action() + " " + u.resource() + " " + u.stats().count() + " " + u.resources()).sorted().toList();
  }

  @Test
  void aRoleOfSeveralFunctionsIsAlsoSummedPerFunctionWhileItsWholeStaysWhatItWas() {
    WindowAggregation.Result result = computeFunctions(functionUsage());
    // Without functions the same calls give the same use of each role as a whole.
    List<Tuple2<UsageKey, UsageStats>> anonymous = functionUsage().stream().map(row -> new Tuple2<>(new UsageKey(
        row._1().folderDay(), row._1().eventDay(), row._1().roleArn(), row._1().action(), row._1().resource(),
        row._1().errorCode()), row._2())).toList();
    WindowAggregation.Result whole = computeFunctions(anonymous);
    assertEquals(lines(whole.usage()), lines(result.usage()));
    assertEquals(List.of("shared  kms:Decrypt arn:aws:kms:eu-west-1:111122223333:key/k 1 1",
        "shared  s3:GetObject arn:aws:s3:::data/in/* 1501 1501",
        "shared  s3:GetObject arn:aws:s3:::data/other/report.csv 4 1",
        "small  s3:GetObject arn:aws:s3:::small/k 1 1",
        "solo  s3:GetObject arn:aws:s3:::small/k 1 1"), lines(result.usage()));
    // Only the role of several functions is split; the crowded action is compacted per function too.
    assertEquals(List.of("shared  kms:Decrypt arn:aws:kms:eu-west-1:111122223333:key/k 1 1",
        "shared a s3:GetObject arn:aws:s3:::data/in/a/only 1 1",
        "shared a s3:GetObject arn:aws:s3:::data/other/report.csv 2 1",
        "shared b s3:GetObject arn:aws:s3:::data/in/b/* 1500 1500",
        "shared b s3:GetObject arn:aws:s3:::data/other/report.csv 2 1"), lines(result.functionUsage()));
    assertEquals(Map.of(SOLO, "solo", SMALL, ""), result.onlyFunction());
    assertEquals(whole.functionUsage().size(), 0, "calls of no known function: nothing to split");

    Map<String, Map<String, dev.trailtrim.model.RoleUsage>> byFunction =
        UsageWindow.byFunction(result, UsageWindow.byRole(result.usage()));
    assertEquals(List.of("", "a", "b"), List.copyOf(byFunction.get(SHARED).keySet()));
    assertEquals(2, byFunction.get(SHARED).get("a").usages().size());
    assertEquals(UsageWindow.byRole(result.usage()).get(SOLO), byFunction.get(SOLO).get("solo"));
    assertEquals(Set.of(""), byFunction.get(SMALL).keySet());
  }
}
