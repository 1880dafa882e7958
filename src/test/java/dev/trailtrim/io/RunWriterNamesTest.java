package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.report.SafeNames;
import dev.trailtrim.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Names from input become files inside the run folder, one each, on the local file system and on
 * S3 (through s3a, where a {@code %} in a key could be read as an escape); the writer's own guard
 * refuses any path that could leave the run folder.
 */
class RunWriterNamesTest {

  /** Account id and role name pairs as logs and snapshots may bring them. */
  private static final List<List<String>> HOSTILE = List.of(
      List.of("111122223333", "svc..role"),
      List.of("..", "x"),
      List.of(".", ".."),
      List.of("111122223333", "a/b/c"),
      List.of("111122223333", "caf\u00e9-r\u00f4le-\u5f79"),
      List.of("111122223333", "r".repeat(300)),
      List.of("111122223333", ""),
      List.of("111122223333", "%2E%2E"),
      List.of("111122223333", "a:b"));

  /** The files a run would write for each pair: the expected (account, name) per relative path. */
  private static Map<String, List<String>> expectedFiles() {
    Map<String, List<String>> files = new TreeMap<>();
    for (List<String> pair : HOSTILE) {
      files.put("roles/" + SafeNames.segment(pair.get(0)) + "/" + SafeNames.segment(pair.get(1)) + ".json", pair);
    }
    return files;
  }

  private static void writeAll(RunWriter writer) throws IOException {
    for (Map.Entry<String, List<String>> file : expectedFiles().entrySet()) {
      writer.write(file.getKey(), String.join("|", file.getValue()));
    }
  }

  @Test
  void refusesPathsThatCouldLeaveTheRunFolder() {
    for (String path : List.of("../x", "roles/../../x", "/etc/passwd", "roles//x", "roles/.", "roles/x/", "",
        "roles\\..\\x", "c:/x", "roles/111/..")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> RunWriter.checkStaysInRun(path), path);
      assertTrue(refused.getMessage().contains("'" + path + "'"), refused.getMessage());
    }
    RunWriter.checkStaysInRun("roles/111122223333/svc..role.json");
    RunWriter.checkStaysInRun("roles/%2E./x.json");
  }

  @Test
  void everyHostileNameGetsItsOwnFileInsideTheRunOnTheLocalFileSystem(@TempDir Path out) throws IOException {
    try (RunWriter writer = new RunWriter(new Configuration(), out.toString(), "hostile")) {
      writeAll(writer);
    }
    Map<String, String> written = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        written.put(out.relativize(file).toString().replace('\\', '/'), Files.readString(file));
      }
    }
    Map<String, String> expected = new TreeMap<>();
    expectedFiles().forEach((path, pair) -> expected.put("runs/hostile/" + path, String.join("|", pair)));
    assertEquals(expected, written);
    assertNamesDecode(expected.keySet());
  }

  @Test
  void everyHostileNameGetsItsOwnObjectInsideTheRunOnS3() throws IOException {
    S3ProxyServer server = S3ProxyServer.shared();
    String bucket = server.createUniqueBucket("hostile-names");
    Configuration conf = server.newHadoopConfiguration();
    try (RunWriter writer = new RunWriter(conf, "s3a://" + bucket + "/trailtrim", "hostile")) {
      writeAll(writer);
    }
    Map<String, String> keys = new TreeMap<>();
    try (S3Client s3 = server.newS3Client()) {
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
        keys.put(object.key(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asUtf8String());
      }
    }
    Map<String, String> expected = new TreeMap<>();
    expectedFiles().forEach((path, pair) -> expected.put("trailtrim/runs/hostile/" + path, String.join("|", pair)));
    keys.keySet().removeIf(key -> key.endsWith("/")); // folder markers some s3a versions leave
    assertEquals(expected, keys, "the object keys are the encoded names, byte for byte");
    assertNamesDecode(expected.keySet());
  }

  /** The account and role of each file decode back to the names it was written for (or are shortened). */
  private static void assertNamesDecode(Iterable<String> paths) {
    for (String path : paths) {
      String[] segments = path.split("/");
      String account = segments[segments.length - 2];
      String role =
          segments[segments.length - 1].substring(0, segments[segments.length - 1].length() - ".json".length());
      List<String> pair = expectedFiles().get("roles/" + account + "/" + role + ".json");
      assertEquals(pair.get(0), SafeNames.decode(account), path);
      if (!SafeNames.isShortened(role)) {
        assertEquals(pair.get(1), SafeNames.decode(role), path);
      }
    }
  }
}
