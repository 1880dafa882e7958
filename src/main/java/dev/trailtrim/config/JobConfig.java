package dev.trailtrim.config;

import dev.trailtrim.model.ObservationWindow;
import java.util.List;
import java.util.Objects;

/**
 * One validated, immutable description of a run: built by {@link JobConfigLoader} from the
 * defaults, an optional config file and the command line.
 *
 * @param cloudTrailRoots     where the logs are (local paths, s3://, s3a://)
 * @param iamSnapshots        get-account-authorization-details JSON files or folders of them
 * @param iamLive             read grants live through the IAM API instead
 * @param iamEndpoint         IAM API endpoint for --iam-live; null for AWS's own
 * @param output              where runs/ and latest.json go
 * @param window              the analysed days
 * @param runId               names runs/&lt;run-id&gt;/
 * @param lateArrivalDays     days after the window also read
 * @param maxFileBytes        larger files (after gunzip) are rejected
 * @param rejectSamplesPerReason examples kept per reject reason
 * @param readAheadPerTask    files a task fetches at once
 * @param tasksPerCore        read tasks per core
 * @param plannerThreads      threads listing day folders
 * @param maxTaskEntries      usage entries a read task holds before handing them to the shuffle
 * @param maxResourcesPerAction distinct resources of one role's action above which they are
 *                            compacted into resource patterns
 * @param stateLocation       where per-day usage state is kept between runs; null to keep none
 * @param rebuild             read every day again instead of using the stored state
 * @param stateCompleteAfterHours a delivery folder day is stored once this long after it ended
 * @param runsToKeep          complete runs kept under runs/ (older ones are deleted); 0 keeps all
 * @param lockMaxAgeHours     a lock on the output older than this no longer holds (its run is presumed dead)
 * @param dataEventsLoggedForAllResources services whose data events the trail records for every
 *                            resource, so that their absence proves non-use
 * @param safety              what the analysis must not suggest removing (skip.roles, protect.actions, ...)
 * @param trailConfigs        describe-trails and get-event-selectors JSON files or folders of them; empty: none
 * @param trailConfigLive     read the trails' configuration through the CloudTrail API
 * @param cloudTrailRegion    the region --trail-config-live asks
 * @param cloudTrailEndpoint  CloudTrail API endpoint for --trail-config-live; null for AWS's own
 * @param lambdaInventories   aws lambda list-functions JSON files or folders of them; empty: none
 * @param lambdaInventoryLive list the functions through the Lambda API
 * @param lambdaRegions       the regions --lambda-inventory-live lists; empty: those the logs show
 * @param lambdaEndpoint      Lambda API endpoint for --lambda-inventory-live; null for AWS's own
 * @param suggestConditions   also write the suggested policies with the conditions every observed call
 *                            satisfied ({@code --suggest-conditions}, {@code conditions.suggest})
 */
public record JobConfig(
    List<String> cloudTrailRoots,
    List<String> iamSnapshots,
    boolean iamLive,
    String iamEndpoint,
    String output,
    ObservationWindow window,
    String runId,
    int lateArrivalDays,
    long maxFileBytes,
    int rejectSamplesPerReason,
    int readAheadPerTask,
    int tasksPerCore,
    int plannerThreads,
    int maxTaskEntries,
    int maxResourcesPerAction,
    String stateLocation,
    boolean rebuild,
    int stateCompleteAfterHours,
    int runsToKeep,
    int lockMaxAgeHours,
    java.util.Set<String> dataEventsLoggedForAllResources,
    SafetyControls safety,
    List<String> trailConfigs,
    boolean trailConfigLive,
    String cloudTrailRegion,
    String cloudTrailEndpoint,
    List<String> lambdaInventories,
    boolean lambdaInventoryLive,
    List<String> lambdaRegions,
    String lambdaEndpoint,
    boolean suggestConditions) {

  public JobConfig {
    lambdaInventories = List.copyOf(lambdaInventories);
    lambdaRegions = List.copyOf(lambdaRegions);
    trailConfigs = List.copyOf(trailConfigs);
    cloudTrailRoots = List.copyOf(cloudTrailRoots);
    iamSnapshots = List.copyOf(iamSnapshots);
    dataEventsLoggedForAllResources = java.util.Set.copyOf(dataEventsLoggedForAllResources);
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(safety, "safety");
    if (cloudTrailRoots.isEmpty()) {
      throw new IllegalArgumentException("No CloudTrail location: pass --cloudtrail URI at least once");
    }
    if (iamLive == !iamSnapshots.isEmpty()) {
      throw new IllegalArgumentException(iamLive
          ? "Pass either --iam-snapshot or --iam-live, not both"
          : "No IAM grants: pass --iam-snapshot URI (get-account-authorization-details JSON) or --iam-live");
    }
    if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("Run id '" + runId
          + "' must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
