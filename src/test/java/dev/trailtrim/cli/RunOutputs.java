package dev.trailtrim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.io.HadoopFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What runs left under an output, read through Hadoop (local folders and s3a alike) and
 * independently of the job's own loaders, for comparing a run with a clean one.
 */
final class RunOutputs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunOutputs() {}

  /**
   * The state as a reader sees it: each stored day's JSON (the names of the attempt folder and
   * file, unique per store, blanked) and the usage rows of the files those JSONs name, sorted; a
   * row stored twice appears twice.
   */
  record State(Map<String, String> days, List<String> rows) {}

  /** Every file under {@code location} by relative path, as {@link JobRuns#content}; empty if there is none. */
  static Map<String, String> files(Configuration conf, String location) throws IOException {
    Path root = HadoopFiles.toPath(location);
    FileSystem fs = root.getFileSystem(conf);
    Map<String, String> files = new TreeMap<>();
    if (!fs.exists(root)) {
      return files;
    }
    String prefix = fs.makeQualified(root).toString().replaceAll("/+$", "") + "/";
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      Path file = it.next().getPath();
      String relative = fs.makeQualified(file).toString().substring(prefix.length());
      try (InputStream in = fs.open(file)) {
        files.put(relative, JobRuns.content(relative, in.readAllBytes()));
      }
    }
    return files;
  }

  /** A run's files without {@code _SUCCESS}, which holds the run's timing. */
  static Map<String, String> runFiles(Configuration conf, String output, String runId) throws IOException {
    Map<String, String> files = files(conf, output + "/runs/" + runId);
    files.remove("_SUCCESS");
    return files;
  }

  static boolean complete(Configuration conf, String output, String runId) throws IOException {
    Path success = HadoopFiles.toPath(output + "/runs/" + runId + "/_SUCCESS");
    return success.getFileSystem(conf).exists(success);
  }

  /** The run {@code latest.json} names, or null when there is none. */
  static String latestRunId(Configuration conf, String output) throws IOException {
    Path latest = HadoopFiles.toPath(output + "/latest.json");
    if (!latest.getFileSystem(conf).exists(latest)) {
      return null;
    }
    return JSON.readTree(HadoopFiles.readString(conf, latest.toString())).path("runId").asText();
  }

  static boolean exists(Configuration conf, String location) throws IOException {
    Path path = HadoopFiles.toPath(location);
    return path.getFileSystem(conf).exists(path);
  }

  /** A stored day's JSON with the names of its attempt folder and row file (unique per store) blanked. */
  static String withoutStoreNames(String dayJson) {
    return dayJson.replaceAll("\"(attempt|rowFile)\": \"[^\"]+\"", "\"$1\": \"...\"");
  }

  static State state(SparkSession spark, String stateLocation) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, String> days = new TreeMap<>();
    List<String> folders = new ArrayList<>();
    for (Map.Entry<String, String> day : files(conf, stateLocation + "/days").entrySet()) {
      if (!day.getKey().matches("\\d{4}-\\d{2}-\\d{2}\\.json")) {
        continue; // a write killed half-way leaves .<day>.json.tmp, which no reader reads
      }
      JsonNode json = JSON.readTree(day.getValue());
      days.put(day.getKey(), withoutStoreNames(day.getValue()));
      if (json.path("rows").asBoolean()) {
        String folder = stateLocation + "/usage/" + json.path("attempt").asText() + "/day="
            + json.path("folderDay").asText();
        String rows = json.hasNonNull("rowFile") ? folder + "/" + json.path("rowFile").asText() : folder;
        if (!exists(conf, rows)) {
          throw new AssertionError("The state's day " + day.getKey() + " names " + rows + ", which is missing");
        }
        folders.add(HadoopFiles.toPath(rows).toString());
      }
    }
    List<String> rows = new ArrayList<>();
    if (!folders.isEmpty()) {
      for (Row row : spark.read().parquet(folders.toArray(String[]::new)).collectAsList()) {
        rows.add(row.toString());
      }
    }
    rows.sort(null);
    return new State(days, rows);
  }
}
