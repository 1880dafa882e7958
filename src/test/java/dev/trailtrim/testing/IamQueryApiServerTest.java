package dev.trailtrim.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/** The stand-in speaks IAM's Query API well enough for the SDK's own client. */
@Execution(ExecutionMode.CONCURRENT) // Its own IAM fake and no Spark: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
// Its methods share one server, whose throttling and counts one method at a time may change.
@ResourceLock("dev.trailtrim.testing.IamQueryApiServerTest.server")
class IamQueryApiServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = """
            {"RoleDetailList": [
               {"Path": "/", "RoleName": "a-role", "RoleId": "AROA1", "Arn": "arn:aws:iam::111122223333:role/a-role",
                "CreateDate": "2024-01-02 03:04:05+00:00", "MaxSessionDuration": 3600,
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Sid": "a b+c"}]},
                "RolePolicyList": [], "AttachedManagedPolicies": [],
                "Tags": [{"Key": "k", "Value": "v"}], "RoleLastUsed": {"LastUsedDate": "2024-03-04T05:06:07Z", "Region": "us-east-1"}},
               {"Path": "/svc/", "RoleName": "b-role", "RoleId": "AROA2", "Arn": "arn:aws:iam::111122223333:role/svc/b-role",
                "CreateDate": "2024-01-02T03:04:05Z", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}},
               {"Path": "/svc/", "RoleName": "c-role", "RoleId": "AROA3", "Arn": "arn:aws:iam::111122223333:role/svc/c-role",
                "CreateDate": "2024-01-02T03:04:05Z", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}
             ],
             "Policies": [
               {"PolicyName": "mine", "Arn": "arn:aws:iam::111122223333:policy/mine", "PolicyVersionList": []},
               {"PolicyName": "theirs", "Arn": "arn:aws:iam::aws:policy/theirs", "PolicyVersionList": []}
             ]}
            """;

  private static IamQueryApiServer server;
  private static IamClient iam;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    server = new IamQueryApiServer(JSON.readTree(ACCOUNT));
    iam = IamClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @AfterAll
  static void stop() {
    iam.close();
    server.close();
  }

  @BeforeEach
  void resetPaging() {
    server.setPageSize(IamQueryApiServer.DEFAULT_MAX_ITEMS);
    server.throttleNextRequests(0);
  }

  @Test
  void getRoleReturnsTheRoleWithItsTrustPolicyUrlEncoded() throws IOException {
    Role role = iam.getRole(b -> b.roleName("a-role")).role();
    assertEquals("arn:aws:iam::111122223333:role/a-role", role.arn());
    assertEquals(Instant.parse("2024-01-02T03:04:05Z"), role.createDate());
    assertEquals(3600, role.maxSessionDuration());
    assertEquals("v", role.tags().get(0).value());
    assertEquals("us-east-1", role.roleLastUsed().region());
    String document = role.assumeRolePolicyDocument();
    assertTrue(document.startsWith("%7B%22Version%22%3A%222012-10-17%22"), document);
    assertTrue(document.contains("a%20b%2Bc"), "RFC 3986 style: " + document);
    assertEquals("a b+c",
        JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8)).at("/Statement/0/Sid").asText());
  }

  @Test
  void getRoleOfAnUnknownRoleIsNoSuchEntity() {
    NoSuchEntityException e = assertThrows(NoSuchEntityException.class, () -> iam.getRole(b -> b.roleName("nope")));
    assertEquals(404, e.statusCode());
    assertTrue(e.getMessage().contains("The role with name nope cannot be found."), e.getMessage());
  }

  @Test
  void listRolesPagesWithMarkersAndHonoursThePathPrefix() {
    server.setPageSize(1);
    int before = server.requestCount("ListRoles");
    List<String> all = iam.listRolesPaginator(b -> b.maxItems(50)).roles().stream()
        .map(Role::roleName).collect(Collectors.toList());
    assertEquals(List.of("a-role", "b-role", "c-role"), all);
    assertEquals(3, server.requestCount("ListRoles") - before);

    List<String> svc = iam.listRolesPaginator(b -> b.pathPrefix("/svc/")).roles().stream()
        .map(Role::roleName).collect(Collectors.toList());
    assertEquals(List.of("b-role", "c-role"), svc);
  }

  @Test
  void authorizationDetailsApplyFiltersAndMaxItems() {
    GetAccountAuthorizationDetailsResponse first =
        iam.getAccountAuthorizationDetails(b -> b.filterWithStrings("Role", "AWSManagedPolicy").maxItems(2));
    assertTrue(first.isTruncated());
    assertEquals(2, first.roleDetailList().size());
    GetAccountAuthorizationDetailsResponse second =
        iam.getAccountAuthorizationDetails(b -> b.filterWithStrings("Role", "AWSManagedPolicy")
            .maxItems(2).marker(first.marker()));
    assertFalse(second.isTruncated());
    assertEquals(List.of("c-role"), second.roleDetailList().stream().map(r -> r.roleName()).toList());
    assertEquals(List.of("theirs"), second.policies().stream().map(p -> p.policyName()).toList());

    GetAccountAuthorizationDetailsResponse policiesOnly =
        iam.getAccountAuthorizationDetails(b -> b.filterWithStrings("LocalManagedPolicy"));
    assertEquals(0, policiesOnly.roleDetailList().size());
    assertEquals(List.of("mine"), policiesOnly.policies().stream().map(p -> p.policyName()).toList());
  }

  @Test
  void rejectsAnUnknownFilterAndABadMarker() {
    IamException filter = assertThrows(IamException.class,
        () -> iam.getAccountAuthorizationDetails(b -> b.filterWithStrings("Robot")));
    assertEquals("ValidationError", filter.awsErrorDetails().errorCode());
    IamException marker = assertThrows(IamException.class,
        () -> iam.getAccountAuthorizationDetails(b -> b.marker("bogus")));
    assertEquals("ValidationError", marker.awsErrorDetails().errorCode());
  }

  @Test
  void throttlesTheNextRequestsWithIamsErrorAndCountsThem() throws Exception {
    server.throttleNextRequests(2);
    int before = server.requestCount("GetRole");
    IamException first = assertThrows(IamException.class, () -> iam.getRole(b -> b.roleName("a-role")));
    assertTrue(first.isThrottlingException());
    assertEquals(400, first.statusCode());
    assertEquals("Throttling", first.awsErrorDetails().errorCode());

    HttpResponse<String> raw = post("Action=GetRole&Version=2010-05-08&RoleName=a-role");
    assertEquals(400, raw.statusCode());
    assertTrue(raw.body().contains("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
        + "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>"), raw.body());

    assertEquals("a-role", iam.getRole(b -> b.roleName("a-role")).role().roleName(), "third request passes");
    assertEquals(3, server.requestCount("GetRole") - before);
    assertEquals(0, server.requestCount("NoSuchAction"));
  }

  @Test
  void answersInIamsXmlNamespaceWithIsoTimestamps() throws Exception {
    HttpResponse<String> raw =
        post("Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=Role&MaxItems=1");
    assertEquals(200, raw.statusCode());
    String body = raw.body();
    assertTrue(
        body.contains("<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
            + "<GetAccountAuthorizationDetailsResult><IsTruncated>true</IsTruncated><Marker>"),
        body);
    assertTrue(body.contains("<CreateDate>2024-01-02T03:04:05Z</CreateDate>"), body);
    assertTrue(body.contains("<ResponseMetadata><RequestId>"), body);
    Matcher marker = Pattern.compile("<Marker>([^<]+)</Marker>").matcher(body);
    assertTrue(marker.find());

    HttpResponse<String> unknown = post("Action=DeleteRole&Version=2010-05-08&RoleName=a-role");
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.body().contains("<Code>InvalidAction</Code>"), unknown.body());
  }

  @Test
  void refusesADocumentThatIsNotAnObject() throws IOException {
    JsonNode array = JSON.readTree("[]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IamQueryApiServer(array));
    assertTrue(e.getMessage().contains("get-account-authorization-details"), e.getMessage());
  }

  private static HttpResponse<String> post(String form) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
