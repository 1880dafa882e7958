package dev.trailtrim.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What scripts/cluster-check.sh calls equal runs: same bytes, or same Parquet rows, or _SUCCESS but for its times. */
class CompareRunFoldersTest {

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType("message t { required binary role (UTF8); required int64 calls; }");

  @TempDir
  Path dir;

  @Test
  void equalRunsPassThoughParquetBytesAndRunTimesDiffer() throws IOException {
    Path a = run("a", "2026-12-04T21:15:17Z", CompressionCodecName.SNAPPY, List.of("orders-api-role", "thumbnailer"));
    Path b = run("b", "2026-12-04T21:19:35Z", CompressionCodecName.UNCOMPRESSED,
        List.of("orders-api-role", "thumbnailer"));
    assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("tables/roles/part-00000.parquet")),
        Files.readAllBytes(b.resolve("tables/roles/part-00000.parquet"))), "the test needs other Parquet bytes");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> differences = CompareRunFolders.compare(a, b, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals(List.of(), differences);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(
        "3 files: 1 identical, 1 Parquet with identical schema and rows, 1 differing in run times only, 0 different"),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void otherRowsAnotherFileOrAnotherPolicyAreDifferences() throws IOException {
    Path a = run("a", "2026-12-04T21:15:17Z", CompressionCodecName.SNAPPY, List.of("orders-api-role", "thumbnailer"));
    Path b = run("b", "2026-12-04T21:15:17Z", CompressionCodecName.SNAPPY, List.of("thumbnailer", "orders-api-role"));
    Files.writeString(b.resolve("policies/orders-api-role.json"), "{\"Action\": \"s3:*\"}\n");
    Files.writeString(b.resolve("extra.csv"), "role\n");

    List<String> differences = CompareRunFolders.compare(a, b, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8));

    assertEquals(3, differences.size(), differences.toString());
    assertTrue(differences.get(0).startsWith("extra.csv only in " + b), differences.get(0));
    assertTrue(differences.get(1).startsWith("policies/orders-api-role.json: line/row 1 differs"), differences.get(1));
    assertTrue(differences.get(2).startsWith("tables/roles/part-00000.parquet: line/row 2 differs"),
        differences.get(2));
  }

  /** A run folder: a policy, a Parquet table of {@code roles} (one call each) and a _SUCCESS started at {@code at}. */
  private Path run(String name, String at, CompressionCodecName codec, List<String> roles) throws IOException {
    Path run = dir.resolve(name);
    Files.createDirectories(run.resolve("policies"));
    Files.createDirectories(run.resolve("tables/roles"));
    Files.writeString(run.resolve("policies/orders-api-role.json"), "{\"Action\": \"s3:GetObject\"}\n");
    Files.writeString(run.resolve("_SUCCESS"), "{\n  \"runId\": \"cc\",\n  \"startedAt\": \"" + at
        + "\",\n  \"finishedAt\": \"" + at + "\",\n  \"filesWritten\": 2\n}\n");
    SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(run.resolve("tables/roles/part-00000.parquet")
        .toUri());
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(file).withConf(new Configuration(false))
        .withType(SCHEMA).withCompressionCodec(codec).build()) {
      for (String role : roles) {
        writer.write(rows.newGroup().append("role", role).append("calls", 1L));
      }
    }
    return run;
  }
}
