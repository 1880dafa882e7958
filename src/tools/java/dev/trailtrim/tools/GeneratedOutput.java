package dev.trailtrim.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The output folder of a generator: cleared before it writes, and only if it wrote it before. */
final class GeneratedOutput {

  private GeneratedOutput() {}

  /**
   * Deletes what is in {@code dir}; refuses when it holds anything but {@code entries}, so a
   * mistyped --out never wipes someone's folder.
   *
   * @param generator named in the refusal ("the generator", "BenchCorpusGenerator")
   * @param fix       the refusal's advice
   */
  static void clear(Path dir, Set<String> entries, String generator, String fix) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.toList()) {
        if (!entries.contains(child.getFileName().toString())) {
          throw new IOException("Refusing to delete " + dir + ": it holds " + child.getFileName()
              + ", which " + generator + " does not write. " + fix);
        }
      }
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList();
    }
    for (Path path : paths) {
      Files.delete(path);
    }
  }
}
