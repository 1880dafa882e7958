package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {

  /** The listed length only sizes the read: a file that grew or shrank since the listing is read whole. */
  @Test
  void readsTheWholeFileWhateverLengthTheListingGave(@TempDir Path dir) throws IOException {
    byte[] content = new byte[100_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    Path file = dir.resolve("f.json.gz");
    Files.write(file, content);
    String uri = file.toUri().toString();
    Configuration conf = new Configuration();
    for (long listed : new long[] {-1, 0, 1, 99_999, 100_000, 100_001, 250_000}) {
      assertArrayEquals(content, HadoopFiles.readFully(conf, uri, listed), "listed length " + listed);
    }
  }
}
