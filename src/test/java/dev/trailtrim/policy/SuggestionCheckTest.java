package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check every suggestion passes before it is written: nothing beyond the grants, every kept call allowed. */
class SuggestionCheckTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";

  private static PolicyDocument doc(String statementsSingleQuoted) {
    return PolicyParser
        .parse(("{'Version':'2012-10-17','Statement':[" + statementsSingleQuoted + "]}").replace('\'', '"'));
  }

  private static final GrantSet GRANTED = GrantSet.of(new LabeledPolicy("inline:app", doc(
      "{'Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:PutItem'],'Resource':'" + TABLE + "'},"
          + "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/in/*'},"
          + "{'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::media/out/*',"
          + "'Condition':{'StringEquals':{'s3:x-amz-acl':'private'}}},"
          + "{'Effect':'Deny','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/in/secret/*'}")));

  private static ActionOnResource use(String action, String resource) {
    return new ActionOnResource(IamAction.parse(action), resource);
  }

  private static List<String> check(String suggestion, List<ActionOnResource> mustAllow) {
    return SuggestionCheck.violations(GRANTED, List.of(doc(suggestion)), mustAllow, CATALOG);
  }

  @Test
  void aSuggestionWithinTheGrantsThatAllowsEveryKeptCallPasses() {
    assertEquals(List.of(), check("{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'" + TABLE + "'},"
        + "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/in/*'},"
        + "{'Effect':'Deny','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/in/secret/*'},"
        + "{'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::media/out/*',"
        + "'Condition':{'StringEquals':{'s3:x-amz-acl':'private'}}}",
        List.of(use("dynamodb:GetItem", TABLE), use("s3:GetObject", "arn:aws:s3:::media/in/a.jpg"),
            // The grants refuse these: nothing to keep.
            use("dynamodb:DeleteItem", TABLE), use("s3:GetObject", "arn:aws:s3:::media/in/secret/k"))));
  }

  @Test
  void anActionOrResourceBeyondTheGrantsIsNamed() {
    List<String> extraAction = check("{'Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:DeleteItem'],"
        + "'Resource':'" + TABLE + "'}", List.of());
    assertEquals(1, extraAction.size(), extraAction.toString());
    assertTrue(extraAction.get(0).startsWith("it allows dynamodb:DeleteItem on " + TABLE + " (suggested:1"),
        extraAction.get(0));
    // A wider pattern: every object of the bucket where the grants allow those under in/ only.
    List<String> widerPattern = check("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/*'}",
        List.of());
    assertEquals(List.of("it allows s3:GetObject on arn:aws:s3:::media/* (suggested:1, statement 1), which the role's"
        + " grants do not (NOT_ALLOWED)"), widerPattern);
    // The grants' Deny left out: the suggestion would allow what is denied now.
    List<String> denyDropped = check("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/in/*'}",
        List.of());
    assertEquals(1, denyDropped.size(), denyDropped.toString());
    assertTrue(denyDropped.get(0).endsWith("(DENIED_OR_CONDITIONAL)"), denyDropped.get(0));
  }

  @Test
  void anAllowWithoutTheConditionTheGrantHasIsWider() {
    List<String> found = check("{'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::media/out/*'}",
        List.of());
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("it allows s3:PutObject on arn:aws:s3:::media/out/*"), found.get(0));
  }

  @Test
  void aKeptCallTheSuggestionRefusesIsNamed() {
    List<String> found = check("{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'" + TABLE + "'}",
        List.of(use("dynamodb:GetItem", TABLE), use("dynamodb:PutItem", TABLE)));
    assertEquals(List.of("it does not allow dynamodb:PutItem on " + TABLE + ", a call the role made successfully"
        + " (NOT_ALLOWED)"), found);
    // Allowed only under a Condition where the grant allows it without one: the call may fail.
    List<String> conditional = check("{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'" + TABLE + "',"
        + "'Condition':{'Bool':{'aws:SecureTransport':'true'}}}", List.of(use("dynamodb:GetItem", TABLE)));
    assertEquals(1, conditional.stream().filter(v -> v.startsWith("it does not allow dynamodb:GetItem")
        && v.contains("conditionally")).count(), conditional.toString());
  }

  @Test
  void aCallOfUnknownResourceMustStayAllowedWhereverTheGrantsAllowItAndAtMostThreeViolationsAreNamed() {
    assertEquals(List.of(), check("{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'" + TABLE + "'}",
        List.of(use("dynamodb:GetItem", "*"))));
    // The call may have gone to any object the grants allow it on: all of media/in/ (but the denied secret/).
    List<String> narrowed = check("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/in/a*'}",
        List.of(use("s3:GetObject", "*")));
    assertEquals(List.of("it does not allow s3:GetObject on arn:aws:s3:::media/in/*, where the grants allow it and a"
        + " call of it of unknown resource may have gone (NOT_ALLOWED)"), narrowed);
    // Actions every statement treats alike are checked as one, and named with how many they are.
    List<String> wide = check("{'Effect':'Allow','Action':'dynamodb:*','Resource':'" + TABLE + "'}", List.of());
    int dynamodb = CATALOG.matching("dynamodb:*").size();
    assertEquals(1, wide.size(), wide.toString());
    assertTrue(wide.get(0).contains("(and " + (dynamodb - 3) + " more actions the policies treat alike) on " + TABLE),
        wide.get(0));
    List<String> many = check("{'Effect':'Allow','Action':['dynamodb:*','sqs:*'],'Resource':'*'},"
        + "{'Effect':'Allow','Action':'kms:*','Resource':'*'}", List.of());
    assertEquals(3, many.size(), many.toString());
  }
  /** A NotResource statement (everything but its patterns) is checked where it reaches: nothing escapes the check. */
  @Test
  void aNotResourceStatementIsCheckedEverywhereItReaches() {
    // Beyond a grant of one prefix: everything but one other prefix is far wider.
    List<String> beyond = check("{'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::media/out/*'}",
        List.of());
    assertTrue(!beyond.isEmpty() && beyond.stream().allMatch(v -> v.startsWith("it allows s3:GetObject on ")),
        beyond.toString());

    GrantSet allButTwo = GrantSet.of(new LabeledPolicy("inline:app", doc("{'Effect':'Allow','Action':'s3:GetObject',"
        + "'NotResource':['arn:aws:s3:::vault/*','arn:aws:s3:::keys/*']},"
        + "{'Effect':'Deny','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/secret/*'}")));
    String keepsBoth = "{'Effect':'Allow','Action':'s3:GetObject','NotResource':['arn:aws:s3:::vault/*',"
        + "'arn:aws:s3:::keys/*']},{'Effect':'Deny','Action':'s3:GetObject','Resource':'arn:aws:s3:::media/secret/*'}";
    assertEquals(List.of(), SuggestionCheck.violations(allButTwo, List.of(doc(keepsBoth)),
        List.of(use("s3:GetObject", "*")), CATALOG));
    // An excluded pattern dropped: the suggestion would reach keys/.
    List<String> dropped = SuggestionCheck.violations(allButTwo, List.of(doc("{'Effect':'Allow',"
        + "'Action':'s3:GetObject','NotResource':'arn:aws:s3:::vault/*'},{'Effect':'Deny','Action':'s3:GetObject',"
        + "'Resource':'arn:aws:s3:::media/secret/*'}")), List.of(), CATALOG);
    assertEquals(List.of("it allows s3:GetObject on arn:aws:s3:::keys/* (suggested:1, statement 1), which the role's"
        + " grants do not (NOT_ALLOWED)"), dropped);
    // The grants' Deny left out: it lies outside the NotResource patterns, where the suggestion now allows.
    List<String> denyDropped = SuggestionCheck.violations(allButTwo, List.of(doc("{'Effect':'Allow',"
        + "'Action':'s3:GetObject','NotResource':['arn:aws:s3:::vault/*','arn:aws:s3:::keys/*']}")), List.of(),
        CATALOG);
    assertEquals(List.of("it allows s3:GetObject on arn:aws:s3:::media/secret/* (suggested:1, statement 1), which the"
        + " role's grants do not (EXPLICITLY_DENIED)"), denyDropped);
    // A call of unknown resource under the NotResource grant may have gone anywhere outside it: one prefix is too few.
    List<String> narrowed = SuggestionCheck.violations(allButTwo, List.of(doc("{'Effect':'Allow',"
        + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::media/in/*'}")), List.of(use("s3:GetObject", "*")),
        CATALOG);
    assertTrue(
        narrowed.stream().anyMatch(v -> v.startsWith("it does not allow s3:GetObject on arn:aws:trailtrim-probe:")
            && v.contains("a call of it of unknown resource may have gone")),
        narrowed.toString());
  }
}
