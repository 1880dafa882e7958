package dev.trailtrim.ingest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
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
  public List<PlannedFile> files(Path dir) throws IOException {
    try {
      List<PlannedFile> files = new ArrayList<>();
      for (FileStatus status : dir.getFileSystem(conf).listStatus(dir)) {
        if (status.isFile()) {
          files.add(new PlannedFile(status.getPath().toString(), status.getLen()));
        }
      }
      return files;
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  @Override
  public List<PlannedFile> filesUnder(Path dir) throws IOException {
    List<PlannedFile> found = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = dir.getFileSystem(conf).listFiles(dir, true);
    while (files.hasNext()) {
      LocatedFileStatus file = files.next();
      found.add(new PlannedFile(file.getPath().toString(), file.getLen()));
    }
    return found;
  }

  @Override
  public void close() {
    // FileSystem instances are cached and shared by Hadoop: not ours to close.
  }
}
