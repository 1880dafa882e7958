package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.ObservationWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class InputPlannerTest {

  @TempDir
  static Path root;

  private final ObservationWindow window = new ObservationWindow(LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 3));

  @BeforeAll
  static void layOutElevenMonthsOfLogs() throws IOException {
    for (String trail : List.of("AWSLogs/111122223333/CloudTrail", "AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail")) {
      for (String region : List.of("us-east-1", "eu-west-1")) {
        for (LocalDate day = LocalDate.of(2026, 1, 1); day.isBefore(LocalDate.of(2026, 12, 1)); day = nextDay(day)) {
          touch(String.format("%s/%s/%04d/%02d/%02d/%s_CloudTrail_%s_%04d%02d%02dT0000Z_x.json.gz", trail, region,
              day.getYear(), day.getMonthValue(), day.getDayOfMonth(), trail.split("/")[trail.split("/").length - 2],
              region, day.getYear(), day.getMonthValue(), day.getDayOfMonth()));
        }
      }
    }
    touch(
        "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261102T000000Z.json.gz");
    touch("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_misplaced.json.gz");
    touch("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/.hidden");
    touch("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/_SUCCESS");
  }

  /** The first of every month, and every day around the window. */
  private static LocalDate nextDay(LocalDate day) {
    LocalDate next = day.plusDays(1);
    boolean nearWindow = next.isAfter(LocalDate.of(2026, 10, 25)) && next.isBefore(LocalDate.of(2026, 11, 10));
    return nearWindow || next.getDayOfMonth() == 1 ? next : nextDay(next);
  }

  private static void touch(String relative) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {1, 2, 3});
  }

  private InputPlanner.Plan plan(String... roots) throws IOException {
    return new InputPlanner(new Configuration(), window, 1, 4).plan(List.of(roots));
  }

  @Test
  void listsOnlyTheWindowsDaysPlusTheLateArrivalDay() throws IOException {
    InputPlanner.Plan plan = plan(root.toString());
    // 2 trails x 2 regions x (2 window days + 1 late-arrival day).
    assertEquals(12, plan.files().size());
    assertTrue(plan.files().stream().allMatch(f -> f.uri().matches(".*/2026/11/0[234]/[^/]*\\.json\\.gz")),
        plan.files().toString());
    assertTrue(plan.files().stream().anyMatch(f -> f.uri().contains("/o-a1b2c3d4e5/444455556666/")));
    assertEquals(3, plan.files().get(0).length());
    // AWSLogs, 2 accounts' CloudTrail folders + the org folder, and 12 day folders: never a year of days.
    assertTrue(plan.stats().counter("prefixes.listed") <= 20, "listed " + plan.stats().counter("prefixes.listed"));
    assertEquals(1, plan.stats().counter("files.skipped.digest-file"), "a digest file in a day folder is skipped");
    assertEquals(2, plan.stats().counter("files.skipped.hidden-file"), ".hidden and _SUCCESS are counted, not read");
    assertEquals(4, plan.stats().counter("regions.planned"));
    assertTrue(plan.notes().isEmpty());
  }

  @Test
  void startsFromAnyLevelOfTheLayout() throws IOException {
    assertEquals(12, plan(root.resolve("AWSLogs").toString()).files().size());
    assertEquals(6, plan(root.resolve("AWSLogs/111122223333").toString()).files().size());
    assertEquals(6, plan(root.resolve("AWSLogs/o-a1b2c3d4e5").toString()).files().size());
    assertEquals(6, plan(root.resolve("AWSLogs/111122223333/CloudTrail").toString()).files().size());
    assertEquals(3, plan(root.resolve("AWSLogs/111122223333/CloudTrail/eu-west-1").toString()).files().size());
    assertEquals(6, plan("file://" + root.resolve("AWSLogs/111122223333/CloudTrail")).files().size());
  }

  @Test
  void readsEverythingUnderAFolderOutsideTheLayoutAndSaysSo() throws IOException {
    Path exports = root.resolve("exports");
    Files.createDirectories(exports.resolve("sub"));
    Files.write(exports.resolve("a.json"), new byte[] {1});
    Files.write(exports.resolve("sub/b.json.gz"), new byte[] {1});
    InputPlanner.Plan plan = plan(exports.toString());
    assertEquals(2, plan.files().size());
    assertEquals(1, plan.notes().size());
    assertTrue(plan.notes().get(0).contains("not in CloudTrail's AWSLogs"), plan.notes().get(0));
    assertEquals(1, plan(exports.resolve("a.json").toString()).files().size(), "a single file is read as is");
  }

  private static Path write(Path root, String relative, int length) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[length]);
    return file;
  }

  /**
   * A folder copied under a second root: each CloudTrail file is planned once (the first in sorted
   * order, whatever the order of the roots), the copy counted as a duplicate file and named in a note.
   * A file of the same name but another length, and files not named as CloudTrail names them, are read.
   */
  @Test
  void aFolderCopiedUnderASecondRootIsPlannedOnce(@TempDir Path copies) throws IOException {
    String day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/";
    String name = "111122223333_CloudTrail_us-east-1_20261102T0005Z_Ab12Cd34Ef56Gh78.json.gz";
    Path original = write(copies, "a/" + day + name, 10);
    Path copy = write(copies, "b/" + day + name, 10);
    String other = "111122223333_CloudTrail_us-east-1_20261102T0010Z_Zz12Cd34Ef56Gh78.json.gz";
    write(copies, "a/" + day + other, 10);
    write(copies, "b/" + day + other, 11);
    write(copies, "exports-a/events.json", 4);
    write(copies, "exports-b/events.json", 4);
    for (List<String> roots : List.of(List.of("a", "b", "exports-a", "exports-b"),
        List.of("exports-b", "b", "exports-a", "a"))) {
      InputPlanner.Plan plan = plan(roots.stream().map(r -> copies.resolve(r).toString()).toArray(String[]::new));
      List<String> planned = plan.files().stream().map(f -> copies.toUri().relativize(java.net.URI.create(f.uri()))
          .getPath()).toList();
      assertEquals(List.of("a/" + day + name, "a/" + day + other, "b/" + day + other, "exports-a/events.json",
          "exports-b/events.json"), planned, "roots " + roots);
      assertEquals(1, plan.stats().counter("files.skipped.duplicate-file"));
      assertEquals(5, plan.stats().counter("files.planned"));
      String note = plan.notes().stream().filter(n -> n.contains("files.skipped.duplicate-file")).findFirst()
          .orElseThrow(() -> new AssertionError(plan.notes().toString()));
      assertTrue(note.startsWith("'" + copy.getParent().toUri().toString().replace(day, "").replaceAll("/$", "")
          .replace("file:///", "file:/")), note);
      assertTrue(note.contains(copy.getFileName().toString()) && note.contains("1 copy of files under"), note);
      assertTrue(note.contains(original.toUri().toString().replace("file:///", "file:/")), note);
    }
  }

  /** An account that an account trail and an organization trail both deliver: the plan says so, per region. */
  @Test
  void anAccountDeliveredByTwoTrailsIsNoted(@TempDir Path logs) throws IOException {
    for (String trail : List.of("AWSLogs/111122223333/", "AWSLogs/o-a1b2c3d4e5/111122223333/")) {
      for (String date : List.of("02", "03")) {
        write(logs, trail + "CloudTrail/us-east-1/2026/11/" + date + "/111122223333_CloudTrail_us-east-1_202611" + date
            + "T0005Z_" + (trail.contains("o-") ? "Org" : "Acct") + "12345678.json.gz", 10);
      }
    }
    write(logs, "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02/111122223333_CloudTrail_eu-west-1_20261102T0005Z"
        + "_Acct12345678.json.gz", 10);
    InputPlanner.Plan plan = plan(logs.toString());
    assertEquals(5, plan.files().size());
    assertEquals(0, plan.stats().counter("files.skipped.duplicate-file"), "other names: not copies");
    assertEquals(1, plan.notes().size(), plan.notes().toString());
    String note = plan.notes().get(0);
    assertTrue(note.startsWith("account 111122223333, us-east-1: delivered under 2 trail prefixes"), note);
    assertTrue(note.contains("/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/'"), note);
    assertTrue(note.contains("on 2 days from 2026-11-02 to 2026-11-03"), note);
  }

  @Test
  void aMissingRootIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plan(root.resolve("nope").toString()));
    assertTrue(e.getMessage().contains("does not exist: check --cloudtrail"), e.getMessage());
  }

  @Test
  void aFolderNamedLikeALogFileIsNeverReadAsOneAndIsCounted(@TempDir Path logs) throws IOException {
    Path day = logs.resolve("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02");
    Files.createDirectories(day.resolve("111122223333_CloudTrail_us-east-1_20261102T0000Z_dir.json.gz"));
    Files.write(day.resolve("111122223333_CloudTrail_us-east-1_20261102T0005Z_file.json.gz"), new byte[] {1});
    InputPlanner.Plan plan = plan(logs.toString());
    assertEquals(List.of("111122223333_CloudTrail_us-east-1_20261102T0005Z_file.json.gz"),
        plan.files().stream().map(f -> f.uri().substring(f.uri().lastIndexOf('/') + 1)).toList());
    assertEquals(1, plan.stats().counter("files.skipped.directory"));
  }

  @Test
  @Timeout(60) // following the links blindly never ends in time: the tree multiplies at every level
  void aLinkLoopUnderALocalRootIsListedOnceAndCounted(@TempDir Path exports) throws IOException {
    Path inner = Files.createDirectories(exports.resolve("a/b"));
    Files.write(inner.resolve("events.json"), new byte[] {1});
    Files.write(exports.resolve("top.json"), new byte[] {1});
    Files.createSymbolicLink(inner.resolve("loop"), exports); // a/b/loop -> the root: a cycle
    Files.createSymbolicLink(exports.resolve("again"), inner); // a second name for a/b
    Files.createSymbolicLink(exports.resolve("top-link.json"), exports.resolve("top.json"));
    Files.createSymbolicLink(exports.resolve("dangling.json"), exports.resolve("gone.json"));
    InputPlanner.Plan plan = plan(exports.toString());
    assertEquals(List.of("a/b/events.json", "top.json"), plan.files().stream()
        .map(f -> f.uri().substring(f.uri().indexOf(exports.getFileName().toString()) + exports.getFileName().toString()
            .length() + 1))
        .sorted().toList(), "each file once, however many names lead to it");
    assertEquals(4, plan.stats().counter("files.skipped.symlink"), plan.stats().counters().toString());
  }
}
