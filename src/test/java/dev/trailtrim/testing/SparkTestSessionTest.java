package dev.trailtrim.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Spark 3.5 + hadoop-aws 3.4 + SDK v2 against the in-process S3 server, on Java 17. */
class SparkTestSessionTest {

  private static S3ProxyServer s3Server;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() {
    s3Server = S3ProxyServer.shared();
    spark = SparkTestSession.withS3(s3Server);
  }

  @Test
  void sessionIsSharedLocalAndQuiet() {
    assertSame(spark, SparkTestSession.get());
    assertEquals("local[2]", spark.sparkContext().master());
    assertEquals("trailtrim-test", spark.sparkContext().appName());
    assertEquals("false", spark.conf().get("spark.ui.enabled"));
    assertEquals("UTC", spark.conf().get("spark.sql.session.timeZone"));
    assertEquals("4", spark.conf().get("spark.sql.shuffle.partitions"));
    assertTrue(spark.sparkContext().uiWebUrl().isEmpty(), "no UI");
  }

  @Test
  void readsJsonLinesFromS3aAndTextFromS3() {
    String bucket = s3Server.createUniqueBucket("spark-read");
    try (S3Client s3 = s3Server.newS3Client()) {
      s3.putObject(b -> b.bucket(bucket).key("in/day=1/a.json"),
          RequestBody.fromString("{\"role\":\"r1\",\"n\":1}\n{\"role\":\"r2\",\"n\":2}\n"));
      s3.putObject(b -> b.bucket(bucket).key("in/day=2/b.json"),
          RequestBody.fromString("{\"role\":\"r1\",\"n\":4}\n"));
    }

    Dataset<Row> sums = spark.read().json("s3a://" + bucket + "/in/")
        .groupBy("role").sum("n").orderBy("role");
    assertEquals(List.of("r1=5", "r2=2"), sums.collectAsList().stream()
        .map(r -> r.getString(0) + "=" + r.getLong(1)).collect(Collectors.toList()));

    List<String> lines = spark.read().textFile("s3://" + bucket + "/in/day=2/b.json").collectAsList();
    assertEquals(List.of("{\"role\":\"r1\",\"n\":4}"), lines);
  }

  @Test
  void writesThroughS3aWithTheCommitProtocolAndTheSdkSeesTheFiles() {
    String bucket = s3Server.createUniqueBucket("spark-write");
    String out = "s3a://" + bucket + "/out";
    spark.createDataset(List.of("b", "a", "c"), Encoders.STRING()).coalesce(1).write().text(out);

    try (S3Client s3 = s3Server.newS3Client()) {
      List<String> keys = s3.listObjectsV2(b -> b.bucket(bucket).prefix("out/")).contents().stream()
          .map(S3Object::key).sorted().collect(Collectors.toList());
      assertTrue(keys.contains("out/_SUCCESS"), "keys " + keys);
      assertEquals(1, keys.stream().filter(k -> k.startsWith("out/part-")).count(), "keys " + keys);
    }
    assertEquals(List.of("a", "b", "c"), spark.read().textFile(out).orderBy("value").collectAsList());
  }
}
