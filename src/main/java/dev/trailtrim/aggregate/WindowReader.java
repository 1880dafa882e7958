package dev.trailtrim.aggregate;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.JobConfig;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.PlannedFile;
import dev.trailtrim.ingest.SkipReason;
import dev.trailtrim.model.Counters;
import dev.trailtrim.policy.GrantSet;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/** The usage step of a run: the window's usage, read now or taken from the state, and the state kept up. */
public final class WindowReader {

  /**
   * @param usage        the window's usage and counters
   * @param filesReadNow files this run read (the rest of the window came from the state)
   */
  public record Read(UsageWindow.View usage, int filesReadNow) {}

  private WindowReader() {}

  /**
   * The window's usage: the delivery folder days stored by earlier runs come from the state, the
   * rest are read now, and the days now complete are stored for the next run.
   */
  public static Read read(SparkSession spark, JobConfig config, List<PlannedFile> planned, IamCatalog catalog,
      GrantSnapshot grants, Clock clock, Consumer<String> log) throws IOException {
    Map<String, Long> plannedPerDay = new TreeMap<>();
    planned.forEach(f -> plannedPerDay.merge(CloudTrailFiles.folderDay(f.uri()), 1L, Long::sum));
    DayStateStore store = config.stateLocation() == null ? null : new ParquetDayStateStore(spark,
        config.stateLocation(), ParquetDayStateStore.fingerprint(catalog.source(), catalog.generatedOn(),
            config.cloudTrailRoots()),
        config.rejectSamplesPerReason());
    Set<String> fromState = StateDays.fromState(plannedPerDay,
        store == null || config.rebuild() ? Map.of() : store.storedDays());
    List<PlannedFile> toRead = planned.stream()
        .filter(f -> !fromState.contains(CloudTrailFiles.folderDay(f.uri()))).toList();
    UsagePipeline.Result read = UsagePipeline.run(spark, toRead, new UsagePipeline.Settings(config.maxFileBytes(),
        config.readAheadPerTask(), config.rejectSamplesPerReason(), config.tasksPerCore(), config.maxTaskEntries(),
        config.suggestConditions()));
    Set<String> complete = StateDays.complete(toRead.stream().map(f -> CloudTrailFiles.folderDay(f.uri())).toList(),
        clock.instant(), config.stateCompleteAfterHours());
    // A file that could not be read (the connection failed, not its content) says nothing about the
    // logs: its day is not stored, so the next run reads it again instead of keeping the hole for good.
    read.stats().forEach((key, dayStats) -> {
      long unreadable = dayStats.counter(Counters.FILES_REJECTED + SkipReason.UNREADABLE.code());
      if (store != null && key.filesLevel() && unreadable > 0 && complete.remove(key.folderDay())) {
        log.accept(String.format("trailtrim: day %s not stored: %d of its files could not be read; the next run"
            + " reads it again", key.folderDay(), unreadable));
      }
    });
    UsagePipeline.Result stored = UsagePipeline.Result.empty(spark);
    if (store != null) {
      store.store(complete, read);
      stored = store.load(fromState);
    }
    log.accept(String.format("trailtrim: read %d files of %d folder days now; %d days from the state%s; stored %d days",
        toRead.size(), plannedPerDay.size() - fromState.size(), fromState.size(),
        store == null ? " (state off)" : " at " + store.location(), store == null ? 0 : complete.size()));
    UsagePipeline.Result state = read.union(stored);
    Map<String, GrantSet> grantSets = new HashMap<>();
    grants.roles().forEach(role -> grantSets.put(role.roleArn(), role.grantSet()));
    WindowAggregation.Result windowed = WindowAggregation.compute(state.usage(), config.window(), grantSets,
        config.maxResourcesPerAction());
    read.release();
    if (windowed.compactedActions() > 0) {
      log.accept(String.format("trailtrim: compacted %d resources of %d (role, action) uses with more than %d into"
          + " resource patterns", windowed.compactedResources(), windowed.compactedActions(),
          config.maxResourcesPerAction()));
    }
    return new Read(UsageWindow.of(windowed, state.stats(), config.window(), config.rejectSamplesPerReason()),
        toRead.size());
  }
}
