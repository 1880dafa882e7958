package dev.trailtrim.ingest;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The few listings the planner needs, over a store's folders (real ones, or key prefixes ending
 * in {@code /} on S3). Implementations are safe to call from several planner threads at once.
 * Listing a folder that does not exist gives an empty list, not an error.
 */
interface FolderLister extends AutoCloseable {

  /** What a user's location is; {@code path} is the location as the store names it. */
  record Location(Path path, boolean exists, boolean isFile, long length) {

    static Location missing(Path path) {
      return new Location(path, false, false, -1);
    }
  }

  Location locate(Path path) throws IOException;

  /** Whether a folder holds anything. */
  boolean exists(Path dir) throws IOException;

  /** The folders directly in {@code dir}, sorted. */
  List<Path> directories(Path dir) throws IOException;

  /** An entry a listing passed over, and why: counted, never silent. */
  record Skipped(String uri, SkipReason reason) {}

  /** What a listing found: the files, and the entries that are not files to read. */
  record Listing(List<PlannedFile> files, List<Skipped> skipped) {
    public Listing {
      files = List.copyOf(files);
      skipped = List.copyOf(skipped);
    }
  }

  /** The files directly in {@code dir}; its folders are skipped as {@link SkipReason#DIRECTORY}. */
  Listing files(Path dir) throws IOException;

  /**
   * Every file under {@code dir}, at any depth; a link to a folder or file already listed is
   * skipped as {@link SkipReason#SYMLINK}, so a link loop is listed once.
   */
  Listing filesUnder(Path dir) throws IOException;

  @Override
  void close() throws IOException;
}
