package dev.trailtrim.ingest;

import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.model.ObservationWindow;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Finds the files to read under each root without listing a whole bucket: it walks CloudTrail's
 * layout ({@code AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/}) down to the region
 * folders, then lists only the day folders of the window, in parallel. Digest and Insights
 * files are never read. A root that is not in that layout (a folder of exported files) is
 * listed recursively, and the plan says so.
 */
public final class InputPlanner {

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern ORGANIZATION = Pattern.compile("o-[a-z0-9]{10,32}");

  /** The files to read, in a stable order, and what planning counted and noticed. */
  public record Plan(List<PlannedFile> files, IngestStats stats, List<String> notes) {}

  private final Configuration conf;
  private final ObservationWindow window;
  private final int lateArrivalDays;
  private final int threads;

  public InputPlanner(Configuration conf, ObservationWindow window, int lateArrivalDays, int threads) {
    this.conf = conf;
    this.window = window;
    this.lateArrivalDays = lateArrivalDays;
    this.threads = Math.max(1, threads);
  }

  public Plan plan(List<String> roots) throws IOException {
    IngestStats stats = new IngestStats(20);
    List<String> notes = new ArrayList<>();
    List<PlannedFile> found = new ArrayList<>();
    List<Path> regionFolders = new ArrayList<>();
    for (String root : roots) {
      Path path = HadoopFiles.toPath(root);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status;
      try {
        status = fs.getFileStatus(path);
      } catch (FileNotFoundException e) {
        throw new IllegalArgumentException("CloudTrail location '" + root + "' does not exist: check --cloudtrail", e);
      }
      if (status.isFile()) {
        found.add(new PlannedFile(status.getPath().toString(), status.getLen()));
        continue;
      }
      List<Path> regions = new ArrayList<>();
      if (!walkToRegions(fs, status.getPath(), regions, stats)) {
        notes.add("'" + root + "' is not in CloudTrail's AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout:"
            + " read every file under it, filtered by eventTime");
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(status.getPath(), true);
        while (files.hasNext()) {
          LocatedFileStatus file = files.next();
          found.add(new PlannedFile(file.getPath().toString(), file.getLen()));
        }
        stats.increment("prefixes.listed");
      }
      regionFolders.addAll(regions);
    }
    found.addAll(listDays(regionFolders, stats));
    List<PlannedFile> files = new ArrayList<>();
    for (PlannedFile file : found) {
      String name = file.uri().substring(file.uri().lastIndexOf('/') + 1);
      SkipReason skip = CloudTrailFiles.skipByName(file.uri());
      if (skip != null) {
        stats.reject(skip, file.uri(), null);
      } else if (CloudTrailFiles.isCandidate(name)) {
        files.add(file);
      }
    }
    List<PlannedFile> sorted = files.stream().distinct().sorted().toList();
    stats.add("files.planned", sorted.size());
    stats.add("regions.planned", regionFolders.size());
    return new Plan(sorted, stats, notes);
  }

  /**
   * Descends from {@code dir} to the region folders of CloudTrail's layout. Returns false when
   * {@code dir} is not part of that layout.
   */
  private boolean walkToRegions(FileSystem fs, Path dir, List<Path> regions, IngestStats stats) throws IOException {
    List<String> segments = Arrays.stream(dir.toUri().getPath().split("/")).filter(s -> !s.isEmpty()).toList();
    int awsLogs = segments.lastIndexOf("AWSLogs");
    if (awsLogs < 0) {
      Path child = new Path(dir, "AWSLogs");
      if (fs.exists(child)) {
        walkAccounts(fs, child, regions, stats);
        return true;
      }
      return false;
    }
    List<String> rest = segments.subList(awsLogs + 1, segments.size());
    int i = 0;
    if (i < rest.size() && ORGANIZATION.matcher(rest.get(i)).matches()) {
      i++;
    }
    if (i == rest.size()) {
      walkAccounts(fs, dir, regions, stats);
      return true;
    }
    if (!ACCOUNT.matcher(rest.get(i)).matches()) {
      return false;
    }
    i++;
    if (i == rest.size()) {
      walkRegions(fs, new Path(dir, "CloudTrail"), regions, stats);
      return true;
    }
    if (!rest.get(i).equals("CloudTrail")) {
      return false;
    }
    i++;
    if (i == rest.size()) {
      walkRegions(fs, dir, regions, stats);
      return true;
    }
    if (i == rest.size() - 1) {
      regions.add(dir);
      return true;
    }
    return false;
  }

  /** AWSLogs/ or AWSLogs/o-id/: accounts, and for organization trails one more level. */
  private void walkAccounts(FileSystem fs, Path dir, List<Path> regions, IngestStats stats) throws IOException {
    for (FileStatus child : listDirectories(fs, dir, stats)) {
      String name = child.getPath().getName();
      if (ACCOUNT.matcher(name).matches()) {
        walkRegions(fs, new Path(child.getPath(), "CloudTrail"), regions, stats);
      } else if (ORGANIZATION.matcher(name).matches()) {
        walkAccounts(fs, child.getPath(), regions, stats);
      }
    }
  }

  private void walkRegions(FileSystem fs, Path cloudTrail, List<Path> regions, IngestStats stats) throws IOException {
    for (FileStatus region : listDirectories(fs, cloudTrail, stats)) {
      regions.add(region.getPath());
    }
  }

  private static List<FileStatus> listDirectories(FileSystem fs, Path dir, IngestStats stats) throws IOException {
    stats.increment("prefixes.listed");
    try {
      return Arrays.stream(fs.listStatus(dir)).filter(FileStatus::isDirectory)
          .sorted((a, b) -> a.getPath().compareTo(b.getPath())).toList();
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  /** Lists the window's day folders (plus the late-arrival margin) of every region, in parallel. */
  private List<PlannedFile> listDays(List<Path> regionFolders, IngestStats stats) throws IOException {
    List<Path> dayFolders = new ArrayList<>();
    for (Path region : regionFolders) {
      for (LocalDate day = window.from(); !day.isAfter(window.to().plusDays(lateArrivalDays)); day = day.plusDays(1)) {
        dayFolders.add(new Path(region, String.format("%04d/%02d/%02d", day.getYear(), day.getMonthValue(),
            day.getDayOfMonth())));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, dayFolders.size())), r -> {
      Thread t = new Thread(r, "trailtrim-planner");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<List<PlannedFile>>> listings = new ArrayList<>();
      for (Path day : dayFolders) {
        listings.add(pool.submit(() -> listFiles(day)));
      }
      List<PlannedFile> files = new ArrayList<>();
      for (Future<List<PlannedFile>> listing : listings) {
        files.addAll(listing.get());
      }
      stats.add("prefixes.listed", dayFolders.size());
      return files;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while listing CloudTrail day folders", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<PlannedFile> listFiles(Path day) {
    try {
      FileSystem fs = day.getFileSystem(conf);
      List<PlannedFile> files = new ArrayList<>();
      for (FileStatus status : fs.listStatus(day)) {
        if (status.isFile()) {
          files.add(new PlannedFile(status.getPath().toString(), status.getLen()));
        }
      }
      return files;
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + day, e);
    }
  }
}
