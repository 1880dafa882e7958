package dev.trailtrim.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.aggregate.DayKey;
import dev.trailtrim.aggregate.UsagePipeline;
import dev.trailtrim.aggregate.UsageKey;
import dev.trailtrim.aggregate.UsageRow;
import dev.trailtrim.aggregate.UsageStats;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.policy.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The nightly state: usage and counters per CloudTrail delivery folder day, so a run reads only
 * the days it has not read before. Layout under the state location:
 * <pre>
 *   usage/folderDay=YYYY-MM-DD/part-*.parquet   usage rows of the files in that day's folders
 *   days/YYYY-MM-DD.json                          their counters per event day, and the fingerprint
 * </pre>
 * A day's JSON is written after its Parquet, so a day counts as stored only when both are there.
 * The fingerprint names what shaped the state (the IAM catalog, the translation rules and the
 * input roots); a day stored under another fingerprint is read again.
 */
public final class UsageStateStore {

  /** 2: the counters name rejected files' locations, role regions and trail changes (coverage). */
  static final int FORMAT = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final Configuration conf;
  private final Path root;
  private final String fingerprint;
  private final int samplesPerReason;

  public UsageStateStore(SparkSession spark, String location, String fingerprint, int samplesPerReason) {
    this.spark = spark;
    this.conf = spark.sparkContext().hadoopConfiguration();
    this.root = HadoopFiles.toPath(location);
    this.fingerprint = fingerprint;
    this.samplesPerReason = samplesPerReason;
  }

  /** What shaped the stored state: if any of it changes, stored days are read again. */
  public static String fingerprint(String catalogSource, String catalogDate, Collection<String> roots) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(("format " + FORMAT + "\ncatalog " + catalogSource + " " + catalogDate + "\n")
          .getBytes(StandardCharsets.UTF_8));
      try (InputStream rules = UsageStateStore.class.getResourceAsStream(
          "/dev/trailtrim/catalog/translation-rules.json")) {
        if (rules != null) {
          digest.update(rules.readAllBytes());
        }
      }
      for (String input : new TreeSet<>(roots)) {
        digest.update(("\nroot " + input).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("Cannot fingerprint the state", e);
    }
  }

  public String location() {
    return root.toString();
  }

  /**
   * The folder days stored under this fingerprint, with the number of files each was made of
   * (so a day whose folders have gained a file since can be read again).
   */
  public Map<String, Long> storedDays() throws IOException {
    Map<String, Long> days = new TreeMap<>();
    Path daysDir = new Path(root, "days");
    FileSystem fs = daysDir.getFileSystem(conf);
    if (!fs.exists(daysDir)) {
      return days;
    }
    for (FileStatus status : fs.listStatus(daysDir)) {
      String name = status.getPath().getName();
      if (name.matches("\\d{4}-\\d{2}-\\d{2}\\.json")) {
        JsonNode day = JSON.readTree(HadoopFiles.readString(conf, status.getPath().toString()));
        if (fingerprint.equals(day.path("fingerprint").asText())) {
          days.put(name.substring(0, 10), day.path("files").asLong());
        }
      }
    }
    return days;
  }

  /** Stores the given folder days of a read: their rows in one Parquet write, then their counters. */
  public void store(Set<String> folderDays, UsagePipeline.Result read) throws IOException {
    if (folderDays.isEmpty()) {
      return;
    }
    Set<String> days = new TreeSet<>(folderDays);
    JavaRDD<UsageRow> rows = read.usage().filter(e -> days.contains(e._1().folderDay())).map(e -> UsageRow.of(e._1(), e._2()));
    Path usage = new Path(root, "usage");
    FileSystem fs = usage.getFileSystem(conf);
    for (String day : folderDays) {
      fs.delete(new Path(usage, "folderDay=" + day), true);
    }
    if (!rows.isEmpty()) {
      // Only the partitions of these days are replaced; other days stay as they are.
      // One task: a night stores a day or two of small files, and every extra task is another
      // round of commit renames (copies on S3). Commit algorithm 2 renames once instead of twice;
      // its weaker atomicity is covered by the day's JSON, written only after the data.
      spark.createDataFrame(rows, UsageRow.class).coalesce(1).write().mode(SaveMode.Append).partitionBy("folderDay")
          .option("mapreduce.fileoutputcommitter.algorithm.version", "2").parquet(usage.toString());
    }
    for (String day : folderDays) {
      ObjectNode json = JSON.createObjectNode();
      json.put("fingerprint", fingerprint);
      json.put("folderDay", day);
      json.put("files", filesIn(read, day));
      ObjectNode slices = json.putObject("slices");
      read.stats().forEach((key, stats) -> {
        if (key.folderDay().equals(day)) {
          slices.set(key.eventDay().isEmpty() ? "files" : key.eventDay(), stats.toJson());
        }
      });
      HadoopFiles.write(conf, new Path(root, "days/" + day + ".json"), CanonicalJson.write(json));
    }
  }

  /** Files of a folder day that the read read or rejected. */
  private static long filesIn(UsagePipeline.Result read, String day) {
    IngestStats files = read.stats().get(new DayKey(day, DayKey.FILES));
    if (files == null) {
      return 0;
    }
    long count = files.counter("files.read");
    for (Map.Entry<String, Long> counter : files.counters().entrySet()) {
      if (counter.getKey().startsWith("files.rejected.")) {
        count += counter.getValue();
      }
    }
    return count;
  }

  /** Reads the stored rows and counters of the given folder days. */
  public UsagePipeline.Result load(Set<String> folderDays) throws IOException {
    if (folderDays.isEmpty()) {
      return UsagePipeline.Result.empty(spark);
    }
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    for (String day : folderDays) {
      JsonNode json = JSON.readTree(HadoopFiles.readString(conf, new Path(root, "days/" + day + ".json").toString()));
      json.path("slices").fields().forEachRemaining(slice -> stats.put(
          new DayKey(day, slice.getKey().equals("files") ? DayKey.FILES : slice.getKey()),
          IngestStats.fromJson(slice.getValue(), samplesPerReason)));
    }
    Path usage = new Path(root, "usage");
    FileSystem fs = usage.getFileSystem(conf);
    List<String> partitions = new ArrayList<>();
    for (String day : folderDays) {
      Path partition = new Path(usage, "folderDay=" + day);
      if (fs.exists(partition)) {
        partitions.add(partition.toString());
      }
    }
    if (partitions.isEmpty()) {
      return new UsagePipeline.Result(UsagePipeline.Result.empty(spark).usage(), stats);
    }
    JavaPairRDD<UsageKey, UsageStats> rows = spark.read().option("basePath", usage.toString())
        .schema(Encoders.bean(UsageRow.class).schema()).parquet(partitions.toArray(String[]::new))
        .as(Encoders.bean(UsageRow.class)).toJavaRDD().mapToPair(row -> new Tuple2<>(row.key(), row.stats()));
    return new UsagePipeline.Result(rows, stats);
  }
}
