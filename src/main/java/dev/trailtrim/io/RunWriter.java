package dev.trailtrim.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.report.ReportTables;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one place a run's outputs are written, in the layout users and scripts rely on:
 * {@code <output>/runs/<run-id>/...}, then {@code _SUCCESS} last, then {@code <output>/latest.json}.
 * A reader that finds no {@code _SUCCESS} knows the run is incomplete; {@code latest.json} only
 * ever names complete runs, because it is replaced (one atomic PUT on S3) after {@code _SUCCESS}.
 *
 * <p>The run's files are written {@link ParallelIo#IN_FLIGHT} at a time: on S3 each is a PUT of tens of
 * milliseconds, and thousands of roles give thousands of files. {@link #write} hands the file on and
 * returns; {@link #commit} writes {@code _SUCCESS} only once every file is written, and the first
 * write that failed fails the next {@link #write} or the commit. One thread calls it (the driver's).
 */
public final class RunWriter implements AutoCloseable {

  private final Configuration conf;
  private final Path output;
  private final Path runDir;
  private final String runId;
  /** Every path handed to {@link #write}: how many files the run wrote, and which would be written again. */
  private final java.util.Set<String> written = new java.util.HashSet<>();
  private boolean committed;
  private final Semaphore slots = new Semaphore(ParallelIo.IN_FLIGHT);
  private final List<Future<?>> pending = new ArrayList<>();
  private final ExecutorService writers = ParallelIo.pool(ParallelIo.IN_FLIGHT, "trailtrim-write");
  /** The first write that failed, reported by the next call. */
  private volatile IOException failed;

  public RunWriter(Configuration conf, String output, String runId) throws IOException {
    this.conf = conf;
    this.output = HadoopFiles.toPath(output);
    this.runId = runId;
    this.runDir = new Path(this.output, "runs/" + runId);
    FileSystem fs = runDir.getFileSystem(conf);
    if (fs.exists(new Path(runDir, "_SUCCESS"))) {
      throw new IllegalArgumentException("Run " + runDir + " already exists and is complete: pick another --run-id");
    }
    if (fs.exists(runDir)) {
      // Leftovers of an interrupted attempt with the same id: start clean.
      fs.delete(runDir, true);
    }
  }

  /** Where the run's files go, as a URI string. */
  public String runLocation() {
    return runDir.toString();
  }

  public String outputLocation() {
    return output.toString();
  }

  /** Writes {@code runs/<run-id>/<relativePath>}. */
  public void write(String relativePath, String content) throws IOException {
    write(relativePath, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void write(String relativePath, byte[] content) throws IOException {
    if (committed) {
      throw new IllegalStateException("Run " + runId + " is committed; cannot add " + relativePath);
    }
    checkStaysInRun(relativePath);
    throwIfFailed();
    if (!written.add(relativePath)) {
      // Written again: the later content must win, so the earlier write lands first.
      awaitWrites();
    }
    Path path = new Path(runDir, relativePath);
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted before writing " + path);
    }
    try {
      pending.add(writers.submit(() -> {
        try {
          HadoopFiles.write(conf, path, content);
        } catch (IOException | RuntimeException e) {
          synchronized (this) {
            if (failed == null) {
              failed = e instanceof IOException io ? io : new IOException("Cannot write " + path + ": " + e, e);
            }
          }
        } finally {
          slots.release();
        }
      }));
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
  }

  private void throwIfFailed() throws IOException {
    IOException first = failed;
    if (first != null) {
      throw new IOException("Run " + runId + ": a file of the run could not be written: " + first.getMessage(), first);
    }
  }

  /** Waits until every file handed on so far is written; throws for the first that could not be. */
  private void awaitWrites() throws IOException {
    for (Future<?> write : pending) {
      try {
        write.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("Interrupted while the run's files were written");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("Run " + runId + ": " + e.getCause(), e.getCause());
      }
    }
    pending.clear();
    throwIfFailed();
  }

  /**
   * Waits for the files still being written, then stops the writing threads; a run that fails before its commit
   * leaves nothing landing after it let go of its output. Does not throw for a failed write: the run is failing.
   */
  @Override
  public void close() {
    try {
      awaitWrites();
    } catch (IOException e) {
      // Reported by write or commit when the run still cared; here the run has failed already.
    } finally {
      writers.shutdownNow();
    }
  }

  /**
   * The last guard: names from input reach here encoded by {@link dev.trailtrim.report.SafeNames},
   * so this never refuses them; it refuses any path that could name something outside the run
   * folder, or that Hadoop would read as other than the plain segments it is.
   */
  static void checkStaysInRun(String relativePath) {
    if (relativePath.isEmpty() || relativePath.startsWith("/") || relativePath.endsWith("/")
        || relativePath.indexOf('\\') >= 0 || relativePath.indexOf(':') >= 0) {
      throw new IllegalArgumentException("Output path '" + relativePath + "' must be relative segments inside the run"
          + " folder: name files through SafeNames");
    }
    for (String segment : relativePath.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("Output path '" + relativePath + "' has the segment '" + segment
            + "', which could leave the run folder: name files through SafeNames");
      }
    }
  }

  /**
   * Writes the report tables as Parquet, one file per table:
   * {@code runs/<run-id>/tables/<table>/part-00000.snappy.parquet}, written into place like every
   * other run file, so it is part of the run (before {@code _SUCCESS}, deleted with it by
   * retention).
   */
  public void writeTables(List<ReportTables.Table> tables) throws IOException {
    for (ReportTables.Table table : tables) {
      write("tables/" + table.name() + "/" + ParquetTables.FILE_NAME, ParquetTables.write(table, conf));
    }
  }

  /** Number of files written so far (not counting the commit markers). */
  public int filesWritten() {
    return written.size();
  }

  /**
   * Marks the run complete: {@code _SUCCESS} (with the run's timing, which is kept out of the
   * reports so identical input gives identical reports), then {@code latest.json}.
   */
  public void commit(Instant started, Instant finished) throws IOException {
    ObjectNode success = JsonNodeFactory.instance.objectNode();
    success.put("runId", runId);
    success.put("startedAt", started.toString());
    success.put("finishedAt", finished.toString());
    success.put("filesWritten", filesWritten());
    ObjectNode latest = JsonNodeFactory.instance.objectNode();
    latest.put("runId", runId);
    latest.put("path", runLocation());
    latest.put("finishedAt", finished.toString());
    // Every file of the run is there before _SUCCESS says so.
    awaitWrites();
    HadoopFiles.write(conf, new Path(runDir, "_SUCCESS"), CanonicalJson.write(success));
    committed = true;
    HadoopFiles.write(conf, new Path(output, "latest.json"), CanonicalJson.write(latest));
  }

  /**
   * Removes this run's folder instead of committing it (a run with nothing to report): no
   * {@code _SUCCESS}, no {@code latest.json}, and nothing left for retention to keep forever.
   */
  public void discard() throws IOException {
    if (committed) {
      throw new IllegalStateException("Run " + runId + " is committed; cannot discard it");
    }
    committed = true;
    // Nothing may land in the folder after it is deleted.
    close();
    runDir.getFileSystem(conf).delete(runDir, true);
  }

  /**
   * Deletes complete runs beyond the newest {@code keep} (by the finish time in their
   * {@code _SUCCESS}); never this run, and never runs without {@code _SUCCESS}, which may still
   * be in progress. Returns the run ids deleted.
   */
  public List<String> deleteOldRuns(int keep) throws IOException {
    if (keep <= 0) {
      return List.of();
    }
    Path runs = new Path(output, "runs");
    FileSystem fs = runs.getFileSystem(conf);
    java.util.TreeMap<String, Path> complete = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
    List<Path> runDirs =
        java.util.Arrays.stream(fs.listStatus(runs)).filter(org.apache.hadoop.fs.FileStatus::isDirectory)
            .map(org.apache.hadoop.fs.FileStatus::getPath).toList();
    // Each kept run's _SUCCESS is a HEAD and a GET: on S3, read many at once.
    List<String> finishedAt = ParallelIo.map(runDirs, ParallelIo.IN_FLIGHT, "trailtrim-runs", run -> {
      Path success = new Path(run, "_SUCCESS");
      return fs.exists(success) ? new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(HadoopFiles.readString(conf, success.toString())).path("finishedAt").asText("") : null;
    });
    for (int i = 0; i < runDirs.size(); i++) {
      if (finishedAt.get(i) != null) {
        complete.put(finishedAt.get(i) + " " + runDirs.get(i).getName(), runDirs.get(i));
      }
    }
    List<String> deleted = new ArrayList<>();
    int kept = 0;
    for (Path run : complete.values()) {
      if (run.getName().equals(runId) || kept < keep) {
        kept++;
        continue;
      }
      fs.delete(run, true);
      deleted.add(run.getName());
    }
    return deleted;
  }
}
