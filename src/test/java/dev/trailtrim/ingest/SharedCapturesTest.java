package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ObservationWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every real CloudTrail capture in ../shared/data/cloudtrail goes through the ingest path
 * without a crash, and what it rejects is exactly what is broken in it. Skipped where the
 * shared data is absent.
 */
class SharedCapturesTest {

  static Path captures() {
    return Path.of(System.getProperty("trailtrim.shared.data", "../shared/data"), "cloudtrail");
  }

  @Test
  void everyCaptureIsReadWithExactRejectCounts() throws IOException {
    Path root = captures();
    assumeTrue(Files.isDirectory(root), "shared CloudTrail captures absent: " + root);
    FileIngestor ingestor = new FileIngestor(EventTranslator.create(IamCatalog.loadDefault()),
        new ObservationWindow(LocalDate.of(2000, 1, 1), LocalDate.of(2099, 12, 31)), 64 << 20);
    Map<String, IngestStats> byCapture = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(json|jsonl|gz)$")).sorted().toList();
    }
    for (Path file : files) {
      String capture = root.relativize(file).getName(0).toString();
      IngestStats stats = byCapture.computeIfAbsent(capture, c -> new IngestStats(5));
      ingestor.ingest(file.toString(), Files.readAllBytes(file), stats, (role, access, error, time) -> {});
    }
    StringBuilder table = new StringBuilder();
    byCapture.forEach((capture, stats) -> table.append(String.format("%-36s %s%n", capture, stats.counters())));
    System.out.print(table);

    assertEquals(Map.of(), rejects(byCapture.get("trailscraper")), "trailscraper's delivered file is clean");
    assertEquals(Map.of(), rejects(byCapture.get("stratus-red-team")));
    // Panther's fixtures: 13 records without eventTime, two with 'redacted' / '...' as the time, and
    // three role sessions whose issuer is no role ARN (a user ARN given as the Role issuer, or none).
    assertEquals(Map.of("records.rejected.record-missing-field", 13L, "records.rejected.record-bad-event-time", 2L,
        "records.rejected.record-bad-arn", 3L), rejects(byCapture.get("panther-analysis")));
    assertEquals(Map.of(), rejects(byCapture.get("plaso")));
    assertEquals(Map.of(), rejects(byCapture.get("cloud-console-cartographer")));
    // The processing library's fixtures are deliberately broken parser edge cases.
    assertEquals(Map.of("files.rejected.invalid-json", 1L, "records.rejected.record-missing-field", 3L,
        "records.rejected.record-bad-event-time", 1L), rejects(byCapture.get("aws-cloudtrail-processing-library")));
  }

  private static Map<String, Long> rejects(IngestStats stats) {
    Map<String, Long> rejects = new TreeMap<>();
    stats.counters().forEach((name, value) -> {
      if (name.contains(".rejected.")) {
        rejects.put(name, value);
      }
    });
    return rejects;
  }
}
