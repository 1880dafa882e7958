package dev.trailtrim.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.ingest.IngestStats;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One slice of a read's counters as bytes: the nightly-state JSON ({@link IngestStats#toJson}, the
 * one source of truth for what counters hold) of one or more partial counts, and their sample cap.
 * Read tasks emit their counters packed; the shuffle and the read's cache move them as bytes, and
 * merging two packs only lists their parts, so counters are decoded once, where they are wanted
 * (the driver), instead of on every hop. A slice names every role seen that day, so its counters
 * weigh as much as its usage: decoding them on each hop was a tenth of the read's CPU. Past
 * {@link #MAX_PARTS} parts a merge decodes and packs them as one, which bounds what a slice holds
 * however many tasks read it.
 */
final class PackedStats implements Serializable {

  private static final long serialVersionUID = 1L;
  static final int MAX_PARTS = 16;
  /**
   * Role ARNs are field names of the counters' JSON, thousands per slice: read as plain strings, neither kept in the
   * parser's symbol table nor String.intern'd one by one.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

  private final int samplesPerReason;
  private final List<byte[]> parts;

  PackedStats(int samplesPerReason, List<byte[]> parts) {
    this.samplesPerReason = samplesPerReason;
    this.parts = List.copyOf(parts);
  }

  static PackedStats of(IngestStats stats) {
    try {
      return new PackedStats(stats.samplesPerReason(), List.of(JSON.writeValueAsBytes(stats.toJson())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the counters of a read as JSON: " + e.getMessage(), e);
    }
  }

  /** Both counts; this and {@code other} are unchanged (a commutative monoid, as {@link IngestStats#merge}). */
  PackedStats merge(PackedStats other) {
    List<byte[]> both = new ArrayList<>(parts.size() + other.parts.size());
    both.addAll(parts);
    both.addAll(other.parts);
    PackedStats merged = new PackedStats(samplesPerReason, both);
    return both.size() > MAX_PARTS ? of(merged.unpack()) : merged;
  }

  /** The counts, decoded and merged. */
  IngestStats unpack() {
    IngestStats stats = new IngestStats(samplesPerReason);
    for (byte[] part : parts) {
      try {
        stats.merge(IngestStats.fromJson(JSON.readTree(part), samplesPerReason));
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read back the counters of a read from their JSON: " + e.getMessage(),
            e);
      }
    }
    return stats;
  }

  int samplesPerReason() {
    return samplesPerReason;
  }

  List<byte[]> parts() {
    return parts;
  }
}
