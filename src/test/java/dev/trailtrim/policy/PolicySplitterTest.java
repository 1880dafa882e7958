package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** A suggestion over IAM's inline limit is written as managed policies that together allow exactly what it allows. */
@Execution(ExecutionMode.CONCURRENT) // Pure Java: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
class PolicySplitterTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();

  private static PolicyDocument doc(String statements) {
    return PolicyParser.parse(("{'Version':'2012-10-17','Statement':[" + statements + "]}").replace('\'', '"'));
  }

  /** A role granted 700 tables one by one (so no granted pattern is shorter), a Deny on one, and two used tables each. */
  static TighteningResult sevenHundredTables() {
    StringBuilder tables = new StringBuilder();
    for (int i = 0; i < 700; i++) {
      tables.append(i == 0 ? "" : ",").append("'arn:aws:dynamodb:eu-west-1:111122223333:table/orders-").append(i)
          .append("'");
    }
    GrantSet granted = GrantSet.of(new LabeledPolicy("inline:tables", doc(
        "{'Sid':'Tables','Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:PutItem','dynamodb:Query'],'Resource':["
            + tables + "]},"
            + "{'Sid':'NoPurge','Effect':'Deny','Action':'dynamodb:DeleteTable','Resource':'*'},"
            + "{'Sid':'Frozen','Effect':'Deny','Action':'dynamodb:PutItem','Resource':"
            + "'arn:aws:dynamodb:eu-west-1:111122223333:table/orders-7'},"
            + "{'Sid':'Queue','Effect':'Allow','Action':'sqs:SendMessage','Resource':'arn:aws:sqs:eu-west-1:111122223333:q'}")));
    List<ActionOnResource> used = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      String table = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders-" + i;
      used.add(new ActionOnResource(IamAction.parse("dynamodb:GetItem"), table));
      used.add(new ActionOnResource(IamAction.parse(i % 2 == 0 ? "dynamodb:PutItem" : "dynamodb:Query"), table));
    }
    used.add(new ActionOnResource(IamAction.parse("sqs:SendMessage"), "arn:aws:sqs:eu-west-1:111122223333:q"));
    return PolicyTightener.tighten(granted, used, List.of(), CATALOG);
  }

  @Test
  void aSuggestionOverTheInlineLimitIsSplitIntoManagedPoliciesWithinTheirLimit() {
    TighteningResult result = sevenHundredTables();
    PolicySize size = result.size();
    assertFalse(size.withinLimit(), String.valueOf(size));
    assertEquals(PolicySize.Layout.MANAGED_POLICIES, size.layout());
    assertTrue(result.parts().size() >= 7, "parts: " + result.parts().size());
    assertEquals(result.parts().size(), size.managedPoliciesNeeded());
    assertEquals(result.parts().size(), size.partSizes().size());
    for (int i = 0; i < result.parts().size(); i++) {
      PolicyDocument part = result.parts().get(i);
      String json = PolicyJson.render(part);
      assertEquals(part, PolicyParser.parse(json), "part " + (i + 1) + " parses back to itself");
      int partSize = PolicyJson.sizeWithoutWhitespace(part);
      assertEquals(partSize, size.partSizes().get(i));
      assertTrue(partSize <= PolicyJson.MANAGED_POLICY_LIMIT, "part " + (i + 1) + " has " + partSize);
      Set<String> sids = new HashSet<>();
      part.statements().forEach(s -> assertTrue(sids.add(s.sid()), "Sids are unique within a part: " + s.sid()));
      // Every part that allows dynamodb:PutItem carries the Deny of it, so no part attached alone allows more.
      boolean put = part.statements().stream().anyMatch(s -> s.effect() == Effect.ALLOW
          && s.actions().contains("dynamodb:PutItem"));
      assertEquals(put, sids.contains("KeptDenyFrozen"), json);
    }
    assertTrue(result.notes().stream()
        .anyMatch(n -> n.startsWith("Split: the suggestion is " + size.sizeWithoutWhitespace()
            + " characters, over IAM's 10240 for a role's inline policies; it is written as " + result.parts().size()
            + " managed policies of at most 6144 characters each")),
        result.notes().toString());
    assertUnionEqualsWhole(result.policy(), result.parts());
  }

  @Test
  void splittingIsDeterministic() {
    List<String> first = sevenHundredTables().parts().stream().map(PolicyJson::render).toList();
    List<String> second = sevenHundredTables().parts().stream().map(PolicyJson::render).toList();
    assertEquals(first, second);
  }

  @Test
  void aLongActionListIsDividedAndDeniesThatTouchNothingStay() {
    List<String> actions = CATALOG.actionsOf("ec2").stream().map(info -> info.action().toString()).toList();
    PolicyDocument whole = new PolicyDocument(PolicyDocument.CURRENT_VERSION, List.of(
        Statement.allow("Ec2", actions, List.of("arn:aws:ec2:*:*:instance/*"), Conditions.NONE),
        Statement.allow("Logs", List.of("logs:PutLogEvents"), List.of("*"), Conditions.NONE),
        new Statement("NoIam", Effect.DENY, List.of("iam:*"), List.of(), List.of("*"), List.of(), Conditions.NONE),
        new Statement("NoTerminate", Effect.DENY, List.of("ec2:TerminateInstances"), List.of(), List.of("*"), List.of(),
            Conditions.NONE)));
    PolicySplitter.Split split = PolicySplitter.split(whole, PolicyJson.MANAGED_POLICY_LIMIT, CATALOG);
    assertTrue(split.parts().size() >= 3, "parts: " + split.parts().size());
    assertEquals(List.of(), split.notes());
    long withNoIam =
        split.parts().stream().filter(p -> p.statements().stream().anyMatch(s -> "NoIam".equals(s.sid()))).count();
    assertEquals(1, withNoIam, "a Deny that touches no Allow is written once");
    for (PolicyDocument part : split.parts()) {
      assertTrue(PolicyJson.sizeWithoutWhitespace(part) <= PolicyJson.MANAGED_POLICY_LIMIT);
      boolean terminate = part.statements().stream().anyMatch(s -> s.effect() == Effect.ALLOW
          && s.actions().contains("ec2:TerminateInstances"));
      assertEquals(terminate, part.statements().stream().anyMatch(s -> "NoTerminate".equals(s.sid())),
          PolicyJson.render(part));
      assertTrue(part.statements().stream().filter(s -> s.sid().startsWith("Ec2Chunk")).count() <= 1);
    }
    assertUnionEqualsWhole(whole, split.parts());
  }

  @Test
  void aStatementThatCannotBeDividedIsNoted() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      keys.add("arn:aws:s3:::bucket/very/long/prefix/that/repeats/itself/" + i);
    }
    PolicyDocument whole = new PolicyDocument(PolicyDocument.CURRENT_VERSION, List.of(new Statement("Everything",
        Effect.ALLOW, List.of("s3:GetObject"), List.of(), List.of(), keys, Conditions.NONE)));
    PolicySplitter.Split split = PolicySplitter.split(whole, PolicyJson.MANAGED_POLICY_LIMIT, CATALOG);
    assertEquals(1, split.parts().size());
    assertTrue(split.notes().get(0).startsWith("Part 1 of the split suggestion is "), split.notes().toString());
  }

  /**
   * The parts attached together decide every probe as the whole does, and each part alone allows
   * nothing the whole does not.
   */
  private static void assertUnionEqualsWhole(PolicyDocument whole, List<PolicyDocument> parts) {
    GrantSet wholeSet = GrantSet.of(new LabeledPolicy("whole", whole));
    List<LabeledPolicy> labelled = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      labelled.add(new LabeledPolicy("part-" + (i + 1), parts.get(i)));
    }
    GrantSet union = new GrantSet(labelled, null);
    Set<IamAction> actions = new LinkedHashSet<>();
    Set<String> resources = new LinkedHashSet<>(List.of("*", "arn:aws:sqs:eu-west-1:111122223333:q",
        "arn:aws:ec2:us-east-1:1:instance/i-1", "arn:aws:s3:::bucket/x"));
    for (Statement statement : whole.statements()) {
      for (String pattern : statement.actions()) {
        CATALOG.matching(pattern).stream().map(ActionInfo::action).forEach(actions::add);
      }
      for (String resource : statement.resources()) {
        resources.add(resource);
        resources.add(resource + "x");
      }
    }
    actions.add(IamAction.parse("dynamodb:DeleteTable"));
    actions.add(IamAction.parse("iam:PassRole"));
    int checked = 0;
    for (IamAction action : actions) {
      for (String resource : resources) {
        Decision byWhole = PolicyEvaluator.evaluate(wholeSet, action, resource);
        Decision byUnion = PolicyEvaluator.evaluate(union, action, resource);
        assertEquals(byWhole.verdict(), byUnion.verdict(), action + " on " + resource);
        checked++;
      }
    }
    for (LabeledPolicy part : labelled) {
      GrantSet alone = GrantSet.of(part);
      for (IamAction action : actions) {
        for (String resource : List.of("arn:aws:dynamodb:eu-west-1:111122223333:table/orders-7",
            "arn:aws:ec2:us-east-1:1:instance/i-1", "*")) {
          if (PolicyEvaluator.evaluate(alone, action, resource).allowedUnlessConditionalDeny()) {
            assertTrue(PolicyEvaluator.evaluate(wholeSet, action, resource).allowedUnlessConditionalDeny(),
                part.label() + " alone allows " + action + " on " + resource);
          }
        }
      }
    }
    assertTrue(checked > 100, "checked " + checked);
  }
}
