package dev.trailtrim.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.ingest.IngestStats;
import java.io.IOException;
import java.io.Serializable;

/**
 * One slice of a read's counters as bytes: its nightly-state JSON ({@link IngestStats#toJson}, the
 * one source of truth for what counters hold) and its sample cap. How counters travel through Spark
 * (SparkSerialization) and how the read's cache holds them, so the passes over the cache that want
 * only usage skip the counters without decoding them.
 */
final class PackedStats implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int samplesPerReason;
  private final byte[] json;

  PackedStats(int samplesPerReason, byte[] json) {
    this.samplesPerReason = samplesPerReason;
    this.json = json;
  }

  static PackedStats of(IngestStats stats) {
    try {
      return new PackedStats(stats.samplesPerReason(), JSON.writeValueAsBytes(stats.toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the counters of a read as JSON: " + e.getMessage(), e);
    }
  }

  IngestStats unpack() {
    try {
      return IngestStats.fromJson(JSON.readTree(json), samplesPerReason);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read back the counters of a read from their JSON: " + e.getMessage(), e);
    }
  }

  int samplesPerReason() {
    return samplesPerReason;
  }

  byte[] json() {
    return json;
  }
}
