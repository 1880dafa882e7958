package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.report.ReportTables;
import dev.trailtrim.report.ReportTables.Column;
import dev.trailtrim.report.ReportTables.ColumnType;
import dev.trailtrim.testing.ChildJvm;
import dev.trailtrim.testing.Slow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same table written by two JVMs gives the same bytes. parquet-java lists each column's
 * encodings in the order of a HashSet of enum constants, which changes with the JVM's identity
 * hash codes; {@link ParquetFooters} sorts them.
 */
@Slow
class ParquetTablesDeterminismTest {

  @TempDir
  java.nio.file.Path work;

  /** Strings repeated (dictionary), unique (plain), nulls (levels), and every column type. */
  static ReportTables.Table table() {
    List<Column> columns = List.of(new Column("role", ColumnType.STRING), new Column("resource", ColumnType.STRING),
        new Column("calls", ColumnType.BIGINT), new Column("unused", ColumnType.BOOLEAN),
        new Column("last_seen", ColumnType.TIMESTAMP), new Column("day", ColumnType.DATE));
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(Arrays.asList("role-" + (i % 7), i % 11 == 0 ? null : "arn:aws:s3:::bucket/object-" + i, (long) i * 31,
          i % 3 == 0, Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i * 97L), LocalDate.of(2026, 11, 1 + i % 5)));
    }
    return new ReportTables.Table("determinism", columns, rows);
  }

  /** Run in a child JVM: writes {@link #table()} with ParquetTables into {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    java.nio.file.Path out = java.nio.file.Path.of(args[0]);
    Files.write(out, ParquetTables.write(table(), new Configuration()));
  }

  @Test
  void twoJvmsWriteTheSameTableByteForByte() throws Exception {
    java.nio.file.Path childFile = Files.createDirectories(work.resolve("child")).resolve("table.parquet");
    Process child = ChildJvm.start(ParquetTablesDeterminismTest.class, work.resolve("child.log"), childFile.toString());
    byte[] here = ParquetTables.write(table(), new Configuration());
    assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the child JVM did not finish in 180 s");
    assertEquals(0, child.exitValue(), () -> "the child JVM failed: " + readLog());
    byte[] there = Files.readAllBytes(childFile);

    assertArrayEquals(here, there, "the same rows written by two JVMs");
    assertEncodingsSorted(here);
  }

  @Test
  void onlyTheOrderOfEncodingsChanges() throws IOException {
    byte[] written = ParquetTables.write(table(), new Configuration());
    FileMetaData footer = footer(written);
    // Shuffle every list the way another JVM might have written it, then sort it back.
    for (RowGroup group : footer.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        List<Encoding> reversed = new ArrayList<>(chunk.getMeta_data().getEncodings());
        java.util.Collections.reverse(reversed);
        chunk.getMeta_data().setEncodings(reversed);
      }
    }
    byte[] shuffled = withFooter(written, footer);
    assertTrue(!Arrays.equals(written, shuffled), "reversing the encodings changes the footer's bytes");
    assertArrayEquals(written, ParquetFooters.withStableEncodingOrder(shuffled));
    assertArrayEquals(written, ParquetFooters.withStableEncodingOrder(written), "a sorted footer stays as it is");
  }

  private String readLog() {
    try {
      return Files.readString(work.resolve("child.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void assertEncodingsSorted(byte[] file) throws IOException {
    int lists = 0;
    for (RowGroup group : footer(file).getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        List<Encoding> encodings = chunk.getMeta_data().getEncodings();
        List<Encoding> sorted = new ArrayList<>(encodings);
        sorted.sort(java.util.Comparator.comparingInt(Encoding::getValue));
        assertEquals(sorted, encodings, "encodings of " + chunk.getMeta_data().getPath_in_schema());
        lists += encodings.size() > 1 ? 1 : 0;
      }
    }
    assertTrue(lists >= 3, "the table has columns with several encodings to order, got " + lists);
  }

  private static FileMetaData footer(byte[] file) throws IOException {
    int length = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return Util.readFileMetaData(new ByteArrayInputStream(file, file.length - 8 - length, length));
  }

  private static byte[] withFooter(byte[] file, FileMetaData footer) throws IOException {
    int length = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(file, 0, file.length - 8 - length);
    java.io.ByteArrayOutputStream newFooter = new java.io.ByteArrayOutputStream();
    Util.writeFileMetaData(footer, newFooter);
    newFooter.writeTo(out);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(newFooter.size()).array());
    out.write(new byte[] {'P', 'A', 'R', '1'});
    return out.toByteArray();
  }
}
