package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On S3 a "folder" is keys under a prefix: a day folder holding {@code x.json.gz/part} has a folder
 * named like a log file. The SDK listing passes it over as the local one does, and counts it.
 */
class S3SkippedEntriesTest {

  @Test
  void aPrefixNamedLikeALogFileIsNeverReadAsOneAndIsCounted() throws IOException {
    S3ProxyServer server = S3ProxyServer.shared();
    String bucket = server.createUniqueBucket("skipped-entries");
    String day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/";
    server.putObjectsDirectly(bucket, Map.of(
        day + "111122223333_CloudTrail_us-east-1_20261102T0000Z_dir.json.gz/inner.json.gz", new byte[] {1},
        day + "111122223333_CloudTrail_us-east-1_20261102T0005Z_file.json.gz", new byte[] {1},
        day + "_$folder$", new byte[0]));
    InputPlanner.Plan plan = new InputPlanner(server.newHadoopConfiguration(),
        new ObservationWindow(LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 2)), 0, 2)
        .plan(List.of("s3://" + bucket + "/AWSLogs/"));
    assertEquals(
        List.of("s3://" + bucket + "/" + day + "111122223333_CloudTrail_us-east-1_20261102T0005Z_file.json.gz"),
        plan.files().stream().map(PlannedFile::uri).toList());
    assertEquals(1, plan.stats().counter("files.skipped.directory"), plan.stats().counters().toString());
    assertEquals(1, plan.stats().counter("files.skipped.hidden-file"), plan.stats().counters().toString());
  }
}
