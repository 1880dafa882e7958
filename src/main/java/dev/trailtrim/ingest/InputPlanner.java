package dev.trailtrim.ingest;

import dev.trailtrim.io.HadoopFiles;
import dev.trailtrim.io.ParallelIo;
import dev.trailtrim.model.Counters;
import dev.trailtrim.model.ObservationWindow;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Finds the files to read under each root without listing a whole bucket: it walks CloudTrail's
 * layout ({@code AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/}) down to the region
 * folders, then lists only the day folders of the window, in parallel. Digest and Insights
 * files are never read. A root that is not in that layout (a folder of exported files) is
 * listed recursively, and the plan says so.
 *
 * <p>{@code s3://}, {@code s3a://} and {@code s3n://} roots are listed with the AWS SDK's S3
 * client (one per plan, built from the Hadoop configuration's s3a settings), everything else
 * through Hadoop's FileSystem; the plan is the same either way.
 */
public final class InputPlanner {

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  /**
   * Organization ids are {@code o-} and 10 to 32 characters today; any {@code o-} folder is taken for
   * one, so a shorter or longer id is never passed over (its accounts' calls would look unused).
   */
  private static final Pattern ORGANIZATION = Pattern.compile("o-[A-Za-z0-9]+");

  /** The files to read, in a stable order, and what planning counted and noticed. */
  public record Plan(List<PlannedFile> files, IngestStats stats, List<String> notes) {}

  /** A region folder and the lister of its store. */
  private record RegionFolder(FolderLister lister, Path path) {}

  private final Configuration conf;
  private final ObservationWindow window;
  private final int lateArrivalDays;
  private final int threads;
  private final boolean sdkForS3;
  private final Integer s3PageSize;

  public InputPlanner(Configuration conf, ObservationWindow window, int lateArrivalDays, int threads) {
    this(conf, window, lateArrivalDays, threads, true, null);
  }

  /**
   * For tests: {@code sdkForS3} false lists S3 through Hadoop's s3a instead (to compare both);
   * {@code s3PageSize} makes ListObjectsV2 pages small (null: S3's 1,000).
   */
  InputPlanner(Configuration conf, ObservationWindow window, int lateArrivalDays, int threads, boolean sdkForS3,
      Integer s3PageSize) {
    this.conf = conf;
    this.window = window;
    this.lateArrivalDays = lateArrivalDays;
    this.threads = Math.max(1, threads);
    this.sdkForS3 = sdkForS3;
    this.s3PageSize = s3PageSize;
  }

  public Plan plan(List<String> roots) throws IOException {
    try (FolderLister hadoop = new HadoopFolderLister(conf);
        FolderLister s3 = new S3FolderLister(conf, threads, s3PageSize)) {
      return plan(roots, hadoop, s3);
    }
  }

  private Plan plan(List<String> roots, FolderLister hadoop, FolderLister s3) throws IOException {
    IngestStats stats = new IngestStats(20);
    List<String> notes = new ArrayList<>();
    List<PlannedFile> found = new ArrayList<>();
    List<RegionFolder> regionFolders = new ArrayList<>();
    for (String root : roots) {
      Path path = HadoopFiles.toPath(root);
      FolderLister lister = sdkForS3 && S3FolderLister.handles(path) ? s3 : hadoop;
      FolderLister.Location location = lister.locate(path);
      if (!location.exists()) {
        throw new IllegalArgumentException("CloudTrail location '" + root + "' does not exist: check --cloudtrail");
      }
      if (location.isFile()) {
        found.add(new PlannedFile(location.path().toString(), location.length()));
        continue;
      }
      List<Path> regions = new ArrayList<>();
      if (!walkToRegions(lister, location.path(), regions, stats, notes)) {
        notes.add("'" + root + "' is not in CloudTrail's AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout:"
            + " read every file under it, filtered by eventTime (its records are not compared by eventID with other"
            + " roots': pass either an export or the trail's own logs, not both)");
        FolderLister.Listing listing = lister.filesUnder(location.path());
        found.addAll(listing.files());
        listing.skipped().forEach(skip -> stats.reject(skip.reason(), skip.uri(), null));
        stats.increment(Counters.PREFIXES_LISTED);
      }
      regions.forEach(region -> regionFolders.add(new RegionFolder(lister, region)));
    }
    found.addAll(listDays(regionFolders, stats));
    List<PlannedFile> files = new ArrayList<>();
    for (PlannedFile file : found) {
      String name = file.uri().substring(file.uri().lastIndexOf('/') + 1);
      SkipReason skip = CloudTrailFiles.skipByName(file.uri());
      if (skip == null && !CloudTrailFiles.isCandidate(name)) {
        skip = SkipReason.HIDDEN_FILE;
      }
      if (skip != null) {
        stats.reject(skip, file.uri(), null);
      } else {
        files.add(file);
      }
    }
    List<PlannedFile> sorted = files.stream().distinct().sorted().toList();
    // The same delivery under two paths is read once: the first in sorted order, so every run keeps the same one.
    List<RepeatedDeliveries.Copy> copies = RepeatedDeliveries.copies(sorted);
    if (!copies.isEmpty()) {
      Set<PlannedFile> skipped = new HashSet<>();
      for (RepeatedDeliveries.Copy copy : copies) {
        stats.reject(SkipReason.DUPLICATE_FILE, copy.copy().uri(), null);
        skipped.add(copy.copy());
      }
      sorted = sorted.stream().filter(file -> !skipped.contains(file)).toList();
    }
    notes.addAll(RepeatedDeliveries.notes(copies, RepeatedDeliveries.overlaps(sorted)));
    stats.add(Counters.FILES_PLANNED, sorted.size());
    stats.add(Counters.REGIONS_PLANNED, regionFolders.size());
    return new Plan(sorted, stats, notes);
  }

  /**
   * Descends from {@code dir} to the region folders of CloudTrail's layout. Returns false when
   * {@code dir} is not part of that layout.
   */
  private boolean walkToRegions(FolderLister lister, Path dir, List<Path> regions, IngestStats stats,
      List<String> notes) throws IOException {
    List<String> segments = Arrays.stream(dir.toUri().getPath().split("/")).filter(s -> !s.isEmpty()).toList();
    int awsLogs = segments.lastIndexOf("AWSLogs");
    if (awsLogs < 0) {
      Path child = new Path(dir, "AWSLogs");
      if (lister.exists(child)) {
        walkAccounts(lister, child, regions, stats, notes);
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
      walkAccounts(lister, dir, regions, stats, notes);
      return true;
    }
    if (!ACCOUNT.matcher(rest.get(i)).matches()) {
      return false;
    }
    i++;
    if (i == rest.size()) {
      walkRegions(lister, new Path(dir, "CloudTrail"), regions, stats);
      return true;
    }
    if (!rest.get(i).equals("CloudTrail")) {
      return false;
    }
    i++;
    if (i == rest.size()) {
      walkRegions(lister, dir, regions, stats);
      return true;
    }
    if (i == rest.size() - 1) {
      regions.add(dir);
      return true;
    }
    return false;
  }

  /**
   * AWSLogs/ or AWSLogs/o-id/: accounts, and for organization trails one more level. A folder that
   * is neither is not read, and the plan names it: its calls would otherwise look like non-use.
   */
  private void walkAccounts(FolderLister lister, Path dir, List<Path> regions, IngestStats stats, List<String> notes)
      throws IOException {
    for (Path child : listDirectories(lister, dir, stats)) {
      String name = child.getName();
      if (ACCOUNT.matcher(name).matches()) {
        walkRegions(lister, new Path(child, "CloudTrail"), regions, stats);
      } else if (ORGANIZATION.matcher(name).matches()) {
        walkAccounts(lister, child, regions, stats, notes);
      } else {
        stats.increment(Counters.FOLDERS_NOT_ENTERED);
        notes.add("'" + child + "' is neither an account id (12 digits) nor an organization id (o-...) of"
            + " CloudTrail's layout: not read. If it holds logs, pass it with its own --cloudtrail");
      }
    }
  }

  private void walkRegions(FolderLister lister, Path cloudTrail, List<Path> regions, IngestStats stats)
      throws IOException {
    regions.addAll(listDirectories(lister, cloudTrail, stats));
  }

  private static List<Path> listDirectories(FolderLister lister, Path dir, IngestStats stats) throws IOException {
    stats.increment(Counters.PREFIXES_LISTED);
    return lister.directories(dir);
  }

  /** Lists the window's day folders (plus the late-arrival margin) of every region, in parallel. */
  private List<PlannedFile> listDays(List<RegionFolder> regionFolders, IngestStats stats) throws IOException {
    List<RegionFolder> dayFolders = new ArrayList<>();
    for (RegionFolder region : regionFolders) {
      for (LocalDate day = window.from(); !day.isAfter(window.to().plusDays(lateArrivalDays)); day = day.plusDays(1)) {
        dayFolders.add(new RegionFolder(region.lister(), new Path(region.path(), String.format("%04d/%02d/%02d",
            day.getYear(), day.getMonthValue(), day.getDayOfMonth()))));
      }
    }
    List<FolderLister.Listing> listings =
        ParallelIo.map(dayFolders, threads, "trailtrim-planner", day -> day.lister().files(day.path()));
    List<PlannedFile> files = new ArrayList<>();
    for (FolderLister.Listing listing : listings) {
      files.addAll(listing.files());
      listing.skipped().forEach(skip -> stats.reject(skip.reason(), skip.uri(), null));
    }
    stats.add(Counters.PREFIXES_LISTED, dayFolders.size());
    return files;
  }

}
