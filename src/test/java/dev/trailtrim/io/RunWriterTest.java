package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The run's files are written many at a time, and the commit waits for every one of them. */
class RunWriterTest {

  private static final int FILES = 64;
  private static final Duration LATENCY = Duration.ofMillis(40);

  /**
   * Against an S3 server that answers every request 40 ms late, as a remote S3 does: the files' PUTs overlap, every
   * file is there with its content, and {@code _SUCCESS} is PUT only after the last of them has been (then
   * {@code latest.json}).
   */
  @Test
  void filesArePutManyAtATimeAndSuccessOnlyAfterAllOfThem() throws IOException {
    try (S3ProxyServer server = S3ProxyServer.startWithLatency(LATENCY)) {
      String bucket = server.createUniqueBucket("run-writer");
      Configuration conf = server.newHadoopConfiguration();
      server.requests().reset();
      long started = System.nanoTime();
      try (RunWriter writer = new RunWriter(conf, "s3a://" + bucket + "/out", "parallel")) {
        for (int i = 0; i < FILES; i++) {
          writer.write("roles/111122223333/role-" + i + ".json", "{\"role\":" + i + "}");
        }
        writer.commit(Instant.EPOCH, Instant.EPOCH);
        assertEquals(FILES, writer.filesWritten());
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      List<String> puts = server.requests().objectsPut(bucket + "/");
      System.out.printf("RunWriterTest: %d files and the commit PUT in %d ms at %d ms a request; at most %d PUTs in"
          + " flight%n", FILES, millis, LATENCY.toMillis(), server.requests().maxPutsInFlight());
      assertTrue(server.requests().maxPutsInFlight() >= 4,
          "the PUTs overlap: at most " + server.requests().maxPutsInFlight() + " were in flight");
      assertEquals(FILES + 2, puts.size(), puts.toString());
      assertEquals(List.of(bucket + "/out/runs/parallel/_SUCCESS", bucket + "/out/latest.json"),
          puts.subList(FILES, FILES + 2), "the commit markers come after every file");
      try (S3Client s3 = server.newS3Client()) {
        for (int i = 0; i < FILES; i++) {
          String key = "out/runs/parallel/roles/111122223333/role-" + i + ".json";
          assertEquals("{\"role\":" + i + "}", s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        }
      }
      // Pooled keep-alive connections would hold up the server's stop.
      FileSystem.get(URI.create("s3a://" + bucket + "/"), conf).close();
    }
  }

  /**
   * A file that cannot be written fails the commit, which then writes no {@code _SUCCESS}, and every later write:
   * the run fails as it did when it wrote one file at a time.
   */
  @Test
  void aFileThatCannotBeWrittenFailsTheCommitAndNothingIsMarkedComplete(@TempDir Path out) throws IOException {
    RunWriter writer = new RunWriter(new Configuration(), out.toString(), "failing");
    // A folder, not empty, where the file should go: moving the written file into place fails.
    Files.createDirectories(out.resolve("runs/failing/summary.json/in-the-way"));
    writer.write("roles/a.json", "{}");
    // Fails on a writing thread, after write returned: the commit reports it.
    writer.write("summary.json", "{}");
    IOException failed = assertThrows(IOException.class, () -> writer.commit(Instant.EPOCH, Instant.EPOCH));
    assertTrue(failed.getMessage().contains("summary.json"), failed.getMessage());
    assertFalse(Files.exists(out.resolve("runs/failing/_SUCCESS")));
    assertFalse(Files.exists(out.resolve("latest.json")));
    assertThrows(IOException.class, () -> writer.write("roles/b.json", "{}"));
    writer.close();
    assertEquals("{}", Files.readString(out.resolve("runs/failing/roles/a.json")));
  }

  /** A file written twice holds what was written last, however the writes overlap. */
  @Test
  void aFileWrittenAgainHoldsTheLaterContent(@TempDir Path out) throws IOException {
    try (RunWriter writer = new RunWriter(new Configuration(), out.toString(), "again")) {
      for (int i = 0; i < 50; i++) {
        writer.write("summary.json", "{\"version\":" + i + "}");
      }
      writer.commit(Instant.EPOCH, Instant.EPOCH);
    }
    assertEquals("{\"version\":49}", Files.readString(out.resolve("runs/again/summary.json")));
  }
}
