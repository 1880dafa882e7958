package dev.trailtrim.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.ParallelIo;
import dev.trailtrim.io.SerializableConfiguration;
import dev.trailtrim.model.Counters;
import dev.trailtrim.policy.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The nightly state ({@link DayStateStore}) in files: local, HDFS or S3. Layout under the state
 * location:
 * <pre>
 *   usage/&lt;attempt&gt;/day=YYYY-MM-DD/part-*.parquet   usage rows of the files in that day's folders
 *   days/YYYY-MM-DD.json                            their counters per event day, the fingerprint, and
 *                                                   the attempt and file that hold the day's rows
 * </pre>
 * Each {@link #store} writes its rows aside, into an attempt folder of its own, and then commits
 * each day by replacing the day's JSON (one atomic PUT or rename), which names that attempt and
 * file. The loader reads exactly the file a day's JSON names, so a run killed between the rows and
 * the JSON, two runs storing the same day, or a task attempt that failed after writing, never leave
 * two versions of a day: at worst files nobody names, which the next store of that day deletes.
 * The fingerprint names what shaped the state (the IAM catalog, the translation rules and the
 * input roots); a day stored under another fingerprint is read again.
 */
public final class ParquetDayStateStore implements DayStateStore {

  /**
   * 4: rows carry the function (session name) of Lambda runtime calls, for per-function policies.
   * 3: the counters name rejected files' locations, role regions and trail changes (coverage), and
   * rows live in attempt folders named by the day's JSON (1 kept them in usage/folderDay=DAY/).
   */
  static final int FORMAT = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The folder of a day's rows inside an attempt: {@code day=YYYY-MM-DD}. */
  static final String DAY_FOLDER = "day";
  private static final DateTimeFormatter ATTEMPT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SparkSession spark;
  private final Configuration conf;
  private final Path root;
  private final String fingerprint;
  private final int samplesPerReason;

  public ParquetDayStateStore(SparkSession spark, String location, String fingerprint, int samplesPerReason) {
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
      try (InputStream rules = ParquetDayStateStore.class.getResourceAsStream(
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

  @Override
  public String location() {
    return root.toString();
  }

  /**
   * The folder days stored under this fingerprint, with the number of files each was made of
   * (so a day whose folders have gained a file since can be read again).
   */
  @Override
  public Map<String, Long> storedDays() throws IOException {
    Map<String, Long> days = new TreeMap<>();
    Path daysDir = new Path(root, "days");
    FileSystem fs = daysDir.getFileSystem(conf);
    if (!fs.exists(daysDir)) {
      return days;
    }
    List<String> stored = new ArrayList<>();
    for (FileStatus status : fs.listStatus(daysDir)) {
      String name = status.getPath().getName();
      if (name.matches("\\d{4}-\\d{2}-\\d{2}\\.json")) {
        stored.add(name.substring(0, 10));
      }
    }
    // Each JSON is dropped once read: a year of days, each naming thousands of roles, is never held at once.
    List<Long> files = ParallelIo.map(stored, ParallelIo.IN_FLIGHT, "trailtrim-state", name -> {
      JsonNode day = readDay(name);
      return fingerprint.equals(day.path("fingerprint").asText()) && day.path("attempt").isTextual()
          ? day.path("files").asLong() : null;
    });
    for (int i = 0; i < stored.size(); i++) {
      if (files.get(i) != null) {
        days.put(stored.get(i), files.get(i));
      }
    }
    return days;
  }

  /**
   * Stores the given folder days of a read: each day's rows as one Parquet file in a new attempt
   * folder (one task per day, {@link UsageRowFiles}), then each day's JSON naming that file, then
   * the day's rows of earlier attempts are deleted.
   */
  @Override
  public void store(Set<String> folderDays, UsagePipeline.Result read) throws IOException {
    if (folderDays.isEmpty()) {
      return;
    }
    Set<String> days = new TreeSet<>(folderDays);
    String attempt = newAttemptName();
    Path attemptDir = new Path(new Path(root, "usage"), attempt);
    UsageRowFiles.ByDay byDay = new UsageRowFiles.ByDay(List.copyOf(days));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, String> fileOfDay = new TreeMap<>();
    read.usage().filter(e -> days.contains(e._1().folderDay()))
        .mapToPair(e -> new Tuple2<>(e._1().folderDay(), UsageRow.of(e._1(), e._2())))
        .partitionBy(byDay)
        .mapPartitionsWithIndex(new UsageRowFiles.WriteDay(byDay, attemptDir.toString(),
            jsc.broadcast(new SerializableConfiguration(conf))), false)
        .collect().forEach(written -> fileOfDay.put(written._1(), written._2()));
    for (String day : days) {
      ObjectNode json = JSON.createObjectNode();
      json.put("fingerprint", fingerprint);
      json.put("folderDay", day);
      json.put("attempt", attempt);
      json.put("rows", fileOfDay.containsKey(day));
      if (fileOfDay.containsKey(day)) {
        json.put("rowFile", fileOfDay.get(day));
      }
      putCounters(json, read, day);
      // The commit of the day: until this write, the day's previous version (if any) is the one read.
      HadoopFiles.write(conf, new Path(root, "days/" + day + ".json"), CanonicalJson.write(json));
    }
    deleteOtherAttempts(days, attempt);
    deleteUnnamedFiles(attempt, fileOfDay);
  }

  /**
   * Deletes what a failed or duplicate task attempt left in this store's attempt folder: every file but
   * the one each day's JSON names (and the checksum Hadoop's local file system keeps beside it). Never
   * read, they would only take space and confuse someone listing the state.
   */
  void deleteUnnamedFiles(String attempt, Map<String, String> fileOfDay) throws IOException {
    Path attemptDir = new Path(new Path(root, "usage"), attempt);
    FileSystem fs = attemptDir.getFileSystem(conf);
    List<Path> unnamed = new ArrayList<>();
    try {
      // One listing (on S3 one LIST per thousand files); no attempt folder when no day had rows.
      for (RemoteIterator<LocatedFileStatus> files = fs.listFiles(attemptDir, true); files.hasNext();) {
        Path file = files.next().getPath();
        String folder = file.getParent().getName();
        String day = folder.startsWith(DAY_FOLDER + "=") ? folder.substring(DAY_FOLDER.length() + 1) : null;
        String named = day == null ? null : fileOfDay.get(day);
        String name = file.getName();
        if (named == null || !(name.equals(named) || name.equals("." + named + ".crc"))) {
          unnamed.add(file);
        }
      }
    } catch (java.io.FileNotFoundException e) {
      return;
    }
    for (Path file : unnamed) {
      fs.delete(file, false);
    }
  }

  /** Unique per store: the time for people listing the folder, random digits against collisions. */
  private static String newAttemptName() {
    return "attempt-" + ATTEMPT_TIME.format(Instant.now()) + "-"
        + HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(RANDOM.nextLong()).array()).substring(0, 8);
  }

  private Path dayFolder(String attempt, String day) {
    return new Path(new Path(new Path(root, "usage"), attempt), DAY_FOLDER + "=" + day);
  }

  /**
   * Deletes the rows of {@code days} that any other attempt holds: superseded versions, and
   * attempts that were killed before their JSON was written (so never read). Also the rows of the
   * first format (usage/folderDay=DAY/). Attempt folders left empty go too. Runs under the output
   * lock, so no other store is writing here.
   */
  private void deleteOtherAttempts(Set<String> days, String committed) throws IOException {
    Path usage = new Path(root, "usage");
    FileSystem fs = usage.getFileSystem(conf);
    if (!fs.exists(usage)) {
      return;
    }
    List<Path> attempts = new ArrayList<>();
    for (FileStatus attempt : fs.listStatus(usage)) {
      String name = attempt.getPath().getName();
      if (!attempt.isDirectory() || name.equals(committed)) {
        continue;
      }
      if (name.startsWith("folderDay=")) {
        if (days.contains(name.substring("folderDay=".length()))) {
          fs.delete(attempt.getPath(), true);
        }
        continue;
      }
      attempts.add(attempt.getPath());
    }
    // One listing per attempt folder, and a night adds one: on S3, list many at once.
    List<FileStatus[]> contents = ParallelIo.map(attempts, ParallelIo.IN_FLIGHT, "trailtrim-state", fs::listStatus);
    for (int i = 0; i < attempts.size(); i++) {
      Path attempt = attempts.get(i);
      boolean othersLeft = false;
      for (FileStatus day : contents.get(i)) {
        String dayName = day.getPath().getName();
        if (dayName.startsWith(DAY_FOLDER + "=") && days.contains(dayName.substring(DAY_FOLDER.length() + 1))) {
          fs.delete(day.getPath(), true);
        } else if (!dayName.startsWith("_") && !dayName.startsWith(".")) {
          othersLeft = true;
        }
      }
      if (!othersLeft) {
        fs.delete(attempt, true);
      }
    }
  }

  /**
   * Puts a folder day's counters into its JSON: how many files it was made of, and its slices
   * ("files", then one per event day). Shared with {@link InMemoryDayStateStore}, so both stores
   * keep the same counters.
   */
  static void putCounters(ObjectNode json, UsagePipeline.Result read, String day) {
    json.put("files", filesIn(read, day));
    ObjectNode slices = json.putObject("slices");
    read.stats().forEach((key, stats) -> {
      if (key.folderDay().equals(day)) {
        slices.set(key.eventDay().isEmpty() ? "files" : key.eventDay(), stats.toJson());
      }
    });
  }

  /** Reads back what {@link #putCounters} put: fresh counters, never shared with another load. */
  static void readCounters(JsonNode json, String day, int samplesPerReason, Map<DayKey, IngestStats> into) {
    json.path("slices").fields().forEachRemaining(slice -> into.put(
        new DayKey(day, slice.getKey().equals("files") ? DayKey.FILES : slice.getKey()),
        IngestStats.fromJson(slice.getValue(), samplesPerReason)));
  }

  /** Files of a folder day that the read read or rejected. */
  private static long filesIn(UsagePipeline.Result read, String day) {
    IngestStats files = read.stats().get(new DayKey(day, DayKey.FILES));
    if (files == null) {
      return 0;
    }
    long count = files.counter(Counters.FILES_READ);
    for (Map.Entry<String, Long> counter : files.counters().entrySet()) {
      if (counter.getKey().startsWith(Counters.FILES_REJECTED)) {
        count += counter.getValue();
      }
    }
    return count;
  }

  private JsonNode readDay(String day) throws IOException {
    return JSON.readTree(HadoopFiles.readString(conf, new Path(root, "days/" + day + ".json").toString()));
  }

  /** What a load takes from one stored day: its counters, its rows file (null without rows), whether that is there. */
  private record StoredDay(String day, Map<DayKey, IngestStats> counters, Path rows, boolean rowsPresent) {}

  /** Reads the stored rows and counters of the given folder days, each from the attempt its JSON names. */
  @Override
  public UsagePipeline.Result load(Set<String> folderDays) throws IOException {
    if (folderDays.isEmpty()) {
      return UsagePipeline.Result.empty(spark);
    }
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    List<String> folders = new ArrayList<>();
    FileSystem fs = root.getFileSystem(conf);
    List<String> days = List.copyOf(new TreeSet<>(folderDays));
    // Each day's JSON, its counters and whether its rows are there, many days at once; merged in day order.
    List<StoredDay> read = ParallelIo.map(days, ParallelIo.IN_FLIGHT, "trailtrim-state", day -> {
      JsonNode json = readDay(day);
      Map<DayKey, IngestStats> counters = new TreeMap<>();
      readCounters(json, day, samplesPerReason, counters);
      // The file the day's store wrote; a day stored before files were named: its whole folder.
      Path folder = dayFolder(json.path("attempt").asText(), day);
      Path rows = !json.path("rows").asBoolean() ? null
          : json.hasNonNull("rowFile") ? new Path(folder, json.path("rowFile").asText()) : folder;
      return new StoredDay(day, counters, rows, rows == null || fs.exists(rows));
    });
    for (StoredDay day : read) {
      if (!day.rowsPresent()) {
        throw new IllegalStateException("The state's day " + day.day() + " names " + day.rows() + ", which is missing:"
            + " rerun with --rebuild to read the window again");
      }
      stats.putAll(day.counters());
      if (day.rows() != null) {
        folders.add(day.rows().toString());
      }
    }
    if (folders.isEmpty()) {
      return new UsagePipeline.Result(UsagePipeline.Result.empty(spark).usage(), stats);
    }
    // Each day's folder is read as a root of its own (no partition discovery): folderDay is a column.
    JavaPairRDD<UsageKey, UsageStats> rows = spark.read().schema(UsageRowFiles.SPARK_SCHEMA)
        .parquet(folders.toArray(String[]::new))
        .as(Encoders.bean(UsageRow.class)).toJavaRDD().mapToPair(row -> new Tuple2<>(row.key(), row.stats()));
    return new UsagePipeline.Result(rows, stats);
  }
}
