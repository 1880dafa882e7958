package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.testing.SecondDeliveries;
import dev.trailtrim.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on the samples with events delivered twice: by an organization trail next to the
 * account trail, and by the same folder passed under two roots. Each event counts once, so the
 * policies, role reports and counts are those of the plain samples; what was read twice is
 * counted (records.duplicate, files.skipped.duplicate-file).
 */
class RepeatedDeliveriesRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private static final String ORGANIZATION = "o-a1b2c3d4e5";

  @TempDir
  static Path work;
  static Path plain;

  @BeforeAll
  static void runOnThePlainSamples() throws IOException {
    plain = JobRuns.sampleRun().runDir();
  }

  private static Path run(String name, List<Path> roots) throws IOException {
    Path output = work.resolve("out-" + name);
    JobRuns.run(SparkTestSession.get(), roots.stream().map(Path::toString).toList(),
        List.of(JobRuns.sampleLogs().resolve("iam").toString()), output.toString(), name);
    return output.resolve("runs/" + name);
  }

  private static Path samplesCopy(String name) throws IOException {
    Path logs = work.resolve(name);
    SecondDeliveries.copyTree(JobRuns.sampleLogs().resolve("cloudtrail"), logs);
    return logs;
  }

  private static JsonNode summary(Path run) throws IOException {
    return JSON.readTree(run.resolve("summary.json").toFile());
  }

  /**
   * Every file but _SUCCESS (timing); summary.json without {@code leftOut} (field paths like
   * "files"), and report.html without the run's figures, which show the same counts.
   */
  private static Map<String, String> outputs(Path run, List<String> leftOut) throws IOException {
    Map<String, String> files = new TreeMap<>(JobRuns.files(run));
    files.remove("_SUCCESS");
    ObjectNode summary = (ObjectNode) summary(run);
    for (String field : leftOut) {
      String[] path = field.split("\\.");
      ObjectNode parent = summary;
      for (int i = 0; i < path.length - 1; i++) {
        parent = (ObjectNode) parent.path(path[i]);
      }
      parent.remove(path[path.length - 1]);
    }
    files.put("summary.json", summary.toPrettyString());
    files.computeIfPresent("report.html", (path, html) -> JobRuns.reportRoles(html));
    return files;
  }

  /**
   * The coverage table counts the files delivered per day, and a second trail delivers files of
   * its own: compared by its rows without that column.
   */
  private static Map<String, String> withCoverageRowsWithoutFiles(Map<String, String> outputs, Path run) {
    Map<String, String> copy = new TreeMap<>(outputs);
    String table = "tables/coverage/part-00000.snappy.parquet";
    copy.put(table, String.join("\n", SparkTestSession.get().read().parquet(run.resolve(table).toString())
        .drop("files").toJSON().collectAsList()));
    return copy;
  }

  private static final List<String> READ_COUNTS = List.of("input", "files", "records.read", "records.duplicate");

  /** (b) The account's files again under an organization prefix, with other names: nothing changes but the counts of what was read. */
  @Test
  void anAccountAlsoDeliveredByAnOrganizationTrailGivesThePlainResults() throws IOException {
    Path logs = samplesCopy("org-copy");
    long copied = SecondDeliveries.deliverAgainAsOrganizationTrail(logs.resolve("AWSLogs"), ACCOUNT, ORGANIZATION,
        (path, records) -> records);
    long started = System.nanoTime();
    Path run = run("org-copy", List.of(logs));
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("RepeatedDeliveriesRunTest: the sample with account %s delivered twice (%d records more):"
        + " %d ms%n", ACCOUNT, copied, millis);

    assertEquals(withCoverageRowsWithoutFiles(outputs(plain, READ_COUNTS), plain),
        withCoverageRowsWithoutFiles(outputs(run, READ_COUNTS), run));
    JsonNode before = summary(plain);
    JsonNode after = summary(run);
    assertTrue(copied > 1000, copied + " records copied");
    assertEquals(copied, after.path("records").path("duplicate").asLong());
    assertEquals(before.path("records").path("read").asLong() + copied, after.path("records").path("read").asLong());
    long orgFiles = after.path("files").path("read").asLong() - before.path("files").path("read").asLong();
    assertTrue(orgFiles > 40, orgFiles + " files of the organization trail");
    assertEquals(0, after.path("files").path("skipped").path("duplicate-file").asLong(), "other names: no copies");
    String notes = after.path("input").path("notes").toString();
    assertTrue(notes.contains("account 111122223333, us-east-1: delivered under 2 trail prefixes")
        && notes.contains("account 111122223333, eu-west-1: delivered under 2 trail prefixes"), notes);
    assertAccountedFor(after);
  }

  /** (c) One folder passed twice, as a copy under a second root: every file of the copy is skipped, all else is equal. */
  @Test
  void theSameFolderUnderTwoRootsGivesThePlainResults() throws IOException {
    Path copy = samplesCopy("second-root");
    Path run = run("two-roots", List.of(JobRuns.sampleLogs().resolve("cloudtrail"), copy));
    List<String> leftOut = List.of("input", "files.skipped", "files.prefixesListed");
    assertEquals(outputs(plain, leftOut), outputs(run, leftOut),
        "the same files read once: the same outputs, coverage and counts (files.planned and files.read too)");
    JsonNode files = summary(run).path("files");
    assertEquals(summary(plain).path("files").path("planned").asLong(),
        files.path("skipped").path("duplicate-file").asLong(), "every log file of the copy");
    assertEquals(0, summary(run).path("records").path("duplicate").asLong());
    String notes = summary(run).path("input").path("notes").toString();
    // The first root in sorted order is read, whichever was passed first.
    assertTrue(notes.contains("holds 62 copies of files under") && notes.contains("'file:" + copy + "'")
        && notes.contains("'file:" + JobRuns.sampleLogs().resolve("cloudtrail").toAbsolutePath().normalize() + "'"),
        notes);
  }

  /**
   * (d) The organization trail's copy lacks every fourth record of a file and has records of its
   * own (other eventIDs): each distinct event counts once. The reference holds the same distinct
   * events with no overlap: the plain samples plus the organization's own records in a file of
   * the account trail's.
   */
  @Test
  void overlappingTrailsWithDifferentRecordsCountEachEventOnce() throws IOException {
    List<String> ownPaths = new ArrayList<>();
    List<List<JsonNode>> ownRecords = new ArrayList<>();
    Path overlapping = samplesCopy("org-differs");
    long[] repeated = {0};
    SecondDeliveries.deliverAgainAsOrganizationTrail(overlapping.resolve("AWSLogs"), ACCOUNT, ORGANIZATION,
        (path, records) -> {
          List<JsonNode> again = new ArrayList<>();
          List<JsonNode> own = new ArrayList<>();
          for (int i = 0; i < records.size(); i++) {
            if (i % 4 != 3) {
              again.add(records.get(i));
              repeated[0]++;
            }
            if (i % 5 == 0) {
              // The same call once more, as another event: CloudTrail gives it another eventID.
              ObjectNode another = records.get(i).deepCopy();
              another.put("eventID", "0rg" + another.path("eventID").asText().substring(3));
              own.add(another);
            }
          }
          again.addAll(own);
          ownPaths.add(path);
          ownRecords.add(own);
          return again;
        });
    Path reference = samplesCopy("reference");
    long own = 0;
    for (int i = 0; i < ownPaths.size(); i++) {
      if (ownRecords.get(i).isEmpty()) {
        continue;
      }
      Path accountFile = reference.resolve("AWSLogs").resolve(ACCOUNT).resolve(ownPaths.get(i));
      ObjectNode document = JSON.createObjectNode();
      ArrayNode records = document.putArray("Records");
      ownRecords.get(i).forEach(records::add);
      String name = accountFile.getFileName().toString();
      SecondDeliveries.write(accountFile.resolveSibling(name.substring(0, name.lastIndexOf('_') + 1)
          + String.format("Extra%011d", i) + ".json.gz"), document);
      own += ownRecords.get(i).size();
    }
    assertTrue(own > 100 && repeated[0] > 1000, own + " own records, " + repeated[0] + " repeated");

    Path expected = run("reference", List.of(reference));
    Path actual = run("org-differs", List.of(overlapping));
    assertEquals(withCoverageRowsWithoutFiles(outputs(expected, READ_COUNTS), expected),
        withCoverageRowsWithoutFiles(outputs(actual, READ_COUNTS), actual));
    JsonNode records = summary(actual).path("records");
    assertEquals(repeated[0], records.path("duplicate").asLong());
    assertEquals(summary(expected).path("records").path("read").asLong() + repeated[0], records.path("read").asLong());
    assertTrue(summary(expected).path("records").path("used").asLong()
        > summary(plain).path("records").path("used").asLong(), "the organization's own records are used");
    assertAccountedFor(summary(actual));
  }

  /** records.read = used + skipped + rejected + duplicate. */
  private static void assertAccountedFor(JsonNode summary) {
    JsonNode records = summary.path("records");
    long accounted = records.path("used").asLong() + records.path("rejectedTotal").asLong()
        + records.path("duplicate").asLong();
    for (JsonNode skipped : records.path("skipped")) {
      accounted += skipped.asLong();
    }
    assertEquals(records.path("read").asLong(), accounted, records.toString());
  }
}
