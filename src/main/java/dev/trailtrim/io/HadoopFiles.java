package dev.trailtrim.io;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;

/**
 * Reads and writes whole files through Hadoop's FileSystem: local paths, s3a://, s3:// alike. The hot
 * ones, {@link #readFully} (every CloudTrail file) and {@link #write} (every output file), take a local
 * file ({@code file:}) straight through java.nio.
 */
public final class HadoopFiles {

  private HadoopFiles() {}

  /**
   * A user's location as a Hadoop path: URIs with a scheme stay as they are, plain paths become
   * absolute {@code file:} URIs.
   */
  public static org.apache.hadoop.fs.Path toPath(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return new org.apache.hadoop.fs.Path(URI.create(location));
    }
    if (location.startsWith("file:")) {
      return new org.apache.hadoop.fs.Path(location);
    }
    return new org.apache.hadoop.fs.Path(Path.of(location).toAbsolutePath().normalize().toUri());
  }

  /**
   * Reads a whole file. With its length known from the listing, s3a skips the HEAD request and
   * reads it in one GET; a local file is read whole whatever the listing said.
   */
  public static byte[] readFully(Configuration conf, String location, long knownLength) throws IOException {
    URI uri = URI.create(location);
    if ("file".equals(uri.getScheme())) {
      // Straight from the disk: Hadoop's local file system looks for a checksum file beside each file and
      // reads through its checker, which cost a fifth of a one-core read of 17,544 small local files.
      try {
        return Files.readAllBytes(Path.of(uri));
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("File " + location + " does not exist");
      }
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    FSDataInputStream in;
    try {
      var builder = fs.openFile(path).opt("fs.option.openfile.read.policy", "whole-file");
      if (knownLength >= 0) {
        builder.opt("fs.option.openfile.length", Long.toString(knownLength));
      }
      in = builder.build().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while opening " + location, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    try (InputStream stream = in) {
      if (knownLength > 0 && knownLength <= 1 << 30) {
        // The listed length read into an array of that size: no stream buffer and no copy of it.
        byte[] bytes = new byte[(int) knownLength];
        int read = stream.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          return Arrays.copyOf(bytes, read);
        }
        int next = stream.read();
        if (next < 0) {
          return bytes;
        }
        // Longer than listed (rewritten since): the rest as it comes.
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 2);
        out.write(bytes);
        out.write(next);
        stream.transferTo(out);
        return out.toByteArray();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(knownLength > 0 ? 1 << 30 : 8192);
      stream.transferTo(out);
      return out.toByteArray();
    }
  }

  /**
   * Writes a whole file, replacing any old one. On S3 an object appears whole when its PUT
   * completes; on a local disk the file is written beside and moved into place, so a reader
   * never sees half a file either way.
   */
  public static void write(Configuration conf, org.apache.hadoop.fs.Path path, byte[] content) throws IOException {
    if ("file".equals(path.toUri().getScheme())) {
      Path target = Path.of(path.toUri());
      Files.createDirectories(target.getParent());
      Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.write(temporary, content);
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    FileSystem fs = path.getFileSystem(conf);
    // s3a otherwise probes every new object's path first (a HEAD and a LIST of "path/", to refuse
    // writing over a folder): about 120 requests per run. trailtrim names every file it writes, never
    // over a folder. An optional setting: file systems that do not know it ignore it.
    // createFile's builder is a raw type in Hadoop's API: build() gives an Object.
    try (OutputStream out = (OutputStream) fs.createFile(path).overwrite(true).recursive()
        .opt(S3A_CREATE_PERFORMANCE, true).build()) {
      out.write(content);
    }
  }

  /** s3a's createFile option that skips the checks for a folder or file at the path written. */
  static final String S3A_CREATE_PERFORMANCE = "fs.s3a.create.performance";

  public static void write(Configuration conf, org.apache.hadoop.fs.Path path, String content) throws IOException {
    write(conf, path, content.getBytes(StandardCharsets.UTF_8));
  }

  /** A file's text, or why it could not be read ({@link #get} throws that). */
  public record Text(String location, String text, IOException failure) {
    public String get() throws IOException {
      if (failure != null) {
        throw failure;
      }
      return text;
    }
  }

  /**
   * The texts of many files, in their order, read {@link ParallelIo#IN_FLIGHT} ahead of the caller: at most that
   * many texts are held besides the one handed out (IAM snapshots can be tens of megabytes each). A file that
   * cannot be read is one {@link Text} with its failure, for the caller to report as it would a single read.
   */
  public static Iterable<Text> readStrings(Configuration conf, java.util.List<String> locations) {
    return ParallelIo.ahead(locations, "trailtrim-read", location -> read(conf, location));
  }

  private static Text read(Configuration conf, String location) {
    try {
      return new Text(location, readString(conf, location), null);
    } catch (IOException | RuntimeException e) {
      // One file's problem, as a single read would have been: the others are still read.
      return new Text(location, null, e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
  }

  public static String readString(Configuration conf, String location) throws IOException {
    org.apache.hadoop.fs.Path path = toPath(location);
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The {@code .json} files at {@code location}: the file itself, or every one below the folder,
   * sorted. Throws {@link java.io.FileNotFoundException} when nothing is there.
   */
  public static java.util.List<String> jsonFilesAt(Configuration conf, String location) throws IOException {
    org.apache.hadoop.fs.Path path = toPath(location);
    org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(conf);
    org.apache.hadoop.fs.FileStatus status = fs.getFileStatus(path);
    if (status.isFile()) {
      return java.util.List.of(status.getPath().toString());
    }
    java.util.List<String> files = new java.util.ArrayList<>();
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(path, true);
    while (it.hasNext()) {
      String file = it.next().getPath().toString();
      if (file.endsWith(".json")) {
        files.add(file);
      }
    }
    files.sort(null);
    return files;
  }
}
