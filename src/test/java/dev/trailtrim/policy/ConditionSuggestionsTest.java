package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.CallContexts;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Conditions proposed from the calls' request contexts hold for every call, each checked by the
 * policy evaluator under its own context; a condition that some call would fail is never proposed
 * (two regions give both or none, endpoints only when every call used one, services only when every
 * call was made by one); kept statements stay as they are.
 */
class ConditionSuggestionsTest {

  /** One call as its record shows it. */
  record Call(String action, String resource, String region, String vpce, String invokedBy, String prefix) {
    RequestContext context() {
      return RequestContext.ofCall(IamAction.parse(action), region, vpce, invokedBy, prefix);
    }
  }

  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/k1";
  private static final String BUCKET = "arn:aws:s3:::acme-reports";
  private static final String OBJECTS = "arn:aws:s3:::acme-reports/exports/*";

  private static final PolicyDocument SUGGESTION = PolicyParser.parse(("{'Version':'2012-10-17','Statement':["
      + "{'Sid':'AllowKms','Effect':'Allow','Action':['kms:Decrypt','kms:GenerateDataKey'],'Resource':'" + KEY + "'},"
      + "{'Sid':'AllowS3','Effect':'Allow','Action':'s3:ListBucket','Resource':'" + BUCKET + "'},"
      + "{'Sid':'AllowS3Stmt2','Effect':'Allow','Action':['s3:GetObject','s3:PutObject'],'Resource':'" + OBJECTS
      + "'},"
      + "{'Sid':'AllowIam','Effect':'Allow','Action':'iam:GetRole','Resource':'arn:aws:iam::111122223333:role/r'},"
      + "{'Sid':'KeptNotObservableSns','Effect':'Allow','Action':'sns:Publish','Resource':'*'},"
      + "{'Sid':'KeptDenyS3','Effect':'Deny','Action':'s3:DeleteObject','Resource':'*'}]}").replace('\'', '"'));

  private static Map<String, CallContexts> contexts(List<Call> calls) {
    Map<String, CallContexts> byAction = new TreeMap<>();
    calls.forEach(c -> byAction.computeIfAbsent(c.action(), a -> new CallContexts()).add(c.region(), c.vpce(),
        c.invokedBy(), c.prefix()));
    return byAction;
  }

  /** The suggestion with conditions, after checking that it allows every call under the call's own context. */
  private static ConditionSuggestions.Result suggestAndCheck(List<Call> calls) {
    ConditionSuggestions.Result result = ConditionSuggestions.suggest(SUGGESTION, contexts(calls));
    GrantSet withConditions = GrantSet.of(new LabeledPolicy("suggested", result.policy()));
    for (Call call : calls) {
      assertTrue(PolicyEvaluator.allowsUnder(withConditions, IamAction.parse(call.action()), call.resource(),
          call.context()), () -> call + " is not allowed by " + PolicyJson.render(result.policy()));
    }
    return result;
  }

  private static Map<String, List<String>> conditionOf(ConditionSuggestions.Result result, String sid, String op) {
    return result.policy().statements().stream().filter(s -> sid.equals(s.sid())).findFirst().orElseThrow()
        .conditions().operators().get(op);
  }

  private static boolean allowed(ConditionSuggestions.Result result, Call call) {
    return PolicyEvaluator.allowsUnder(GrantSet.of(new LabeledPolicy("suggested", result.policy())),
        IamAction.parse(call.action()), call.resource(), call.context());
  }

  @Test
  void callsFromTwoRegionsGiveBothRegionsNeverOne() {
    List<Call> calls = List.of(
        new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/a.csv", "us-east-1", null, null, null),
        new Call("s3:PutObject", "arn:aws:s3:::acme-reports/exports/b.csv", "eu-west-1", null, null, null),
        new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/c.csv", "eu-west-1", null, null, null));
    ConditionSuggestions.Result result = suggestAndCheck(calls);
    assertEquals(List.of("eu-west-1", "us-east-1"),
        conditionOf(result, "AllowS3Stmt2", "StringEquals").get("aws:RequestedRegion"));
    assertFalse(allowed(result, new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/a.csv", "ap-south-1",
        null, null, null)), "a third region is refused: the condition narrows");
    ConditionSuggestions.Proposed region = result.proposed().stream()
        .filter(p -> p.sid().equals("AllowS3Stmt2") && p.key().equals("aws:RequestedRegion")).findFirst().orElseThrow();
    assertEquals(3, region.calls());
    assertEquals(Map.of("s3:GetObject", 2L, "s3:PutObject", 1L), region.callsPerAction());
  }

  @Test
  void aVpcEndpointIsRequiredOnlyWhenEveryCallCameThroughOne() {
    List<Call> mixed = List.of(
        new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/a.csv", "us-east-1", "vpce-0a1b", null, null),
        new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/b.csv", "us-east-1", null, null, null),
        new Call("s3:PutObject", "arn:aws:s3:::acme-reports/exports/b.csv", "us-east-1", "vpce-0a1b", null, null));
    ConditionSuggestions.Result result = suggestAndCheck(mixed);
    assertNull(conditionOf(result, "AllowS3Stmt2", "StringEquals").get("aws:SourceVpce"));
    assertTrue(result.notProposed().stream().anyMatch(n -> n.sid().equals("AllowS3Stmt2")
        && n.key().equals("aws:SourceVpce") && n.reason().contains("1 of 2 calls came through a VPC endpoint")),
        result.notProposed().toString());

    List<Call> allThroughEndpoints = List.of(
        new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/a.csv", "us-east-1", "vpce-0a1b", null, null),
        new Call("s3:PutObject", "arn:aws:s3:::acme-reports/exports/b.csv", "us-east-1", "vpce-9f8e", null, null));
    ConditionSuggestions.Result through = suggestAndCheck(allThroughEndpoints);
    assertEquals(List.of("vpce-0a1b", "vpce-9f8e"),
        conditionOf(through, "AllowS3Stmt2", "StringEquals").get("aws:SourceVpce"));
    assertFalse(allowed(through, new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/a.csv", "us-east-1",
        null, null, null)), "a call from outside the endpoints is refused");
  }

  @Test
  void kmsCallsThatS3MadeForTheRoleGetViaServiceButNotCalledVia() {
    List<Call> calls = List.of(
        new Call("kms:GenerateDataKey", KEY, "us-east-1", null, "s3.amazonaws.com", null),
        new Call("kms:Decrypt", KEY, "us-east-1", null, "s3.amazonaws.com", null),
        new Call("kms:Decrypt", KEY, "us-east-1", null, "secretsmanager.amazonaws.com", null));
    ConditionSuggestions.Result result = suggestAndCheck(calls);
    assertEquals(List.of("s3.us-east-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"),
        conditionOf(result, "AllowKms", "StringEquals").get("kms:ViaService"));
    assertNull(conditionOf(result, "AllowKms", "ForAnyValue:StringEquals"));
    assertTrue(result.notProposed().stream().anyMatch(n -> n.key().equals("aws:CalledVia")
        && n.reason().contains("does not set aws:CalledVia")));
    assertFalse(allowed(result, new Call("kms:Decrypt", KEY, "us-east-1", null, null, null)),
        "the role calling KMS itself is refused");
  }

  @Test
  void callsMadeBothDirectlyAndThroughAServiceGetNoServiceCondition() {
    List<Call> calls = List.of(
        new Call("kms:Decrypt", KEY, "us-east-1", null, "dynamodb.amazonaws.com", null),
        new Call("kms:GenerateDataKey", KEY, "us-east-1", null, null, null));
    ConditionSuggestions.Result result = suggestAndCheck(calls);
    Map<String, List<String>> equals = conditionOf(result, "AllowKms", "StringEquals");
    assertEquals(List.of("aws:RequestedRegion"), List.copyOf(equals.keySet()));
    assertNull(conditionOf(result, "AllowKms", "ForAnyValue:StringEquals"));
  }

  @Test
  void callsDynamoDbMadeForTheRoleGetCalledVia() {
    List<Call> calls = List.of(
        new Call("kms:Decrypt", KEY, "us-east-1", null, "dynamodb.amazonaws.com", null),
        new Call("kms:GenerateDataKey", KEY, "us-east-1", null, "dynamodb.amazonaws.com", null));
    ConditionSuggestions.Result result = suggestAndCheck(calls);
    assertEquals(List.of("dynamodb.amazonaws.com"),
        conditionOf(result, "AllowKms", "ForAnyValue:StringEquals").get("aws:CalledVia"));
    assertEquals(List.of("dynamodb.us-east-1.amazonaws.com"),
        conditionOf(result, "AllowKms", "StringEquals").get("kms:ViaService"));
  }

  @Test
  void listingsUnderOneFolderGetItsPrefixAndAListingWithoutOneGetsNone() {
    List<Call> calls = new ArrayList<>();
    for (int day = 1; day <= 5; day++) {
      calls.add(new Call("s3:ListBucket", BUCKET, "us-east-1", null, null, "exports/2026-11-0" + day + "/"));
    }
    ConditionSuggestions.Result result = suggestAndCheck(calls);
    assertEquals(List.of("exports/*"), conditionOf(result, "AllowS3", "StringLike").get("s3:prefix"));
    assertFalse(allowed(result, new Call("s3:ListBucket", BUCKET, "us-east-1", null, null, "payroll/")));

    ConditionSuggestions.Result one = suggestAndCheck(List.of(
        new Call("s3:ListBucket", BUCKET, "us-east-1", null, null, "cur/2026-11/")));
    assertEquals(List.of("cur/2026-11/"), conditionOf(one, "AllowS3", "StringEquals").get("s3:prefix"));

    calls.add(new Call("s3:ListBucket", BUCKET, "us-east-1", null, null, null));
    ConditionSuggestions.Result withoutPrefix = suggestAndCheck(calls);
    assertNull(conditionOf(withoutPrefix, "AllowS3", "StringLike"));
    assertTrue(withoutPrefix.notProposed().stream().anyMatch(n -> n.key().equals("s3:prefix")
        && n.reason().contains("1 of 6 listings named no prefix")));
  }

  @Test
  void globalServicesGetNoRegionAndKeptStatementsStayAsTheyAre() {
    List<Call> calls = List.of(
        new Call("iam:GetRole", "arn:aws:iam::111122223333:role/r", "us-east-1", null, null, null),
        new Call("sns:Publish", "arn:aws:sns:us-east-1:111122223333:t", "us-east-1", null, null, null));
    ConditionSuggestions.Result result = suggestAndCheck(calls);
    assertTrue(result.policy().statements().stream().filter(s -> s.sid().equals("AllowIam")).findFirst()
        .orElseThrow().conditions().isEmpty());
    assertTrue(result.notProposed().stream().anyMatch(n -> n.sid().equals("AllowIam")
        && n.reason().contains("global service")));
    for (String kept : List.of("KeptNotObservableSns", "KeptDenyS3")) {
      Statement before = SUGGESTION.statements().stream().filter(s -> s.sid().equals(kept)).findFirst().orElseThrow();
      assertTrue(result.policy().statements().contains(before), kept + " changed");
      assertTrue(result.leftAlone().stream().anyMatch(l -> l.sid().equals(kept)));
    }
  }

  @Test
  void tooManyValuesGiveNoCondition() {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i <= CallContexts.MAX_VALUES; i++) {
      calls.add(new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/a.csv", "us-east-1", "vpce-" + i, null,
          null));
    }
    calls.add(new Call("s3:PutObject", "arn:aws:s3:::acme-reports/exports/a.csv", "us-east-1", "vpce-1", null, null));
    ConditionSuggestions.Result result = suggestAndCheck(calls);
    assertNull(conditionOf(result, "AllowS3Stmt2", "StringEquals").get("aws:SourceVpce"));
    assertEquals(List.of("us-east-1"), conditionOf(result, "AllowS3Stmt2", "StringEquals").get("aws:RequestedRegion"));
  }

  /** Random calls (seeded): whatever is proposed, every call is still allowed under its own context. */
  @Test
  void everyCallStaysAllowedWhateverTheCallsAre() {
    Random random = new Random(12);
    List<String> regions = List.of("us-east-1", "eu-west-1", "ap-south-1");
    List<String> endpoints = List.of("vpce-1", "vpce-2");
    List<String> callers = List.of("s3.amazonaws.com", "dynamodb.amazonaws.com", "athena.amazonaws.com");
    List<String> prefixes = List.of("exports/a/", "exports/b/", "tmp/", "exports/");
    int proposed = 0;
    for (int run = 0; run < 300; run++) {
      List<Call> calls = new ArrayList<>();
      for (int i = 1 + random.nextInt(6); i > 0; i--) {
        String region = regions.get(random.nextInt(random.nextBoolean() ? 1 : regions.size()));
        String vpce = random.nextInt(3) == 0 ? null : endpoints.get(random.nextInt(endpoints.size()));
        String caller = random.nextInt(3) == 0 ? null : callers.get(random.nextInt(callers.size()));
        String prefix = random.nextInt(4) == 0 ? null : prefixes.get(random.nextInt(prefixes.size()));
        calls.add(switch (random.nextInt(4)) {
          case 0 -> new Call("kms:Decrypt", KEY, region, null, caller, null);
          case 1 -> new Call("kms:GenerateDataKey", KEY, region, null, caller, null);
          case 2 -> new Call("s3:ListBucket", BUCKET, region, vpce, null, prefix);
          default -> new Call("s3:GetObject", "arn:aws:s3:::acme-reports/exports/x", region, vpce, null, null);
        });
      }
      proposed += suggestAndCheck(calls).proposed().size();
    }
    assertTrue(proposed > 300, "the random calls proposed too few conditions to test anything: " + proposed);
  }
}
