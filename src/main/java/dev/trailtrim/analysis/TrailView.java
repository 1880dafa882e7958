package dev.trailtrim.analysis;

import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.catalog.LogObservability.CallFacts;
import dev.trailtrim.evidence.ActionEvent;
import dev.trailtrim.evidence.DataEventTypes;
import dev.trailtrim.evidence.Recording;
import dev.trailtrim.evidence.TrailRecording;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.Visibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One role's view of what its account's trails record, from their configuration
 * ({@code --trail-config}): instead of guessing from the data events seen in the logs, a grant is
 * recorded when the selectors of a trail that covers the role's account and every region where the
 * role acts record its calls on every resource it reaches. A grant recorded only on part of its
 * resources keeps the unrecorded part, narrowed where IAM can name it; one not recorded at all
 * (a source excluded from management events, write-only selectors, an unselected bucket, a region
 * no trail covers) is not observable. Actions CloudTrail never records stay as the rules say.
 */
public final class TrailView implements Observability {

  private final LogObservability base;
  private final TrailRecording trails;
  private final String accountId;
  private final List<String> regions;
  /** Answers per action and granted pattern: a role's statements ask for the same ones many times. */
  private final Map<List<String>, Answer> answers = new HashMap<>();

  private record Answer(Visibility visibility, List<String> unrecorded, String reason) {}

  private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile("arn:[^:]+:s3:::[^/]+");

  /**
   * @param regions where the role acts (or every region of its account with logs); IAM's and other
   *                global services' calls are judged where CloudTrail records them
   */
  public TrailView(LogObservability base, TrailRecording trails, String accountId, List<String> regions) {
    this.base = base;
    this.trails = trails;
    this.accountId = accountId;
    this.regions = List.copyOf(regions);
  }

  @Override
  public Visibility visibility(IamAction action, String resource) {
    return answer(action, resource).visibility();
  }

  @Override
  public String reason(IamAction action, String resource) {
    return answer(action, resource).reason();
  }

  @Override
  public GlobalLogging globalLogging(IamAction action) {
    return base.globalLogging(action);
  }

  @Override
  public List<String> unrecordedPart(IamAction action, String resource) {
    return answer(action, resource).unrecorded();
  }

  private Answer answer(IamAction action, String resource) {
    return answers.computeIfAbsent(List.of(action.key(), resource), k -> decide(action, resource));
  }

  private Answer decide(IamAction action, String resource) {
    Visibility rules = base.visibility(action, resource);
    CallFacts facts = base.callFacts(action);
    if (facts == null || rules == Visibility.NOT_LOGGED) {
      return new Answer(rules, List.of(), base.reason(action, resource));
    }
    ActionEvent event = facts.dataEvent()
        ? ActionEvent.data(action, facts.eventSource(), facts.readOnly(), DataEventTypes.resourceTypeOf(action))
        : ActionEvent.management(action, facts.eventSource(), facts.readOnly());
    Set<String> where = new TreeSet<>();
    GlobalLogging global = base.globalLogging(action);
    String resourceRegion = facts.dataEvent() ? LogEvidence.regionOf(resource) : null;
    if (resourceRegion != null) {
      where.add(resourceRegion); // data events are recorded where the resource is
    } else {
      if (global != null) {
        where.add(global.region());
      }
      if (global == null || !global.onlyThere()) {
        where.addAll(regions);
      }
    }
    // A bucket-level S3 call (ListObjects) is recorded with the data events of the bucket's objects.
    String probe = facts.dataEvent() && BUCKET.matcher(resource).matches() ? resource + "/*" : resource;
    if (where.isEmpty()) {
      return new Answer(Visibility.NOT_RECORDED_BY_TRAIL, List.of(), "No region of account " + accountId
          + " has logs, so no trail can be shown to record " + action + ".");
    }
    Set<String> unrecorded = new TreeSet<>();
    boolean partly = false;
    List<String> reasons = new ArrayList<>();
    for (String region : where) {
      Recording recording = trails.recording(accountId, region, event, probe);
      switch (recording.status()) {
        case RECORDED -> {}
        case NOT_RECORDED -> {
          return new Answer(Visibility.NOT_RECORDED_BY_TRAIL, List.of(), "In " + region + ": " + recording.reason()
              + " So the absence of " + action + " proves nothing.");
        }
        case PARTLY_RECORDED -> {
          if (recording.unrecorded() == null) {
            return new Answer(Visibility.NOT_RECORDED_BY_TRAIL, List.of(), "In " + region + ": " + recording.reason()
                + " IAM cannot name the unrecorded part, so the whole grant is kept.");
          }
          partly = true;
          unrecorded.addAll(recording.unrecorded());
        }
      }
      reasons.add("in " + region + ": " + recording.reason());
    }
    String why = String.join("; ", reasons);
    if (!partly) {
      return new Answer(facts.dataEvent() ? Visibility.DATA_EVENT_LOGGED : Visibility.MANAGEMENT_EVENT, List.of(),
          "The trails record " + action + " on " + resource + " (" + why + "), so its absence means it was not used.");
    }
    return new Answer(Visibility.PARTLY_RECORDED, List.copyOf(unrecorded), "The trails record " + action + " on only"
        + " part of " + resource + " (" + why + "); the unrecorded part " + unrecorded + " is kept.");
  }
}
