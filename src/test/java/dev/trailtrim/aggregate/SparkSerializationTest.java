package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.catalog.DataEventResource;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.LogLocation;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.ingest.TrailChange;
import dev.trailtrim.model.Translation;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyParser;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/** What Spark shuffles, caches and collects survives its Kryo set-up unchanged. */
class SparkSerializationTest {

  private static final SerializerInstance KRYO = new KryoSerializer(new SparkConf()
      .set("spark.kryo.registrator", SparkSerialization.Registrator.class.getName())
      .set("spark.kryo.registrationRequired", "false")).newInstance();

  private static Object roundTrip(Object value) {
    return KRYO.deserialize(KRYO.serialize(value, ClassTag$.MODULE$.AnyRef()), ClassTag$.MODULE$.AnyRef());
  }

  @Test
  void everyRecordOfTheDataPathComesBackEqual() {
    UsageStats stats = new UsageStats(3, 1_793_000_000_000L, 1_793_000_500_000L);
    List<Object> values = List.of(
        new UsageKey("2026/11/02", "2026-11-01", "arn:aws:iam::1:role/r", "s3:GetObject", "arn:aws:s3:::b/k", ""),
        new UsageKey("2026/11/02", "2026-11-01", "arn:aws:iam::1:role/r", "my-function", "s3:GetObject",
            "arn:aws:s3:::b/k", ""),
        stats,
        new DayKey("2026/11/02", DayKey.FILES),
        new WindowAggregation.RoleAction("arn:aws:iam::1:role/r", "s3:GetObject", "AccessDenied"),
        new WindowAggregation.FamilyKey("r", "", "s3:GetObject", "", "arn:aws:s3:::b/k", null),
        new WindowAggregation.FamilyKey("r", "my-function", "s3:GetObject", "", "arn:aws:s3:::b/", "arn:aws:s3:::b/*"),
        new WindowAggregation.Family(2, stats, "arn:aws:s3:::b/"),
        new WindowedUsage("r", "s3:GetObject", "arn:aws:s3:::b/*", "", stats, 1_000_000),
        new WindowedUsage("r", "my-function", "s3:GetObject", "arn:aws:s3:::b/*", "", stats, 2),
        new PlannedFile("s3://logs/AWSLogs/1/CloudTrail/us-east-1/2026/11/02/f.json.gz", 1234),
        new UsagePipeline.ReadUnit(
            List.of(new PlannedFile("s3://logs/AWSLogs/1/CloudTrail/us-east-1/2026/11/02/f.json.gz",
                1234), new PlannedFile("s3://logs/AWSLogs/o-1/1/CloudTrail/us-east-1/2026/11/02/g.json.gz", 99)),
            true),
        new UsagePipeline.ReadUnit(List.of(new PlannedFile("file:/x.json", 0)), false),
        new Tuple2<>(new DayKey("", "2026-11-02"), stats),
        new GrantSet(List.of(new LabeledPolicy("inline:a", PolicyParser.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"))),
            null));
    for (Object value : values) {
      assertEquals(value, roundTrip(value), value.getClass().getSimpleName());
    }
  }

  @Test
  void countersTravelWhole() {
    IngestStats stats = new IngestStats(2);
    stats.add("records.read", 7);
    stats.reject(SkipReason.CORRUPT_GZIP, "s3://b/f.json.gz", "Not in GZIP format");
    stats.reject(SkipReason.RECORD_MISSING_FIELD, "s3://b/AWSLogs/1/CloudTrail/us-east-1/2026/11/02/g.json.gz", null);
    stats.roleCall("arn:aws:iam::1:role/r", true, Translation.Outcome.MAPPED, "fn-a", "eu-west-1");
    stats.roleCall("arn:aws:iam::1:role/r", false, Translation.Outcome.UNMAPPED, null, "us-east-1");
    stats.roleCall("arn:aws:iam::1:role/q", false, Translation.Outcome.NO_PERMISSION_NEEDED, "ci", null);
    stats.dataEventResources(List.of(new DataEventResource("s3", "arn:aws:s3:::b", true),
        new DataEventResource("dynamodb", null, false)));
    stats.unmapped("new.amazonaws.com", "Get");
    stats.recordLocation(new LogLocation("111122223333", "us-east-1", LocalDate.of(2026, 11, 2)));
    stats.trailChange(new TrailChange(1000L, "111122223333", "us-east-1", "StopLogging", "main"));
    IngestStats back = (IngestStats) roundTrip(stats);
    assertEquals(stats.toJson(), back.toJson());
    // As tasks emit them and the shuffle and cache move them: packed, merged by listing parts, decoded on the driver.
    PackedStats packed = (PackedStats) roundTrip(PackedStats.of(stats));
    assertEquals(stats.toJson(), packed.unpack().toJson());
    IngestStats twice = ((IngestStats) roundTrip(stats)).merge((IngestStats) roundTrip(stats));
    PackedStats merged = (PackedStats) roundTrip(packed.merge(packed));
    assertEquals(2, merged.parts().size());
    assertEquals(twice.toJson(), merged.unpack().toJson());
    // Past MAX_PARTS a merge decodes them into one part: what a slice holds stays bounded.
    PackedStats many = packed;
    IngestStats manyExpected = (IngestStats) roundTrip(stats);
    for (int i = 0; i < PackedStats.MAX_PARTS; i++) {
      many = many.merge(packed);
      manyExpected.merge((IngestStats) roundTrip(stats));
    }
    assertEquals(1, many.parts().size());
    assertEquals(manyExpected.toJson(), many.unpack().toJson());
    assertEquals(stats.roles(), back.roles());
    // The cap of samples per reason travels too: a third sample of a reason still keeps two.
    for (int i = 0; i < 3; i++) {
      back.reject(SkipReason.CORRUPT_GZIP, "s3://b/" + i + ".json.gz", null);
    }
    assertEquals(2, back.samples().stream().filter(s -> s.reason().equals(SkipReason.CORRUPT_GZIP.code())).count());
  }
}
