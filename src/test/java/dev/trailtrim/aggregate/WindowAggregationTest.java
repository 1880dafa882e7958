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
          + "\"Resource\":[\"arn:aws:s3:::data/in/*\",\"arn:aws:s3:::data/other/*\"]}]}"))), null);

  private static List<Tuple2<UsageKey, UsageStats>> usage() {
    List<Tuple2<UsageKey, UsageStats>> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String day = i % 2 == 0 ? "2026-11-02" : "2026-11-03";
      rows.add(row(day, APP, "s3:GetObject", String.format("arn:aws:s3:::data/in/2026/11/obj-%05d", i), "", i));
      // The same object on another day: summed, not a second resource.
      rows.add(row("2026-11-04", APP, "s3:GetObject", String.format("arn:aws:s3:::data/in/2026/11/obj-%05d", i), "", i));
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
      if (!key.roleArn().equals(APP) || !key.errorCode().isEmpty() || !NOVEMBER.contains(LocalDate.parse(key.eventDay()))) {
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
}
