package dev.trailtrim.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet file's bytes depend on its rows only, not on the JVM that wrote it.
 *
 * <p>parquet-java collects the encodings of each column chunk in a {@code HashSet} of enum
 * constants and writes them into the footer in the set's iteration order. An enum's hash code is
 * its identity hash, which differs from JVM to JVM, so the same rows written by two JVMs (a rerun
 * after a crash, an executor instead of the driver) give footers listing {@code PLAIN, RLE} in one
 * and {@code RLE, PLAIN} in the other (apache/parquet-java#3215, still open). Writing with
 * parquet-java's own {@code ParquetWriter} would not help: it goes through the same code. So the
 * footer is read back and written again with each list in the order of the encodings' numbers.
 * Reordering a list changes neither its length in the Thrift encoding nor any offset, which all
 * point before the footer.
 */
final class ParquetFooters {

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private ParquetFooters() {}

  /** {@code file} with the encodings of every column chunk sorted; the rest of its bytes as they were. */
  static byte[] withStableEncodingOrder(byte[] file) throws IOException {
    int tail = MAGIC.length + Integer.BYTES;
    if (file.length < MAGIC.length + tail || !endsWithMagic(file)) {
      throw new IOException("Not a Parquet file (" + file.length + " bytes, no PAR1 at its end)");
    }
    int footerLength = ByteBuffer.wrap(file, file.length - tail, Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = file.length - tail - footerLength;
    if (footerLength <= 0 || footerStart < MAGIC.length) {
      throw new IOException("Parquet footer length " + footerLength + " does not fit a file of " + file.length
          + " bytes");
    }
    FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(file, footerStart, footerLength));
    for (RowGroup group : footer.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        ColumnMetaData column = chunk.getMeta_data();
        if (column != null && column.getEncodings() != null) {
          List<Encoding> sorted = new ArrayList<>(column.getEncodings());
          sorted.sort(Comparator.comparingInt(Encoding::getValue));
          column.setEncodings(sorted);
        }
      }
    }
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream(file.length);
    rewritten.write(file, 0, footerStart);
    ByteArrayOutputStream newFooter = new ByteArrayOutputStream(footerLength);
    Util.writeFileMetaData(footer, newFooter);
    newFooter.writeTo(rewritten);
    rewritten.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(newFooter.size()).array());
    rewritten.write(MAGIC);
    return rewritten.toByteArray();
  }

  private static boolean endsWithMagic(byte[] file) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (file[file.length - MAGIC.length + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
