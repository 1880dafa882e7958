package dev.trailtrim.ingest;

import dev.trailtrim.catalog.DataEventResource;
import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.ingest.CloudTrailFileParser.ParsedFile;
import dev.trailtrim.ingest.CloudTrailFileParser.RecordReject;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.Counters;
import dev.trailtrim.model.ErrorCodes;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.Translation;

/**
 * Turns the raw bytes of one file into role usage: decode, parse, keep the window's records,
 * attribute each to a role, translate it, and hand each needed permission to a sink. Counts
 * every file and record it does not use, with the reason. Pure Java: the Spark pipeline calls
 * it per file inside its tasks, and unit tests call it directly.
 */
public final class FileIngestor {

  /** Receives one permission a role's call needed (errorCode null when the call succeeded). */
  @FunctionalInterface
  public interface UsageSink {
    void accept(String roleArn, ActionOnResource access, String errorCode, long eventTimeMillis);

    /**
     * The same, with the function that made the call ({@link RoleAttribution#functionName}, empty when none is
     * known). A sink that keeps usage per role only need not override it.
     */
    default void accept(String roleArn, String function, ActionOnResource access, String errorCode,
        long eventTimeMillis) {
      accept(roleArn, access, errorCode, eventTimeMillis);
    }
  }

  /**
   * Where counts go: those of the file (and of records too broken to have a time) to one place,
   * those of each record to the slice of its event time. The nightly state keeps per-day slices
   * so any window of days can be summed without reading the files again.
   */
  public interface StatsRouter {
    IngestStats files();

    IngestStats records(long eventTimeMillis);
  }

  private static final String LIST_BUCKET = "s3:ListBucket";

  private final EventTranslator translator;
  private final ObservationWindow window;
  private final long maxDecodedBytes;

  /**
   * @param window records outside it are counted and skipped; null keeps every record (the
   *               window is then applied when per-day states are combined)
   */
  public FileIngestor(EventTranslator translator, ObservationWindow window, long maxDecodedBytes) {
    this.translator = translator;
    this.window = window;
    this.maxDecodedBytes = maxDecodedBytes;
  }

  /** Ingests one file with all its counts in {@code stats}. */
  public void ingest(String path, byte[] raw, IngestStats stats, UsageSink sink) {
    ingest(path, raw, new StatsRouter() {
      @Override
      public IngestStats files() {
        return stats;
      }

      @Override
      public IngestStats records(long eventTimeMillis) {
        return stats;
      }
    }, sink);
  }

  public void ingest(String path, byte[] raw, StatsRouter stats, UsageSink sink) {
    ingest(path, raw, stats, null, sink);
  }

  /**
   * Ingests one file of a group that more than one trail (or copy) delivered: a record whose
   * eventID is in {@code seen} already is the same event again, counted as
   * {@code records.duplicate} and used no further. Records without an eventID are never dropped.
   *
   * @param seen the eventIDs of the group's files read so far (this file's are added); null for a
   *             file no other delivery repeats
   */
  public void ingest(String path, byte[] raw, StatsRouter stats, EventIdSet seen, UsageSink sink) {
    IngestStats files = stats.files();
    files.add(Counters.BYTES_READ, raw.length);
    CloudTrailFiles.Decoded decoded = CloudTrailFiles.decode(raw, maxDecodedBytes);
    if (decoded.reject() != null) {
      files.reject(decoded.reject(), path, decoded.detail());
      return;
    }
    ParsedFile parsed = CloudTrailFileParser.parse(decoded.json());
    if (parsed.rejected()) {
      files.reject(parsed.fileReject(), path, parsed.detail());
      return;
    }
    files.increment(Counters.FILES_READ);
    files.add(Counters.RECORDS_READ, parsed.recordRejects().size());
    for (RecordReject reject : parsed.recordRejects()) {
      files.reject(reject.reason(), path, reject.detail());
    }
    // A file copied out of CloudTrail's layout and naming shows coverage through its records.
    boolean located = LogLocation.of(path) != null;
    for (CloudTrailEvent event : parsed.records()) {
      IngestStats records = stats.records(event.eventTimeMillis());
      records.increment(Counters.RECORDS_READ);
      if (seen != null && event.eventId() != null && !seen.add(event.eventId())) {
        records.increment(Counters.RECORDS_DUPLICATE);
        continue;
      }
      if (!located && event.accountId() != null && event.awsRegion() != null) {
        records.recordLocation(new LogLocation(event.accountId(), event.awsRegion(),
            java.time.Instant.ofEpochMilli(event.eventTimeMillis()).atZone(java.time.ZoneOffset.UTC).toLocalDate()));
      }
      accept(path, event, records, sink);
    }
  }

  void accept(String path, CloudTrailEvent event, IngestStats stats, UsageSink sink) {
    if (window != null && !window.containsMillis(event.eventTimeMillis())) {
      stats.reject(SkipReason.RECORD_OUTSIDE_WINDOW, path, null);
      return;
    }
    TrailChange change = TrailChange.of(event);
    if (change != null) {
      stats.trailChange(change);
    }
    String roleArn = RoleAttribution.roleArn(event);
    // Older records carry neither eventCategory nor managementEvent: the rules decide from the call.
    boolean flagged = event.eventCategory() != null || event.managementEvent() != null;
    boolean dataEvent = event.isDataEvent();
    // Translated once: for the role's usage, and for which data events the trail records.
    Translation translation = roleArn != null || dataEvent || !flagged ? translator.translate(event) : null;
    if (!flagged && translator.isDataEvent(event, translation)) {
      event = event.asDataEvent();
      dataEvent = true;
    }
    if (dataEvent) {
      stats.dataEventResources(DataEventResource.seenIn(event, translation, translator));
    }
    if (roleArn == null) {
      // A role session with a malformed issuer ARN is bad input, not someone else's call.
      String badArn = RoleAttribution.roleArnProblem(event);
      if (badArn != null) {
        stats.reject(SkipReason.RECORD_BAD_ARN, path, event.eventSource() + " " + event.eventName()
            + ": sessionIssuer.arn: " + badArn);
      } else {
        stats.reject(SkipReason.RECORD_NOT_A_ROLE_SESSION, path, null);
      }
      return;
    }
    // Counted per role: only the driver knows which roles are Lambda execution roles.
    stats.roleCall(roleArn, RoleAttribution.lambdaUserAgent(event), translation.outcome(),
        event.identity().sessionName(), event.awsRegion());
    if (translation.outcome() == Translation.Outcome.UNMAPPED) {
      stats.unmapped(event.eventSource(), event.eventName());
    }
    if (stats.keepsCallContexts() && allowedByIam(event)) {
      callContexts(roleArn, event, translation, stats);
    }
    String function = RoleAttribution.functionName(event);
    for (ActionOnResource access : translation.accesses()) {
      sink.accept(roleArn, function, access, event.succeeded() ? null : event.errorCode(), event.eventTimeMillis());
    }
  }

  /** Calls IAM allowed: the successful ones and those that failed after authorization (they need it too). */
  private static boolean allowedByIam(CloudTrailEvent event) {
    return event.succeeded() || ErrorCodes.classify(event.errorCode()) == ErrorCodes.Kind.FAILED_AFTER_AUTHORIZATION;
  }

  /** The request context of the call, once per action it needed (--suggest-conditions). */
  private static void callContexts(String roleArn, CloudTrailEvent event, Translation translation, IngestStats stats) {
    java.util.Set<String> actions = new java.util.TreeSet<>();
    translation.accesses().forEach(access -> actions.add(access.action().toString()));
    for (String action : actions) {
      // Only a listing has a prefix; an empty one lists the whole bucket, as no prefix does.
      String prefix = null;
      if (action.equalsIgnoreCase(LIST_BUCKET) && event.requestParameters().path("prefix").isTextual()) {
        prefix = event.requestParameters().path("prefix").asText();
        prefix = prefix.isEmpty() ? null : prefix;
      }
      stats.callContext(roleArn, action, event.awsRegion(), event.vpcEndpointId(), event.identity().invokedBy(),
          prefix);
    }
  }

}
