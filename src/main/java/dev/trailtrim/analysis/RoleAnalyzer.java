package dev.trailtrim.analysis;

import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.ErrorCodes;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.Decision;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.KeptPermission;
import dev.trailtrim.policy.Patterns;
import dev.trailtrim.policy.PermissionsBoundary;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyTightener;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.policy.StatementRef;
import dev.trailtrim.policy.TighteningResult;
import dev.trailtrim.policy.UnexplainedUse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The diff for one role: observed use against granted policies. Each finding records the rule
 * that decided it. Statements that expand to very many actions ({@code "Action": "*"},
 * {@code NotAction} with broad resources) are reported per service rather than per action.
 */
public final class RoleAnalyzer {

  /** Above this many actions a statement is reported per service, not per action. */
  static final int PER_SERVICE_THRESHOLD = 500;

  public static final String RULE_ALLOWED = "allowed-by-grant";
  public static final String RULE_ALLOWED_UNLESS_DENY = "allowed-unless-conditional-deny";
  public static final String RULE_RESOURCE_UNKNOWN = "resource-unknown-granted-for-action";
  public static final String RULE_NOT_EXPLAINED = "not-explained-by-grant";
  public static final String RULE_GRANTS_UNKNOWN = "grants-unknown";
  /** A policy of the role is missing from the snapshot, or two copies of the role disagree. */
  public static final String RULE_GRANTS_INCOMPLETE = "grants-incomplete";
  public static final String RULE_MANAGEMENT_NEVER_SEEN = "management-event-never-seen";
  public static final String RULE_DATA_NEVER_SEEN = "data-event-logged-never-seen";
  public static final String RULE_NEEDS_STAR = "action-needs-resource-star";
  public static final String RULE_SERVICE_NEVER_SEEN = "service-never-seen";
  /** Granted by an identity policy, but the permissions boundary allows the action on none of its resources. */
  public static final String RULE_BLOCKED_BY_BOUNDARY = "blocked-by-boundary";
  /** Safety controls ({@link SafetyControls}): what they keep, or that they skipped the role. */
  public static final String RULE_SKIPPED = "skipped-by-config";
  public static final String RULE_PROTECTED = "protected-by-config";
  public static final String RULE_OPTED_OUT = "opted-out-by-sid";
  public static final String RULE_WINDOW_TOO_SHORT = "observation-window-too-short";
  public static final String RULE_ROLE_TOO_NEW = "role-too-new";

  private RoleAnalyzer() {}

  /**
   * An unused grant before its risk is known: risk depends on everything else the role is granted.
   *
   * @param serviceActions for a per-service row, the service's actions it stands for; else empty
   */
  private record Candidate(IamAction action, AccessLevel level, String resource, GrantRef ref, String rule,
      List<IamAction> serviceActions) {
    Candidate(IamAction action, AccessLevel level, String resource, GrantRef ref, String rule) {
      this(action, level, resource, ref, rule, List.of());
    }
  }

  /** A successful (action, resource) with its counts, canonical spelling. */
  private record Seen(IamAction action, String resource, long count, long first, long last) {
    Seen plus(ActionUsage u) {
      return new Seen(action, resource, count + u.count(), Math.min(first, u.firstSeenMillis()),
          Math.max(last, u.lastSeenMillis()));
    }
  }

  /** Where the diff of one statement puts what it finds. */
  private record Findings(List<Candidate> unused, List<NotObservablePermission> notObservable, List<KeptPermission> kept,
      List<KeptBySafety> keptBySafety, Set<IamAction> effective) {}

  /** A safety control keeping a whole statement: the rule and why. */
  private record Keep(String rule, String detail) {}

  /** Without safety controls: everything unused may be suggested for removal. */
  public static RoleAnalysis analyze(RoleContext ctx, RoleGrants grants, RoleUsage usage, IamCatalog catalog,
      Observability observability) {
    return analyze(ctx, grants, usage, catalog, observability, SafetyControls.NONE);
  }

  /**
   * @param grants null when the role is not in the snapshot
   * @param safety what the configuration protects from removal
   */
  public static RoleAnalysis analyze(RoleContext ctx, RoleGrants grants, RoleUsage usage, IamCatalog catalog,
      Observability observability, SafetyControls safety) {
    return analyze(ctx, grants, usage, catalog, observability, safety, null);
  }

  /**
   * @param observability the role's view of the logs ({@link LogEvidence#over}): where its account
   *                      and regions are not covered, nothing is observable
   * @param evidence      what the logs could show about the role, for its report; null when unknown
   */
  public static RoleAnalysis analyze(RoleContext ctx, RoleGrants grants, RoleUsage usage, IamCatalog catalog,
      Observability observability, SafetyControls safety, LogEvidence evidence) {
    List<String> problems = new ArrayList<>();
    List<DeniedCall> denied = new ArrayList<>();
    List<FailedCall> failed = new ArrayList<>();
    Map<ActionOnResource, Seen> seen = new TreeMap<>();
    for (ActionUsage u : usage.usages()) {
      IamAction action = canonical(u.access().action(), catalog);
      if (!u.succeeded()) {
        ErrorCodes.Kind kind = ErrorCodes.classify(u.errorCode());
        if (kind == ErrorCodes.Kind.AUTHORIZATION_REFUSED) {
          denied.add(new DeniedCall(action, u.access().resource(), u.errorCode(), u.count(), u.firstSeenMillis(),
              u.lastSeenMillis()));
          continue;
        }
        boolean authorized = kind == ErrorCodes.Kind.FAILED_AFTER_AUTHORIZATION;
        failed.add(new FailedCall(action, u.access().resource(), u.errorCode(), u.count(), u.firstSeenMillis(),
            u.lastSeenMillis(), authorized));
        if (!authorized) {
          continue;
        }
      }
      ActionOnResource key = new ActionOnResource(action, u.access().resource());
      seen.merge(key, new Seen(action, key.resource(), u.count(), u.firstSeenMillis(), u.lastSeenMillis()),
          (a, b) -> a.plus(u));
    }
    String skippedBy = safety.skipping(ctx.roleArn());
    if (skippedBy != null) {
      GrantSet grantSet = grants == null ? null : grants.grantSet();
      List<UsedPermission> used = usedPermissions(seen, catalog, access -> grantSet == null
          ? new UsedResource(access.resource(), seen.get(access).count(), seen.get(access).first(),
              seen.get(access).last(), null, false, RULE_GRANTS_UNKNOWN)
          : usedResource(access, seen.get(access), grantSet, catalog));
      SafetyDecision skipped = new SafetyDecision(RULE_SKIPPED, "The role ARN matches skip.roles pattern '" + skippedBy
          + "': its grants are not diffed and no policy is suggested");
      RoleAnalysis.Builder analysis = RoleAnalysis.builder(ctx).calls(denied, failed).used(used).problems(problems)
          .decision(skipped).evidence(evidence);
      return (grants == null ? analysis : analysis.grants(summary(grants, Set.of()), grants.createDate())).build();
    }
    if (grants == null) {
      problems.add("Role " + ctx.roleArn() + " is not in the IAM snapshot: its grants are unknown, so nothing is"
          + " called unused and no policy is suggested");
      List<UsedPermission> used = usedPermissions(seen, catalog, access -> new UsedResource(access.resource(),
          seen.get(access).count(), seen.get(access).first(), seen.get(access).last(), null, false, RULE_GRANTS_UNKNOWN));
      return RoleAnalysis.builder(ctx).calls(denied, failed).used(used).problems(problems).evidence(evidence).build();
    }

    GrantSet grantSet = grants.grantSet();
    problems.addAll(grants.problems());
    List<UsedPermission> used = usedPermissions(seen, catalog, access -> usedResource(access, seen.get(access),
        grantSet, catalog));
    if (!grants.complete()) {
      // A suggestion built on part of the grants could break what the missing part allows; one built
      // on the wrong copy could widen (DESIGN.md, invariant 6).
      SafetyDecision incomplete = new SafetyDecision(RULE_GRANTS_INCOMPLETE, "The role's grants are not fully known ("
          + String.join("; ", grants.missingGrants()) + "): nothing is called unused and no policy is suggested");
      return RoleAnalysis.builder(ctx).grants(summary(grants, Set.of()), grants.createDate()).calls(denied, failed)
          .used(used).problems(problems).decision(incomplete).evidence(evidence).build();
    }

    List<SafetyDecision> decisions = roleGuards(ctx, grants, safety);
    Keep keepAll = decisions.isEmpty() ? null : new Keep(decisions.get(0).rule(), decisions.get(0).detail());
    // Actions the role can use somewhere (identity and boundary allow them): what escalation methods need.
    Findings found = new Findings(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new HashSet<>());
    List<Candidate> unused = found.unused();
    List<NotObservablePermission> notObservable = found.notObservable();
    List<KeptPermission> kept = found.kept();
    Set<IamAction> effective = found.effective();
    List<StatementRef> keepAsIs = new ArrayList<>();
    // Parts of grants the trails do not record (PARTLY_RECORDED): kept like calls, as narrow as IAM can say.
    Set<ActionOnResource> unrecorded = new java.util.TreeSet<>();
    Set<IamAction> grantedActions = new HashSet<>();
    seen.keySet().forEach(access -> effective.add(access.action()));
    for (GrantedPolicy policy : grants.policies()) {
      List<Statement> statements = policy.document().statements();
      for (int i = 0; i < statements.size(); i++) {
        Statement statement = statements.get(i);
        StatementRef statementRef = new StatementRef(policy.label(), i + 1, statement);
        Keep keep = safety.optsOut(statement.sid()) ? new Keep(RULE_OPTED_OUT, "Sid '" + statement.sid()
            + "' starts with opt.out.sid.prefix '" + safety.optOutSidPrefix() + "': the statement is kept as it is")
            : keepAll;
        if (statement.effect() != Effect.ALLOW) {
          if (keep != null && keep.rule().equals(RULE_OPTED_OUT)) {
            keepAsIs.add(statementRef);
          }
          continue;
        }
        if (keep != null) {
          keepAsIs.add(statementRef);
        }
        GrantRef ref = new GrantRef(policy.label(), policy.name(), policy.arn(), i + 1, statement.sid());
        if (policy.document().supportsPolicyVariables()
            && statement.resources().stream().anyMatch(Patterns::hasPolicyVariable)) {
          problems.add("Policy " + ref + " uses policy variables in Resource; they are treated as matching nothing,"
              + " so calls only it allows count as not explained");
        }
        Expansion expansion = expand(statement, catalog, ref, problems);
        grantedActions.addAll(expansion.actions());
        List<String> resources = statement.resources().isEmpty()
            ? List.of("NotResource " + statement.notResources()) : statement.resources();
        if (expansion.perService()) {
          diffPerService(expansion, statement, statementRef, ref, resources, seen, observability, found, keep, safety,
              grantSet, policy, catalog);
          continue;
        }
        for (IamAction action : expansion.actions()) {
          Optional<ActionInfo> info = catalog.action(action);
          AccessLevel level = info.map(ActionInfo::accessLevel).orElse(null);
          for (String resource : resources) {
            boolean notResource = statement.resources().isEmpty();
            if (!notResource && info.isPresent() && !info.get().hasResourceTypes()
                && !Patterns.resourceMatches(resource, "*", Patterns.Variables.MATCH_NOTHING)) {
              unused.add(new Candidate(action, level, resource, ref, RULE_NEEDS_STAR));
              continue;
            }
            boolean requestStar = info.isPresent() && !info.get().hasResourceTypes();
            if (!PermissionsBoundary.allowsSomewhere(grantSet, action, notResource ? null : resource, policy.document(),
                requestStar)) {
              // Not effectively granted: IAM refuses it whatever the identity policy says.
              unused.add(new Candidate(action, level, resource, ref, RULE_BLOCKED_BY_BOUNDARY));
              continue;
            }
            effective.add(action);
            String probe = notResource ? "*" : resource;
            Visibility visibility = observability.visibility(action, probe);
            if (!visibility.absenceMeansUnused()) {
              notObservable.add(new NotObservablePermission(action, resource, ref, visibility,
                  observability.reason(action, probe)));
              kept.add(new KeptPermission(action, statementRef));
              continue;
            }
            if (visibility == Visibility.PARTLY_RECORDED) {
              // The trails do not record this part: it is kept, narrowed to it; the rest is judged below.
              for (String part : observability.unrecordedPart(action, probe)) {
                notObservable.add(new NotObservablePermission(action, part, ref, visibility,
                    observability.reason(action, probe)));
                ActionOnResource narrowed = new ActionOnResource(action, part);
                if (PolicyEvaluator.evaluate(grantSet, action, part).allowedUnlessConditionalDeny()) {
                  unrecorded.add(narrowed);
                } else {
                  kept.add(new KeptPermission(action, statementRef));
                }
              }
            }
            String protectedBy = keep == null ? safety.protecting(action) : null;
            if (protectedBy != null) {
              // Kept as granted, used or not: the suggestion never narrows what the configuration protects.
              kept.add(new KeptPermission(action, statementRef, KeptPermission.Why.PROTECTED));
            }
            if (!usedUnder(action, notResource ? null : resource, statement, policy, seen, info)) {
              if (keep != null) {
                found.keptBySafety().add(new KeptBySafety(action, resource, ref, keep.rule(), keep.detail()));
              } else if (protectedBy != null) {
                found.keptBySafety().add(new KeptBySafety(action, resource, ref, RULE_PROTECTED,
                    "matches protect.actions pattern '" + protectedBy + "': kept as granted"));
              } else {
                unused.add(new Candidate(action, level, resource, ref,
                    visibility == Visibility.MANAGEMENT_EVENT ? RULE_MANAGEMENT_NEVER_SEEN : RULE_DATA_NEVER_SEEN));
              }
            }
          }
        }
      }
    }

    Set<ActionOnResource> toKeep = new java.util.TreeSet<>(seen.keySet());
    toKeep.addAll(unrecorded);
    TighteningResult tightened = PolicyTightener.tighten(grantSet, toKeep, kept, keepAsIs, catalog);
    problems.addAll(tightened.notes());
    List<UnexplainedCall> unexplained = new ArrayList<>();
    for (UnexplainedUse use : tightened.notAllowedByGrant()) {
      Seen s = seen.get(use.access());
      if (s == null) {
        continue; // an unrecorded part, not a call: checked above to be allowed by the grant
      }
      unexplained.add(new UnexplainedCall(use.access().action(), use.access().resource(), s.count(), s.first(),
          s.last(), use.reason()));
    }
    GrantedSummary summary = summary(grants, grantedActions);
    List<UnusedPermission> ranked = new ArrayList<>();
    PrivilegeEscalation escalation = PrivilegeEscalation.loadDefault();
    for (Candidate candidate : unused) {
      ranked.add(rank(candidate, effective, escalation, catalog));
    }
    return RoleAnalysis.builder(ctx).grants(summary, grants.createDate()).calls(denied, failed).used(used)
        .unused(ranked).notObservable(notObservable).notGrantedButUsed(unexplained)
        .suggestion(tightened.policy(), tightened.size(), tightened.parts()).keptBySafety(found.keptBySafety())
        .decisions(decisions).problems(problems).evidence(evidence).build();
  }

  private static GrantedSummary summary(RoleGrants grants, Set<IamAction> grantedActions) {
    return new GrantedSummary(grants.policies().stream().map(GrantedPolicy::label).toList(),
        grants.boundary() == null ? null : grants.boundary().label(), grantedActions.size());
  }

  /**
   * Whether the role was observed long enough for absence of use to mean anything: the window
   * must have {@code min.observation.days}, the role (from its CreateDate to the window's end)
   * {@code min.role.age.days}. Each shortfall keeps everything granted.
   */
  private static List<SafetyDecision> roleGuards(RoleContext ctx, RoleGrants grants, SafetyControls safety) {
    List<SafetyDecision> decisions = new ArrayList<>();
    long windowDays = ctx.window().days();
    if (windowDays < safety.minObservationDays()) {
      decisions.add(new SafetyDecision(RULE_WINDOW_TOO_SHORT, "The window " + ctx.window().from() + ".."
          + ctx.window().to() + " has " + windowDays + " days, fewer than min.observation.days=" + safety.minObservationDays()
          + ": nothing is suggested for removal, the suggestion keeps everything granted"));
    }
    if (safety.minRoleAgeDays() > 0) {
      Instant windowEnd = ctx.window().to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      if (grants.createDate() == null) {
        decisions.add(new SafetyDecision(RULE_ROLE_TOO_NEW, "The snapshot has no CreateDate for the role, so its age"
            + " is unknown and min.role.age.days=" + safety.minRoleAgeDays() + " cannot be met: the suggestion keeps"
            + " everything granted"));
      } else {
        long ageDays = Duration.between(grants.createDate(), windowEnd).toDays();
        if (ageDays < safety.minRoleAgeDays()) {
          decisions.add(new SafetyDecision(RULE_ROLE_TOO_NEW, "The role was created " + grants.createDate() + ", "
              + ageDays + " days before the window's end, fewer than min.role.age.days=" + safety.minRoleAgeDays()
              + ": nothing is suggested for removal, the suggestion keeps everything granted"));
        }
      }
    }
    return decisions;
  }

  /** The candidate with its risk: for a per-service row, that of its riskiest action. */
  private static UnusedPermission rank(Candidate candidate, Set<IamAction> effective, PrivilegeEscalation escalation,
      IamCatalog catalog) {
    if (candidate.rule().equals(RULE_BLOCKED_BY_BOUNDARY)) {
      return unused(candidate, Risk.NOT_EFFECTIVE, "the permissions boundary blocks it");
    }
    if (candidate.rule().equals(RULE_NEEDS_STAR)) {
      return unused(candidate, Risk.NOT_EFFECTIVE, "IAM never matches it: the action takes only Resource \"*\"");
    }
    if (candidate.serviceActions().isEmpty()) {
      String why = escalation.escalation(candidate.action(), effective::contains);
      return why != null ? unused(candidate, Risk.PRIVILEGE_ESCALATION, why)
          : unused(candidate, Risk.of(candidate.level()), levelReason(candidate.level()));
    }
    Risk highest = null;
    String reason = null;
    for (IamAction action : candidate.serviceActions()) {
      String why = escalation.escalation(action, effective::contains);
      AccessLevel level = catalog.action(action).map(ActionInfo::accessLevel).orElse(null);
      Risk risk = why != null ? Risk.PRIVILEGE_ESCALATION : Risk.of(level);
      if (highest == null || risk.compareTo(highest) < 0) {
        highest = risk;
        reason = action + " (one of " + candidate.serviceActions().size() + " granted " + candidate.action().service()
            + " actions): " + (why != null ? why : levelReason(level));
      }
    }
    return unused(candidate, highest, reason);
  }

  private static UnusedPermission unused(Candidate c, Risk risk, String reason) {
    return new UnusedPermission(c.action(), c.level(), c.resource(), c.ref(), c.rule(), risk, reason);
  }

  private static String levelReason(AccessLevel level) {
    return level == null ? "the IAM catalog does not know the action" : "access level " + level.label();
  }

  private static IamAction canonical(IamAction action, IamCatalog catalog) {
    return catalog.action(action).map(ActionInfo::action).orElse(action);
  }

  private static List<UsedPermission> usedPermissions(Map<ActionOnResource, Seen> seen, IamCatalog catalog,
      java.util.function.Function<ActionOnResource, UsedResource> row) {
    Map<IamAction, List<UsedResource>> byAction = new TreeMap<>();
    for (ActionOnResource access : seen.keySet()) {
      byAction.computeIfAbsent(access.action(), a -> new ArrayList<>()).add(row.apply(access));
    }
    List<UsedPermission> used = new ArrayList<>();
    byAction.forEach((action, resources) -> used.add(new UsedPermission(action,
        catalog.action(action).map(ActionInfo::accessLevel).orElse(null), resources)));
    return used;
  }

  private static UsedResource usedResource(ActionOnResource access, Seen s, GrantSet grantSet, IamCatalog catalog) {
    boolean resourceUnknown = access.resource().equals(ActionOnResource.ANY_RESOURCE)
        && catalog.action(access.action()).map(ActionInfo::hasResourceTypes).orElse(true);
    if (resourceUnknown) {
      for (var policy : grantSet.policies()) {
        List<Statement> statements = policy.document().statements();
        for (int i = 0; i < statements.size(); i++) {
          if (statements.get(i).effect() == Effect.ALLOW
              && PolicyEvaluator.actionApplies(statements.get(i), access.action())) {
            StatementRef ref = new StatementRef(policy.label(), i + 1, statements.get(i));
            return new UsedResource(access.resource(), s.count(), s.first(), s.last(), ref.toString(),
                ref.conditional(), RULE_RESOURCE_UNKNOWN);
          }
        }
      }
      return new UsedResource(access.resource(), s.count(), s.first(), s.last(), null, false, RULE_NOT_EXPLAINED);
    }
    Decision decision = PolicyEvaluator.evaluate(grantSet, access.action(), access.resource());
    if (!decision.allowedUnlessConditionalDeny()) {
      return new UsedResource(access.resource(), s.count(), s.first(), s.last(), null, false, RULE_NOT_EXPLAINED);
    }
    return new UsedResource(access.resource(), s.count(), s.first(), s.last(), decision.allowedBy().toString(),
        decision.allowConditional(), decision.allowed() ? RULE_ALLOWED : RULE_ALLOWED_UNLESS_DENY);
  }

  /**
   * Whether a successful call of the action may fall under this resource pattern (null: the
   * NotResource statement). An observed resource is itself a pattern: one that overlaps the
   * granted pattern may have used it, so the grant is not called unused.
   */
  private static boolean usedUnder(IamAction action, String pattern, Statement statement, GrantedPolicy policy,
      Map<ActionOnResource, Seen> seen, Optional<ActionInfo> info) {
    for (ActionOnResource access : seen.keySet()) {
      if (!access.action().equals(action)) {
        continue;
      }
      boolean resourceUnknown = access.resource().equals(ActionOnResource.ANY_RESOURCE)
          && info.map(ActionInfo::hasResourceTypes).orElse(true);
      if (resourceUnknown) {
        return true;
      }
      boolean under = pattern == null
          ? PolicyEvaluator.allowResourceApplies(statement, access.resource(), policy.document())
          : Patterns.resourceOverlaps(pattern, access.resource(), policy.document().supportsPolicyVariables()
              ? Patterns.Variables.MATCH_NOTHING : Patterns.Variables.LITERAL);
      if (under) {
        return true;
      }
    }
    return false;
  }

  /** The concrete actions of an Allow statement, and whether to report it per service. */
  private record Expansion(Set<IamAction> actions, boolean perService) {}

  private static Expansion expand(Statement statement, IamCatalog catalog, GrantRef ref, List<String> problems) {
    Set<IamAction> actions = new LinkedHashSet<>();
    if (!statement.actions().isEmpty()) {
      for (String pattern : statement.actions()) {
        if (Patterns.isWildcardFree(pattern)) {
          Optional<ActionInfo> info = catalog.action(pattern);
          if (info.isEmpty()) {
            problems.add("Policy " + ref + " grants " + pattern + ", which the IAM catalog does not know;"
                + " it is reported with no access level");
          }
          actions.add(info.map(ActionInfo::action).orElse(IamAction.parse(pattern)));
        } else {
          List<ActionInfo> matches = catalog.matching(pattern);
          if (matches.isEmpty()) {
            problems.add("Policy " + ref + " grants " + pattern + ", which matches no action the IAM catalog knows");
          }
          matches.forEach(info -> actions.add(info.action()));
        }
      }
    } else {
      for (String service : notActionServices(statement, catalog)) {
        for (ActionInfo info : catalog.actionsOf(service)) {
          if (statement.notActions().stream().noneMatch(p -> Patterns.actionMatches(p, info.action()))) {
            actions.add(info.action());
          }
        }
      }
    }
    boolean perService = actions.size() > PER_SERVICE_THRESHOLD;
    if (perService) {
      problems.add("Policy " + ref + " grants " + actions.size() + " actions ("
          + (statement.actions().isEmpty() ? "NotAction " + statement.notActions() : "Action " + statement.actions())
          + "); it is reported per service, and unused actions of partly used services are not listed one by one");
    }
    return new Expansion(actions, perService);
  }

  /**
   * The services a NotAction statement can reach: those its resource ARNs name, or every service
   * when a resource is {@code *}, has a wildcard service, or the statement uses NotResource.
   */
  private static List<String> notActionServices(Statement statement, IamCatalog catalog) {
    Set<String> services = new TreeSet<>();
    for (String resource : statement.resources()) {
      String[] parts = resource.split(":", 6);
      if (resource.equals("*") || parts.length < 3 || !Patterns.isWildcardFree(parts[2])) {
        services.clear();
        break;
      }
      services.add(parts[2].toLowerCase(Locale.ROOT));
    }
    if (services.isEmpty()) {
      return catalog.matching("*").stream().map(info -> info.action().service().toLowerCase(Locale.ROOT))
          .distinct().sorted().toList();
    }
    return List.copyOf(services);
  }

  private static void diffPerService(Expansion expansion, Statement statement, StatementRef statementRef, GrantRef ref,
      List<String> resources, Map<ActionOnResource, Seen> seen, Observability observability, Findings found, Keep keep,
      SafetyControls safety, GrantSet grantSet, GrantedPolicy policy, IamCatalog catalog) {
    List<Candidate> unused = found.unused();
    List<NotObservablePermission> notObservable = found.notObservable();
    List<KeptPermission> kept = found.kept();
    Set<IamAction> effective = found.effective();
    Map<String, List<IamAction>> byService = new TreeMap<>();
    expansion.actions().forEach(a -> byService.computeIfAbsent(a.service().toLowerCase(Locale.ROOT),
        s -> new ArrayList<>()).add(a));
    Set<IamAction> usedActions = new HashSet<>();
    seen.keySet().forEach(access -> usedActions.add(access.action()));
    for (Map.Entry<String, List<IamAction>> service : byService.entrySet()) {
      IamAction wholeService = new IamAction(service.getKey(), "*");
      boolean anyUsed = service.getValue().stream().anyMatch(usedActions::contains);
      for (String resource : resources) {
        String probe = statement.resources().isEmpty() ? "*" : resource;
        List<IamAction> hidden = new ArrayList<>();
        List<IamAction> observable = new ArrayList<>();
        Visibility hiddenVisibility = null;
        int blocked = 0;
        for (IamAction action : service.getValue()) {
          boolean requestStar = !catalog.action(action).map(ActionInfo::hasResourceTypes).orElse(true);
          if (!PermissionsBoundary.allowsSomewhere(grantSet, action, statement.resources().isEmpty() ? null : resource,
              policy.document(), requestStar)) {
            blocked++;
            continue;
          }
          effective.add(action);
          Visibility visibility = observability.visibility(action, probe);
          // A service-wide row cannot be narrowed per action: a partly recorded action is kept whole.
          if (visibility.absenceMeansUnused() && visibility != Visibility.PARTLY_RECORDED) {
            observable.add(action);
          } else {
            hidden.add(action);
            hiddenVisibility = hiddenVisibility == null ? visibility : hiddenVisibility;
            kept.add(new KeptPermission(action, statementRef));
          }
        }
        if (!hidden.isEmpty()) {
          notObservable.add(new NotObservablePermission(wholeService, resource, ref, hiddenVisibility,
              hidden.size() + " of " + service.getValue().size() + " granted " + service.getKey()
                  + " actions cannot be observed, e.g. " + hidden.get(0) + ": "
                  + observability.reason(hidden.get(0), probe)));
        }
        if (keep == null) {
          // Protected actions are kept as granted and leave the service's unused row.
          List<IamAction> protectedActions = observable.stream().filter(a -> safety.protecting(a) != null).toList();
          for (IamAction action : protectedActions) {
            kept.add(new KeptPermission(action, statementRef, KeptPermission.Why.PROTECTED));
            if (!anyUsed) {
              found.keptBySafety().add(new KeptBySafety(action, resource, ref, RULE_PROTECTED,
                  "matches protect.actions pattern '" + safety.protecting(action) + "': kept as granted"));
            }
          }
          observable.removeAll(protectedActions);
        }
        if (blocked == service.getValue().size()) {
          unused.add(new Candidate(wholeService, null, resource, ref, RULE_BLOCKED_BY_BOUNDARY));
        } else if (!observable.isEmpty() && !anyUsed && keep != null) {
          found.keptBySafety().add(new KeptBySafety(wholeService, resource, ref, keep.rule(), keep.detail()));
        } else if (!observable.isEmpty() && !anyUsed) {
          unused.add(new Candidate(wholeService, null, resource, ref, RULE_SERVICE_NEVER_SEEN, observable));
        }
      }
    }
  }
}
