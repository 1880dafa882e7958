package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The set lookup gives actionApplies' answer for every action, whatever the statement names and however. */
class StatementActionsTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();

  private static Statement statement(boolean notAction, List<String> patterns) {
    return new Statement(null, Effect.ALLOW, notAction ? List.of() : patterns, notAction ? patterns : List.of(),
        List.of("*"), List.of(), Conditions.NONE);
  }

  @Test
  void answersAsActionAppliesForEveryCatalogActionAndOddOnes() {
    List<IamAction> actions = new ArrayList<>();
    CATALOG.matching("*").stream().map(ActionInfo::action).forEach(actions::add);
    for (String odd : List.of("S3:GETOBJECT", "s3:getobject", "\u017fqs:ListQueues", "kms:Decrypt\u212a",
        "s3:Get\u00c9", "trailtrim:NeverAnAction")) {
      actions.add(IamAction.parse(odd));
    }
    List<List<String>> lists = List.of(List.of("s3:GetObject", "S3:putobject", "sqs:*"), List.of("*"),
        List.of("s3:Get*", "dynamodb:?etItem", "kms:decrypt"), List.of("s3:GetÉ", "sqs:ListQueues", "KMS:DECRYPTK"),
        List.of("iam:PassRole"), List.of("s3:*Object*", "lambda:Invoke?unction"));
    int checked = 0;
    int applied = 0;
    for (List<String> patterns : lists) {
      for (boolean notAction : new boolean[] {false, true}) {
        Statement statement = statement(notAction, patterns);
        StatementActions fast = new StatementActions(statement);
        for (IamAction action : actions) {
          boolean expected = PolicyEvaluator.actionApplies(statement, action);
          assertEquals(expected, fast.applies(action, StatementActions.asciiKey(action)),
              action + " against " + (notAction ? "NotAction " : "Action ") + patterns);
          checked++;
          applied += expected ? 1 : 0;
        }
      }
    }
    assertTrue(checked > 100_000 && applied > checked / 3, checked + " checked, " + applied + " applied");
  }
}
