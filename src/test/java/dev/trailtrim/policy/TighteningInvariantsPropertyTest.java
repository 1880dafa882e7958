package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Decision.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Random grants x random usage (seeded, real catalog actions of a few services): the suggestion
 * never allows what the grant does not (invariant 1), allows every observed call the grant
 * allows (invariant 2), and keeps every not-observable granted permission (invariant 3). The
 * same holds with the safety controls: permissions kept because the configuration protects
 * them, and statements kept as they are (an opt-out Sid, or a window too short to remove
 * anything), which are also checked to allow all they allowed. The
 * suggestion is judged on its own, without the role's permissions boundary: it must not allow
 * more than identity policies and boundary allow together.
 * Resources are patterns as the translator writes them (escaped literals, a few wildcards).
 *
 * <p>500 cases by default, to keep the suite short; {@code -Dtrailtrim.property.cases=N} runs the first N
 * cases of the same seeded sequence (CI's {@code .ci/run} runs 2,000, as this test did before).
 */
@Execution(ExecutionMode.CONCURRENT) // Pure Java: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
class TighteningInvariantsPropertyTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final int CASES = Integer.getInteger("trailtrim.property.cases", 500);

  private static final List<String> ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
      "s3:ListBucket",
      "s3:GetObjectVersion", "s3:ListAllMyBuckets", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
      "sqs:SendMessage", "sqs:ReceiveMessage", "logs:PutLogEvents", "logs:CreateLogStream", "lambda:InvokeFunction");
  private static final List<String> ACTION_PATTERNS = List.of("s3:Get*", "s3:*Object", "dynamodb:*", "sqs:*", "logs:*",
      "*", "s3:?etObject", "S3:getobject", "dynamodb:Get*");
  private static final List<String> RESOURCE_PATTERNS = List.of("*", "arn:aws:s3:::b1/*", "arn:aws:s3:::b1/data/*",
      "arn:aws:s3:::b1/data/2024/*", "arn:aws:s3:::b2/*", "arn:aws:s3:::*", "arn:aws:s3:::b1", "arn:aws:s3:::b?/data/*",
      "arn:aws:dynamodb:eu-west-1:111:table/T", "arn:aws:dynamodb:eu-west-1:111:table/T/index/*",
      "arn:aws:dynamodb:*:111:table/*", "arn:aws:sqs:eu-west-1:111:q*", "arn:aws:logs:*:*:*",
      "arn:aws:logs:eu-west-1:111:log-group:/aws/lambda/f:*", "arn:aws:s3:::b1/${aws:username}/*",
      "arn:aws:lambda:eu-west-1:111:function:f*", "arn:aws:s3:::b2/k${*}*", "arn:aws:s3:::b1/data/2024/a.json",
      "arn:aws:s3:::b1/data/2025/*", "arn:aws:s3:::b1/x", "arn:aws:dynamodb:eu-west-1:111:table/T/index/I1",
      "arn:aws:s3:::b2/k${*}weird");
  private static final List<String> ARNS = List.of("*", "arn:aws:s3:::b1", "arn:aws:s3:::b2",
      "arn:aws:s3:::b1/data/2024/a.json", "arn:aws:s3:::b1/data/2024/b.json", "arn:aws:s3:::b1/data/2025/c.json",
      "arn:aws:s3:::b1/x", "arn:aws:s3:::b2/k${*}weird", "arn:aws:s3:::b2/kx", "arn:aws:s3:::b1/bob/notes",
      "arn:aws:s3:::b1/data/*", "arn:aws:s3:::b2/k?",
      "arn:aws:dynamodb:eu-west-1:111:table/T", "arn:aws:dynamodb:eu-west-1:111:table/T/index/I1",
      "arn:aws:dynamodb:eu-west-1:111:table/T/index/I2", "arn:aws:dynamodb:eu-west-1:111:table/U",
      "arn:aws:dynamodb:us-east-1:111:table/T", "arn:aws:sqs:eu-west-1:111:q1", "arn:aws:sqs:eu-west-1:111:r1",
      "arn:aws:logs:eu-west-1:111:log-group:/aws/lambda/f:log-stream:s1",
      "arn:aws:lambda:eu-west-1:111:function:f1", "arn:aws:lambda:eu-west-1:111:function:g");

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static List<String> some(Random random, List<String> pool, int max) {
    Set<String> values = new LinkedHashSet<>();
    int n = 1 + random.nextInt(max);
    for (int i = 0; i < n; i++) {
      values.add(pick(random, pool));
    }
    return List.copyOf(values);
  }

  private static Conditions someCondition(Random random) {
    SortedMap<String, SortedMap<String, List<String>>> operators = new TreeMap<>();
    SortedMap<String, List<String>> keys = new TreeMap<>();
    keys.put(pick(random, List.of("aws:ResourceTag/team", "aws:SourceVpc")), List.of(pick(random, List.of("a", "b"))));
    operators.put(pick(random, List.of("StringEquals", "StringLikeIfExists")), keys);
    return new Conditions(operators);
  }

  private static Statement randomStatement(Random random, boolean allowDeny) {
    Effect effect = allowDeny && random.nextInt(5) == 0 ? Effect.DENY : Effect.ALLOW;
    List<String> actionPool = new ArrayList<>(ACTIONS);
    actionPool.addAll(ACTION_PATTERNS);
    boolean notAction = random.nextInt(10) == 0;
    boolean notResource = random.nextInt(10) == 0;
    List<String> actions = some(random, actionPool, 4);
    List<String> resources = some(random, RESOURCE_PATTERNS, 3);
    Conditions conditions = random.nextInt(4) == 0 ? someCondition(random) : Conditions.NONE;
    return new Statement(random.nextInt(3) == 0 ? "S" + random.nextInt(100) : null, effect,
        notAction ? List.of() : actions, notAction ? actions : List.of(),
        notResource ? List.of() : resources, notResource ? resources : List.of(), conditions);
  }

  private static PolicyDocument randomPolicy(Random random, boolean allowDeny) {
    List<Statement> statements = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      statements.add(randomStatement(random, allowDeny));
    }
    return new PolicyDocument(random.nextInt(10) == 0 ? PolicyDocument.OLD_VERSION : PolicyDocument.CURRENT_VERSION,
        statements);
  }

  private static Set<String> probes(List<ActionOnResource> used, PolicyDocument suggested) {
    Set<String> arns = new LinkedHashSet<>(ARNS);
    for (ActionOnResource access : used) {
      String arn = access.resource();
      arns.add(arn + "x");
      arns.add(arn.substring(0, arn.length() - 1));
      arns.add(arn.replace("b1", "b2"));
      arns.add(arn.replace("data", "Data"));
      if (arn.lastIndexOf('/') > 0) {
        arns.add(arn.substring(0, arn.lastIndexOf('/') + 1) + "other");
      }
    }
    for (Statement statement : suggested.statements()) {
      for (String pattern : statement.resources()) {
        if (pattern.endsWith("*") && !pattern.equals("*")) {
          String prefix = pattern.substring(0, pattern.length() - 1);
          arns.add(prefix + "zz");
          arns.add(prefix + "deep/zz");
          arns.add(prefix);
        }
      }
    }
    return arns;
  }

  /** One generated input of {@link PolicyTightener#tighten}. */
  record TighteningCase(GrantSet granted, List<ActionOnResource> used, List<KeptPermission> kept,
      List<StatementRef> keepAsIs) {}

  /** Case {@code c} of the seeded sequence; {@code random} carries on from the previous case. */
  static TighteningCase randomCase(Random random, int c) {
    List<LabeledPolicy> policies = new ArrayList<>();
    int policyCount = 1 + random.nextInt(2);
    for (int p = 0; p < policyCount; p++) {
      policies.add(new LabeledPolicy("inline:p" + p, randomPolicy(random, true)));
    }
    LabeledPolicy boundary =
        random.nextInt(4) == 0 ? new LabeledPolicy("boundary:b", randomPolicy(random, true)) : null;
    GrantSet granted = new GrantSet(policies, boundary);

    List<ActionOnResource> used = new ArrayList<>();
    int usedCount = 1 + random.nextInt(8);
    for (int u = 0; u < usedCount; u++) {
      used.add(new ActionOnResource(IamAction.parse(pick(random, ACTIONS)), pick(random, ARNS)));
    }
    List<KeptPermission> kept = new ArrayList<>();
    // A second stream for the safety controls, so the cases above stay what they were.
    Random safety = new Random(c * 31L + 7);
    List<StatementRef> keepAsIs = new ArrayList<>();
    for (LabeledPolicy policy : granted.policies()) {
      for (int i = 0; i < policy.document().statements().size(); i++) {
        Statement statement = policy.document().statements().get(i);
        if (statement.effect() == Effect.ALLOW && random.nextInt(3) == 0) {
          IamAction action = IamAction.parse(pick(random, ACTIONS));
          if (PolicyEvaluator.actionApplies(statement, action)) {
            kept.add(new KeptPermission(action, new StatementRef(policy.label(), i + 1, statement),
                pick(safety, List.of(KeptPermission.Why.values()))));
          }
        }
        if (safety.nextInt(8) == 0) {
          keepAsIs.add(new StatementRef(policy.label(), i + 1, statement));
        }
      }
    }
    if (safety.nextInt(20) == 0) { // the whole role kept: every statement as it is
      keepAsIs.clear();
      for (LabeledPolicy policy : granted.policies()) {
        for (int i = 0; i < policy.document().statements().size(); i++) {
          keepAsIs.add(new StatementRef(policy.label(), i + 1, policy.document().statements().get(i)));
        }
      }
    }
    return new TighteningCase(granted, used, kept, keepAsIs);
  }

  @Test
  void suggestionStaysWithinTheGrantAndCoversObservedUseAndKeepsTheUnobservable() {
    Random random = new Random(20261129L);
    int suggestedStatements = 0;
    int generalised = 0;
    int keptAsIsTotal = 0;
    int verbatimChecked = 0;
    for (int c = 0; c < CASES; c++) {
      TighteningCase tighteningCase = randomCase(random, c);
      GrantSet granted = tighteningCase.granted();
      List<ActionOnResource> used = tighteningCase.used();
      List<KeptPermission> kept = tighteningCase.kept();
      List<StatementRef> keepAsIs = tighteningCase.keepAsIs();
      keptAsIsTotal += keepAsIs.size();

      TighteningResult result = PolicyTightener.tighten(granted, used, kept, keepAsIs, CATALOG);
      PolicyDocument suggestedPolicy = result.policy();
      String context = "case " + c + "\ngranted " + granted + "\nused " + used + "\nkept " + kept + "\nkept as is "
          + keepAsIs + "\nsuggested\n"
          + PolicyJson.render(suggestedPolicy);
      assertEquals(PolicyJson.render(suggestedPolicy), PolicyJson.render(PolicyTightener.tighten(granted, used, kept,
          keepAsIs, CATALOG).policy()), "deterministic: " + context);
      assertEquals(suggestedPolicy, PolicyParser.parse(PolicyJson.render(suggestedPolicy)), "round trip: " + context);
      Set<String> sids = new LinkedHashSet<>();
      for (Statement statement : suggestedPolicy.statements()) {
        assertTrue(statement.sid().matches("[A-Za-z0-9]+") && sids.add(statement.sid()),
            "Sid " + statement.sid() + context);
      }
      suggestedStatements += suggestedPolicy.statements().size();
      generalised += suggestedPolicy.statements().stream().flatMap(s -> s.resources().stream())
          .filter(r -> r.endsWith("/*") && (r.startsWith("arn:aws:s3:::b1/data/") || r.contains("index"))).count();
      // The check every real suggestion passes before it is written finds nothing here either (no false alarms).
      assertEquals(List.of(), SuggestionCheck.violations(granted, result.parts(), used, CATALOG),
          "SuggestionCheck: " + context);
      // Standing alone, without the role's boundary: it must not grant more than identity and boundary together.
      GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", suggestedPolicy));

      // Invariant 1: whatever the suggestion allows, the grant allows (under the same Conditions, with the same Denies).
      List<IamAction> actions = new ArrayList<>();
      ACTIONS.forEach(a -> actions.add(CATALOG.action(a).map(ActionInfo::action).orElseThrow()));
      actions.add(IamAction.parse("s3:PutObjectAcl"));
      actions.add(IamAction.parse("sqs:DeleteQueue"));
      for (IamAction action : actions) {
        // IAM asks about actions without resource types with the resource "*" only.
        boolean onlyStar = !CATALOG.action(action).map(ActionInfo::hasResourceTypes).orElse(true);
        for (String arn : onlyStar ? Set.of("*") : probes(used, suggestedPolicy)) {
          Decision bySuggestion = PolicyEvaluator.evaluate(suggested, action, arn);
          if (!bySuggestion.allowedUnlessConditionalDeny()) {
            continue;
          }
          Decision byGrant = PolicyEvaluator.evaluate(
              SuggestionCheck.allowingUnder(granted, bySuggestion.allowedBy().statement().conditions()), action, arn);
          boolean ok = bySuggestion.verdict() == Verdict.ALLOWED ? byGrant.verdict() == Verdict.ALLOWED
              : byGrant.allowedUnlessConditionalDeny();
          if (!ok) {
            fail("Invariant 1: suggestion " + bySuggestion.verdict() + " by " + bySuggestion.allowedBy() + " but grant "
                + byGrant.verdict() + " for " + action + " on " + arn + "\n" + context);
          }
        }
      }

      // Invariant 2: every observed call the grant allows, the suggestion allows, no more conditionally.
      for (ActionOnResource access : used) {
        IamAction action = access.action();
        boolean unknown = access.resource().equals("*") && CATALOG.action(action).orElseThrow().hasResourceTypes();
        List<String> targets = unknown ? ARNS : List.of(access.resource());
        for (String arn : targets) {
          Decision byGrant = PolicyEvaluator.evaluate(granted, action, arn);
          if (!byGrant.allowedUnlessConditionalDeny() || (unknown && arn.equals("*"))) {
            continue;
          }
          Decision bySuggestion = PolicyEvaluator.evaluate(suggested, action, arn);
          if (!bySuggestion.allowedUnlessConditionalDeny()
              || (bySuggestion.allowConditional() && !byGrant.allowConditional())) {
            fail("Invariant 2: grant " + byGrant.verdict() + " by " + byGrant.allowedBy() + " but suggestion "
                + bySuggestion.verdict() + " by " + bySuggestion.allowedBy() + " for " + action + " on " + arn
                + (unknown ? " (resource unknown)" : "") + "\n" + context);
          }
        }
      }

      // Invariant 3: not-observable granted permissions stay, wherever their statement grants them, except where
      // the boundary's patterns only overlap the statement's (the intersection has no pattern) and a note says so.
      for (KeptPermission keep : kept) {
        if (result.notes().stream().anyMatch(n -> n.startsWith("Left out of the suggestion for ")
            && n.contains(keep.action().toString()) && n.contains("granted by " + keep.grantedBy() + ";"))) {
          continue;
        }
        PolicyDocument source =
            granted.policies().stream().filter(p -> p.label().equals(keep.grantedBy().policyLabel()))
                .findFirst().orElseThrow().document();
        boolean onlyStar = !CATALOG.action(keep.action()).map(ActionInfo::hasResourceTypes).orElse(true);
        for (String arn : onlyStar ? List.of("*") : ARNS) {
          if (!PolicyEvaluator.allowResourceApplies(keep.grantedBy().statement(), arn, source)
              || !PolicyEvaluator.evaluate(granted, keep.action(), arn).allowedUnlessConditionalDeny()) {
            continue;
          }
          if (!PolicyEvaluator.evaluate(suggested, keep.action(), arn).allowedUnlessConditionalDeny()) {
            fail("Invariant 3: kept " + keep.action() + " from " + keep.grantedBy() + " lost on " + arn + "\n"
                + context);
          }
        }
      }

      // Kept as it is: whatever the statement allowed (within the whole grant), the suggestion allows; without a
      // boundary the statement is there verbatim.
      for (StatementRef ref : keepAsIs) {
        Statement statement = ref.statement();
        PolicyDocument source = granted.policies().stream().filter(p -> p.label().equals(ref.policyLabel()))
            .findFirst().orElseThrow().document();
        if (granted.boundary() == null) {
          Statement written = new Statement(null, statement.effect(), statement.actions(), statement.notActions(),
              PolicyTightener.portable(statement.resources(), source),
              PolicyTightener.portable(statement.notResources(), source), statement.conditions());
          assertTrue(suggestedPolicy.statements().stream().anyMatch(s -> s.withSid(null).equals(written)),
              "kept verbatim: " + ref + "\n" + context);
          verbatimChecked++;
        }
        if (statement.effect() != Effect.ALLOW) {
          continue;
        }
        for (IamAction action : actions) {
          if (!PolicyEvaluator.actionApplies(statement, action) || result.notes().stream()
              .anyMatch(n -> n.startsWith("Left out of the suggestion for ") && n.contains(action.toString())
                  && n.contains("granted by " + ref + ";"))) {
            continue;
          }
          boolean onlyStar = !CATALOG.action(action).map(ActionInfo::hasResourceTypes).orElse(true);
          for (String arn : onlyStar ? List.of("*") : ARNS) {
            if (!PolicyEvaluator.allowResourceApplies(statement, arn, source)
                || !PolicyEvaluator.evaluate(granted, action, arn).allowedUnlessConditionalDeny()) {
              continue;
            }
            if (!PolicyEvaluator.evaluate(suggested, action, arn).allowedUnlessConditionalDeny()) {
              fail("Kept as is: " + ref + " no longer allows " + action + " on " + arn + "\n" + context);
            }
          }
        }
      }
    }
    assertTrue(keptAsIsTotal > CASES / 2, "statements kept as they are must be exercised, got " + keptAsIsTotal);
    assertTrue(verbatimChecked > CASES / 4, "verbatim statements must be exercised, got " + verbatimChecked);
    assertTrue(suggestedStatements > CASES,
        "the generator must produce non-trivial suggestions, got " + suggestedStatements);
    assertTrue(generalised > 10, "generalisation must be exercised, got " + generalised);
  }
}
