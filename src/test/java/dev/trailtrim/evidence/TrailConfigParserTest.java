package dev.trailtrim.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrailConfigParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORG = "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail";
  private static final String MANAGEMENT = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events";
  private static final String S3_DATA = "arn:aws:cloudtrail:us-east-1:111122223333:trail/s3-data";

  static JsonNode resource(String name) {
    try (InputStream in = TrailConfigParserTest.class.getResourceAsStream("/dev/trailtrim/evidence/" + name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(name, e);
    }
  }

  /** The three trails of the fixtures, with their selectors and one status. */
  static List<Trail> fixtureTrails() {
    return TrailConfigParser.parse(List.of(resource("get-event-selectors-s3-data.json"),
        resource("describe-trails.json"), resource("get-event-selectors-org-trail.json"),
        resource("get-event-selectors-management-events.json"), resource("get-trail-status-s3-data.json")));
  }

  @Test
  void readsTheCliOutputOfEveryKindInAnyOrder() {
    List<Trail> trails = fixtureTrails();

    assertEquals(List.of(MANAGEMENT, S3_DATA, ORG), trails.stream().map(Trail::trailArn).toList());
    Trail org = trails.get(2);
    assertEquals("org-trail", org.name());
    assertEquals("999988887777", org.accountId());
    assertEquals("us-east-1", org.homeRegion());
    assertTrue(org.multiRegion() && org.includeGlobalServiceEvents() && org.organizationTrail());
    assertEquals("log-archive-trail-bucket", org.s3BucketName());
    assertEquals("org", org.s3KeyPrefix());
    assertEquals(LoggingStatus.NOT_READ, org.logging());
    TrailSelectors.Advanced advanced = assertInstanceOf(TrailSelectors.Advanced.class, org.selectors());
    assertEquals(2, advanced.selectors().size());
    AdvancedEventSelector s3 = advanced.selectors().get(1);
    assertEquals("S3 objects but the secret bucket", s3.name());
    assertEquals(new AdvancedFieldSelector("resources.ARN", List.of(), List.of(), List.of(), List.of(),
        List.of("arn:aws:s3:::secret-bucket/"), List.of(), List.of()), s3.fieldSelectors().get(2));
    assertEquals(List.of("kms.amazonaws.com", "rdsdata.amazonaws.com"),
        advanced.selectors().get(0).fieldSelectors().get(1).notEquals());

    Trail management = trails.get(0);
    assertFalse(management.multiRegion());
    assertNull(management.s3KeyPrefix());
    assertEquals(new TrailSelectors.Basic(List.of(new EventSelector(ReadWriteType.ALL, true, List.of(), List.of()))),
        management.selectors());

    Trail data = trails.get(1);
    assertEquals(LoggingStatus.STOPPED, data.logging());
    EventSelector selector = ((TrailSelectors.Basic) data.selectors()).selectors().get(0);
    assertEquals(ReadWriteType.READ_ONLY, selector.readWriteType());
    assertFalse(selector.includeManagementEvents());
    assertEquals(List.of(new DataResource("AWS::S3::Object", List.of("arn:aws:s3:::orders-bucket/",
        "arn:aws:s3:::reports-bucket/monthly/")), new DataResource("AWS::Lambda::Function", List.of("arn:aws:lambda"))),
        selector.dataResources());
  }

  @Test
  void anArrayStandsForItsDocumentsAndSelectorsMayNameTheTrailByName() {
    ArrayNode all = JSON.createArrayNode();
    all.add(resource("describe-trails.json"));
    ObjectNode byName = (ObjectNode) resource("get-event-selectors-management-events.json");
    byName.put("TrailARN", "management-events");
    all.add(byName);

    List<Trail> trails = TrailConfigParser.parse(all);

    assertInstanceOf(TrailSelectors.Basic.class, trails.get(0).selectors());
    assertEquals(TrailSelectors.NOT_READ, trails.get(2).selectors());
  }

  @Test
  void aTrailListedTheSameInTwoRegionsIsOneTrail() {
    assertEquals(3, TrailConfigParser.parse(List.of(resource("describe-trails.json"), resource("describe-trails.json")))
        .size());
  }

  @Test
  void errorsNameTheBadValueAndTheFix() {
    assertEquals("get-event-selectors output for 'arn:aws:cloudtrail:us-east-1:111122223333:trail/s3-data' matches no"
        + " trail of describe-trails: add that trail's describe-trails output",
        message(List.of(resource("get-event-selectors-s3-data.json"))));

    ObjectNode status = JSON.createObjectNode().put("IsLogging", true);
    assertEquals("get-trail-status output without TrailARN: the CLI does not print which trail it describes, so add"
        + " \"TrailARN\": \"<the trail's ARN>\" to it", message(List.of(resource("describe-trails.json"), status)));

    ObjectNode badType = (ObjectNode) resource("get-event-selectors-management-events.json");
    ((ObjectNode) badType.get("EventSelectors").get(0)).put("ReadWriteType", "Read");
    assertEquals("ReadWriteType of EventSelectors[0] of trail '" + MANAGEMENT + "' must be one of [ReadOnly,"
        + " WriteOnly, All], got 'Read': pass the output of 'aws cloudtrail get-event-selectors' unchanged",
        message(List.of(resource("describe-trails.json"), badType)));

    ObjectNode badArn = (ObjectNode) resource("describe-trails.json");
    ((ObjectNode) badArn.get("trailList").get(1)).put("TrailARN", "arn:aws:cloudtrail:eu-west-1:1111:trail/x");
    assertEquals("TrailARN 'arn:aws:cloudtrail:eu-west-1:1111:trail/x' is not a trail ARN such as"
        + " arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events", message(List.of(badArn)));

    ObjectNode badFlag = (ObjectNode) resource("describe-trails.json");
    ((ObjectNode) badFlag.get("trailList").get(0)).put("IsMultiRegionTrail", "yes");
    assertEquals("IsMultiRegionTrail of trail '" + ORG + "' must be true or false, got \"yes\"",
        message(List.of(badFlag)));

    ObjectNode both = (ObjectNode) resource("get-event-selectors-org-trail.json");
    both.set("EventSelectors", resource("get-event-selectors-management-events.json").get("EventSelectors"));
    assertEquals("get-event-selectors output for '" + ORG + "' has both EventSelectors and AdvancedEventSelectors,"
        + " which a trail cannot have: pass the output of one call unchanged",
        message(List.of(resource("describe-trails.json"), both)));

    ObjectNode other = JSON.createObjectNode().put("Trails", "x");
    assertEquals("Trail configuration document 2 is not the output of 'aws cloudtrail describe-trails',"
        + " 'get-event-selectors' or 'get-trail-status' (it has the keys [Trails]): pass those commands' JSON output"
        + " unchanged", message(List.of(resource("describe-trails.json"), other)));

    ObjectNode changed = (ObjectNode) resource("get-event-selectors-management-events.json");
    ((ObjectNode) changed.get("EventSelectors").get(0)).put("ReadWriteType", "WriteOnly");
    assertEquals("Two get-event-selectors outputs for trail '" + MANAGEMENT + "' differ: keep only the current one",
        message(List.of(resource("describe-trails.json"), resource("get-event-selectors-management-events.json"),
            changed)));

    ObjectNode noField = (ObjectNode) resource("get-event-selectors-org-trail.json");
    ((ObjectNode) noField.get("AdvancedEventSelectors").get(1).get("FieldSelectors").get(2)).remove("Field");
    assertEquals("FieldSelectors[2] of AdvancedEventSelectors[1] of trail '" + ORG + "' has no Field: pass the AWS"
        + " CLI's JSON output unchanged", message(List.of(resource("describe-trails.json"), noField)));
  }

  @Test
  void unknownOperatorsAreKeptSoTheSelectorCanBeDistrusted() {
    ObjectNode future = (ObjectNode) resource("get-event-selectors-org-trail.json");
    ((ObjectNode) future.get("AdvancedEventSelectors").get(1).get("FieldSelectors").get(2))
        .set("Contains", JSON.createArrayNode().add("secret"));

    Trail org = TrailConfigParser.parse(List.of(resource("describe-trails.json"), future)).get(2);

    AdvancedEventSelector selector = ((TrailSelectors.Advanced) org.selectors()).selectors().get(1);
    assertEquals(List.of("Contains"), selector.fieldSelectors().get(2).unknownOperators());
  }

  private static String message(List<JsonNode> documents) {
    return assertThrows(IllegalArgumentException.class, () -> TrailConfigParser.parse(documents)).getMessage();
  }
}
