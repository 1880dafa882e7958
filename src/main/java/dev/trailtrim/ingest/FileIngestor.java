package dev.trailtrim.ingest;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.ingest.CloudTrailFileParser.ParsedFile;
import dev.trailtrim.ingest.CloudTrailFileParser.RecordReject;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.CloudTrailEvent;
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
  }

  private final EventTranslator translator;
  private final ObservationWindow window;
  private final long maxDecodedBytes;

  public FileIngestor(EventTranslator translator, ObservationWindow window, long maxDecodedBytes) {
    this.translator = translator;
    this.window = window;
    this.maxDecodedBytes = maxDecodedBytes;
  }

  public void ingest(String path, byte[] raw, IngestStats stats, UsageSink sink) {
    stats.add("bytes.read", raw.length);
    CloudTrailFiles.Decoded decoded = CloudTrailFiles.decode(raw, maxDecodedBytes);
    if (decoded.reject() != null) {
      stats.reject(decoded.reject(), path, decoded.detail());
      return;
    }
    ParsedFile parsed = CloudTrailFileParser.parse(decoded.json());
    if (parsed.rejected()) {
      stats.reject(parsed.fileReject(), path, parsed.detail());
      return;
    }
    stats.increment("files.read");
    stats.add("records.read", parsed.records().size() + parsed.recordRejects().size());
    for (RecordReject reject : parsed.recordRejects()) {
      stats.reject(reject.reason(), path, reject.detail());
    }
    for (CloudTrailEvent event : parsed.records()) {
      accept(path, event, stats, sink);
    }
  }

  void accept(String path, CloudTrailEvent event, IngestStats stats, UsageSink sink) {
    if (!window.containsMillis(event.eventTimeMillis())) {
      stats.reject(SkipReason.RECORD_OUTSIDE_WINDOW, path, null);
      return;
    }
    if (isDataEvent(event)) {
      stats.dataEventSource(event.eventSource());
    }
    String roleArn = RoleAttribution.roleArn(event);
    if (roleArn == null) {
      stats.reject(SkipReason.RECORD_NOT_A_ROLE_SESSION, path, null);
      return;
    }
    stats.roleCall(roleArn, RoleAttribution.lambdaUserAgent(event), event.identity().sessionName());
    Translation translation = translator.translate(event);
    switch (translation.outcome()) {
      case UNMAPPED -> {
        stats.reject(SkipReason.RECORD_UNMAPPED, path, null);
        stats.unmapped(event.eventSource(), event.eventName());
      }
      case NO_PERMISSION_NEEDED -> stats.reject(SkipReason.RECORD_NO_PERMISSION_NEEDED, path, null);
      case MAPPED -> {
        stats.increment("records.used");
        for (ActionOnResource access : translation.accesses()) {
          sink.accept(roleArn, access, event.succeeded() ? null : event.errorCode(), event.eventTimeMillis());
        }
      }
    }
  }

  /** Data events say so in eventCategory (2021+) or, in older records, managementEvent=false. */
  static boolean isDataEvent(CloudTrailEvent event) {
    return "Data".equals(event.eventCategory()) || Boolean.FALSE.equals(event.managementEvent());
  }
}
