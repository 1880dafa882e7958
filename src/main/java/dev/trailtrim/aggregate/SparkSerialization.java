package dev.trailtrim.aggregate;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.io.SerializableConfiguration;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.policy.GrantSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.SparkSession;

/**
 * How Spark serialises what the job shuffles, caches and collects: Kryo, with a compact
 * hand-written form for the high-volume records (one usage key and its counts per distinct
 * resource per day), the counters in their JSON form, and Java serialisation for the few, rich ones (grants). Java
 * serialisation of every record was a quarter of the read's time in the profile. Spark 3.5's
 * Kryo 4 cannot build serializers for records on its own, so every record that reaches Spark's
 * data path is registered here.
 */
public final class SparkSerialization {

  private SparkSerialization() {}

  /** The settings every session of the job uses (spark-submit, tests, benchmarks). */
  public static SparkSession.Builder configure(SparkSession.Builder builder) {
    // No record refers back to another, so Kryo need not track references (a map lookup per object).
    return builder.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", Registrator.class.getName())
        .config("spark.kryo.referenceTracking", "false");
  }

  /** Named by spark.kryo.registrator; Spark instantiates it on the driver and every executor. */
  public static final class Registrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
      kryo.register(UsageKey.class, serializer((out, key) -> {
        out.writeString(key.folderDay());
        out.writeString(key.eventDay());
        out.writeString(key.roleArn());
        out.writeString(key.function());
        out.writeString(key.action());
        out.writeString(key.resource());
        out.writeString(key.errorCode());
      }, in -> new UsageKey(in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
          in.readString(), in.readString())));
      kryo.register(UsageStats.class,
          serializer((out, stats) -> writeStats(out, stats), SparkSerialization::readStats));
      kryo.register(DayKey.class, serializer((out, key) -> {
        out.writeString(key.folderDay());
        out.writeString(key.eventDay());
      }, in -> new DayKey(in.readString(), in.readString())));
      kryo.register(WindowAggregation.RoleAction.class, serializer((out, key) -> {
        out.writeString(key.role());
        out.writeString(key.action());
        out.writeString(key.errorCode());
      }, in -> new WindowAggregation.RoleAction(in.readString(), in.readString(), in.readString())));
      kryo.register(WindowAggregation.FamilyKey.class, serializer((out, key) -> {
        out.writeString(key.role());
        out.writeString(key.function());
        out.writeString(key.action());
        out.writeString(key.errorCode());
        out.writeString(key.family());
        out.writeString(key.bound());
      }, in -> new WindowAggregation.FamilyKey(in.readString(), in.readString(), in.readString(), in.readString(),
          in.readString(), in.readString())));
      kryo.register(WindowAggregation.Family.class, serializer((out, family) -> {
        out.writeVarLong(family.members(), true);
        writeStats(out, family.stats());
        out.writeString(family.commonPrefix());
      }, in -> new WindowAggregation.Family(in.readVarLong(true), readStats(in), in.readString())));
      kryo.register(WindowedUsage.class, serializer((out, usage) -> {
        out.writeString(usage.roleArn());
        out.writeString(usage.function());
        out.writeString(usage.action());
        out.writeString(usage.resource());
        out.writeString(usage.errorCode());
        writeStats(out, usage.stats());
        out.writeVarLong(usage.resources(), true);
      }, in -> new WindowedUsage(in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
          readStats(in), in.readVarLong(true))));
      kryo.register(PlannedFile.class, serializer((out, file) -> {
        out.writeString(file.uri());
        out.writeVarLong(file.length(), true);
      }, in -> new PlannedFile(in.readString(), in.readVarLong(true))));
      // What a read task is given: Spark writes the parallelised units with this serializer.
      kryo.register(UsagePipeline.ReadUnit.class, serializer((out, unit) -> {
        out.writeBoolean(unit.dropRepeatedEvents());
        out.writeVarInt(unit.files().size(), true);
        for (PlannedFile file : unit.files()) {
          out.writeString(file.uri());
          out.writeVarLong(file.length(), true);
        }
      }, in -> {
        boolean dropRepeatedEvents = in.readBoolean();
        List<PlannedFile> files = new ArrayList<>();
        for (int i = in.readVarInt(true); i > 0; i--) {
          files.add(new PlannedFile(in.readString(), in.readVarLong(true)));
        }
        return new UsagePipeline.ReadUnit(files, dropRepeatedEvents);
      }));
      // Counters in their nightly-state form (one source of truth for what they hold): Java serialisation of their
      // many small records was a fifth of the read's CPU, as each is shuffled, cached and collected several times.
      kryo.register(IngestStats.class, serializer((out, stats) -> writePacked(out, PackedStats.of(stats)),
          in -> readPacked(in).unpack()));
      kryo.register(PackedStats.class, serializer(SparkSerialization::writePacked, SparkSerialization::readPacked));
      // Few per task, and rich: Java serialisation of the whole object.
      for (Class<?> rich : List.of(GrantSet.class, ObservationWindow.class, WindowAggregation.WindowShape.class,
          SerializableConfiguration.class, UsagePipeline.Settings.class)) {
        kryo.register(rich, new JavaSerializer());
      }
    }
  }

  private static void writePacked(Output out, PackedStats packed) {
    out.writeVarInt(packed.samplesPerReason(), true);
    out.writeVarInt(packed.parts().size(), true);
    for (byte[] part : packed.parts()) {
      out.writeVarInt(part.length, true);
      out.writeBytes(part);
    }
  }

  private static PackedStats readPacked(Input in) {
    int samplesPerReason = in.readVarInt(true);
    List<byte[]> parts = new ArrayList<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      parts.add(in.readBytes(in.readVarInt(true)));
    }
    return new PackedStats(samplesPerReason, parts);
  }

  private static void writeStats(Output out, UsageStats stats) {
    out.writeVarLong(stats.count(), true);
    out.writeLong(stats.firstSeenMillis());
    out.writeLong(stats.lastSeenMillis());
  }

  private static UsageStats readStats(Input in) {
    return new UsageStats(in.readVarLong(true), in.readLong(), in.readLong());
  }

  private static <T> Serializer<T> serializer(BiConsumer<Output, T> write, Function<Input, T> read) {
    return new Serializer<>() {
      @Override
      public void write(Kryo kryo, Output output, T value) {
        write.accept(output, value);
      }

      @Override
      public T read(Kryo kryo, Input input, Class<T> type) {
        return read.apply(input);
      }
    };
  }
}
