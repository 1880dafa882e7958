package dev.trailtrim.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.tools.BenchCorpusGenerator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of logs without a manifest is described as the generator would have described it. */
class CorpusManifestTest {

  @TempDir
  Path corpus;

  @Test
  void describesAGeneratedCorpusAsItsGeneratorDid() throws IOException {
    BenchCorpusGenerator.generate(new BenchCorpusGenerator.Options(3, 300_000, corpus, 3, 2, 50, 2_000, 20_000, 1));
    Path manifest = corpus.resolve(BenchCorpusGenerator.MANIFEST);
    Properties generated = load(manifest);
    Files.delete(manifest);

    CorpusManifest.main(new String[] {"--corpus", corpus.toString()});

    Properties described = load(manifest);
    for (String key : List.of("files", "records", "uncompressedBytes", "compressedBytes", "from", "to")) {
      assertEquals(generated.getProperty(key), described.getProperty(key), key);
    }
    // What the bench jobs read the manifest with accepts it.
    assertEquals(Long.parseLong(generated.getProperty("records")), BenchRun.Corpus.load(corpus).records());
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    return p;
  }
}
