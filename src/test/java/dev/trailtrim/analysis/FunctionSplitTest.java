package dev.trailtrim.analysis;

import static dev.trailtrim.analysis.AnalysisFixtures.DAY_1;
import static dev.trailtrim.analysis.AnalysisFixtures.HOUR;
import static dev.trailtrim.analysis.AnalysisFixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.PolicyTightener;
import dev.trailtrim.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A role two functions share, split by function: each policy within the role's, each allowing its calls only. */
class FunctionSplitTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final String ROLE = AnalysisFixtures.ROLE_ARN;
  private static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";
  private static final String PARAMETERS = "arn:aws:ssm:eu-west-1:111122223333:parameter/app/";
  private static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String LOGS = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/";

  private static RoleGrants grants() {
    PolicyDocument app = PolicyParser.parse(("{'Version':'2012-10-17','Statement':["
        + "{'Sid':'Orders','Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:PutItem','dynamodb:DeleteItem'],"
        + "'Resource':'" + TABLE + "'},"
        + "{'Sid':'Config','Effect':'Allow','Action':'ssm:GetParameter','Resource':'" + PARAMETERS + "*'},"
        + "{'Sid':'Key','Effect':'Allow','Action':['kms:Decrypt','kms:Encrypt'],'Resource':'" + KEY + "'},"
        + "{'Sid':'Logs','Effect':'Allow','Action':['logs:CreateLogStream','logs:PutLogEvents'],'Resource':'*'}]}")
        .replace('\'', '"'));
    return new RoleGrants(ROLE, "orders-fn", "/service-role/", "111122223333", Set.of("lambda.amazonaws.com"),
        List.of(new GrantedPolicy(GrantedPolicy.Kind.INLINE, "app", null, app)), null, List.of());
  }

  private static ActionUsage ok(String action, String resource, long count) {
    return usage(action, resource, null, count, DAY_1, DAY_1 + HOUR);
  }

  /** reader reads the table and its own parameter; writer writes it and reads its own; KMS by a service for both. */
  private static Map<String, RoleUsage> byFunction() {
    Map<String, RoleUsage> usage = new TreeMap<>();
    usage.put("reader", new RoleUsage(ROLE, List.of(ok("dynamodb:GetItem", TABLE, 30),
        ok("ssm:GetParameter", PARAMETERS + "reader", 3),
        ok("logs:CreateLogStream", LOGS + "reader:log-stream:2024/06/01/[${$}LATEST]a1", 2))));
    usage.put("writer", new RoleUsage(ROLE, List.of(ok("dynamodb:PutItem", TABLE, 12),
        ok("ssm:GetParameter", PARAMETERS + "writer", 2),
        ok("logs:CreateLogStream", LOGS + "writer:log-stream:2024/06/01/[${$}LATEST]b2", 1),
        usage("dynamodb:DeleteItem", TABLE, "AccessDeniedException", 1, DAY_1, DAY_1))));
    usage.put("", new RoleUsage(ROLE, List.of(ok("kms:Decrypt", KEY, 5))));
    return usage;
  }

  private static RoleUsage whole(Map<String, RoleUsage> byFunction) {
    List<ActionUsage> all = new ArrayList<>();
    byFunction.values().forEach(u -> all.addAll(u.usages()));
    return new RoleUsage(ROLE, all);
  }

  private static RoleAnalysis analyze(Map<String, RoleUsage> observed, Set<String> functions) {
    return RoleAnalyzer.analyze(AnalysisFixtures.context(), grants(), whole(observed), CATALOG,
        AnalysisFixtures.OBSERVABILITY, SafetyControls.NONE, null, FunctionSplit.usageOf(ROLE, functions, observed));
  }

  private static boolean allows(PolicyDocument policy, String action, String resource) {
    return PolicyEvaluator.evaluate(GrantSet.of(new LabeledPolicy("suggested", policy)), IamAction.parse(action),
        resource).allowed();
  }

  private static PolicyDocument policyOf(RoleAnalysis analysis, String function) {
    return analysis.split().functions().stream().filter(f -> f.function().equals(function)).findFirst()
        .orElseThrow().policy();
  }

  @Test
  void eachFunctionsPolicyAllowsItsOwnCallsAndNotTheOthersExtraCalls() {
    RoleAnalysis analysis = analyze(byFunction(), Set.of("reader", "writer"));
    assertNotNull(analysis.split());
    assertEquals(List.of("reader", "writer"),
        analysis.split().functions().stream().map(FunctionSplit.FunctionPolicy::function).toList());
    PolicyDocument reader = policyOf(analysis, "reader");
    PolicyDocument writer = policyOf(analysis, "writer");
    String readerStream = LOGS + "reader:log-stream:2024/06/01/[${$}LATEST]a1";
    String writerStream = LOGS + "writer:log-stream:2024/06/01/[${$}LATEST]b2";
    assertTrue(allows(reader, "dynamodb:GetItem", TABLE));
    assertTrue(allows(reader, "ssm:GetParameter", PARAMETERS + "reader"));
    assertTrue(allows(reader, "logs:CreateLogStream", readerStream));
    assertFalse(allows(reader, "dynamodb:PutItem", TABLE), "the writer's call");
    assertFalse(allows(reader, "ssm:GetParameter", PARAMETERS + "writer"), "the writer's parameter");
    assertFalse(allows(reader, "logs:CreateLogStream", writerStream), "the writer's log group");
    assertTrue(allows(writer, "dynamodb:PutItem", TABLE));
    assertTrue(allows(writer, "ssm:GetParameter", PARAMETERS + "writer"));
    assertTrue(allows(writer, "logs:CreateLogStream", writerStream));
    assertFalse(allows(writer, "dynamodb:GetItem", TABLE), "the reader's call");
    assertFalse(allows(writer, "ssm:GetParameter", PARAMETERS + "reader"), "the reader's parameter");
    assertFalse(allows(writer, "dynamodb:DeleteItem", TABLE), "denied, so never suggested");
    // A call no function is known for could be either's: both keep it; what cannot be observed stays in both.
    for (PolicyDocument policy : List.of(reader, writer)) {
      assertTrue(allows(policy, "kms:Decrypt", KEY));
      assertFalse(allows(policy, "kms:Encrypt", KEY), "unused by all, so by each");
      assertTrue(allows(policy, "logs:PutLogEvents", readerStream), "not observable: kept as the role keeps it");
    }
    // In the policies' terms: the log streams of each function's group as one pattern.
    assertEquals(List.of("dynamodb:GetItem " + TABLE, "logs:CreateLogStream " + LOGS + "reader:log-stream:*",
        "ssm:GetParameter " + PARAMETERS + "reader"), names(analysis.split().functions().get(0).needsAlone()));
    assertEquals(List.of("dynamodb:PutItem " + TABLE, "logs:CreateLogStream " + LOGS + "writer:log-stream:*",
        "ssm:GetParameter " + PARAMETERS + "writer"), names(analysis.split().functions().get(1).needsAlone()));
    assertEquals(List.of("dynamodb:GetItem " + TABLE, "logs:CreateLogStream " + readerStream,
        "ssm:GetParameter " + PARAMETERS + "reader"), names(analysis.split().functions().get(0).used()));
    assertEquals(List.of("kms:Decrypt " + KEY), names(analysis.split().unattributed()));
    assertTrue(analysis.split().describe().startsWith("2 functions share the role: reader alone needs dynamodb:GetItem"
        + " on " + TABLE), analysis.split().describe());
  }

  @Test
  void eachFunctionsPolicyLiesWithinTheRolesSuggestionAndItsGrants() {
    RoleAnalysis analysis = analyze(byFunction(), Set.of("reader", "writer"));
    PolicyDocument role = analysis.suggestion().policy();
    GrantSet granted = grants().grantSet();
    for (FunctionSplit.FunctionPolicy function : analysis.split().functions()) {
      int checked = 0;
      for (Statement statement : function.policy().statements()) {
        if (statement.effect() != Effect.ALLOW) {
          continue;
        }
        for (IamAction action : PolicyTightener.grantedActions(statement, CATALOG)) {
          for (String resource : statement.resources()) {
            assertTrue(allows(role, action.toString(), resource), function.function() + ": " + action + " on "
                + resource + " is not in the role's suggestion");
            assertTrue(PolicyEvaluator.evaluate(granted, action, resource).allowed(), function.function() + ": "
                + action + " on " + resource + " is not granted");
            checked++;
          }
        }
      }
      assertTrue(checked >= 5, function.function() + " allows " + checked + " (action, resource)s");
      assertTrue(function.actions() <= analysis.suggestion().actions());
    }
  }

  @Test
  void aRoleOfOneFunctionIsNotSplit() {
    Map<String, RoleUsage> observed = new TreeMap<>(byFunction());
    observed.remove("writer");
    assertEquals(Map.of(), FunctionSplit.usageOf(ROLE, Set.of("reader"), observed));
    assertNull(analyze(observed, Set.of("reader")).split());
    assertNull(analyze(observed, Set.of()).split());
  }

  @Test
  void sessionsThatNameNoFunctionOfTheRoleCountAsUnattributedAndAnIdleFunctionGetsNoPolicy() {
    Map<String, RoleUsage> observed = byFunction();
    Map<String, RoleUsage> usage = FunctionSplit.usageOf(ROLE, Set.of("reader", "idle"), observed);
    assertEquals(Set.of("reader", "idle", ""), usage.keySet());
    assertTrue(usage.get("idle").usages().isEmpty());
    // The writer is not a function of the role here: its calls and the service's belong to no known function.
    assertEquals(observed.get("writer").usages().size() + observed.get("").usages().size(),
        usage.get("").usages().size());
    RoleAnalysis analysis = analyze(observed, Set.of("reader", "idle"));
    // A policy of the shared calls alone could break a function that did not run in the window: none is made.
    assertEquals(List.of("reader"),
        analysis.split().functions().stream().map(FunctionSplit.FunctionPolicy::function).toList());
    assertEquals(List.of(new FunctionSplit.Withheld("idle", FunctionSplit.NO_OWN_CALLS)), analysis.split().withheld());
    PolicyDocument reader = policyOf(analysis, "reader");
    assertTrue(allows(reader, "dynamodb:PutItem", TABLE), "a call of no known function is in every policy");
    assertTrue(allows(reader, "dynamodb:GetItem", TABLE), "the reader's own call");
    assertTrue(analysis.split().describe().contains("idle gets no policy of its own: it made no successful call"),
        analysis.split().describe());
  }

  @Test
  void aFunctionWhoseOwnCallsAllFailedGetsNoPolicyAndNoneLeftMeansNoPerFunctionPolicyAtAll() {
    Map<String, RoleUsage> observed = new TreeMap<>(byFunction());
    observed.put("reader", new RoleUsage(ROLE, List.of(usage("dynamodb:GetItem", TABLE, "AccessDeniedException", 4,
        DAY_1, DAY_1))));
    RoleAnalysis analysis = analyze(observed, Set.of("reader", "writer"));
    assertEquals(List.of("writer"),
        analysis.split().functions().stream().map(FunctionSplit.FunctionPolicy::function).toList());
    assertEquals(List.of("reader"), analysis.split().withheld().stream().map(FunctionSplit.Withheld::function)
        .toList());
    // Neither function of the role made a call of its own: the split withholds both and proposes nothing.
    RoleAnalysis none = analyze(observed, Set.of("idle", "sleeper"));
    assertEquals(List.of(), none.split().functions());
    assertEquals(List.of("idle", "sleeper"), none.split().withheld().stream().map(FunctionSplit.Withheld::function)
        .toList());
    assertTrue(none.split().describe().endsWith("No function has a policy of its own: the role's suggestion stays"
        + " theirs"), none.split().describe());
  }

  private static List<String> names(List<ActionOnResource> permissions) {
    return permissions.stream().map(p -> p.action() + " " + p.resource()).toList();
  }
}
