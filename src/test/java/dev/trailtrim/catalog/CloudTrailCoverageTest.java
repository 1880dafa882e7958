package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.CloudTrailEvent.EventResource;
import dev.trailtrim.model.CloudTrailEvent.Identity;
import dev.trailtrim.model.Translation;
import dev.trailtrim.model.Translation.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Translates every record in the real captures under {@code trailtrim.shared.data}/cloudtrail
 * and measures how much maps to catalog actions and concrete ARNs. Skipped when the data is absent.
 */
class CloudTrailCoverageTest {

  /**
   * Asserted floors: what the rules reach today (423 of 423 pairs; 2,537 of 3,258 records: STS
   * GetFederationToken, Athena's default workgroup and Bedrock model ids joined the rules). Raise
   * them as rules are added, never lower them. The records left at {@code *} name no resource the
   * call touched: GetAccessKeyLastUsed (259) gives only a key id, list calls without a filter
   * (DescribeMetricFilters, DescribeAlarms, config and Cost Explorer reads), captures whose
   * identity was stripped so the account is unknown, and fixtures without parameters. The captures
   * hold few of the services Lambda functions call; ServiceResourceRulesTest covers those.
   */
  private static final double MIN_PAIRS_TRANSLATED = 1.0;
  private static final double MIN_RECORDS_WITH_ARN = 0.7785;

  /**
   * (eventSource, eventName) pairs in the captures that no IAM action exists for: names invented
   * by test fixtures, and console-internal calls the catalog documents no action for. Left out of
   * the denominator; a rule that starts mapping one of them fails the test, so the list stays honest.
   */
  private static final Map<String, String> NO_IAM_ACTION = new TreeMap<>(Map.ofEntries(
      Map.entry("eventSource1|eventName1", "synthetic parser fixture"),
      Map.entry("eventSource2|eventName2", "synthetic parser fixture"),
      Map.entry("eventSource3|eventName3", "synthetic parser fixture"),
      Map.entry("eventSource4|eventName4", "synthetic parser fixture"),
      Map.entry("eventSource5|eventName5", "synthetic parser fixture"),
      Map.entry("eventSource6|eventName6", "synthetic parser fixture"),
      Map.entry("ec2.amazonaws.com|DeleteBucketEncryption", "fixture puts an S3 call under ec2"),
      Map.entry("ec2.amazonaws.com|DeleteBucketPublicAccessBlock", "fixture puts an S3 call under ec2"),
      Map.entry("ec2.amazonaws.com|DeleteBucketReplication", "fixture puts an S3 call under ec2"),
      Map.entry("ec2.amazonaws.com|PutBucketLogging", "fixture puts an S3 call under ec2"),
      Map.entry("ec2.amazonaws.com|PutBucketVersioning", "fixture puts an S3 call under ec2"),
      Map.entry("ec2.amazonaws.com|RegisterManagedInstance", "fixture invents an EC2 call"),
      Map.entry("s3.amazonaws.com|CreateServiceLinkedRole", "fixture puts an IAM call under s3"),
      Map.entry("s3.amazonaws.com|SetQueueAttributes", "fixture puts an SQS call under s3"),
      Map.entry("iam.amazonaws.com|DescribePolicy", "fixture invents an IAM call"),
      Map.entry("iam.amazonaws.com|DetachUserGroup", "fixture invents an IAM call"),
      Map.entry("iam.amazonaws.com|NotCreateUser", "fixture invents an IAM call"),
      Map.entry("iam.amazonaws.com|PutPolicy", "fixture invents an IAM call"),
      Map.entry("cloudtrail.amazonaws.com|DeleteRule", "fixture invents a CloudTrail call"),
      Map.entry("cloudtrail.amazonaws.com|DescribeTrail",
          "fixture invents a CloudTrail call (the API is DescribeTrails)"),
      Map.entry("cloudtrail.amazonaws.com|EnableRegion", "fixture invents a CloudTrail call"),
      Map.entry("signin.amazonaws.com|AssumeRole", "fixture invents a sign-in event"),
      Map.entry("macie.amazonaws.com|UpdateMacieSession", "Macie Classic is retired and has no prefix in the catalog"),
      Map.entry("ec2messages.amazonaws.com|SendHeartbeat", "SSM agent call the catalog documents no action for"),
      Map.entry("ec2.amazonaws.com|GetCapacityReservationAccountAttribute",
          "console-internal call without an IAM action"),
      Map.entry("cloudshell.amazonaws.com|DeleteSession", "console-internal CloudShell call without an IAM action"),
      Map.entry("cloudshell.amazonaws.com|GetLayout", "console-internal CloudShell call without an IAM action"),
      Map.entry("cloudshell.amazonaws.com|RedeemCode", "console-internal CloudShell call without an IAM action"),
      Map.entry("cloudshell.amazonaws.com|SendHeartBeat", "console-internal CloudShell call without an IAM action"),
      Map.entry("cloudshell.amazonaws.com|UpdateLayout", "console-internal CloudShell call without an IAM action"),
      Map.entry("discovery-marketplace.amazonaws.com|GetSearchFacets",
          "console-internal Marketplace call without an IAM action")));

  /** Trailing tokens fail, so a JSON-lines file is not mistaken for its first record. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Identity SYNTHETIC = new Identity("AssumedRole",
      "arn:aws:sts::111122223333:assumed-role/coverage/session", "111122223333", "AROACOVERAGE:session", null, "Role",
      "arn:aws:iam::111122223333:role/coverage");

  @Test
  void translatesTheRealCaptures() throws IOException {
    String shared = System.getProperty("trailtrim.shared.data");
    assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "cloudtrail")),
        "shared CloudTrail captures not present at " + shared);
    IamCatalog catalog = IamCatalog.loadDefault();
    EventTranslator translator = EventTranslator.create(catalog);

    List<CloudTrailEvent> events = new ArrayList<>();
    int[] unreadable = new int[1];
    try (Stream<Path> files = Files.walk(Path.of(shared, "cloudtrail"))) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        read(file, events, unreadable);
      }
    }
    assertTrue(events.size() > 9_000, "records read: " + events.size());

    Map<String, List<Translation>> byPair = new TreeMap<>();
    int resourceLevelRecords = 0;
    int recordsWithArn = 0;
    Map<String, Integer> starPairs = new TreeMap<>();
    for (CloudTrailEvent event : events) {
      Translation translation = translator.translate(event);
      byPair.computeIfAbsent(event.eventSource() + "|" + event.eventName(), k -> new ArrayList<>()).add(translation);
      boolean resourceLevel = false;
      boolean concrete = true;
      for (ActionOnResource access : translation.accesses()) {
        ActionInfo info = catalog.action(access.action()).orElse(null);
        assertTrue(info != null && info.action().toString().equals(access.action().toString()),
            "not a catalog action in canonical spelling: " + access.action());
        if (info.hasResourceTypes()) {
          resourceLevel = true;
          concrete &= !access.resource().equals(ActionOnResource.ANY_RESOURCE);
        }
      }
      if (resourceLevel) {
        resourceLevelRecords++;
        if (concrete) {
          recordsWithArn++;
        } else {
          starPairs.merge(event.eventSource() + "|" + event.eventName() + " (" + translation.rule() + ")", 1,
              Integer::sum);
        }
      }
    }

    int withAction = 0;
    int translated = 0;
    int free = 0;
    Map<String, String> unmapped = new TreeMap<>();
    for (Map.Entry<String, List<Translation>> pair : byPair.entrySet()) {
      List<Translation> ts = pair.getValue();
      if (ts.stream().allMatch(t -> t.outcome() == Outcome.NO_PERMISSION_NEEDED)) {
        free++;
        continue;
      }
      boolean allMapped = ts.stream().allMatch(t -> t.outcome() == Outcome.MAPPED);
      if (NO_IAM_ACTION.containsKey(pair.getKey())) {
        assertTrue(!allMapped, pair.getKey() + " now maps; take it off NO_IAM_ACTION");
        continue;
      }
      withAction++;
      if (allMapped) {
        translated++;
      } else {
        unmapped.put(pair.getKey(),
            ts.stream().filter(t -> t.outcome() != Outcome.MAPPED).findFirst().orElseThrow().rule());
      }
    }
    double pairShare = (double) translated / withAction;
    double arnShare = (double) recordsWithArn / resourceLevelRecords;

    System.out.printf("%nCloudTrail coverage over %s%n", Path.of(shared, "cloudtrail"));
    System.out.printf("  records read %d (unreadable files or lines skipped: %d)%n", events.size(), unreadable[0]);
    System.out.printf("  distinct (eventSource,eventName): %d; need no permission: %d; no IAM action exists: %d%n",
        byPair.size(), free, byPair.keySet().stream().filter(NO_IAM_ACTION::containsKey).count());
    System.out.printf("  translated to catalog actions: %d of %d with an IAM action = %.2f %%%n",
        translated, withAction, 100 * pairShare);
    System.out.printf("  records of resource-level actions with a concrete ARN: %d of %d = %.2f %%%n",
        recordsWithArn, resourceLevelRecords, 100 * arnShare);
    System.out.println("  unmapped (with an IAM action):");
    unmapped.forEach((pair, reason) -> System.out.println("    " + pair + ": " + reason));
    System.out.println("  no IAM action exists (left out of the share):");
    NO_IAM_ACTION.forEach((pair, why) -> {
      if (byPair.containsKey(pair)) {
        System.out.println("    " + pair + ": " + why);
      }
    });
    System.out.println("  resource-level records that got '*' (records, pair, rule):");
    starPairs.forEach((pair, count) -> System.out.println("    " + count + " " + pair));

    assertTrue(pairShare >= MIN_PAIRS_TRANSLATED, "pairs translated " + pairShare);
    assertTrue(arnShare >= MIN_RECORDS_WITH_ARN, "records with a concrete ARN " + arnShare);
  }

  /** Reads {"Records":[...]}, JSON arrays, JSON lines and plaso's CloudTrailEvent-string shape. */
  private static void read(Path file, List<CloudTrailEvent> events, int[] unreadable) throws IOException {
    String name = file.getFileName().toString();
    boolean gzip = name.endsWith(".gz");
    if (gzip && Files.exists(file.resolveSibling(name.substring(0, name.length() - 3)))) {
      return;
    }
    if (!(name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".json.gz"))) {
      return;
    }
    String text;
    try (InputStream in = gzip ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      collect(JSON.readTree(text), events);
    } catch (IOException wholeFileIsNotJson) {
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          collect(JSON.readTree(line), events);
        } catch (IOException badLine) {
          unreadable[0]++;
        }
      }
    }
  }

  private static void collect(JsonNode node, List<CloudTrailEvent> events) throws IOException {
    if (node.isArray()) {
      for (JsonNode element : node) {
        collect(element, events);
      }
    } else if (node.has("Records")) {
      collect(node.get("Records"), events);
    } else if (node.path("CloudTrailEvent").isTextual()) {
      collect(JSON.readTree(node.get("CloudTrailEvent").asText()), events);
    } else if (node.path("eventSource").isTextual() && node.path("eventName").isTextual()) {
      events.add(event(node));
    }
  }

  private static CloudTrailEvent event(JsonNode r) {
    JsonNode user = r.path("userIdentity");
    Identity identity = user.isObject()
        ? new Identity(text(user, "type"), text(user, "arn"), text(user, "accountId"), text(user, "principalId"),
            text(user, "invokedBy"), text(user.path("sessionContext").path("sessionIssuer"), "type"),
            text(user.path("sessionContext").path("sessionIssuer"), "arn"))
        : SYNTHETIC;
    List<EventResource> resources = new ArrayList<>();
    for (JsonNode resource : r.path("resources")) {
      String arn = text(resource, "ARN") != null ? text(resource, "ARN") : text(resource, "arn");
      resources.add(new EventResource(arn, text(resource, "type"), text(resource, "accountId")));
    }
    JsonNode flag = r.path("managementEvent");
    Boolean management = null;
    if (flag.isBoolean() || flag.isTextual()) {
      management = Boolean.valueOf(flag.asText());
    }
    return new CloudTrailEvent(millis(text(r, "eventTime")), text(r, "eventSource"), text(r, "eventName"),
        text(r, "awsRegion"), text(r, "recipientAccountId"), text(r, "errorCode"), identity, text(r, "userAgent"),
        r.get("requestParameters"), r.get("responseElements"), resources, text(r, "eventCategory"),
        management);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asText() : null;
  }

  private static long millis(String time) {
    try {
      return time == null ? 0 : Instant.parse(time).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
