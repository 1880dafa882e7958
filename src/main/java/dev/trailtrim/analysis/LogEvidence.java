package dev.trailtrim.analysis;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.LogCoverage;
import dev.trailtrim.model.LogCoverage.Gap;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.Visibility;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the logs can show about one role: its account, the regions where it acts, and how well the
 * logs cover them. A permission whose calls the trail records is called unused only if the logs
 * cover the role's account in every region where those calls would be recorded, on at least
 * {@code min.observation.days} days (DESIGN.md, invariant 6); otherwise {@link #over} turns its
 * visibility into the rule that names the hole.
 *
 * @param regions          where the role acts: the regions of its calls (and of its functions, with an
 *                         inventory), or, for a role never seen anywhere
 *                         ({@code regionsFromCalls} false), every region of its account with logs
 * @param regionsFromCalls whether {@code regions} come from the role's own calls (or its functions' regions)
 * @param coverage         per region checked (those above, plus where global services are logged)
 * @param gap              what is missing for the role's regional calls; null when nothing is
 * @param minDays          covered days required per region
 * @param trailFacts       what decided which calls the trails record: their configuration (naming the
 *                         trails), or the data events seen in the logs when no configuration was given
 * @param regionsFrom      what says where the role acts, for the report
 */
public record LogEvidence(String accountId, List<String> regions, boolean regionsFromCalls,
    List<RegionCoverage> coverage, Gap gap, long minDays, String trailFacts, String regionsFrom) {

  /** How one region of the role's account is covered. */
  public record RegionCoverage(String region, int coveredDays, long windowDays, String gaps) {}

  public LogEvidence {
    Objects.requireNonNull(accountId, "accountId");
    regions = List.copyOf(regions);
    coverage = List.copyOf(coverage);
  }

  /**
   * @param actingRegions the regions of the role's calls in the window; empty for a role never seen
   * @param minDays       {@code min.observation.days}
   */
  public static LogEvidence of(LogCoverage coverage, String accountId, Collection<String> actingRegions, long minDays,
      Set<String> globalRegions) {
    boolean fromCalls = !actingRegions.isEmpty();
    List<String> regions = fromCalls ? List.copyOf(new TreeSet<>(actingRegions)) : coverage.regionsOf(accountId);
    Set<String> checked = new TreeSet<>(regions);
    checked.addAll(globalRegions);
    List<RegionCoverage> perRegion = new ArrayList<>();
    for (String region : checked) {
      List<LocalDate> covered = coverage.coveredDays(accountId, region);
      perRegion.add(new RegionCoverage(region, covered.size(), coverage.window().days(),
          coverage.gapsOf(accountId, region)));
    }
    return new LogEvidence(accountId, regions, fromCalls, perRegion,
        coverage.gap(accountId, fromCalls ? regions : List.of(), minDays), minDays, NO_TRAIL_CONFIGURATION,
        fromCalls ? "the role's calls" : "every region of the account with logs (the role made no call in the window)");
  }

  static final String NO_TRAIL_CONFIGURATION = "no trail configuration given (--trail-config): management events count"
      + " as recorded, data events only for the resources the logs show being recorded";

  /** This evidence, saying what decided which calls the trails record. */
  public LogEvidence withTrailFacts(String facts) {
    return new LogEvidence(accountId, regions, regionsFromCalls, coverage, gap, minDays, facts, regionsFrom);
  }

  /** This evidence, saying what else than the role's calls said where it acts (its functions in an inventory). */
  public LogEvidence withRegionsFrom(String from) {
    return new LogEvidence(accountId, regions, regionsFromCalls, coverage, gap, minDays, trailFacts, from);
  }

  /**
   * The role's view of the logs: what {@code base} says, except that a permission whose use the
   * trail would record is not observable where the logs of the role's account are incomplete.
   */
  public Observability over(Observability base, LogCoverage logs) {
    return new Observability() {
      /** Per global logging (few: IAM's, STS's), what is missing; a role's grants ask thousands of times. */
      private final java.util.Map<GlobalLogging, java.util.Optional<Gap>> gaps = new java.util.HashMap<>();
      /** Per region a granted resource names, what is missing there. */
      private final java.util.Map<String, java.util.Optional<Gap>> regionGaps = new java.util.HashMap<>();

      private Gap missing(IamAction action, String resource) {
        GlobalLogging global = base.globalLogging(action);
        Gap missing = global == null ? gap
            : gaps.computeIfAbsent(global, g -> java.util.Optional.ofNullable(gapFor(g, logs))).orElse(null);
        if (missing != null || global != null) {
          return missing;
        }
        // A grant on a resource of one region is used there, even if the role's seen calls were elsewhere:
        // that region's logs must be complete too (its calls may be exactly what a gap there hides).
        String region = regionOf(resource);
        return region == null || regions.contains(region) ? null : regionGaps.computeIfAbsent(region,
            r -> java.util.Optional.ofNullable(logs.gap(accountId, List.of(r), minDays))).orElse(null);
      }

      @Override
      public Visibility visibility(IamAction action, String resource) {
        Visibility visibility = base.visibility(action, resource);
        if (!visibility.absenceMeansUnused()) {
          return visibility;
        }
        Gap missing = missing(action, resource);
        return missing == null ? visibility : Visibility.ofRule(missing.rule());
      }

      @Override
      public String reason(IamAction action, String resource) {
        if (base.visibility(action, resource).absenceMeansUnused()) {
          Gap missing = missing(action, resource);
          if (missing != null) {
            return missing.detail() + "; so the absence of " + action + " proves nothing.";
          }
        }
        return base.reason(action, resource);
      }

      @Override
      public GlobalLogging globalLogging(IamAction action) {
        return base.globalLogging(action);
      }

      @Override
      public List<String> unrecordedPart(IamAction action, String resource) {
        return missing(action, resource) == null ? base.unrecordedPart(action, resource) : List.of();
      }
    };
  }

  private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  /** The one region an ARN pattern names, or null ({@code *}, a wildcard region, or none as in S3 and IAM). */
  static String regionOf(String resource) {
    String[] parts = resource.split(":", 6);
    return parts.length == 6 && REGION.matcher(parts[3]).matches() ? parts[3] : null;
  }

  /** What is missing for calls recorded where {@code global} says (null: the role's regions). */
  Gap gapFor(Observability.GlobalLogging global, LogCoverage logs) {
    if (global == null) {
      return gap;
    }
    Gap there = logs.gap(accountId, List.of(global.region()), minDays);
    return there != null || global.onlyThere() ? there : gap;
  }
}
