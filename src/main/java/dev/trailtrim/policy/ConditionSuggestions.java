package dev.trailtrim.policy;

import dev.trailtrim.model.CallContexts;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Conditions for a suggested policy that every observed call satisfied ({@code --suggest-conditions}):
 * {@code aws:RequestedRegion} (the regions called), {@code aws:SourceVpce} (only when every call came
 * through a VPC endpoint), {@code aws:CalledVia} and {@code kms:ViaService} (only when every call was
 * made by a service on the role's behalf), {@code s3:prefix} (only when every listing named a prefix).
 * A condition goes on an observed-use statement ({@code Allow...}) only when each of its actions
 * proposes it from its own calls; its values are the union, so each call still satisfies it. Values are
 * never a part of what the calls showed (calls from two regions give both regions or no condition).
 * Kept statements (not observable, protected, as granted) and Denies stay as they are: what they keep
 * was not seen, so nothing seen can narrow it.
 */
public final class ConditionSuggestions {

  /**
   * Services whose calls CloudTrail logs in us-east-1 (or that also have a global endpoint) whatever the
   * region asked: {@code aws:RequestedRegion} cannot be read from their records.
   */
  static final Set<String> GLOBAL_SERVICES = Set.of("iam", "sts", "cloudfront", "route53", "route53domains",
      "organizations", "waf", "shield", "globalaccelerator", "support", "account", "budgets", "ce", "cur", "health",
      "trustedadvisor", "networkmanager", "artifact", "aws-portal", "billing", "signin", "sso", "pricing",
      "savingsplans", "s3:listallmybuckets");

  /** A condition proposed on a statement, with what supports it. */
  public record Proposed(String sid, String operator, String key, List<String> values, long calls,
      SortedMap<String, Long> callsPerAction, String basis) {}

  /** A condition not proposed on a statement, and why. */
  public record NotProposed(String sid, String key, String reason) {}

  /** A statement left without conditions, and why. */
  public record LeftAlone(String sid, String reason) {}

  /**
   * @param policy   the suggestion with the proposed conditions
   * @param proposed each condition added, in statement order
   */
  public record Result(PolicyDocument policy, List<Proposed> proposed, List<NotProposed> notProposed,
      List<LeftAlone> leftAlone) {}

  /** What one action's calls say about one key: a proposal, a reason against, or nothing to say. */
  record ForAction(String operator, List<String> values, String basis, String refusal) {
    static ForAction propose(String operator, SortedSet<String> values, String basis) {
      return new ForAction(operator, List.copyOf(values), basis, null);
    }

    static ForAction refuse(String reason) {
      return new ForAction(null, List.of(), null, reason);
    }
  }

  private static final List<String> KEYS = List.of(RequestContext.REQUESTED_REGION, RequestContext.SOURCE_VPCE,
      RequestContext.CALLED_VIA, RequestContext.KMS_VIA_SERVICE, RequestContext.S3_PREFIX);

  private ConditionSuggestions() {}

  /**
   * @param contexts per action (as the usage names it, e.g. {@code kms:Decrypt}), the request contexts of the
   *                 role's calls IAM allowed in the window
   */
  public static Result suggest(PolicyDocument suggestion, Map<String, CallContexts> contexts) {
    Map<IamAction, CallContexts> byAction = new HashMap<>();
    contexts.forEach((action, summary) -> byAction.merge(IamAction.parse(action), summary,
        (a, b) -> new CallContexts().merge(a).merge(b)));
    List<Statement> statements = new ArrayList<>();
    List<Proposed> proposed = new ArrayList<>();
    List<NotProposed> notProposed = new ArrayList<>();
    List<LeftAlone> leftAlone = new ArrayList<>();
    for (Statement statement : suggestion.statements()) {
      String unfit = unfit(statement, byAction);
      if (unfit != null) {
        leftAlone.add(new LeftAlone(statement.sid(), unfit));
        statements.add(statement);
        continue;
      }
      Map<String, Map<String, List<String>>> added = new TreeMap<>();
      for (String key : KEYS) {
        Proposed one = forStatement(statement, key, byAction, notProposed);
        if (one != null && !statement.conditions().operators().getOrDefault(one.operator(), new TreeMap<>())
            .containsKey(key)) {
          added.computeIfAbsent(one.operator(), o -> new TreeMap<>()).put(key, one.values());
          proposed.add(one);
        }
      }
      statements.add(withConditions(statement, added));
    }
    return new Result(new PolicyDocument(suggestion.version(), statements), proposed, notProposed, leftAlone);
  }

  /** Why the statement takes no condition from the calls; null when it may. */
  static String unfit(Statement statement, Map<IamAction, CallContexts> byAction) {
    if (statement.effect() != Effect.ALLOW) {
      return "a Deny: narrowing it would widen the policy";
    }
    if (statement.sid() == null || !statement.sid().startsWith("Allow")) {
      return "kept without being seen (not observable, protected or as granted): no call shows its context";
    }
    if (statement.actions().isEmpty() || statement.actions().stream().anyMatch(a -> !Patterns.isWildcardFree(a))) {
      return "its actions are patterns: calls of some of them may not have been seen";
    }
    for (String action : statement.actions()) {
      CallContexts summary = byAction.get(IamAction.parse(action));
      if (summary == null || summary.calls() == 0) {
        return action + " has no call with a known request context in the window";
      }
    }
    return null;
  }

  /** The key's condition for the whole statement: every action must propose it with the same operator. */
  private static Proposed forStatement(Statement statement, String key, Map<IamAction, CallContexts> byAction,
      List<NotProposed> notProposed) {
    String operator = null;
    TreeSet<String> values = new TreeSet<>();
    SortedMap<String, Long> calls = new TreeMap<>();
    List<String> refusals = new ArrayList<>();
    Set<String> bases = new TreeSet<>();
    boolean missing = false;
    for (String actionName : statement.actions()) {
      IamAction action = IamAction.parse(actionName);
      CallContexts summary = byAction.get(action);
      ForAction one = forAction(action, summary, key);
      calls.put(actionName, summary.calls());
      if (one == null) {
        missing = true;
      } else if (one.refusal() != null) {
        refusals.add(actionName + ": " + one.refusal());
      } else if (operator != null && !operator.equals(one.operator())) {
        refusals.add(actionName + ": needs " + one.operator() + ", another action " + operator);
      } else {
        operator = one.operator();
        values.addAll(one.values());
        bases.add(one.basis());
      }
    }
    if (!refusals.isEmpty()) {
      notProposed.add(new NotProposed(statement.sid(), key, String.join("; ", refusals)));
      return null;
    }
    if (operator == null) {
      return null;
    }
    if (missing) {
      notProposed.add(new NotProposed(statement.sid(), key, "only some of the statement's actions carry it: "
          + calls.keySet().stream().filter(a -> forAction(IamAction.parse(a), byAction.get(IamAction.parse(a)), key)
              == null).toList()
          + " do not"));
      return null;
    }
    return new Proposed(statement.sid(), operator, key, List.copyOf(values),
        calls.values().stream().mapToLong(Long::longValue).sum(), calls, String.join("; ", bases));
  }

  /** What one action's calls say about one key; null when they say nothing (no call had it, or it does not apply). */
  static ForAction forAction(IamAction action, CallContexts summary, String key) {
    return switch (key) {
      case RequestContext.REQUESTED_REGION -> requestedRegion(action, summary);
      case RequestContext.SOURCE_VPCE -> sourceVpce(summary);
      case RequestContext.CALLED_VIA -> calledVia(summary);
      case RequestContext.KMS_VIA_SERVICE -> action.service().equalsIgnoreCase("kms") ? viaService(summary) : null;
      case RequestContext.S3_PREFIX -> action.equals(new IamAction("s3", "ListBucket")) ? prefix(summary) : null;
      default -> throw new IllegalArgumentException("No condition is proposed on key '" + key + "'");
    };
  }

  private static ForAction requestedRegion(IamAction action, CallContexts summary) {
    if (GLOBAL_SERVICES.contains(action.service().toLowerCase(java.util.Locale.ROOT))
        || GLOBAL_SERVICES.contains(action.key())) {
      return ForAction.refuse("a global service: its calls are logged in us-east-1 whatever region they named");
    }
    if (summary.regions() == null) {
      return ForAction.refuse("calls from more than " + CallContexts.MAX_VALUES + " regions");
    }
    if (summary.callsWithoutRegion() > 0 || summary.regions().isEmpty()) {
      return ForAction.refuse(summary.callsWithoutRegion() + " of " + summary.calls() + " calls name no region");
    }
    return ForAction.propose("StringEquals", summary.regions(), "awsRegion of every call");
  }

  private static ForAction sourceVpce(CallContexts summary) {
    if (summary.vpcEndpoints() != null && summary.vpcEndpoints().isEmpty()) {
      return null;
    }
    if (summary.callsWithoutVpcEndpoint() > 0) {
      return ForAction.refuse((summary.calls() - summary.callsWithoutVpcEndpoint()) + " of " + summary.calls()
          + " calls came through a VPC endpoint, the others did not");
    }
    if (summary.vpcEndpoints() == null) {
      return ForAction.refuse("calls through more than " + CallContexts.MAX_VALUES + " VPC endpoints");
    }
    return ForAction.propose("StringEquals", summary.vpcEndpoints(), "vpcEndpointId of every call");
  }

  /**
   * The services that made the calls ({@code service@region}) when every call was made by one, else why not.
   *
   * @param refusal null when {@code callers} holds them
   */
  private record Callers(SortedSet<String> callers, ForAction refusal) {}

  /** Null when no call was made by a service. */
  private static Callers callers(CallContexts summary) {
    if (summary.callers() != null && summary.callers().isEmpty()) {
      return null;
    }
    if (summary.callsWithoutCaller() > 0) {
      return new Callers(null, ForAction.refuse((summary.calls() - summary.callsWithoutCaller()) + " of "
          + summary.calls() + " calls were made by a service on the role's behalf, the others by the role itself"));
    }
    if (summary.callers() == null) {
      return new Callers(null, ForAction.refuse("calls made by more than " + CallContexts.MAX_VALUES
          + " services and regions"));
    }
    return new Callers(summary.callers(), null);
  }

  private static ForAction calledVia(CallContexts summary) {
    Callers callers = callers(summary);
    if (callers == null || callers.refusal() != null) {
      return callers == null ? null : callers.refusal();
    }
    TreeSet<String> services = new TreeSet<>();
    for (String caller : callers.callers()) {
      String service = serviceOf(caller);
      if (!RequestContext.CALLED_VIA_SERVICES.contains(service)) {
        return ForAction.refuse(service + " does not set aws:CalledVia (only "
            + new TreeSet<>(RequestContext.CALLED_VIA_SERVICES) + " do)");
      }
      services.add(service);
    }
    return ForAction.propose("ForAnyValue:StringEquals", services, "userIdentity.invokedBy of every call");
  }

  private static ForAction viaService(CallContexts summary) {
    Callers callers = callers(summary);
    if (callers == null || callers.refusal() != null) {
      return callers == null ? null : callers.refusal();
    }
    TreeSet<String> values = new TreeSet<>();
    for (String caller : callers.callers()) {
      String region = caller.substring(caller.lastIndexOf(CallContexts.CALLER_REGION_SEPARATOR) + 1);
      String value = RequestContext.viaService(serviceOf(caller), region.isEmpty() ? null : region);
      if (value == null) {
        return ForAction.refuse("no kms:ViaService can be named for " + caller);
      }
      values.add(value);
    }
    return ForAction.propose("StringEquals", values, "userIdentity.invokedBy and awsRegion of every call");
  }

  private static String serviceOf(String caller) {
    return caller.substring(0, caller.lastIndexOf(CallContexts.CALLER_REGION_SEPARATOR));
  }

  private static ForAction prefix(CallContexts summary) {
    if (summary.callsWithoutPrefix() > 0) {
      return ForAction.refuse(summary.callsWithoutPrefix() + " of " + summary.calls() + " listings named no prefix");
    }
    SortedSet<String> prefixes = summary.prefixes();
    String folder = summary.commonPrefix().substring(0, summary.commonPrefix().lastIndexOf('/') + 1);
    if (prefixes != null && prefixes.size() == 1 && literal(prefixes.first())) {
      return ForAction.propose("StringEquals", prefixes, "requestParameters.prefix of every listing");
    }
    if (!folder.isEmpty() && literal(folder)) {
      return ForAction.propose("StringLike", new TreeSet<>(List.of(folder + "*")),
          "requestParameters.prefix of every listing starts with " + folder);
    }
    if (prefixes != null && prefixes.stream().allMatch(ConditionSuggestions::literal)) {
      return ForAction.propose("StringEquals", prefixes, "requestParameters.prefix of every listing");
    }
    return ForAction.refuse("the prefixes listed share no folder and are too many or hold *, ? or $");
  }

  /** A value IAM reads as itself: no wildcard of StringLike, no policy variable. */
  private static boolean literal(String value) {
    return value.indexOf('*') < 0 && value.indexOf('?') < 0 && value.indexOf('$') < 0;
  }

  private static Statement withConditions(Statement statement, Map<String, Map<String, List<String>>> added) {
    if (added.isEmpty()) {
      return statement;
    }
    SortedMap<String, SortedMap<String, List<String>>> operators = new TreeMap<>();
    statement.conditions().operators().forEach((op, keys) -> operators.put(op, new TreeMap<>(keys)));
    added.forEach((op, keys) -> operators.computeIfAbsent(op, o -> new TreeMap<>()).putAll(keys));
    return new Statement(statement.sid(), statement.effect(), statement.actions(), statement.notActions(),
        statement.resources(), statement.notResources(), new Conditions(operators));
  }
}
