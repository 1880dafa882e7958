package dev.trailtrim.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the successful calls of one role's action had in their request context, summed up so that
 * a condition can be proposed only where every call satisfies it: the regions called, the VPC
 * endpoints they came through, the services that made them on the role's behalf and, for
 * {@code s3:ListBucket}, the prefixes listed. Each set holds at most {@link #MAX_VALUES} values;
 * beyond that it is "too many" (null) for good, and no condition is proposed from it. Mergeable in
 * any order (a commutative monoid; the empty summary is the identity), so per-day summaries can be
 * stored and summed over any window.
 */
public final class CallContexts implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Values kept per set; one more and the set is "too many". */
  public static final int MAX_VALUES = 16;

  /** Separates a calling service from the region of the call in {@link #callers()}. */
  public static final char CALLER_REGION_SEPARATOR = '@';

  private long calls;
  private TreeSet<String> regions = new TreeSet<>();
  private long callsWithoutRegion;
  private TreeSet<String> vpcEndpoints = new TreeSet<>();
  private long callsWithoutVpcEndpoint;
  private TreeSet<String> callers = new TreeSet<>();
  private long callsWithoutCaller;
  private TreeSet<String> prefixes = new TreeSet<>();
  private long callsWithoutPrefix;
  /** The longest prefix common to every listed prefix; null before the first one. */
  private String commonPrefix;

  /**
   * Adds one successful call.
   *
   * @param region      its awsRegion, or null
   * @param vpcEndpoint its vpcEndpointId, or null when it did not come through a VPC endpoint
   * @param invokedBy   the service that made it with the role's credentials (userIdentity.invokedBy), or null
   * @param prefix      requestParameters.prefix of a listing, or null
   */
  public void add(String region, String vpcEndpoint, String invokedBy, String prefix) {
    calls++;
    if (region == null || region.isEmpty()) {
      callsWithoutRegion++;
    } else {
      regions = with(regions, region);
    }
    if (vpcEndpoint == null || vpcEndpoint.isEmpty()) {
      callsWithoutVpcEndpoint++;
    } else {
      vpcEndpoints = with(vpcEndpoints, vpcEndpoint);
    }
    if (invokedBy == null || invokedBy.isEmpty()) {
      callsWithoutCaller++;
    } else {
      callers = with(callers, invokedBy + CALLER_REGION_SEPARATOR + (region == null ? "" : region));
    }
    if (prefix == null) {
      callsWithoutPrefix++;
    } else {
      prefixes = with(prefixes, prefix);
      commonPrefix = commonPrefix == null ? prefix : common(commonPrefix, prefix);
    }
  }

  /** Adds {@code other} into this one and returns this. */
  public CallContexts merge(CallContexts other) {
    calls += other.calls;
    regions = union(regions, other.regions);
    callsWithoutRegion += other.callsWithoutRegion;
    vpcEndpoints = union(vpcEndpoints, other.vpcEndpoints);
    callsWithoutVpcEndpoint += other.callsWithoutVpcEndpoint;
    callers = union(callers, other.callers);
    callsWithoutCaller += other.callsWithoutCaller;
    prefixes = union(prefixes, other.prefixes);
    callsWithoutPrefix += other.callsWithoutPrefix;
    commonPrefix = commonPrefix == null ? other.commonPrefix
        : other.commonPrefix == null ? commonPrefix : common(commonPrefix, other.commonPrefix);
    return this;
  }

  /** A summary read back from its stored counts and sets (a null set is "too many"). */
  public static CallContexts of(long calls, SortedSet<String> regions, long callsWithoutRegion,
      SortedSet<String> vpcEndpoints, long callsWithoutVpcEndpoint, SortedSet<String> callers,
      long callsWithoutCaller, SortedSet<String> prefixes, long callsWithoutPrefix, String commonPrefix) {
    CallContexts summary = new CallContexts();
    summary.calls = calls;
    summary.regions = copy(regions);
    summary.callsWithoutRegion = callsWithoutRegion;
    summary.vpcEndpoints = copy(vpcEndpoints);
    summary.callsWithoutVpcEndpoint = callsWithoutVpcEndpoint;
    summary.callers = copy(callers);
    summary.callsWithoutCaller = callsWithoutCaller;
    summary.prefixes = copy(prefixes);
    summary.callsWithoutPrefix = callsWithoutPrefix;
    summary.commonPrefix = commonPrefix;
    return summary;
  }

  public long calls() {
    return calls;
  }

  /** The regions called, sorted; null when there were more than {@link #MAX_VALUES}. */
  public SortedSet<String> regions() {
    return view(regions);
  }

  public long callsWithoutRegion() {
    return callsWithoutRegion;
  }

  /** The VPC endpoints the calls came through, sorted; null when too many. */
  public SortedSet<String> vpcEndpoints() {
    return view(vpcEndpoints);
  }

  public long callsWithoutVpcEndpoint() {
    return callsWithoutVpcEndpoint;
  }

  /** The services that made calls on the role's behalf, each as {@code service@region}, sorted; null when too many. */
  public SortedSet<String> callers() {
    return view(callers);
  }

  public long callsWithoutCaller() {
    return callsWithoutCaller;
  }

  /** The prefixes listed, sorted; null when too many. */
  public SortedSet<String> prefixes() {
    return view(prefixes);
  }

  public long callsWithoutPrefix() {
    return callsWithoutPrefix;
  }

  /** The longest prefix every listed prefix starts with; null when no call listed a prefix. */
  public String commonPrefix() {
    return commonPrefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallContexts other && calls == other.calls && Objects.equals(regions, other.regions)
        && callsWithoutRegion == other.callsWithoutRegion && Objects.equals(vpcEndpoints, other.vpcEndpoints)
        && callsWithoutVpcEndpoint == other.callsWithoutVpcEndpoint && Objects.equals(callers, other.callers)
        && callsWithoutCaller == other.callsWithoutCaller && Objects.equals(prefixes, other.prefixes)
        && callsWithoutPrefix == other.callsWithoutPrefix && Objects.equals(commonPrefix, other.commonPrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(calls, regions, vpcEndpoints, callers, prefixes, commonPrefix);
  }

  @Override
  public String toString() {
    return "CallContexts{calls=" + calls + ", regions=" + regions + ", vpcEndpoints=" + vpcEndpoints + " (+"
        + callsWithoutVpcEndpoint + " without), callers=" + callers + " (+" + callsWithoutCaller
        + " without), prefixes="
        + prefixes + " (+" + callsWithoutPrefix + " without)}";
  }

  private static TreeSet<String> with(TreeSet<String> set, String value) {
    if (set == null || set.contains(value)) {
      return set;
    }
    if (set.size() >= MAX_VALUES) {
      return null;
    }
    set.add(value);
    return set;
  }

  private static TreeSet<String> union(TreeSet<String> mine, TreeSet<String> theirs) {
    if (mine == null || theirs == null) {
      return null;
    }
    TreeSet<String> both = new TreeSet<>(mine);
    both.addAll(theirs);
    return both.size() > MAX_VALUES ? null : both;
  }

  private static TreeSet<String> copy(SortedSet<String> set) {
    if (set == null) {
      return null;
    }
    return set.size() > MAX_VALUES ? null : new TreeSet<>(set);
  }

  private static SortedSet<String> view(TreeSet<String> set) {
    return set == null ? null : Collections.unmodifiableSortedSet(set);
  }

  private static String common(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return a.substring(0, i);
  }
}
