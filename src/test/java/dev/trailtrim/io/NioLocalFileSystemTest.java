package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell-free local file system gives what Hadoop's own (with its chmod and ls -ld) gives. */
class NioLocalFileSystemTest {

  @TempDir
  java.nio.file.Path dir;

  private final Configuration conf = new Configuration();
  private final NioLocalFileSystem nio = new NioLocalFileSystem();
  private final LocalFileSystem hadoop = new LocalFileSystem();

  @BeforeEach
  void initialize() throws IOException {
    conf.set("fs.permissions.umask-mode", "022");
    nio.initialize(FileSystem.getDefaultUri(conf), conf);
    hadoop.initialize(FileSystem.getDefaultUri(conf), conf);
  }

  @Test
  void theTestJvmsFilePathsUseIt() throws IOException {
    assertInstanceOf(NioLocalFileSystem.class, FileSystem.getLocal(new Configuration()),
        "src/test/resources/core-site.xml names it for fs.file.impl");
  }

  @Test
  void createsFilesAndFoldersWithTheModesHadoopGives() throws IOException {
    for (FileSystem fs : List.of(nio, hadoop)) {
      String name = fs == nio ? "nio" : "hadoop";
      try (FSDataOutputStream out = fs.create(path(name + "/a/b/file"), new FsPermission((short) 0664), true, 4096,
          (short) 1, 1 << 20, null)) {
        out.writeBytes("text");
      }
      fs.mkdirs(path(name + "/private"), new FsPermission((short) 0750));
      fs.create(path(name + "/plain")).close();
    }
    for (String file : List.of("a", "a/b", "a/b/file", "a/b/.file.crc", "private", "plain", ".plain.crc")) {
      assertEquals(mode("hadoop/" + file), mode("nio/" + file), file);
    }
    assertEquals("rw-r--r--", mode("nio/a/b/file"), "0664 under the umask 022");
    assertEquals("rwxr-x---", mode("nio/private"));
  }

  @Test
  void listsThePermissionsOwnersAndGroupsHadoopLists() throws IOException {
    Files.createDirectories(dir.resolve("listed/folder"));
    Files.writeString(dir.resolve("listed/open"), "x");
    Files.writeString(dir.resolve("listed/closed"), "x");
    Files.setPosixFilePermissions(dir.resolve("listed/closed"), PosixFilePermissions.fromString("r--------"));
    Files.createSymbolicLink(dir.resolve("listed/link"), dir.resolve("listed/closed"));
    hadoop.setPermission(path("listed/folder"), new FsPermission((short) 01770));

    assertEquals(describe(hadoop.listStatus(path("listed"))), describe(nio.listStatus(path("listed"))));
    assertEquals(describe(hadoop.getFileStatus(path("listed/closed"))),
        describe(nio.getFileStatus(path("listed/closed"))));
    assertTrue(nio.getFileStatus(path("listed/folder")).getPermission().getStickyBit());
  }

  @Test
  void setsTheStickyBitAsHadoopDoes() throws IOException {
    nio.mkdirs(path("shared"));
    nio.setPermission(path("shared"), new FsPermission((short) 01777));
    assertEquals(new FsPermission((short) 01777), hadoop.getFileStatus(path("shared")).getPermission());
  }

  @Test
  void aStatusSerializesWithItsPermission() throws Exception {
    Files.writeString(dir.resolve("file"), "x");
    Files.setPosixFilePermissions(dir.resolve("file"), PosixFilePermissions.fromString("rw-r-----"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(nio.getFileStatus(path("file")));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      FileStatus read = (FileStatus) in.readObject();
      assertEquals(describe(hadoop.getFileStatus(path("file"))), describe(read));
    }
  }

  private Path path(String relative) {
    return new Path(dir.resolve(relative).toUri());
  }

  private String mode(String relative) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(relative)));
  }

  private static List<String> describe(FileStatus... statuses) {
    return Arrays.stream(statuses).map(s -> s.getPath().getName() + " " + s.getPermission() + " " + s.getOwner() + " "
        + s.getGroup() + " " + s.getLen() + " " + s.isDirectory() + " " + s.isSymlink()).sorted().toList();
  }
}
