package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.DataEventResource;
import dev.trailtrim.model.Translation.Outcome;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The merge of {@link IngestStats} without Spark, over random reads (seeded): counting two days'
 * records into one is merging the two days' counts (whichever day comes first), also after each
 * day went through the stored JSON; and the merge is associative, commutative, with the empty
 * counts as identity. Small caps (3 reject samples per reason; 10 session names per role) are
 * exceeded on purpose: what survives a cap must not depend on how the reads were split.
 * Counts are compared by their whole JSON, which names every field.
 */
class IngestStatsMergeLawTest {

  private static final int CASES = Integer.getInteger("trailtrim.property.cases", 200);
  private static final int SAMPLES_PER_REASON = 3;
  private static final List<SkipReason> REASONS = List.of(SkipReason.values());
  /** A few reasons often enough to pass their cap of samples. */
  private static final List<SkipReason> FREQUENT_REJECTS = List.of(SkipReason.CORRUPT_GZIP, SkipReason.INVALID_JSON,
      SkipReason.RECORD_BAD_ARN);
  private static final List<String> ROLES = List.of("arn:aws:iam::111122223333:role/a",
      "arn:aws:iam::111122223333:role/b", "arn:aws:iam::444455556666:role/c");
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1");

  /** One thing a read counts, applied to the counts of the read it belongs to. */
  private static Consumer<IngestStats> randomEvent(Random random) {
    String day = "2026/11/0" + (1 + random.nextInt(3));
    String file = random.nextInt(4) == 0 ? "s3://b/odd-" + random.nextInt(20) + ".json.gz"
        : "s3://b/AWSLogs/111122223333/CloudTrail/" + pick(random, REGIONS) + "/" + day + "/f" + random.nextInt(20)
            + ".json.gz";
    return switch (random.nextInt(11)) {
      case 0 -> s -> s.increment("files.read");
      case 1 -> {
        long amount = random.nextInt(1000);
        yield s -> s.add("records.read", amount);
      }
      case 2, 9 -> {
        SkipReason reason = random.nextBoolean() ? pick(random, FREQUENT_REJECTS) : pick(random, REASONS);
        String detail = random.nextInt(3) == 0 ? null : "detail " + random.nextInt(5);
        yield s -> s.reject(reason, file, detail);
      }
      case 3, 8 -> {
        String role = random.nextBoolean() ? ROLES.get(0) : pick(random, ROLES);
        boolean lambda = random.nextBoolean();
        Outcome outcome = pick(random, List.of(Outcome.values()));
        String session = random.nextInt(5) == 0 ? null : "fn-" + random.nextInt(30);
        String region = random.nextInt(5) == 0 ? null : pick(random, REGIONS);
        yield s -> s.roleCall(role, lambda, outcome, session, region);
      }
      case 4 -> {
        LogLocation location = new LogLocation("111122223333", pick(random, REGIONS),
            LocalDate.of(2026, 11, 1 + random.nextInt(5)));
        yield s -> s.recordLocation(location);
      }
      case 5 -> {
        TrailChange change = new TrailChange(random.nextInt(10) * 1000L, "111122223333", pick(random, REGIONS),
            pick(random, List.of("StopLogging", "StartLogging", "PutEventSelectors")), "trail-" + random.nextInt(2));
        yield s -> s.trailChange(change);
      }
      case 6 -> {
        List<DataEventResource> seen = List.of(new DataEventResource(pick(random, List.of("s3", "dynamodb")),
            random.nextBoolean() ? null : "arn:aws:s3:::bucket-" + random.nextInt(4), random.nextBoolean()));
        yield s -> s.dataEventResources(seen);
      }
      case 7 -> {
        String name = "Get" + random.nextInt(4);
        yield s -> s.unmapped("newservice.amazonaws.com", name);
      }
      default -> {
        String counter = "files.rejected." + pick(random, REASONS).code();
        yield s -> s.increment(counter);
      }
    };
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static List<Consumer<IngestStats>> randomRead(Random random) {
    List<Consumer<IngestStats>> events = new ArrayList<>();
    for (int n = random.nextInt(60); n > 0; n--) {
      events.add(randomEvent(random));
    }
    return events;
  }

  /** Fresh counts of a read: merge changes its receiver, so every use counts anew. */
  @SafeVarargs
  private static IngestStats count(List<Consumer<IngestStats>>... reads) {
    IngestStats stats = new IngestStats(SAMPLES_PER_REASON);
    for (List<Consumer<IngestStats>> read : reads) {
      read.forEach(event -> event.accept(stats));
    }
    return stats;
  }

  private static IngestStats stored(IngestStats stats) {
    return IngestStats.fromJson(stats.toJson(), SAMPLES_PER_REASON);
  }

  private static String json(IngestStats stats) {
    return stats.toJson().toString();
  }

  @Test
  void countingTwoDaysAtOnceIsMergingTheirCountsInAnyGrouping() {
    Random random = new Random(20261204L);
    int cappedSamples = 0;
    int cappedNames = 0;
    for (int c = 0; c < CASES; c++) {
      List<Consumer<IngestStats>> a = randomRead(random);
      List<Consumer<IngestStats>> b = randomRead(random);
      List<Consumer<IngestStats>> d = randomRead(random);
      String both = json(count(a, b));
      String context = "case " + c + ": ";

      assertEquals(both, json(count(a).merge(count(b))), context + "both days at once = the days merged");
      assertEquals(both, json(count(b).merge(count(a))), context + "in either order");
      assertEquals(both, json(stored(count(a)).merge(stored(count(b)))), context + "the days as stored, merged");
      assertEquals(json(count(a)), json(stored(count(a))), context + "storing keeps everything");

      assertEquals(json(count(a).merge(count(b)).merge(count(d))), json(count(a).merge(count(b).merge(count(d)))),
          context + "associative");
      assertEquals(json(count(a)), json(new IngestStats(SAMPLES_PER_REASON).merge(count(a))),
          context + "identity left");
      assertEquals(json(count(a)), json(count(a).merge(new IngestStats(SAMPLES_PER_REASON))),
          context + "identity right");

      IngestStats all = count(a, b, d);
      cappedSamples += all.samples().stream().map(IngestStats.RejectSample::reason).distinct()
          .filter(reason -> all.samples().stream().filter(s -> s.reason().equals(reason)).count() == SAMPLES_PER_REASON)
          .count() > 0 ? 1 : 0;
      cappedNames += all.roles().values().stream().anyMatch(e -> e.sessionNames().size() == 10) ? 1 : 0;
    }
    assertTrue(cappedSamples > CASES / 4, "reject samples must reach their cap, got " + cappedSamples);
    assertTrue(cappedNames > CASES / 10, "session names must reach their cap, got " + cappedNames);
  }
}
