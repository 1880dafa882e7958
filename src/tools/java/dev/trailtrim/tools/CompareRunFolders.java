package dev.trailtrim.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Compares two run folders of the same run id (say one written on a multi-JVM cluster and one in
 * local mode, or one on Spark 3.5 and one on Spark 4): the same file names, and every file byte for
 * byte, except that a Parquet file whose bytes differ may still hold the same schema and rows in the
 * same order (its footer lists column encodings in an order that changes from JVM to JVM, and the
 * writer's version is in it), and {@code _SUCCESS} may differ in its start and end times only.
 * Hadoop's checksum files are skipped. Prints a line per file that is not byte-identical and a total;
 * exit 0 when the folders are equal.
 *
 * <p>Runs as a single-file program on the job's own class path (Parquet and Hadoop come with Spark),
 * so no build of the tools is needed: {@code java -cp "$(cat target/classpath.txt)"
 * src/tools/java/dev/trailtrim/tools/CompareRunFolders.java RUN_A RUN_B}.
 */
public final class CompareRunFolders {

  /** The lines of _SUCCESS that say when the run happened, not what it wrote. */
  private static final Set<String> TIME_FIELDS = Set.of("\"startedAt\"", "\"finishedAt\"");

  private CompareRunFolders() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CompareRunFolders RUN_FOLDER_A RUN_FOLDER_B (two runs/<run-id> folders)");
      System.exit(2);
    }
    List<String> differences = compare(Path.of(args[0]), Path.of(args[1]), System.out);
    differences.forEach(difference -> System.out.println("DIFFERENT: " + difference));
    System.exit(differences.isEmpty() ? 0 : 1);
  }

  /** Compares the folders, printing what is equal only by rows or fields to {@code out}; returns the differences. */
  static List<String> compare(Path a, Path b, java.io.PrintStream out) throws IOException {
    for (Path folder : List.of(a, b)) {
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException(folder + " is not a folder; pass two runs/<run-id> folders");
      }
    }
    Set<String> namesA = files(a);
    Set<String> namesB = files(b);
    List<String> differences = new ArrayList<>();
    for (String name : union(namesA, namesB)) {
      if (!namesB.contains(name)) {
        differences.add(name + " only in " + a);
      } else if (!namesA.contains(name)) {
        differences.add(name + " only in " + b);
      }
    }
    int sameBytes = 0;
    int sameRows = 0;
    int sameButTimes = 0;
    for (String name : namesA) {
      if (!namesB.contains(name)) {
        continue;
      }
      Path fileA = a.resolve(name);
      Path fileB = b.resolve(name);
      if (Arrays.equals(Files.readAllBytes(fileA), Files.readAllBytes(fileB))) {
        sameBytes++;
      } else if (name.endsWith(".parquet")) {
        List<String> rowsA = parquetRows(fileA);
        List<String> rowsB = parquetRows(fileB);
        if (rowsA.equals(rowsB)) {
          sameRows++;
          out.println("same rows, other bytes: " + name + " (" + (rowsA.size() - 1) + " rows)");
        } else {
          differences.add(name + ": " + firstDifference(rowsA, rowsB));
        }
      } else if (name.endsWith("_SUCCESS") && withoutTimes(fileA).equals(withoutTimes(fileB))) {
        sameButTimes++;
      } else {
        differences.add(name + ": " + firstDifference(Files.readAllLines(fileA), Files.readAllLines(fileB)));
      }
    }
    out.printf("%d files: %d identical, %d Parquet with identical schema and rows, %d differing in run times only,"
        + " %d different%n", union(namesA, namesB).size(), sameBytes, sameRows, sameButTimes, differences.size());
    return differences;
  }

  /** The schema, then every row in file order, as Parquet's example reader prints them. */
  static List<String> parquetRows(Path file) throws IOException {
    Configuration conf = new Configuration(false);
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    List<String> rows = new ArrayList<>();
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
      rows.add(footer.getFooter().getFileMetaData().getSchema().toString());
    }
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static List<String> withoutTimes(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(line -> TIME_FIELDS.stream().noneMatch(field -> line.trim().startsWith(field)))
        .toList();
  }

  private static String firstDifference(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return "line/row " + (i + 1) + " differs:\n  < " + a.get(i).strip().replace("\n", " ") + "\n  > "
            + b.get(i).strip().replace("\n", " ");
      }
    }
    return a.size() + " against " + b.size() + " lines/rows";
  }

  private static Set<String> files(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      // Hadoop's checksum files (.NAME.crc) only repeat what their file holds.
      return walk.filter(Files::isRegularFile)
          .filter(file -> !(file.getFileName().toString().startsWith(".") && file.toString().endsWith(".crc")))
          .map(file -> root.relativize(file).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
