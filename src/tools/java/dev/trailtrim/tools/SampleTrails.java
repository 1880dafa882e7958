package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.arr;
import static dev.trailtrim.tools.SampleJson.obj;
import static dev.trailtrim.tools.SampleScenario.ACCOUNT;
import static dev.trailtrim.tools.SampleScenario.HOME;
import static dev.trailtrim.tools.SampleScenario.ORG_TRAIL_ARN;
import static dev.trailtrim.tools.SampleScenario.TRAIL_ARN;
import static dev.trailtrim.tools.SampleScenario.TRAIL_BUCKET;
import static dev.trailtrim.tools.SampleScenario.TRAIL_NAME;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sample trails' configuration, as {@code aws cloudtrail describe-trails} and
 * {@code aws cloudtrail get-event-selectors --trail-name ARN} print it: the account's own trail
 * (multi-region, advanced selectors: management events, S3 objects and SQS queues) and the
 * organization trail (us-east-1, basic selectors: management events and every S3 object). It says
 * what {@code ground-truth.json}'s {@code trails} say, in the form a user exports.
 */
final class SampleTrails {

  private SampleTrails() {}

  /** File name under {@code trail-config/} to its JSON document. */
  static Map<String, ObjectNode> documents() {
    Map<String, ObjectNode> files = new TreeMap<>();
    String orgTrailName = ORG_TRAIL_ARN.substring(ORG_TRAIL_ARN.lastIndexOf('/') + 1);
    files.put("describe-trails.json", obj("trailList", arr(
        obj("Name", TRAIL_NAME, "S3BucketName", TRAIL_BUCKET, "IncludeGlobalServiceEvents", true,
            "IsMultiRegionTrail", true, "HomeRegion", HOME, "TrailARN", TRAIL_ARN, "LogFileValidationEnabled", true,
            "HasCustomEventSelectors", true, "HasInsightSelectors", false, "IsOrganizationTrail", false),
        obj("Name", orgTrailName, "S3BucketName", TRAIL_BUCKET, "S3KeyPrefix", "cloudtrail",
            "IncludeGlobalServiceEvents", true, "IsMultiRegionTrail", false, "HomeRegion", HOME,
            "TrailARN", ORG_TRAIL_ARN, "LogFileValidationEnabled", true, "HasCustomEventSelectors", true,
            "HasInsightSelectors", false, "IsOrganizationTrail", true))));
    files.put("event-selectors-" + TRAIL_NAME + ".json", obj("TrailARN", TRAIL_ARN, "AdvancedEventSelectors", arr(
        obj("Name", "Management events", "FieldSelectors", arr(
            obj("Field", "eventCategory", "Equals", arr("Management")))),
        obj("Name", "S3 object data events", "FieldSelectors", arr(
            obj("Field", "eventCategory", "Equals", arr("Data")),
            obj("Field", "resources.type", "Equals", arr("AWS::S3::Object")))),
        obj("Name", "SQS queue data events", "FieldSelectors", arr(
            obj("Field", "eventCategory", "Equals", arr("Data")),
            obj("Field", "resources.type", "Equals", arr("AWS::SQS::Queue")))))));
    files.put("event-selectors-" + orgTrailName + ".json", obj("TrailARN", ORG_TRAIL_ARN, "EventSelectors", arr(
        obj("ReadWriteType", "All", "IncludeManagementEvents", true, "DataResources", arr(
            obj("Type", "AWS::S3::Object", "Values", arr("arn:aws:s3"))), "ExcludeManagementEventSources", arr()))));
    return files;
  }

  /** The sample's own account, whose trail the first document describes. */
  static String account() {
    return ACCOUNT;
  }
}
