package dev.trailtrim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Real CloudTrail files delivered a second time, as an organization trail delivers an account's
 * events next to the account's own trail: the same records (same eventIDs) in files of their own
 * names under {@code AWSLogs/<org-id>/<account>/CloudTrail/...}.
 */
public final class SecondDeliveries {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SecondDeliveries() {}

  /** Copies the folder {@code from} to {@code to}, file by file, bytes unchanged. */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.sorted().toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  /**
   * Delivers every log file of {@code account} under {@code awsLogs} again under
   * {@code AWSLogs/<organizationId>/<account>/}, named as CloudTrail names a file of another
   * trail (the same time, another random part), holding the records {@code records} returns for
   * the file's path relative to the account's folder and its records.
   *
   * @return the records written
   */
  public static long deliverAgainAsOrganizationTrail(Path awsLogs, String account, String organizationId,
      BiFunction<String, List<JsonNode>, List<JsonNode>> records) throws IOException {
    Path accountFolder = awsLogs.resolve(account);
    Path organizationFolder = awsLogs.resolve(organizationId).resolve(account);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(accountFolder.resolve("CloudTrail"))) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long written = 0;
    for (Path file : files) {
      String relative = accountFolder.relativize(file).toString();
      List<JsonNode> original = new ArrayList<>();
      read(file).path("Records").forEach(original::add);
      List<JsonNode> again = records.apply(relative, original);
      if (again.isEmpty()) {
        continue;
      }
      // <account>_CloudTrail_<region>_<time>_<random>.json.gz: the org trail's file has a random part of its own.
      String name = file.getFileName().toString();
      int random = name.lastIndexOf('_') + 1;
      String renamed = name.substring(0, random) + "Org" + new StringBuilder(name.substring(random,
          name.indexOf('.', random))).reverse() + ".json.gz";
      Path target = organizationFolder.resolve(relative).resolveSibling(renamed);
      Files.createDirectories(target.getParent());
      ObjectNode document = JSON.createObjectNode();
      ArrayNode array = document.putArray("Records");
      again.forEach(array::add);
      write(target, document);
      written += again.size();
    }
    return written;
  }

  /** The records of a CloudTrail file (gzip'd or not). */
  public static JsonNode read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readAllBytes();
      boolean gzip = bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
      return JSON.readTree(gzip ? new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes() : bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code document} gzip'd, as CloudTrail delivers it. */
  public static void write(Path file, JsonNode document) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(JSON.writeValueAsBytes(document));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, bytes.toByteArray());
  }
}
