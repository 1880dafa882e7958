package dev.trailtrim.analysis;

import static dev.trailtrim.analysis.RoleAnalyzer.RULE_BLOCKED_BY_BOUNDARY;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_DATA_NEVER_SEEN;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_MANAGEMENT_NEVER_SEEN;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_NEEDS_STAR;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_OPTED_OUT;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_PROTECTED;
import static dev.trailtrim.analysis.RoleAnalyzer.RULE_SERVICE_NEVER_SEEN;

import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.KeptPermission;
import dev.trailtrim.policy.Patterns;
import dev.trailtrim.policy.PermissionsBoundary;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.policy.StatementRef;
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
 * The diff of a role's statements against its observed use, one statement at a time: each granted
 * (action, resource) is unused, not observable, kept by a safety control, or used. Statements that
 * expand to very many actions ({@code "Action": "*"}, {@code NotAction} with broad resources) are
 * diffed per service rather than per action. The findings accumulate in its fields.
 */
final class StatementDiff {

  /** Above this many actions a statement is reported per service, not per action. */
  static final int PER_SERVICE_THRESHOLD = 500;

  /** A safety control keeping a whole statement: the rule and why. */
  record Keep(String rule, String detail) {}

  /**
   * One Allow statement being diffed.
   *
   * @param resources its Resource patterns, or one {@code NotResource [...]} entry
   * @param keep      the safety control keeping it whole, or null
   */
  record Granted(GrantedPolicy policy, StatementRef statementRef, GrantRef ref, List<String> resources, Keep keep) {
    Statement statement() {
      return statementRef.statement();
    }

    boolean notResource() {
      return statement().resources().isEmpty();
    }

    /** Where to ask the logs about the resource: {@code *} for a NotResource statement. */
    String probe(String resource) {
      return notResource() ? "*" : resource;
    }
  }

  /** The concrete actions of an Allow statement, and whether to report it per service. */
  record Expansion(Set<IamAction> actions, boolean perService) {}

  private final ObservedCalls calls;
  private final GrantSet grantSet;
  private final Observability observability;
  private final SafetyControls safety;
  private final IamCatalog catalog;

  final List<UnusedCandidate> unused = new ArrayList<>();
  final List<NotObservablePermission> notObservable = new ArrayList<>();
  /** Granted permissions the suggestion keeps though the window shows no use (not observable, protected). */
  final List<KeptPermission> kept = new ArrayList<>();
  final List<KeptBySafety> keptBySafety = new ArrayList<>();
  /** Actions the role can use somewhere (identity and boundary allow them): what escalation methods need. */
  final Set<IamAction> effective = new HashSet<>();
  /** Statements a safety control keeps exactly as they are. */
  final List<StatementRef> keepAsIs = new ArrayList<>();
  /** Parts of grants the trails do not record (PARTLY_RECORDED): kept like calls, as narrow as IAM can say. */
  final Set<ActionOnResource> unrecorded = new TreeSet<>();
  final Set<IamAction> grantedActions = new HashSet<>();
  final List<String> problems = new ArrayList<>();

  StatementDiff(ObservedCalls calls, GrantSet grantSet, Observability observability, SafetyControls safety,
      IamCatalog catalog) {
    this.calls = calls;
    this.grantSet = grantSet;
    this.observability = observability;
    this.safety = safety;
    this.catalog = catalog;
    effective.addAll(calls.actions());
  }

  /**
   * Diffs every statement of the policies.
   *
   * @param keepAll the safety control keeping everything granted, or null
   */
  StatementDiff diffAll(List<GrantedPolicy> policies, Keep keepAll) {
    for (GrantedPolicy policy : policies) {
      for (int number = 1; number <= policy.document().statements().size(); number++) {
        diff(policy, number, keepAll);
      }
    }
    return this;
  }

  void diff(GrantedPolicy policy, int number, Keep keepAll) {
    Statement statement = policy.document().statements().get(number - 1);
    StatementRef statementRef = new StatementRef(policy.label(), number, statement);
    Keep keep = safety.optsOut(statement.sid()) ? new Keep(RULE_OPTED_OUT, "Sid '" + statement.sid()
        + "' starts with opt.out.sid.prefix '" + safety.optOutSidPrefix() + "': the statement is kept as it is")
        : keepAll;
    if (statement.effect() != Effect.ALLOW) {
      if (keep != null && keep.rule().equals(RULE_OPTED_OUT)) {
        keepAsIs.add(statementRef);
      }
      return;
    }
    if (keep != null) {
      keepAsIs.add(statementRef);
    }
    GrantRef ref = new GrantRef(policy.label(), policy.name(), policy.arn(), number, statement.sid());
    if (policy.document().supportsPolicyVariables()
        && statement.resources().stream().anyMatch(Patterns::hasPolicyVariable)) {
      problems.add("Policy " + ref + " uses policy variables in Resource; they are treated as matching nothing,"
          + " so calls only it allows count as not explained");
    }
    Expansion expansion = expand(statement, ref);
    grantedActions.addAll(expansion.actions());
    List<String> resources = statement.resources().isEmpty()
        ? List.of("NotResource " + statement.notResources()) : statement.resources();
    Granted granted = new Granted(policy, statementRef, ref, resources, keep);
    if (expansion.perService()) {
      diffPerService(expansion, granted);
      return;
    }
    for (IamAction action : expansion.actions()) {
      for (String resource : resources) {
        diffAction(granted, action, resource);
      }
    }
  }

  /** One granted (action, resource pattern) of a statement diffed per action. */
  void diffAction(Granted granted, IamAction action, String resource) {
    Optional<ActionInfo> info = catalog.action(action);
    AccessLevel level = info.map(ActionInfo::accessLevel).orElse(null);
    boolean requestStar = info.isPresent() && !info.get().hasResourceTypes();
    if (!granted.notResource() && requestStar
        && !Patterns.resourceMatches(resource, "*", Patterns.Variables.MATCH_NOTHING)) {
      unused.add(new UnusedCandidate(action, level, resource, granted.ref(), RULE_NEEDS_STAR));
      return;
    }
    if (!PermissionsBoundary.allowsSomewhere(grantSet, action, granted.notResource() ? null : resource,
        granted.policy().document(), requestStar)) {
      // Not effectively granted: IAM refuses it whatever the identity policy says.
      unused.add(new UnusedCandidate(action, level, resource, granted.ref(), RULE_BLOCKED_BY_BOUNDARY));
      return;
    }
    effective.add(action);
    String probe = granted.probe(resource);
    Visibility visibility = observability.visibility(action, probe);
    if (!visibility.absenceMeansUnused()) {
      notObservable.add(new NotObservablePermission(action, resource, granted.ref(), visibility,
          observability.reason(action, probe)));
      kept.add(new KeptPermission(action, granted.statementRef()));
      return;
    }
    if (visibility == Visibility.PARTLY_RECORDED) {
      keepUnrecordedPart(granted, action, probe);
    }
    String protectedBy = granted.keep() == null ? safety.protecting(action) : null;
    if (protectedBy != null) {
      // Kept as granted, used or not: the suggestion never narrows what the configuration protects.
      kept.add(new KeptPermission(action, granted.statementRef(), KeptPermission.Why.PROTECTED));
    }
    if (!calls.usedUnder(action, granted.notResource() ? null : resource, granted.statement(), granted.policy(),
        info)) {
      unusedOrKept(granted, action, level, resource, protectedBy,
          visibility == Visibility.MANAGEMENT_EVENT ? RULE_MANAGEMENT_NEVER_SEEN : RULE_DATA_NEVER_SEEN);
    }
  }

  /** The trails do not record this part: it is kept, narrowed to it; the rest is judged as usual. */
  private void keepUnrecordedPart(Granted granted, IamAction action, String probe) {
    for (String part : observability.unrecordedPart(action, probe)) {
      notObservable.add(new NotObservablePermission(action, part, granted.ref(), Visibility.PARTLY_RECORDED,
          observability.reason(action, probe)));
      if (PolicyEvaluator.evaluate(grantSet, action, part).allowedUnlessConditionalDeny()) {
        unrecorded.add(new ActionOnResource(action, part));
      } else {
        kept.add(new KeptPermission(action, granted.statementRef()));
      }
    }
  }

  /** A grant the window shows no use of: unused, unless a safety control keeps it. */
  private void unusedOrKept(Granted granted, IamAction action, AccessLevel level, String resource, String protectedBy,
      String rule) {
    if (granted.keep() != null) {
      keptBySafety.add(new KeptBySafety(action, resource, granted.ref(), granted.keep().rule(),
          granted.keep().detail()));
    } else if (protectedBy != null) {
      keptBySafety.add(new KeptBySafety(action, resource, granted.ref(), RULE_PROTECTED,
          "matches protect.actions pattern '" + protectedBy + "': kept as granted"));
    } else {
      unused.add(new UnusedCandidate(action, level, resource, granted.ref(), rule));
    }
  }

  Expansion expand(Statement statement, GrantRef ref) {
    Set<IamAction> actions = new LinkedHashSet<>();
    if (!statement.actions().isEmpty()) {
      for (String pattern : statement.actions()) {
        actions.addAll(expandPattern(pattern, ref));
      }
    } else {
      for (String service : notActionServices(statement)) {
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

  private List<IamAction> expandPattern(String pattern, GrantRef ref) {
    if (Patterns.isWildcardFree(pattern)) {
      Optional<ActionInfo> info = catalog.action(pattern);
      if (info.isEmpty()) {
        problems.add("Policy " + ref + " grants " + pattern + ", which the IAM catalog does not know;"
            + " it is reported with no access level");
      }
      return List.of(info.map(ActionInfo::action).orElse(IamAction.parse(pattern)));
    }
    List<ActionInfo> matches = catalog.matching(pattern);
    if (matches.isEmpty()) {
      problems.add("Policy " + ref + " grants " + pattern + ", which matches no action the IAM catalog knows");
    }
    return matches.stream().map(ActionInfo::action).toList();
  }

  /**
   * The services a NotAction statement can reach: those its resource ARNs name, or every service
   * when a resource is {@code *}, has a wildcard service, or the statement uses NotResource.
   */
  private List<String> notActionServices(Statement statement) {
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

  /** A statement of very many actions, one row per service and resource pattern. */
  void diffPerService(Expansion expansion, Granted granted) {
    Map<String, List<IamAction>> byService = new TreeMap<>();
    expansion.actions().forEach(a -> byService.computeIfAbsent(a.service().toLowerCase(Locale.ROOT),
        s -> new ArrayList<>()).add(a));
    Set<IamAction> usedActions = calls.actions();
    byService.forEach((service, actions) -> {
      boolean anyUsed = actions.stream().anyMatch(usedActions::contains);
      for (String resource : granted.resources()) {
        diffService(granted, service, actions, anyUsed, resource);
      }
    });
  }

  /** How a service's granted actions on one resource pattern split. */
  private record ServiceSplit(List<IamAction> observable, List<IamAction> hidden, Visibility hiddenVisibility,
      int blocked) {}

  private void diffService(Granted granted, String service, List<IamAction> actions, boolean anyUsed,
      String resource) {
    IamAction wholeService = new IamAction(service, "*");
    String probe = granted.probe(resource);
    ServiceSplit split = splitService(granted, actions, resource, probe);
    List<IamAction> observable = new ArrayList<>(split.observable());
    if (!split.hidden().isEmpty()) {
      IamAction example = split.hidden().get(0);
      notObservable.add(new NotObservablePermission(wholeService, resource, granted.ref(), split.hiddenVisibility(),
          split.hidden().size() + " of " + actions.size() + " granted " + service + " actions cannot be observed,"
              + " e.g. " + example + ": " + observability.reason(example, probe)));
    }
    if (granted.keep() == null) {
      // Protected actions are kept as granted and leave the service's unused row.
      List<IamAction> protectedActions = observable.stream().filter(a -> safety.protecting(a) != null).toList();
      for (IamAction action : protectedActions) {
        kept.add(new KeptPermission(action, granted.statementRef(), KeptPermission.Why.PROTECTED));
        if (!anyUsed) {
          keptBySafety.add(new KeptBySafety(action, resource, granted.ref(), RULE_PROTECTED,
              "matches protect.actions pattern '" + safety.protecting(action) + "': kept as granted"));
        }
      }
      observable.removeAll(protectedActions);
    }
    if (split.blocked() == actions.size()) {
      unused.add(new UnusedCandidate(wholeService, null, resource, granted.ref(), RULE_BLOCKED_BY_BOUNDARY));
    } else if (!observable.isEmpty() && !anyUsed && granted.keep() != null) {
      keptBySafety.add(new KeptBySafety(wholeService, resource, granted.ref(), granted.keep().rule(),
          granted.keep().detail()));
    } else if (!observable.isEmpty() && !anyUsed) {
      unused.add(new UnusedCandidate(wholeService, null, resource, granted.ref(), RULE_SERVICE_NEVER_SEEN,
          observable));
    }
  }

  /** Blocked by the boundary, observable, or hidden (kept) for each action of the service. */
  private ServiceSplit splitService(Granted granted, List<IamAction> actions, String resource, String probe) {
    List<IamAction> hidden = new ArrayList<>();
    List<IamAction> observable = new ArrayList<>();
    Visibility hiddenVisibility = null;
    int blocked = 0;
    for (IamAction action : actions) {
      boolean requestStar = !catalog.action(action).map(ActionInfo::hasResourceTypes).orElse(true);
      if (!PermissionsBoundary.allowsSomewhere(grantSet, action, granted.notResource() ? null : resource,
          granted.policy().document(), requestStar)) {
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
        kept.add(new KeptPermission(action, granted.statementRef()));
      }
    }
    return new ServiceSplit(observable, hidden, hiddenVisibility, blocked);
  }
}
