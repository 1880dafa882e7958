package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Whole-file writes through Hadoop: on S3 without s3a's probes of the path, locally moved into place. */
class HadoopFilesTest {

  @TempDir
  Path dir;

  @Test
  void writesAndReplacesAnObjectOnS3WithoutListingItsPathFirst() throws IOException {
    S3ProxyServer server = S3ProxyServer.shared();
    String bucket = server.createUniqueBucket("hadoop-files");
    Configuration conf = server.newHadoopConfiguration();
    String location = "s3a://" + bucket + "/runs/r1/roles/111122223333/orders-api-role.json";

    HadoopFiles.write(conf, HadoopFiles.toPath(location), "first");
    HadoopFiles.write(conf, HadoopFiles.toPath(location), "second");

    assertEquals("second", HadoopFiles.readString(conf, location));
    try (S3Client s3 = server.newS3Client()) {
      assertEquals("second", s3.getObjectAsBytes(b -> b.bucket(bucket).key("runs/r1/roles/111122223333/"
          + "orders-api-role.json")).asUtf8String());
    }
    // Without fs.s3a.create.performance, s3a lists "<key>/" before each write, to refuse writing over a folder.
    assertEquals(java.util.List.of(), server.requests().listings(bucket), "no listing of the bucket");
  }

  @Test
  void writesAndReplacesALocalFileWithItsFoldersAndNoTemporaryLeft() throws IOException {
    Path file = dir.resolve("runs/r1/summary.json");

    HadoopFiles.write(new Configuration(), HadoopFiles.toPath(file.toString()), "first");
    HadoopFiles.write(new Configuration(), HadoopFiles.toPath(file.toString()), "second");

    assertEquals("second", Files.readString(file));
    try (var listed = Files.list(file.getParent())) {
      assertEquals(java.util.List.of(file), listed.toList());
    }
  }
}
