package dev.trailtrim.aggregate;

import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.ingest.PlannedFile;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import scala.Tuple2;

/**
 * The ingest-only benchmark's one way into {@link UsagePipeline#readOneTask}, which stays
 * package-private in the job. It lives with the tools (src/tools/java, never in the job jar) and
 * in aggregate's package only to reach that method.
 */
public final class ReadTaskAccess {

  private ReadTaskAccess() {}

  public static Iterator<Tuple2<Serializable, Serializable>> readOneTask(List<PlannedFile> files,
      Configuration hadoop, UsagePipeline.Settings settings) {
    return UsagePipeline.readOneTask(files, hadoop, settings);
  }

  /** The counters of a task's output value (a task emits them packed, as they travel through Spark). */
  public static IngestStats counters(Serializable value) {
    return ((PackedStats) value).unpack();
  }
}
