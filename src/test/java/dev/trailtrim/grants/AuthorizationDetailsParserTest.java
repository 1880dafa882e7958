package dev.trailtrim.grants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class AuthorizationDetailsParserTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String singleQuoted) throws IOException {
    return MAPPER.readTree(singleQuoted.replace('\'', '"'));
  }

  private static Path sharedData() {
    String dir = System.getProperty("trailtrim.shared.data");
    Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "iam", "cloudsplaining")),
        "shared reference data is absent");
    return Path.of(dir, "iam", "cloudsplaining");
  }

  private static final String SMALL = "{"
      + "'RoleDetailList':["
      + " {'Path':'/service-role/','RoleName':'orders-fn','Arn':'arn:aws:iam::111122223333:role/service-role/orders-fn',"
      + "  'AssumeRolePolicyDocument':'%TRUST%',"
      + "  'RolePolicyList':[{'PolicyName':'orders-db','PolicyDocument':{'Version':'2012-10-17','Statement':"
      + "    {'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'arn:aws:dynamodb:*:111122223333:table/orders'}}},"
      + "   {'PolicyName':'broken','PolicyDocument':{'Version':'2012-10-17','Statement':{'Effect':'allow ','Action':'s3:*','Resource':'*'}}}],"
      + "  'AttachedManagedPolicies':[{'PolicyName':'AWSLambdaBasicExecutionRole',"
      + "    'PolicyArn':'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'},"
      + "   {'PolicyName':'gone','PolicyArn':'arn:aws:iam::111122223333:policy/gone'}],"
      + "  'PermissionsBoundary':{'PermissionsBoundaryType':'Policy','PermissionsBoundaryArn':'arn:aws:iam::111122223333:policy/cap'}},"
      + " {'Path':'/','RoleName':'ec2-role','Arn':'arn:aws:iam::111122223333:role/ec2-role',"
      + "  'AssumeRolePolicyDocument':{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Service':['ec2.amazonaws.com']},"
      + "   'Action':'sts:AssumeRole'}]},'RolePolicyList':[],'AttachedManagedPolicies':[]}],"
      + "'Policies':["
      + " {'PolicyName':'AWSLambdaBasicExecutionRole','Arn':'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',"
      + "  'DefaultVersionId':'v2','PolicyVersionList':["
      + "   {'VersionId':'v1','IsDefaultVersion':false,'Document':{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}},"
      + "   {'VersionId':'v2','IsDefaultVersion':true,'Document':'%BASIC%'}]},"
      + " {'PolicyName':'cap','Arn':'arn:aws:iam::111122223333:policy/cap','DefaultVersionId':'v1','PolicyVersionList':["
      + "   {'VersionId':'v1','IsDefaultVersion':true,'Document':{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':['logs:*','dynamodb:*'],'Resource':'*'}}}]}"
      + "]}";

  private static String urlEncoded(String singleQuoted) {
    return URLEncoder.encode(singleQuoted.replace('\'', '"'), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonNode small() throws IOException {
    String trust = urlEncoded(
        "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Service':'lambda.amazonaws.com'},"
            + "'Action':'sts:AssumeRole'}]}");
    String basic = urlEncoded("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':['logs:CreateLogGroup',"
        + "'logs:CreateLogStream','logs:PutLogEvents'],'Resource':'*'}]}");
    return json(SMALL.replace("%TRUST%", trust).replace("%BASIC%", basic));
  }

  @Test
  void readsRolesWithInlineManagedBoundaryAndTrust() throws IOException {
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(small());
    assertEquals(List.of(), snapshot.problems());
    RoleGrants fn = snapshot.role("arn:aws:iam::111122223333:role/service-role/orders-fn").orElseThrow();
    assertEquals("orders-fn", fn.roleName());
    assertEquals("/service-role/", fn.path());
    assertEquals("111122223333", fn.accountId());
    assertTrue(fn.trustsLambda());
    assertEquals(
        List.of("inline:orders-db", "managed:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
        fn.policies().stream().map(GrantedPolicy::label).toList());
    assertEquals(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
        fn.policies().get(1).document().statements().get(0).actions(), "the default version, URL-decoded");
    assertEquals("boundary:arn:aws:iam::111122223333:policy/cap", fn.boundary().label());
    assertEquals(List.of(
        "Inline policy 'broken' was not read, so its grants are unknown: Cannot parse policy statement 1: "
            + "Effect must be Allow or Deny, got 'allow '",
        "Attached managed policy 'gone' (arn:aws:iam::111122223333:policy/gone) is not in the snapshot's Policies;"
            + " take the snapshot without a filter that drops managed policies (e.g. --filter Role alone)"),
        fn.problems());
    assertFalse(fn.complete());
    assertTrue(PolicyEvaluator.evaluate(fn.grantSet(), IamAction.parse("logs:PutLogEvents"), "arn:aws:logs:us-east-1:"
        + "111122223333:log-group:/aws/lambda/orders-fn:log-stream:x").allowed());

    RoleGrants ec2 = snapshot.role("arn:aws:iam::111122223333:role/ec2-role").orElseThrow();
    assertFalse(ec2.trustsLambda());
    assertEquals(List.of("ec2.amazonaws.com"), List.copyOf(ec2.trustedServices()));
    assertNull(ec2.boundary());
    assertTrue(ec2.complete());
  }

  @Test
  void findsARoleByAccountAndNameWhenThePathDiffers() throws IOException {
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(small());
    assertEquals("orders-fn", snapshot.role("arn:aws:iam::111122223333:role/orders-fn").orElseThrow().roleName());
    assertTrue(snapshot.role("arn:aws:iam::999999999999:role/orders-fn").isEmpty());
  }

  @Test
  void usesFallbackDocumentsForManagedPoliciesTheSnapshotLacks() throws IOException {
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(small(), Map.of("arn:aws:iam::111122223333:policy/gone",
        PolicyParser.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}}")));
    RoleGrants fn = snapshot.role("arn:aws:iam::111122223333:role/service-role/orders-fn").orElseThrow();
    assertEquals(3, fn.policies().size());
    assertEquals(1, fn.problems().size());
  }

  @Test
  void mergesSnapshotsOfSeveralAccountsAndMarksARoleWhoseCopiesDisagree() throws IOException {
    GrantSnapshot a = AuthorizationDetailsParser.parse(small()).withSource("iam/111122223333.json");
    GrantSnapshot b = AuthorizationDetailsParser
        .parse(json("{'RoleDetailList':[{'RoleName':'x','Arn':'arn:aws:iam::444455556666:role/x',"
            + "'RolePolicyList':[],'AttachedManagedPolicies':[]},{'RoleName':'ec2-role','Arn':'arn:aws:iam::111122223333:role/ec2-role',"
            + "'RolePolicyList':[{'PolicyName':'p','PolicyDocument':{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}}]}],"
            + "'Policies':[]}"))
        .withSource("iam/old-copy.json");
    GrantSnapshot merged = GrantSnapshot.merge(List.of(a, b));
    assertEquals(
        List.of("arn:aws:iam::111122223333:role/ec2-role", "arn:aws:iam::111122223333:role/service-role/orders-fn",
            "arn:aws:iam::444455556666:role/x"),
        merged.roles().stream().map(RoleGrants::roleArn).toList());
    RoleGrants ec2 = merged.role("arn:aws:iam::111122223333:role/ec2-role").orElseThrow();
    assertEquals(0, ec2.policies().size(), "the first copy is kept");
    assertFalse(ec2.complete(), "copies that disagree leave the grants unknown");
    assertEquals(List.of("Role arn:aws:iam::111122223333:role/ec2-role appears in iam/111122223333.json and in"
        + " iam/old-copy.json with different grants: no policy is suggested from either copy; take the account's"
        + " snapshot once, or remove the stale file"), ec2.missingGrants());
    assertEquals(a.role("arn:aws:iam::111122223333:role/service-role/orders-fn").orElseThrow(),
        merged.role("arn:aws:iam::111122223333:role/service-role/orders-fn").orElseThrow(),
        "a role in one file is as read");
  }

  @Test
  void aRoleInTwoSnapshotsWithTheSameGrantsIsKeptOnceAndComplete() throws IOException {
    GrantSnapshot a = AuthorizationDetailsParser.parse(small()).withSource("a.json");
    GrantSnapshot b = AuthorizationDetailsParser.parse(small()).withSource("b.json");
    GrantSnapshot merged = GrantSnapshot.merge(List.of(a, b));
    assertEquals(a.roles().size(), merged.roles().size());
    merged.roles().forEach(role -> assertEquals(a.role(role.roleArn()).orElseThrow(), role));
  }

  @Test
  void aManagedPolicyMissingFromTheSnapshotLeavesTheRolesGrantsIncomplete() throws IOException {
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(json("{'RoleDetailList':[{'RoleName':'fn',"
        + "'Arn':'arn:aws:iam::111122223333:role/fn','RolePolicyList':[],'AttachedManagedPolicies':[{'PolicyName':"
        + "'gone','PolicyArn':'arn:aws:iam::111122223333:policy/gone'}]}],'Policies':[]}"));
    RoleGrants fn = snapshot.role("arn:aws:iam::111122223333:role/fn").orElseThrow();
    assertFalse(fn.complete());
    assertEquals(1, fn.missingGrants().size());
    assertTrue(fn.missingGrants().get(0).contains("arn:aws:iam::111122223333:policy/gone"), fn.missingGrants().get(0));
    assertEquals(fn.missingGrants(), fn.problems(), "what is missing is also a problem of the role");
  }

  @Test
  void skipsEntriesWithoutArnAndSaysSo() throws IOException {
    GrantSnapshot snapshot =
        AuthorizationDetailsParser.parse(json("{'RoleDetailList':[{'RoleName':'nameless'}],'Policies':[]}"));
    assertEquals(List.of(), snapshot.roles());
    assertEquals(List.of("RoleDetailList entry 1 (nameless) has no valid Arn (the role ARN is missing); skipped"),
        snapshot.problems());
  }

  @Test
  void skipsEntriesWhoseArnIsNotARoleArnAndSaysWhy() throws IOException {
    GrantSnapshot snapshot =
        AuthorizationDetailsParser.parse(json("{'RoleDetailList':[{'RoleName':'a','Arn':'arn:aws:iam:role/a'},"
            + "{'RoleName':'b','Arn':'arn:aws:iam::111122223333:user/b'},{'RoleName':'','Arn':'arn:aws:iam::111122223333:role/'},"
            + "{'RoleName':'d','Arn':'arn:aws:iam::111122223333:role/d'}],'Policies':[]}"));
    assertEquals(List.of("arn:aws:iam::111122223333:role/d"),
        snapshot.roles().stream().map(RoleGrants::roleArn).toList());
    assertEquals(List.of(
        "RoleDetailList entry 1 (a) has no valid Arn ('arn:aws:iam:role/a' has 3 colons, not the 5 of"
            + " arn:partition:iam::account:role/name); skipped",
        "RoleDetailList entry 2 (b) has no valid Arn ('arn:aws:iam::111122223333:user/b' is not a role ARN (its resource"
            + " does not start with role/)); skipped",
        "RoleDetailList entry 3 () has no valid Arn ('arn:aws:iam::111122223333:role/' names no role after role/); skipped"),
        snapshot.problems());
  }

  @Test
  void readsCloudsplainingsRealShapedSnapshot() throws IOException {
    Path file = sharedData().resolve("examples/files/example.json");
    Assumptions.assumeTrue(Files.isRegularFile(file), "example.json is absent");
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(MAPPER.readTree(file.toFile()));
    assertEquals(78, snapshot.roles().size());
    assertEquals(List.of(), snapshot.problems());
    List<RoleGrants> lambdaRoles = snapshot.roles().stream().filter(RoleGrants::trustsLambda).toList();
    assertEquals(List.of("privesc-high-priv-service-role"), lambdaRoles.stream().map(RoleGrants::roleName).toList());
    long policies = snapshot.roles().stream().mapToLong(r -> r.policies().size()).sum();
    assertEquals(36 + 60, policies, "36 inline role policies and 60 attachments, all resolved");
    List<String> problems = snapshot.roles().stream().flatMap(r -> r.problems().stream()).toList();
    assertEquals(List.of(), problems);
  }

  @Test
  void readsEveryAuthorizationDetailsFixtureOfCloudsplaining() throws IOException {
    Path dir = sharedData().resolve("test/files");
    Assumptions.assumeTrue(Files.isDirectory(dir), "cloudsplaining test files are absent");
    int roles = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode root = MAPPER.readTree(file.toFile());
        if (!root.has("RoleDetailList")) {
          continue;
        }
        GrantSnapshot snapshot = AuthorizationDetailsParser.parse(root);
        assertEquals(root.path("RoleDetailList").size(), snapshot.roles().size(), file.toString());
        for (RoleGrants role : snapshot.roles()) {
          assertEquals(List.of(), role.problems(), role.roleArn());
        }
        roles += snapshot.roles().size();
      }
    }
    assertTrue(roles > 0);
  }
}
