package dev.trailtrim.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The run {@code latest.json} names, read before this run's commit moves it: its id and the text of
 * one of its files, or why they could not be read. Through Hadoop, so local folders and s3a alike.
 * Never throws for a missing or broken previous run: a night must not fail for its predecessor.
 *
 * @param runId   the previous run's id; null when latest.json itself could not be read
 * @param content the file's text; null when it could not be read
 * @param problem why it could not be read, naming the file; null when it was
 */
public record PreviousRun(String runId, String content, String problem) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param file the file of the previous run to read, relative to its run folder
   * @return null when the output has no latest.json (a first run)
   */
  public static PreviousRun read(Configuration conf, String output, String file) {
    Path outputPath = HadoopFiles.toPath(output);
    Path latest = new Path(outputPath, "latest.json");
    String runId;
    try {
      if (!latest.getFileSystem(conf).exists(latest)) {
        return null;
      }
      JsonNode node = JSON.readTree(HadoopFiles.readString(conf, latest.toString()));
      runId = node == null ? "" : node.path("runId").asText("");
    } catch (IOException | RuntimeException e) {
      return new PreviousRun(null, null, "latest.json cannot be read (" + oneLine(e) + ")");
    }
    if (runId.isEmpty() || runId.contains("/") || runId.equals("..")) {
      return new PreviousRun(null, null, "latest.json names no run id ('" + runId + "')");
    }
    String relative = "runs/" + runId + "/" + file;
    Path path = new Path(outputPath, relative);
    try {
      if (!path.getFileSystem(conf).exists(path)) {
        return new PreviousRun(runId, null, relative + " is missing (a run of a trailtrim that did not keep it, or"
            + " a run folder that was removed); the next run compares with this one");
      }
      return new PreviousRun(runId, HadoopFiles.readString(conf, path.toString()), null);
    } catch (IOException | RuntimeException e) {
      return new PreviousRun(runId, null, relative + " cannot be read (" + oneLine(e) + ")");
    }
  }

  private static String oneLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
  }
}
