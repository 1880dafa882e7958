package dev.trailtrim.evidence;

import dev.trailtrim.model.Arn;
import dev.trailtrim.policy.Patterns;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Answers, from the trails' own configuration, whether CloudTrail records the use of a granted
 * permission: the union of what every trail that applies to the account and region records.
 *
 * <p>A trail applies to its own account (an organization trail to every account) and to its home
 * region (a multi-region trail to every region). Global service events ({@link GlobalServiceEvents})
 * are logged in the partition's global region instead, into trails that include them. A trail's
 * basic selectors record management events by {@code IncludeManagementEvents},
 * {@code ReadWriteType} and {@code ExcludeManagementEventSources}, and data events of the
 * resources their {@code DataResources} name; its advanced selectors record what all of a
 * selector's field conditions accept.
 *
 * <p>Nothing is taken as recorded without proof: a selector with a field or operator trailtrim does
 * not know records nothing, as does a trail whose selectors were not read or that is not logging,
 * and an unknown {@code resources.type}. Which resources a data-event grant reaches is decided
 * exactly over every ARN of its type in the region ({@link ArnSpace}), not sampled.
 */
public final class TrailRecording {

  /** Past this many unrecorded patterns the answer keeps the whole grant instead. */
  static final int MAX_UNRECORDED_PATTERNS = 50;
  private static final int TRAILS_NAMED_IN_A_REASON = 3;
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
  private static final Pattern POLICY_VARIABLE = Pattern.compile("\\$\\{[^}]*}");

  private final List<Trail> trails;

  private TrailRecording(List<Trail> trails) {
    this.trails = trails;
  }

  public static TrailRecording of(Collection<Trail> trails) {
    List<Trail> sorted = new ArrayList<>(Objects.requireNonNull(trails, "trails"));
    sorted.sort(Comparator.comparing(Trail::trailArn));
    return new TrailRecording(List.copyOf(sorted));
  }

  public List<Trail> trails() {
    return trails;
  }

  /**
   * Whether CloudTrail records the uses of {@code event}'s action on the resources
   * {@code grantedResource} reaches, for calls made by {@code accountId} and logged in {@code region}.
   *
   * @param grantedResource an IAM resource pattern: {@code *}, {@code arn:aws:s3:::bucket/*}, ...
   */
  public Recording recording(String accountId, String region, ActionEvent event, String grantedResource) {
    if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
      throw new IllegalArgumentException("Account id must be 12 digits, got '" + accountId + "'");
    }
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("Region must look like us-east-1, got '" + region + "'");
    }
    Objects.requireNonNull(event, "event");
    if (grantedResource == null || grantedResource.isEmpty()) {
      throw new IllegalArgumentException(
          "Granted resource of " + event.action() + " must be '*' or an ARN pattern, got '"
              + grantedResource + "'");
    }
    List<Variant> variants = variants(accountId, region, event);
    return event.category() == EventCategory.MANAGEMENT
        ? managementRecording(accountId, region, event, variants)
        : dataRecording(accountId, region, event, grantedResource, variants);
  }

  /** One way a use may be logged: under one of its names, in one region. All must be recorded. */
  private record Variant(String eventName, String loggedRegion, boolean globalServiceEvent,
      List<ArnSelection> selections, List<String> notes) {}

  private List<Variant> variants(String accountId, String region, ActionEvent event) {
    String source = event.eventSource();
    String globalRegion = GlobalServiceEvents.globalRegion(Arn.partitionOfRegion(region));
    List<String[]> places = new ArrayList<>();
    boolean global = event.category() == EventCategory.MANAGEMENT
        && (GlobalServiceEvents.GLOBAL_ONLY.contains(source)
            || GlobalServiceEvents.GLOBAL_OR_REGIONAL.contains(source));
    if (!global || GlobalServiceEvents.GLOBAL_OR_REGIONAL.contains(source)) {
      places.add(new String[] {region, "regional"});
    }
    if (global) {
      places.add(new String[] {globalRegion, "global"});
    }
    List<Variant> variants = new ArrayList<>();
    for (String name : event.eventNames()) {
      for (String[] place : places) {
        boolean globalEvent = place[1].equals("global");
        List<ArnSelection> selections = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Trail trail : trails) {
          String notApplying = place[0] == null ? "trailtrim does not know where global service events of this"
              + " partition are logged" : notApplying(trail, accountId, place[0], globalEvent);
          if (notApplying != null) {
            notes.add("'" + trail.name() + "' " + notApplying);
          } else {
            selectionsOf(trail, event, name, selections, notes);
          }
        }
        variants.add(new Variant(name, place[0], globalEvent, selections, notes));
      }
    }
    return variants;
  }

  /** Why the trail does not log calls of {@code account} in {@code region}, or null when it does. */
  private static String notApplying(Trail trail, String account, String region, boolean globalServiceEvent) {
    if (trail.logging() == LoggingStatus.STOPPED) {
      return "is not logging (get-trail-status)";
    }
    if (!trail.organizationTrail() && !trail.accountId().equals(account)) {
      return "belongs to account " + trail.accountId();
    }
    if (!Arn.partitionOfRegion(region).equals(trail.partition())) {
      return "is in partition " + trail.partition();
    }
    if (globalServiceEvent && !trail.includeGlobalServiceEvents()) {
      return "does not include global service events";
    }
    if (!trail.multiRegion() && !trail.homeRegion().equals(region)) {
      return "is a single-region trail of " + trail.homeRegion();
    }
    if (trail.selectors() instanceof TrailSelectors.NotRead) {
      return "has no get-event-selectors output, so nothing says what it records";
    }
    return null;
  }

  /** The selectors of an applying trail that record the event, each with what it records of the resources. */
  private static void selectionsOf(Trail trail, ActionEvent event, String eventName, List<ArnSelection> selections,
      List<String> notes) {
    int before = selections.size();
    if (trail.selectors() instanceof TrailSelectors.Basic basic) {
      for (int i = 0; i < basic.selectors().size(); i++) {
        ArnSelection selection = basicSelection(trail, "EventSelectors[" + i + "]", basic.selectors().get(i), event);
        if (selection != null) {
          selections.add(selection);
        }
      }
    } else if (trail.selectors() instanceof TrailSelectors.Advanced advanced) {
      for (int i = 0; i < advanced.selectors().size(); i++) {
        AdvancedEventSelector selector = advanced.selectors().get(i);
        String label = selector.name() != null ? "selector '" + selector.name() + "'"
            : "AdvancedEventSelectors[" + i + "]";
        AdvancedMatch match = advancedSelection(trail, label, selector, event, eventName);
        if (match.selection() != null) {
          selections.add(match.selection());
        } else if (match.notUnderstood() != null) {
          notes.add("'" + trail.name() + "' " + label + " " + match.notUnderstood());
        }
      }
    }
    if (selections.size() == before) {
      notes.add("'" + trail.name() + "' selects no " + event.kind()
          + (event.eventNames().size() > 1 ? " named " + eventName : ""));
    }
  }

  private static ArnSelection basicSelection(Trail trail, String label, EventSelector selector, ActionEvent event) {
    if (!selector.readWriteType().includes(event.readOnly())) {
      return null;
    }
    if (event.category() == EventCategory.MANAGEMENT) {
      return selector.includeManagementEvents()
          && !selector.excludeManagementEventSources().contains(event.eventSource())
              ? new ArnSelection(trail, label, List.of()) : null;
    }
    if (!DataEventTypes.BASIC_SELECTOR_TYPES.contains(event.resourceType())) {
      return null;
    }
    List<ArnTest> values = new ArrayList<>();
    for (DataResource resource : selector.dataResources()) {
      if (resource.type().equals(event.resourceType())) {
        for (String value : resource.values()) {
          ArnTest test = DataEventTypes.basicValueTest(resource.type(), value);
          if (test != null) {
            values.add(test);
          }
        }
      }
    }
    return values.isEmpty() ? null : new ArnSelection(trail, label, List.of(new ArnCondition(values, List.of())));
  }

  /** A selector that records the event (selection), or one that does not (with why, when it was not understood). */
  private record AdvancedMatch(ArnSelection selection, String notUnderstood) {}

  private static AdvancedMatch advancedSelection(Trail trail, String label, AdvancedEventSelector selector,
      ActionEvent event, String eventName) {
    boolean data = event.category() == EventCategory.DATA;
    boolean matches = true;
    boolean hasCategory = false;
    boolean hasType = false;
    // Why the selector cannot be trusted to record; said only of a selector that otherwise matches the event.
    String distrust = null;
    List<ArnCondition> conditions = new ArrayList<>();
    for (AdvancedFieldSelector field : selector.fieldSelectors()) {
      if (!field.unknownOperators().isEmpty()) {
        distrust = distrust != null ? distrust : "uses operators trailtrim does not know " + field.unknownOperators();
      } else if (!field.hasPositiveValues() && !field.hasNegativeValues()) {
        distrust = distrust != null ? distrust : "has a condition on " + field.field() + " without values";
      }
      switch (field.field()) {
        case "eventCategory" -> {
          hasCategory = true;
          matches &= field.accepts(event.category().selectorValue());
        }
        case "resources.type" -> {
          hasType = true;
          matches &= data && field.accepts(event.resourceType());
        }
        case "readOnly" -> matches &= field.accepts(String.valueOf(event.readOnly()));
        case "eventSource" -> matches &= field.accepts(event.eventSource());
        case "eventName" -> matches &= field.accepts(eventName);
        case "eventType" -> matches &= field.accepts("AwsApiCall");
        case "resources.ARN" -> {
          if (data) {
            conditions.add(arnCondition(field));
          } else {
            distrust = distrust != null ? distrust : "conditions management events on resources.ARN";
          }
        }
        default -> distrust = distrust != null ? distrust
            : "has a condition on " + field.field() + ", which trailtrim cannot judge";
      }
    }
    if (!matches) {
      return new AdvancedMatch(null, null);
    }
    if (distrust == null && !hasCategory) {
      distrust = "has no eventCategory condition";
    }
    if (distrust == null && data && !hasType) {
      distrust = "selects data events without resources.type";
    }
    return distrust != null ? new AdvancedMatch(null, distrust)
        : new AdvancedMatch(new ArnSelection(trail, label, conditions), null);
  }

  private static ArnCondition arnCondition(AdvancedFieldSelector field) {
    List<ArnTest> anyOf = new ArrayList<>();
    field.equals().forEach(v -> anyOf.add(new ArnTest(ArnTest.Kind.EQUALS, v)));
    field.startsWith().forEach(v -> anyOf.add(new ArnTest(ArnTest.Kind.STARTS_WITH, v)));
    field.endsWith().forEach(v -> anyOf.add(new ArnTest(ArnTest.Kind.ENDS_WITH, v)));
    List<ArnTest> noneOf = new ArrayList<>();
    field.notEquals().forEach(v -> noneOf.add(new ArnTest(ArnTest.Kind.EQUALS, v)));
    field.notStartsWith().forEach(v -> noneOf.add(new ArnTest(ArnTest.Kind.STARTS_WITH, v)));
    field.notEndsWith().forEach(v -> noneOf.add(new ArnTest(ArnTest.Kind.ENDS_WITH, v)));
    return new ArnCondition(anyOf, noneOf);
  }

  private Recording managementRecording(String account, String region, ActionEvent event, List<Variant> variants) {
    String subject = event.action() + " in " + account + "/" + region;
    for (Variant variant : variants) {
      if (variant.selections().isEmpty()) {
        return Recording.notRecorded("No trail records " + subject + " as " + event.kind() + where(event, variant)
            + ": " + joinNotes(variant.notes()) + ".");
      }
    }
    return Recording.recorded(subject + " is recorded as " + event.kind() + " by " + selectorsOf(variants, null)
        + ".");
  }

  private Recording dataRecording(String account, String region, ActionEvent event, String granted,
      List<Variant> variants) {
    String subject = event.action() + " on '" + granted + "' in " + account + "/" + region;
    ResourceGlob arns = DataEventTypes.arnsOf(event.resourceType(), region);
    if (arns == null) {
      return Recording.notRecorded("trailtrim cannot tell which " + event.resourceType() + " resources a trail"
          + " records, so it takes " + subject + " as not recorded.");
    }
    // A policy variable may stand for anything: decide for the widest grant; no pattern can then be cut from it.
    boolean variables = Patterns.hasPolicyVariable(granted);
    ResourceGlob glob = compileOrNull(variables ? POLICY_VARIABLE.matcher(granted).replaceAll("*") : granted);
    if (glob == null) {
      return Recording.notRecorded("By IAM's matching rules '" + granted + "' names no ARN trailtrim can reason about,"
          + " so it takes " + subject + " as not recorded.");
    }
    List<ArnTest> tests = new ArrayList<>();
    for (Variant variant : variants) {
      for (ArnSelection selection : variant.selections()) {
        selection.conditions().forEach(c -> {
          tests.addAll(c.anyOf());
          tests.addAll(c.noneOf());
        });
      }
    }
    ArnSpace space = new ArnSpace(arns, tests);
    ArnFormula recorded = passes -> variants.stream()
        .allMatch(v -> v.selections().stream().anyMatch(s -> s.holds(passes)));
    try {
      if (!space.exists(glob, ArnFormula.ANY)) {
        return Recording.notRecorded("'" + granted + "' reaches no " + event.resourceType() + " resource in " + region
            + ", so trailtrim cannot tell whether " + subject + " would be recorded.");
      }
      String unrecordedExample = space.witness(glob, recorded.negate());
      if (unrecordedExample == null) {
        return Recording.recorded(subject + " is recorded as " + event.kind() + " by "
            + selectorsOf(variants, s -> space.exists(glob, s)) + ".");
      }
      if (!space.exists(glob, recorded)) {
        Variant failing = variants.stream().filter(v -> !space.exists(glob, or(v.selections()))).findFirst()
            .orElse(variants.get(0));
        List<String> notes = new ArrayList<>(failing.notes());
        failing.selections().forEach(s -> notes.add(s.describe() + " records none of '" + granted + "'"));
        return Recording.notRecorded("No trail records " + subject + " as " + event.kind() + where(event, failing)
            + ": " + joinNotes(notes) + ".");
      }
      List<String> unrecorded = variables ? null : unrecordedPatterns(glob, granted, variants, space, recorded);
      return new Recording(Recording.Status.PARTLY_RECORDED, unrecorded, subject + " is recorded as " + event.kind()
          + " only in part, by " + selectorsOf(variants, s -> space.exists(glob, s)) + ": not, for example, for '"
          + unrecordedExample + "'" + (unrecorded == null
              ? "; IAM resource patterns cannot name just the unrecorded part, so the whole grant counts as unrecorded."
              : "."));
    } catch (ArnSpace.TooComplex tooComplex) {
      return Recording.notRecorded("The trails' selectors have too many values for trailtrim to decide whether "
          + subject + " is recorded, so it takes it as not recorded.");
    }
  }

  /**
   * IAM patterns, each within the grant, that cover what no selector records; null when that part
   * cannot be cut out of the grant. Each selector in turn removes what it records from the pieces
   * left: a piece it partly records splits into the pieces of its excluded values ({@code NotStartsWith}
   * and the like), or stays whole when what its {@code Equals}/{@code StartsWith} values miss has no
   * pattern of its own.
   */
  private static List<String> unrecordedPatterns(ResourceGlob glob, String granted, List<Variant> variants,
      ArnSpace space, ArnFormula recorded) {
    Set<ResourceGlob> all = new LinkedHashSet<>();
    for (Variant variant : variants) {
      List<ResourceGlob> pieces = List.of(glob);
      for (ArnSelection selection : variant.selections()) {
        List<ResourceGlob> next = new ArrayList<>();
        for (ResourceGlob piece : pieces) {
          if (!space.exists(piece, selection)) {
            next.add(piece);
          } else if (space.exists(piece, selection.negate())) {
            next.addAll(missedBy(piece, selection, space));
          }
        }
        pieces = next;
        if (pieces.size() > MAX_UNRECORDED_PATTERNS) {
          return null;
        }
      }
      all.addAll(pieces);
    }
    List<String> patterns = new ArrayList<>();
    for (ResourceGlob piece : all) {
      if (!space.exists(piece, recorded.negate())) {
        continue;
      }
      String pattern = piece.render();
      if (pattern == null || Patterns.resourceCovers(pattern, granted, Patterns.Variables.MATCH_NOTHING)) {
        return null;
      }
      patterns.add(pattern);
    }
    List<String> kept = withoutCovered(patterns);
    return kept.isEmpty() || kept.size() > MAX_UNRECORDED_PATTERNS ? null : kept;
  }

  /** Pieces covering what of {@code piece} the selection misses: it misses a resource that fails any one condition. */
  private static List<ResourceGlob> missedBy(ResourceGlob piece, ArnSelection selection, ArnSpace space) {
    List<ResourceGlob> parts = new ArrayList<>();
    for (ArnCondition condition : selection.conditions()) {
      if (!space.exists(piece, condition.negate())) {
        continue;
      }
      if (!space.exists(piece, condition) || space.exists(piece, condition.anyOfFormula().negate())) {
        // Missed whole, or what the wanted values miss (every bucket but one) has no pattern: keep the piece.
        return List.of(piece);
      }
      for (ArnTest excluded : condition.noneOf()) {
        if (space.exists(piece, passes -> passes.test(excluded))) {
          List<ResourceGlob> cut = within(piece, excluded);
          if (cut == null) {
            return List.of(piece);
          }
          parts.addAll(cut);
        }
      }
    }
    return parts;
  }

  /** The resources of {@code piece} that pass {@code test}, as patterns; null when one would not render. */
  static List<ResourceGlob> within(ResourceGlob piece, ArnTest test) {
    String value = test.value();
    ResourceGlob literal = ResourceGlob.literal(value);
    Set<ResourceGlob> cuts = new LinkedHashSet<>();
    switch (test.kind()) {
      case EQUALS -> {
        if (piece.matches(value)) {
          cuts.add(literal);
        }
      }
      case STARTS_WITH -> {
        var positions = piece.after(value);
        for (int i = positions.nextSetBit(0); i >= 0; i = positions.nextSetBit(i + 1)) {
          cuts.add(literal.then(piece.tail(i)));
        }
      }
      case ENDS_WITH -> {
        for (int j = 0; j <= piece.length(); j++) {
          // The value may start where a token starts, or inside a star that also takes the text before it.
          if (piece.tail(j).matches(value)) {
            cuts.add(piece.head(j).then(literal));
            if (j < piece.length() && ResourceGlob.isStar(piece.token(j))) {
              cuts.add(piece.head(j + 1).then(literal));
            }
          }
        }
      }
      default -> throw new IllegalStateException("unknown test " + test);
    }
    List<ResourceGlob> result = new ArrayList<>();
    for (ResourceGlob cut : cuts) {
      if (cut.render() == null) {
        return null;
      }
      result.add(cut);
    }
    return result;
  }

  /** Sorted, without the patterns another one covers. */
  private static List<String> withoutCovered(List<String> patterns) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(patterns));
    List<String> kept = new ArrayList<>();
    for (String pattern : sorted) {
      boolean covered = false;
      for (String other : sorted) {
        if (!other.equals(pattern) && Patterns.resourceCovers(other, pattern, Patterns.Variables.MATCH_NOTHING)
            && !(Patterns.resourceCovers(pattern, other, Patterns.Variables.MATCH_NOTHING)
                && pattern.compareTo(other) < 0)) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        kept.add(pattern);
      }
    }
    return kept;
  }

  private static ResourceGlob compileOrNull(String pattern) {
    try {
      return ResourceGlob.compile(pattern);
    } catch (IllegalArgumentException unreadable) {
      return null;
    }
  }

  private static ArnFormula or(List<ArnSelection> selections) {
    return passes -> selections.stream().anyMatch(s -> s.holds(passes));
  }

  private static String where(ActionEvent event, Variant variant) {
    String name = event.eventNames().size() > 1 ? " named " + variant.eventName() : "";
    return name + (variant.globalServiceEvent() ? " (a global service event, logged in " + variant.loggedRegion() + ")"
        : "");
  }

  /** "'trail' (EventSelectors[0]), 'org' (selector 'S3')", distinct, in trail order, the first few. */
  private static String selectorsOf(List<Variant> variants, java.util.function.Predicate<ArnSelection> used) {
    Set<String> named = new LinkedHashSet<>();
    for (Variant variant : variants) {
      for (ArnSelection selection : variant.selections()) {
        if (used == null || used.test(selection)) {
          named.add(selection.describe());
        }
      }
    }
    return "trail " + joinNotes(new ArrayList<>(named));
  }

  private static String joinNotes(List<String> notes) {
    if (notes.isEmpty()) {
      return "there are no trails";
    }
    List<String> shown = notes.subList(0, Math.min(notes.size(), TRAILS_NAMED_IN_A_REASON));
    String more = notes.size() > shown.size() ? " and " + (notes.size() - shown.size()) + " more" : "";
    return String.join("; ", shown) + more;
  }
}
