package dev.trailtrim.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.trailtrim.evidence.Recording.Status;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Patterns;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random trails and grants, checked against a plain per-ARN reading of the selectors on every
 * concrete resource of a small world: a RECORDED grant has no unrecorded resource, a NOT_RECORDED
 * one no recorded resource, and a PARTLY_RECORDED one's patterns lie within the grant and cover
 * every unrecorded resource.
 */
class TrailRecordingPropertyTest {

  private static final String ACCOUNT = "111122223333";
  private static final String REGION = "us-east-1";
  private static final int CASES = Integer.getInteger("trailtrim.property.cases", 500);

  /** A resource type's little world: its concrete ARNs, selector values and grants to draw from. */
  private record World(String type, String service, List<String> resources, List<String> prefixes,
      List<String> suffixes, List<String> exact, List<String> basicValues, List<String> grants) {}

  private static final World S3 = new World("AWS::S3::Object", "s3",
      cross(List.of("arn:aws:s3:::a/", "arn:aws:s3:::ab/", "arn:aws:s3:::b/", "arn:aws:s3:::secret/",
          "arn:aws:s3:::s/"), List.of("x", "x/y", "logs/1", "logs/", "ab*c", "k:1", "$", "y.gz")),
      List.of("arn:aws:s3:::a", "arn:aws:s3:::a/", "arn:aws:s3:::ab/", "arn:aws:s3:::secret/", "arn:aws:s3:::a/logs/",
          "arn:aws:s3:::s", "arn:aws:s3"),
      List.of("/y", "1", "x", ".gz", "*c", ":1"),
      List.of("arn:aws:s3:::a/x", "arn:aws:s3:::b/x/y", "arn:aws:s3:::secret/$"),
      List.of("arn:aws:s3", "arn:aws:s3:::", "arn:aws:s3:::a/", "arn:aws:s3:::ab", "arn:aws:s3:::a/logs/",
          "arn:aws:s3:::secret/x"),
      compose(List.of("arn:aws:s3:::"), List.of("a", "ab", "*", "a*", "?", "s*", "secret", "?b", "*b"),
          List.of("/"), List.of("*", "x", "x*", "logs/*", "*y", "?", "l?gs/*", "*/*", "ab${*}c", "${$}", "k:*")));

  private static final World DYNAMODB = new World("AWS::DynamoDB::Table", "dynamodb",
      cross(List.of("arn:aws:dynamodb:us-east-1:111122223333:table/", "arn:aws:dynamodb:us-east-1:444455556666:table/"),
          List.of("orders", "orders-archive", "audit", "a", "orders/index/by-date", "orders/stream/2026")),
      List.of("arn:aws:dynamodb:us-east-1:111122223333:table/ord", "arn:aws:dynamodb:us-east-1:444455556666:",
          "arn:aws:dynamodb:us-east-1:111122223333:table/orders/", "arn:aws:dynamodb"),
      List.of("/audit", "-archive", "s", "2026"),
      List.of("arn:aws:dynamodb:us-east-1:111122223333:table/orders",
          "arn:aws:dynamodb:us-east-1:444455556666:table/a"),
      List.of("arn:aws:dynamodb", "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
          "arn:aws:dynamodb:us-east-1:444455556666:table/audit"),
      compose(List.of("arn:aws:dynamodb:"), List.of("us-east-1", "*", "us-*", "?s-east-1"), List.of(":"),
          List.of("111122223333:", "*:", "4444?5556666:", "*3:"), List.of("table/"),
          List.of("*", "orders", "ord*", "orders*", "*s", "?", "orders/*", "*/*")));

  @Test
  void answersAgreeWithAPlainReadingOfTheSelectorsOnEveryResource() {
    Random random = new Random(0x7A11L);
    Map<Status, Integer> statuses = new EnumMap<>(Status.class);
    int partlyWithPatterns = 0;
    for (int i = 0; i < CASES; i++) {
      World world = random.nextInt(3) == 0 ? DYNAMODB : S3;
      boolean read = random.nextBoolean();
      String name = read ? "GetThing" : "PutThing";
      ActionEvent event = ActionEvent.data(new IamAction(world.service(), name), world.service() + ".amazonaws.com",
          read, world.type());
      List<Trail> trails = new ArrayList<>();
      for (int t = random.nextInt(3) + 1; t > 0; t--) {
        trails.add(randomTrail(random, world, "trail-" + t));
      }
      String grant = random.nextInt(12) == 0 ? "*" : world.grants().get(random.nextInt(world.grants().size()));
      Recording recording = TrailRecording.of(trails).recording(ACCOUNT, REGION, event, grant);
      statuses.merge(recording.status(), 1, Integer::sum);
      String context = "case " + i + ": " + grant + " " + event.kind() + " " + name + " with " + trails + " -> "
          + recording;

      if (recording.unrecorded() != null) {
        for (String pattern : recording.unrecorded()) {
          assertTrue(Patterns.resourceCovers(grant, pattern, Patterns.Variables.MATCH_NOTHING),
              "unrecorded pattern " + pattern + " outside the grant; " + context);
        }
        partlyWithPatterns += recording.status() == Status.PARTLY_RECORDED ? 1 : 0;
      }
      for (String resource : world.resources()) {
        if (!Patterns.resourceMatches(grant, resource, Patterns.Variables.MATCH_NOTHING)) {
          continue;
        }
        boolean recorded = recordedByAnyTrail(trails, world, name, read, resource);
        switch (recording.status()) {
          case RECORDED -> assertTrue(recorded, resource + " is not recorded; " + context);
          case NOT_RECORDED -> assertTrue(!recorded, resource + " is recorded; " + context);
          case PARTLY_RECORDED -> {
            if (!recorded && recording.unrecorded() != null && recording.unrecorded().stream()
                .noneMatch(p -> Patterns.resourceMatches(p, resource, Patterns.Variables.MATCH_NOTHING))) {
              fail(resource + " is unrecorded but no unrecorded pattern matches it; " + context);
            }
          }
          default -> fail(context);
        }
      }
    }
    // The generator reaches every answer, and patterns for part of the partly recorded ones.
    for (Status status : Status.values()) {
      assertTrue(statuses.getOrDefault(status, 0) >= 40, "too few " + status + ": " + statuses);
    }
    assertTrue(partlyWithPatterns >= 20, "too few partly recorded answers with patterns: " + partlyWithPatterns);
    assertEquals(CASES, statuses.values().stream().mapToInt(Integer::intValue).sum());
  }

  private static Trail randomTrail(Random random, World world, String name) {
    boolean applies = random.nextInt(8) != 0;
    TrailSelectors selectors;
    if (random.nextInt(3) == 0) {
      List<EventSelector> basic = new ArrayList<>();
      for (int s = random.nextInt(2) + 1; s > 0; s--) {
        List<String> values = pick(random, world.basicValues(), random.nextInt(2) + 1);
        basic.add(new EventSelector(ReadWriteType.values()[random.nextInt(3)], random.nextBoolean(),
            List.of(new DataResource(random.nextInt(6) == 0 ? "AWS::Lambda::Function" : world.type(), values)),
            List.of()));
      }
      selectors = new TrailSelectors.Basic(basic);
    } else {
      List<AdvancedEventSelector> advanced = new ArrayList<>();
      for (int s = random.nextInt(3) + 1; s > 0; s--) {
        List<AdvancedFieldSelector> fields = new ArrayList<>();
        fields.add(AdvancedFieldSelector.equalTo("eventCategory", random.nextInt(10) == 0 ? "Management" : "Data"));
        fields.add(AdvancedFieldSelector.equalTo("resources.type", random.nextInt(10) == 0 ? "AWS::SNS::Topic"
            : world.type()));
        if (random.nextInt(4) == 0) {
          fields.add(AdvancedFieldSelector.equalTo("readOnly", String.valueOf(random.nextBoolean())));
        }
        if (random.nextInt(5) == 0) {
          fields.add(Trails.field("eventName", random.nextBoolean() ? "Equals" : "NotEquals",
              random.nextBoolean() ? "GetThing" : "PutThing"));
        }
        for (int f = random.nextInt(3); f > 0; f--) {
          fields.add(randomArnField(random, world));
        }
        advanced.add(new AdvancedEventSelector(random.nextBoolean() ? "selector " + s : null, fields));
      }
      selectors = new TrailSelectors.Advanced(advanced);
    }
    String home = applies ? REGION : "us-west-2";
    return new Trail(name, "arn:aws:cloudtrail:" + home + ":" + ACCOUNT + ":trail/" + name, home,
        applies && random.nextBoolean(), true, false, null, null, selectors, LoggingStatus.NOT_READ);
  }

  private static AdvancedFieldSelector randomArnField(Random random, World world) {
    List<List<String>> operators = new ArrayList<>();
    for (int o = 0; o < 6; o++) {
      operators.add(List.of());
    }
    for (int n = random.nextInt(2) + 1; n > 0; n--) {
      int operator = random.nextInt(6);
      List<String> pool = switch (operator % 3) {
        case 0 -> world.exact();
        case 1 -> world.prefixes();
        default -> world.suffixes();
      };
      List<String> values = new ArrayList<>(operators.get(operator));
      values.addAll(pick(random, pool, random.nextInt(2) + 1));
      operators.set(operator, values);
    }
    return new AdvancedFieldSelector("resources.ARN", operators.get(0), operators.get(1), operators.get(2),
        operators.get(3), operators.get(4), operators.get(5), List.of());
  }

  // The plain reading, written apart from TrailRecording: one concrete ARN, field by field.

  private static boolean recordedByAnyTrail(List<Trail> trails, World world, String eventName, boolean read,
      String arn) {
    for (Trail trail : trails) {
      if (!trail.multiRegion() && !trail.homeRegion().equals(REGION)) {
        continue;
      }
      if (trail.selectors() instanceof TrailSelectors.Basic basic) {
        for (EventSelector selector : basic.selectors()) {
          boolean kind = selector.readWriteType() == ReadWriteType.ALL
              || (selector.readWriteType() == ReadWriteType.READ_ONLY) == read;
          for (DataResource resource : selector.dataResources()) {
            if (kind && resource.type().equals(world.type())
                && resource.values().stream().anyMatch(v -> basicValueRecords(world, v, arn))) {
              return true;
            }
          }
        }
      } else if (trail.selectors() instanceof TrailSelectors.Advanced advanced) {
        for (AdvancedEventSelector selector : advanced.selectors()) {
          boolean all = true;
          for (AdvancedFieldSelector field : selector.fieldSelectors()) {
            String value = switch (field.field()) {
              case "eventCategory" -> "Data";
              case "resources.type" -> world.type();
              case "readOnly" -> read ? "true" : "false";
              case "eventName" -> eventName;
              case "resources.ARN" -> arn;
              default -> null;
            };
            all &= value != null && fieldAccepts(field, value);
          }
          if (all) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean basicValueRecords(World world, String value, String arn) {
    if (world == S3) {
      if (value.equals("arn:aws:s3") || value.equals("arn:aws:s3:::")) {
        return true;
      }
      String bucketAndPrefix = value.substring("arn:aws:s3:::".length());
      return arn.startsWith(bucketAndPrefix.contains("/") ? value : value + "/");
    }
    return value.equals("arn:aws:dynamodb") || arn.equals(value);
  }

  private static boolean fieldAccepts(AdvancedFieldSelector field, String value) {
    boolean anyPositive = false;
    boolean positive = false;
    for (String v : field.equals()) {
      anyPositive = true;
      positive |= value.equals(v);
    }
    for (String v : field.startsWith()) {
      anyPositive = true;
      positive |= value.startsWith(v);
    }
    for (String v : field.endsWith()) {
      anyPositive = true;
      positive |= value.endsWith(v);
    }
    if (anyPositive && !positive) {
      return false;
    }
    for (String v : field.notEquals()) {
      if (value.equals(v)) {
        return false;
      }
    }
    for (String v : field.notStartsWith()) {
      if (value.startsWith(v)) {
        return false;
      }
    }
    for (String v : field.notEndsWith()) {
      if (value.endsWith(v)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> pick(Random random, List<String> pool, int count) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(pool.get(random.nextInt(pool.size())));
    }
    return picked;
  }

  private static List<String> cross(List<String> heads, List<String> tails) {
    List<String> all = new ArrayList<>();
    heads.forEach(h -> tails.forEach(t -> all.add(h + t)));
    return all;
  }

  @SafeVarargs
  private static List<String> compose(List<String>... parts) {
    List<String> all = List.of("");
    for (List<String> part : parts) {
      all = cross(all, part);
    }
    return all;
  }
}
