package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trailtrim.testing.S3ProxyServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Whole-file reads and writes through Hadoop: on S3 without s3a's probes of the path, locally moved into place. */
class HadoopFilesTest {

  @TempDir
  Path dir;

  /** The listed length only sizes a local read: a file that grew or shrank since the listing is read whole. */
  @Test
  void readsTheWholeFileWhateverLengthTheListingGave() throws IOException {
    byte[] content = new byte[100_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    Path file = dir.resolve("f.json.gz");
    Files.write(file, content);
    S3ProxyServer server = S3ProxyServer.shared();
    String bucket = server.createUniqueBucket("read-fully");
    server.putObjectsDirectly(bucket, java.util.Map.of("f.json.gz", content));
    Configuration conf = server.newHadoopConfiguration();
    // Local files straight from the disk (as Hadoop names them, too).
    for (String uri : List.of(file.toUri().toString(), "file:" + file)) {
      for (long listed : new long[] {-1, 0, 1, 99_999, 100_000, 100_001, 250_000}) {
        assertArrayEquals(content, HadoopFiles.readFully(conf, uri, listed), uri + ", listed length " + listed);
      }
    }
    // S3 objects through s3a, which reads the listed length (CloudTrail never rewrites an object; one rewritten
    // since its listing would be read as listed, and its cut gzip rejected and counted).
    for (long listed : new long[] {-1, 100_000}) {
      assertArrayEquals(content, HadoopFiles.readFully(conf, "s3a://" + bucket + "/f.json.gz", listed),
          "S3, listed length " + listed);
    }
  }

  /** A local file gone since the listing fails as Hadoop's local file system failed: FileNotFoundException. */
  @Test
  void aLocalFileGoneSinceTheListingIsNotFound() {
    String uri = dir.resolve("gone.json.gz").toUri().toString();
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> HadoopFiles.readFully(new Configuration(), uri, 10));
    assertEquals("File " + uri + " does not exist", e.getMessage());
  }

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
    assertEquals(List.of(), server.requests().listings(bucket), "no listing of the bucket");
  }

  @Test
  void writesAndReplacesALocalFileWithItsFoldersAndNoTemporaryLeft() throws IOException {
    Path file = dir.resolve("runs/r1/summary.json");

    HadoopFiles.write(new Configuration(), HadoopFiles.toPath(file.toString()), "first");
    HadoopFiles.write(new Configuration(), HadoopFiles.toPath(file.toString()), "second");

    assertEquals("second", Files.readString(file));
    try (var listed = Files.list(file.getParent())) {
      assertEquals(List.of(file), listed.toList());
    }
  }

  /** Many files read ahead come back in the order asked; one that cannot be read is that file's failure alone. */
  @Test
  void manyFilesAreReadInOrderAndAMissingOneFailsAlone(@TempDir Path dir) throws IOException {
    List<String> locations = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Path file = dir.resolve("f" + i + ".json");
      Files.writeString(file, "{\"n\":" + i + "}");
      locations.add(i == 17 ? dir.resolve("missing.json").toString() : file.toString());
    }
    List<HadoopFiles.Text> texts = new java.util.ArrayList<>();
    HadoopFiles.readStrings(new Configuration(), locations).forEach(texts::add);
    assertEquals(locations, texts.stream().map(HadoopFiles.Text::location).toList());
    for (int i = 0; i < 40; i++) {
      if (i == 17) {
        assertThrows(FileNotFoundException.class, texts.get(i)::get);
      } else {
        assertEquals("{\"n\":" + i + "}", texts.get(i).get());
      }
    }
  }
}
