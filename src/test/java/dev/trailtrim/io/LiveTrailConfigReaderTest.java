package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.evidence.LoggingStatus;
import dev.trailtrim.evidence.Trail;
import dev.trailtrim.evidence.TrailConfigParser;
import dev.trailtrim.testing.CloudTrailJsonApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

@Execution(ExecutionMode.CONCURRENT) // Its own CloudTrail fake and no Spark: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
class LiveTrailConfigReaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FAST_RETRY = Duration.ofMillis(5);

  /** The three trails of the evidence fixtures and two more, each with its selectors and status: five in all. */
  private static List<JsonNode> fiveTrails() throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (String name : List.of("describe-trails.json", "get-event-selectors-org-trail.json",
        "get-event-selectors-management-events.json", "get-event-selectors-s3-data.json",
        "get-trail-status-s3-data.json")) {
      try (InputStream in = LiveTrailConfigReaderTest.class.getResourceAsStream("/dev/trailtrim/evidence/" + name)) {
        documents.add(JSON.readTree(in));
      }
    }
    ArrayNode list = (ArrayNode) documents.get(0).get("trailList");
    for (String name : List.of("dynamodb-data", "tokyo")) {
      String region = name.equals("tokyo") ? "ap-northeast-1" : "us-east-1";
      String arn = "arn:aws:cloudtrail:" + region + ":111122223333:trail/" + name;
      list.add(JSON.readTree("""
                    {"Name": "%s", "S3BucketName": "trail-bucket", "IncludeGlobalServiceEvents": %s,
                     "IsMultiRegionTrail": %s, "HomeRegion": "%s", "TrailARN": "%s", "LogFileValidationEnabled": true,
                     "HasCustomEventSelectors": true, "HasInsightSelectors": false, "IsOrganizationTrail": false}
                    """.formatted(name, !name.equals("tokyo"), !name.equals("tokyo"), region, arn)));
      documents.add(JSON.readTree("""
                    {"TrailARN": "%s", "AdvancedEventSelectors": [{"Name": "orders table", "FieldSelectors": [
                      {"Field": "eventCategory", "Equals": ["Data"]},
                      {"Field": "resources.type", "Equals": ["AWS::DynamoDB::Table"]},
                      {"Field": "resources.ARN", "StartsWith": ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"],
                       "NotEndsWith": ["-archive"]}]}]}
                    """.formatted(arn)));
    }
    for (String arn : List.of("arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail",
        "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events",
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/dynamodb-data",
        "arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/tokyo")) {
      documents.add(JSON.createObjectNode().put("TrailARN", arn).put("IsLogging", true)
          .put("LatestDeliveryTime", "2026-11-29T02:10:07.25+00:00"));
    }
    return documents;
  }

  private static CloudTrailClient client(CloudTrailJsonApiServer server) {
    return LiveTrailConfigReader.newClient(Region.US_EAST_1, server.endpoint(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), FAST_RETRY);
  }

  @Test
  void pagesThroughTheRealClientAndReadsBackAsTheSameTrails() throws IOException {
    List<JsonNode> documents = fiveTrails();
    try (CloudTrailJsonApiServer server = new CloudTrailJsonApiServer(documents);
        CloudTrailClient client = client(server);
        LiveTrailConfigReader reader = new LiveTrailConfigReader(client)) {
      server.setPageSize(2);

      List<ObjectNode> read = reader.readDocuments();

      List<Trail> expected = TrailConfigParser.parse(documents);
      assertEquals(5, expected.size());
      assertEquals(expected, TrailConfigParser.parse(read));
      // Sorted by ARN: tokyo, management-events, dynamodb-data, s3-data (stopped), org-trail.
      assertEquals(List.of(LoggingStatus.LOGGING, LoggingStatus.LOGGING, LoggingStatus.LOGGING,
          LoggingStatus.STOPPED, LoggingStatus.LOGGING), expected.stream().map(Trail::logging).toList());
      // 5 trails, 2 a page: 3 pages, the later two asked for by the previous page's NextToken.
      assertEquals(3, server.requestCount("ListTrails"));
      List<JsonNode> listTrails = bodies(server, "ListTrails");
      assertEquals(false, listTrails.get(0).has("NextToken"));
      assertTrue(listTrails.get(1).has("NextToken") && listTrails.get(2).has("NextToken"));
      JsonNode describe = bodies(server, "DescribeTrails").get(0);
      assertEquals(true, describe.get("includeShadowTrails").asBoolean());
      assertEquals(5, describe.get("trailNameList").size());
      assertEquals(expected.stream().map(Trail::trailArn).toList(),
          bodies(server, "GetEventSelectors").stream().map(b -> b.get("TrailName").asText()).sorted().toList());
      assertEquals(5, server.requestCount("GetTrailStatus"));
    }
  }

  @Test
  void printsWhatTheCliPrints() throws IOException {
    try (CloudTrailJsonApiServer server = new CloudTrailJsonApiServer(fiveTrails());
        CloudTrailClient client = client(server);
        LiveTrailConfigReader reader = new LiveTrailConfigReader(client)) {
      List<ObjectNode> read = reader.readDocuments();

      assertEquals(11, read.size());
      JsonNode management = read.get(0).get("trailList").get(0);
      assertEquals("arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/tokyo", management.get("TrailARN").asText());
      JsonNode eventSelectors = read.stream().filter(d -> d.path("TrailARN").asText().endsWith("/management-events")
          && d.has("EventSelectors")).findFirst().orElseThrow();
      assertEquals(JSON.readTree("""
                    {"TrailARN": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events",
                     "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": [],
                                         "ExcludeManagementEventSources": []}]}"""), eventSelectors);
      JsonNode status = read.get(6);
      assertEquals("arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/tokyo", status.get("TrailARN").asText());
      assertEquals("2026-11-29T02:10:07.25+00:00", status.get("LatestDeliveryTime").asText());
    }
  }

  @Test
  void retriesThrottlingAndNamesThePermissionWhenRefused() throws IOException {
    try (CloudTrailJsonApiServer server = new CloudTrailJsonApiServer(fiveTrails());
        CloudTrailClient client = client(server);
        LiveTrailConfigReader reader = new LiveTrailConfigReader(client)) {
      server.throttleNextRequests(3);
      assertEquals(11, reader.readDocuments().size());

      server.fail("GetEventSelectors", "AccessDeniedException");
      IllegalStateException refused = assertThrows(IllegalStateException.class, reader::readDocuments);
      assertEquals("Cannot read the trail configuration: GetEventSelectors of"
          + " 'arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/tokyo' failed with AccessDeniedException"
          + " (HTTP 400): check that the credentials allow cloudtrail:GetEventSelectors, or use --trail-config",
          refused.getMessage());
      // Refusals are not retried: five reads of the first run, one refused.
      assertEquals(6, server.requestCount("GetEventSelectors"));
    }
  }

  @Test
  void anAccountWithoutTrailsHasAnEmptyTrailList() {
    try (CloudTrailJsonApiServer server = new CloudTrailJsonApiServer(List.of(JSON.createObjectNode()
        .set("trailList", JSON.createArrayNode())));
        CloudTrailClient client = client(server);
        LiveTrailConfigReader reader = new LiveTrailConfigReader(client)) {
      List<ObjectNode> read = reader.readDocuments();

      assertEquals(List.of(JSON.createObjectNode().set("trailList", JSON.createArrayNode())), read);
      assertEquals(List.of(), TrailConfigParser.parse(read));
      assertEquals(0, server.requestCount("DescribeTrails"));
    }
  }

  private static List<JsonNode> bodies(CloudTrailJsonApiServer server, String operation) {
    return server.requests().stream().filter(r -> r.getKey().equals(operation)).map(Map.Entry::getValue).toList();
  }
}
