package dev.trailtrim.ingest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Lists through Hadoop's FileSystem: local folders, HDFS, and any scheme without an SDK lister. */
final class HadoopFolderLister implements FolderLister {

  private final Configuration conf;

  HadoopFolderLister(Configuration conf) {
    this.conf = conf;
  }

  @Override
  public Location locate(Path path) throws IOException {
    try {
      FileStatus status = path.getFileSystem(conf).getFileStatus(path);
      return new Location(status.getPath(), true, status.isFile(), status.getLen());
    } catch (FileNotFoundException e) {
      return Location.missing(path);
    }
  }

  @Override
  public boolean exists(Path dir) throws IOException {
    return dir.getFileSystem(conf).exists(dir);
  }

  @Override
  public List<Path> directories(Path dir) throws IOException {
    try {
      return Arrays.stream(dir.getFileSystem(conf).listStatus(dir)).filter(FileStatus::isDirectory)
          .map(FileStatus::getPath).sorted().toList();
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  @Override
  public Listing files(Path dir) throws IOException {
    try {
      List<PlannedFile> files = new ArrayList<>();
      List<Skipped> skipped = new ArrayList<>();
      for (FileStatus status : dir.getFileSystem(conf).listStatus(dir)) {
        if (status.isFile()) {
          files.add(new PlannedFile(status.getPath().toString(), status.getLen()));
        } else {
          skipped.add(new Skipped(status.getPath().toString(), SkipReason.DIRECTORY));
        }
      }
      return new Listing(files, skipped);
    } catch (FileNotFoundException e) {
      return new Listing(List.of(), List.of());
    }
  }

  @Override
  public Listing filesUnder(Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if ("file".equals(fs.getScheme())) {
      // Hadoop's local listing follows links blindly (a link to a parent lists the tree again and
      // again) and drops dangling ones unsaid: the local tree is walked here instead.
      List<PlannedFile> files = new ArrayList<>();
      List<Skipped> skipped = new ArrayList<>();
      java.nio.file.Path root = Paths.get(dir.toUri());
      Set<java.nio.file.Path> seen = new HashSet<>();
      seen.add(root.toRealPath());
      walkLocal(dir, root, seen, files, skipped);
      return new Listing(files, skipped);
    }
    List<PlannedFile> found = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
    while (files.hasNext()) {
      LocatedFileStatus file = files.next();
      found.add(new PlannedFile(file.getPath().toString(), file.getLen()));
    }
    return new Listing(found, List.of());
  }

  /**
   * Lists a local folder tree, each real folder and file once: under its own name, else the first
   * link met (a folder's own entries before its links, each in sorted order). Any other name for
   * it (a second link, a link loop) and a link to nothing are skipped and counted.
   */
  private static void walkLocal(Path dir, java.nio.file.Path local, Set<java.nio.file.Path> seen,
      List<PlannedFile> files, List<Skipped> skipped) throws IOException {
    List<java.nio.file.Path> entries;
    try (Stream<java.nio.file.Path> list = Files.list(local)) {
      entries = list.sorted(Comparator.comparing(Files::isSymbolicLink)
          .thenComparing(entry -> entry.getFileName().toString())).toList();
    } catch (NoSuchFileException e) {
      return;
    }
    for (java.nio.file.Path entry : entries) {
      Path path = new Path(dir, entry.getFileName().toString());
      java.nio.file.Path real;
      try {
        real = entry.toRealPath();
      } catch (NoSuchFileException e) {
        skipped.add(new Skipped(path.toString(), SkipReason.SYMLINK));
        continue;
      }
      if (!seen.add(real)) {
        skipped.add(new Skipped(path.toString(), SkipReason.SYMLINK));
      } else if (Files.isDirectory(entry)) {
        walkLocal(path, entry, seen, files, skipped);
      } else {
        files.add(new PlannedFile(path.toString(), Files.size(entry)));
      }
    }
  }

  @Override
  public void close() {
    // FileSystem instances are cached and shared by Hadoop: not ours to close.
  }
}
