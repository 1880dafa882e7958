package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.testing.IamQueryApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;

@Execution(ExecutionMode.CONCURRENT) // Its own IAM fake and no Spark: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
class LiveIamReaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DATE_KEYS = Set.of("CreateDate", "UpdateDate", "LastUsedDate");
  private static final Duration FAST_RETRY = Duration.ofMillis(5);

  /** Every field the reader must carry over, and characters that URL and XML encoding must survive. */
  private static final String SMALL_ACCOUNT = """
            {
              "UserDetailList": [
                {"Path": "/", "UserName": "alice", "UserId": "AIDAEXAMPLE1", "Arn": "arn:aws:iam::111122223333:user/alice",
                 "CreateDate": "2024-01-02T03:04:05Z", "GroupList": ["admins"], "AttachedManagedPolicies": [], "Tags": []}
              ],
              "GroupDetailList": [
                {"Path": "/", "GroupName": "admins", "GroupId": "AGPAEXAMPLE1", "Arn": "arn:aws:iam::111122223333:group/admins",
                 "CreateDate": "2024-01-02T03:04:05Z", "GroupPolicyList": [], "AttachedManagedPolicies": []}
              ],
              "RoleDetailList": [
                {
                  "Path": "/service-role/", "RoleName": "orders-fn-role", "RoleId": "AROAEXAMPLE1",
                  "Arn": "arn:aws:iam::111122223333:role/service-role/orders-fn-role",
                  "CreateDate": "2024-01-02 03:04:05+00:00",
                  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                  "InstanceProfileList": [],
                  "RolePolicyList": [
                    {"PolicyName": "inline & <odd> + 'name'", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Sid": "Plus+Space Percent%25 Amp&", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                       "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
                       "Condition": {"StringLike": {"aws:userid": ["AROA*:ünïcödé <x> & y"]}}}]}}
                  ],
                  "AttachedManagedPolicies": [
                    {"PolicyName": "orders-write", "PolicyArn": "arn:aws:iam::111122223333:policy/orders-write"},
                    {"PolicyName": "AWSLambdaBasicExecutionRole", "PolicyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}
                  ],
                  "PermissionsBoundary": {"PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/boundary"},
                  "Tags": [{"Key": "team", "Value": "orders"}],
                  "RoleLastUsed": {"LastUsedDate": "2024-05-06T07:08:09+00:00", "Region": "eu-west-1"}
                },
                {
                  "Path": "/", "RoleName": "ec2-role", "RoleId": "AROAEXAMPLE2", "Arn": "arn:aws:iam::111122223333:role/ec2-role",
                  "CreateDate": "2023-12-31T23:59:59Z",
                  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                  "InstanceProfileList": [
                    {"Path": "/", "InstanceProfileName": "ec2-profile", "InstanceProfileId": "AIPAEXAMPLE1",
                     "Arn": "arn:aws:iam::111122223333:instance-profile/ec2-profile", "CreateDate": "2023-12-31T23:59:59Z",
                     "Roles": [{"Path": "/", "RoleName": "ec2-role", "RoleId": "AROAEXAMPLE2",
                       "Arn": "arn:aws:iam::111122223333:role/ec2-role", "CreateDate": "2023-12-31T23:59:59Z",
                       "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                         "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}]}
                  ],
                  "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": [], "RoleLastUsed": {}
                },
                {
                  "Path": "/", "RoleName": "bare-role", "RoleId": "AROAEXAMPLE3", "Arn": "arn:aws:iam::111122223333:role/bare-role",
                  "CreateDate": "2022-02-03T04:05:06.789Z",
                  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                  "RolePolicyList": [], "AttachedManagedPolicies": []
                }
              ],
              "Policies": [
                {"PolicyName": "orders-write", "PolicyId": "ANPAEXAMPLE1", "Arn": "arn:aws:iam::111122223333:policy/orders-write",
                 "Path": "/", "DefaultVersionId": "v2", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0,
                 "IsAttachable": true, "Description": "Writes orders", "CreateDate": "2024-01-02T03:04:05Z",
                 "UpdateDate": "2024-02-03T04:05:06Z",
                 "PolicyVersionList": [
                   {"Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:PutItem",
                     "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}},
                    "VersionId": "v2", "IsDefaultVersion": true, "CreateDate": "2024-02-03T04:05:06Z"},
                   {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]},
                    "VersionId": "v1", "IsDefaultVersion": false, "CreateDate": "2024-01-02T03:04:05Z"}
                 ]},
                {"PolicyName": "boundary", "PolicyId": "ANPAEXAMPLE2", "Arn": "arn:aws:iam::111122223333:policy/boundary",
                 "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 1,
                 "IsAttachable": true, "CreateDate": "2024-01-02T03:04:05Z", "UpdateDate": "2024-01-02T03:04:05Z",
                 "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                   "Action": ["dynamodb:*", "logs:*"], "Resource": "*"}]}, "VersionId": "v1", "IsDefaultVersion": true,
                   "CreateDate": "2024-01-02T03:04:05Z"}]},
                {"PolicyName": "AWSLambdaBasicExecutionRole", "PolicyId": "ANPAJNCQGXC42545SKXIK",
                 "Arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "Path": "/service-role/",
                 "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": null, "IsAttachable": true,
                 "CreateDate": "2015-04-09T15:03:43Z", "UpdateDate": "2015-04-09T15:03:43Z",
                 "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                   "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]},
                   "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2015-04-09T15:03:43Z"}]}
              ]
            }
            """;

  @Test
  void readsEveryPageOfASmallAccountThroughThrottlingExactlyAsTheCliShapesIt() throws IOException {
    JsonNode account = JSON.readTree(SMALL_ACCOUNT);
    try (IamQueryApiServer server = new IamQueryApiServer(account); IamClient iam = client(server)) {
      server.setPageSize(2); // 3 roles + 3 policies: 3 pages
      server.throttleNextRequests(2);

      ObjectNode read = new LiveIamReader(iam).readAuthorizationDetails();

      assertEquals(List.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"), fieldNames(read));
      assertEquals(0, read.get("UserDetailList").size(), "users are filtered out");
      assertEquals(0, read.get("GroupDetailList").size(), "groups are filtered out");
      assertEquals(normalised(account.get("RoleDetailList")), normalised(read.get("RoleDetailList")));
      assertEquals(normalised(account.get("Policies")), normalised(read.get("Policies")));
      assertEquals(3 + 2, server.requestCount("GetAccountAuthorizationDetails"), "3 pages + 2 throttled attempts");
      assertEquals(Map.of("Action", "GetAccountAuthorizationDetails", "Version", "2010-05-08",
          "Filter.member.1", "Role", "Filter.member.2", "LocalManagedPolicy",
          "Filter.member.3", "AWSManagedPolicy"),
          server.requests().get(0));
    }
  }

  @Test
  void writesTimestampsAndDocumentsAsTheCliDoes() throws IOException {
    try (IamQueryApiServer server = new IamQueryApiServer(JSON.readTree(SMALL_ACCOUNT));
        IamClient iam = client(server)) {
      ObjectNode read = new LiveIamReader(iam).readAuthorizationDetails();
      JsonNode role = read.get("RoleDetailList").get(0);
      assertEquals("2024-01-02T03:04:05+00:00", role.get("CreateDate").asText());
      assertEquals("2024-05-06T07:08:09+00:00", role.at("/RoleLastUsed/LastUsedDate").asText());
      assertEquals("2022-02-03T04:05:06.789+00:00", read.at("/RoleDetailList/2/CreateDate").asText());
      assertTrue(role.at("/RolePolicyList/0/PolicyDocument").isObject(), "documents are JSON objects");
      assertEquals("Plus+Space Percent%25 Amp&", role.at("/RolePolicyList/0/PolicyDocument/Statement/0/Sid").asText());
      assertEquals("inline & <odd> + 'name'", role.at("/RolePolicyList/0/PolicyName").asText());
      assertEquals("AROA*:ünïcödé <x> & y",
          role.at("/RolePolicyList/0/PolicyDocument/Statement/0/Condition/StringLike/aws:userid/0").asText());
      assertEquals(1, read.at("/Policies/0/AttachmentCount").asInt());
      assertTrue(read.at("/Policies/0/IsAttachable").isBoolean());
      assertTrue(read.at("/RoleDetailList/1/RoleLastUsed").isObject(), "never-used roles keep an empty RoleLastUsed");
      assertTrue(read.at("/RoleDetailList/2/Tags").isMissingNode(), "absent lists stay absent");
      assertTrue(read.at("/Policies/2/PermissionsBoundaryUsageCount").isMissingNode(), "nulls are not sent");
    }
  }

  @Test
  void readsTheCloudsplainingExampleAccountUnchanged() throws IOException {
    Path example = sharedData().resolve("iam/cloudsplaining/examples/files/example.json");
    Assumptions.assumeTrue(Files.isRegularFile(example), "shared data absent: " + example);
    JsonNode account = JSON.readTree(example.toFile());
    try (IamQueryApiServer server = new IamQueryApiServer(account); IamClient iam = client(server)) {
      server.setPageSize(25);
      server.throttleNextRequests(2);

      ObjectNode read = new LiveIamReader(iam).readAuthorizationDetails();

      int items = account.get("RoleDetailList").size() + account.get("Policies").size();
      int pages = (items + 24) / 25;
      assertTrue(pages > 3, "several pages: " + pages);
      assertEquals(pages + 2, server.requestCount("GetAccountAuthorizationDetails"));
      assertEquals(normalised(account.get("RoleDetailList")), normalised(read.get("RoleDetailList")));
      assertEquals(normalised(account.get("Policies")), normalised(read.get("Policies")));
      assertEquals(0, read.get("UserDetailList").size());
    }
  }

  @Test
  void givesUpWithAClearMessageWhenIamKeepsThrottling() throws IOException {
    try (IamQueryApiServer server = new IamQueryApiServer(JSON.readTree(SMALL_ACCOUNT));
        IamClient iam = client(server)) {
      server.throttleNextRequests(1000);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new LiveIamReader(iam).readAuthorizationDetails());
      assertTrue(e.getMessage().contains("Throttling (HTTP 400)"), e.getMessage());
      assertTrue(e.getMessage().contains("--iam-snapshot"), e.getMessage());
      assertEquals(LiveIamReader.MAX_ATTEMPTS, server.requestCount("GetAccountAuthorizationDetails"));
    }
  }

  @Test
  void decodesUrlEncodedDocumentsAndAcceptsDecodedOnes() {
    assertEquals(JSON.createObjectNode().put("Sid", "a+b c"),
        LiveIamReader.policyDocument("%7B%22Sid%22%3A%22a%2Bb%20c%22%7D", "p"));
    assertEquals(JSON.createObjectNode().put("Sid", "a+b c"),
        LiveIamReader.policyDocument(" {\"Sid\":\"a+b c\"}\n", "p"));
  }

  @Test
  void namesWhereAnUnreadableDocumentWas() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LiveIamReader.policyDocument("%7B%22Version%22", "RoleDetailList[3].RolePolicyList[0].PolicyDocument"));
    assertTrue(e.getMessage().startsWith(
        "Cannot parse policy document at RoleDetailList[3].RolePolicyList[0].PolicyDocument: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("got '%7B%22Version%22'"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> LiveIamReader.policyDocument("%ZZ", "p"));
    assertThrows(IllegalStateException.class, () -> LiveIamReader.policyDocument("%5B%5D", "p"), "an array");
  }

  private static IamClient client(IamQueryApiServer server) {
    return LiveIamReader.newClient(server.endpoint(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")), FAST_RETRY);
  }

  private static Path sharedData() {
    return Paths.get(System.getProperty("trailtrim.shared.data", "../shared/data"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** What the API cannot carry over: JSON nulls (not sent) and timestamp spelling (an instant either way). */
  private static JsonNode normalised(JsonNode node) {
    JsonNode copy = node.deepCopy();
    normalise(copy);
    return copy;
  }

  private static void normalise(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isNull()) {
          it.remove();
        } else if (DATE_KEYS.contains(field.getKey()) && field.getValue().isTextual()) {
          String text = field.getValue().asText().replace(' ', 'T');
          field.setValue(object.textNode(OffsetDateTime.parse(text).toInstant().toString()));
        } else {
          normalise(field.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(LiveIamReaderTest::normalise);
    }
  }
}
