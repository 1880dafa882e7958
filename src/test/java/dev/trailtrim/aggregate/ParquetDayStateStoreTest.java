package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.parquet.schema.Type;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The Parquet store's own files: a day's JSON names the one file its rows are in, so nothing else
 * in the folder is read, and days stored before files were named are still read whole.
 */
class ParquetDayStateStoreTest {

  private static final String ROLE = "arn:aws:iam::111122223333:role/app";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path state;

  private ParquetDayStateStore store() {
    return new ParquetDayStateStore(SparkTestSession.get(), state.toString(), "test", 20);
  }

  private static UsagePipeline.Result read() {
    List<Tuple2<UsageKey, UsageStats>> rows = new ArrayList<>();
    Map<DayKey, IngestStats> stats = new TreeMap<>();
    for (String day : List.of("2026-11-02", "2026-11-03")) {
      for (int i = 0; i < 50; i++) {
        rows.add(new Tuple2<>(new UsageKey(day, day, ROLE, i % 2 == 0 ? "" : "fn-" + i, "s3:GetObject",
            "arn:aws:s3:::data/k" + i, i % 7 == 0 ? "AccessDenied" : ""),
            new UsageStats(i + 1, 1_000L + i, 2_000L + i)));
      }
      IngestStats files = new IngestStats(20);
      files.add("files.read", 3);
      stats.put(new DayKey(day, DayKey.FILES), files);
    }
    return new UsagePipeline.Result(JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext())
        .parallelizePairs(rows, 3), stats);
  }

  private static List<String> rows(UsagePipeline.Result result) {
    List<String> rows = new ArrayList<>(result.usage().map(row -> row._1() + " " + row._2()).collect());
    Collections.sort(rows);
    return rows;
  }

  private List<Path> parquetFiles() throws IOException {
    try (Stream<Path> files = Files.walk(state.resolve("usage"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  /** The folder day a row file is of, from its folder's name. */
  private static String dayOf(Path rowFile) {
    return rowFile.getParent().getFileName().toString().substring("day=".length());
  }

  @Test
  void eachDayIsOneFileItsJsonNamesAndNothingElseInTheFolderIsRead() throws IOException {
    ParquetDayStateStore store = store();
    UsagePipeline.Result read = read();
    store.store(Set.of("2026-11-02", "2026-11-03"), read);

    List<Path> files = parquetFiles();
    assertEquals(2, files.size(), files.toString());
    for (Path file : files) {
      String day = dayOf(file);
      assertEquals(file.getFileName().toString(),
          JSON.readTree(state.resolve("days/" + day + ".json").toFile()).path("rowFile").asText());
      // What a failed or duplicate task attempt may leave beside it: never read.
      Files.copy(file, file.resolveSibling("part-00000-999.snappy.parquet"));
    }
    assertEquals(rows(read), rows(store.load(Set.of("2026-11-02", "2026-11-03"))));
  }

  /**
   * A task attempt that failed after writing (or a duplicate one) leaves a file beside the day's named one, and its
   * checksum on a local disk: the store deletes those and keeps the named files and theirs.
   */
  @Test
  void filesNoDayNamesAreDeletedAfterTheCommit() throws IOException {
    ParquetDayStateStore store = store();
    UsagePipeline.Result read = read();
    store.store(Set.of("2026-11-02", "2026-11-03"), read);
    List<Path> named = parquetFiles();
    Map<String, String> fileOfDay = new TreeMap<>();
    String attempt = null;
    for (Path file : named) {
      String day = dayOf(file);
      fileOfDay.put(day, file.getFileName().toString());
      attempt = file.getParent().getParent().getFileName().toString();
      Files.copy(file, file.resolveSibling("part-00000-999.snappy.parquet"));
      Files.writeString(file.resolveSibling(".part-00000-999.snappy.parquet.crc"), "x");
    }
    Files.createDirectories(named.get(0).getParent().resolveSibling("day=2026-11-09"));
    Files.copy(named.get(0), named.get(0).getParent().resolveSibling("day=2026-11-09").resolve("part-00009-7.parquet"));
    assertEquals(5, parquetFiles().size());

    store.deleteUnnamedFiles(attempt, fileOfDay);

    assertEquals(named, parquetFiles());
    try (Stream<Path> left = Files.walk(state.resolve("usage"))) {
      assertEquals(List.of(), left.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
          .filter(name -> name.contains("999") || name.contains("00009")).toList());
    }
    for (Path file : named) {
      assertTrue(Files.exists(file.resolveSibling("." + file.getFileName() + ".crc")), file + "'s checksum");
    }
    assertEquals(rows(read), rows(store.load(Set.of("2026-11-02", "2026-11-03"))));
  }

  @Test
  void aDayStoredBeforeFilesWereNamedIsReadWhole() throws IOException {
    ParquetDayStateStore store = store();
    UsagePipeline.Result read = read();
    store.store(Set.of("2026-11-02"), read);
    // As the earlier writer left it: Spark's files under the attempt's day folder, a JSON without rowFile.
    Path json = state.resolve("days/2026-11-02.json");
    ObjectNode day = (ObjectNode) JSON.readTree(json.toFile());
    day.remove("rowFile");
    Files.writeString(json, JSON.writeValueAsString(day));
    Path attempt = state.resolve("usage").resolve(day.path("attempt").asText());
    try (Stream<Path> written = Files.walk(attempt.resolve("day=2026-11-02"))) {
      for (Path file : written.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
    SparkSession spark = SparkTestSession.get();
    spark.createDataFrame(read.usage().filter(e -> e._1().folderDay().equals("2026-11-02"))
        .map(e -> UsageRow.of(e._1(), e._2())), UsageRow.class).withColumn("day", functions.col("folderDay"))
        .coalesce(2).write().mode(SaveMode.Append).partitionBy("day").parquet(attempt.toString());
    assertTrue(parquetFiles().size() >= 1);

    List<String> expected = new ArrayList<>(rows(read));
    expected.removeIf(row -> !row.contains("2026-11-02"));
    assertEquals(expected, rows(store.load(Set.of("2026-11-02"))));
  }

  @Test
  void theFilesHaveTheColumnsOfSparksBeanEncoder() {
    List<StructField> bean = List.of(Encoders.bean(UsageRow.class).schema().fields());
    List<Type> written = UsageRowFiles.SCHEMA.getFields();
    assertEquals(bean.stream().map(StructField::name).toList(), written.stream().map(Type::getName).toList());
    for (int i = 0; i < bean.size(); i++) {
      assertEquals(bean.get(i).nullable(), written.get(i).isRepetition(Type.Repetition.OPTIONAL), bean.get(i).name());
      assertEquals(bean.get(i).dataType().typeName().equals("string"),
          written.get(i).asPrimitiveType().getPrimitiveTypeName().name().equals("BINARY"), bean.get(i).name());
    }
  }
}
