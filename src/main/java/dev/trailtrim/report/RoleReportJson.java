package dev.trailtrim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.analysis.DeniedCall;
import dev.trailtrim.analysis.FailedCall;
import dev.trailtrim.analysis.FunctionSplit;
import dev.trailtrim.analysis.GrantRef;
import dev.trailtrim.analysis.KeptBySafety;
import dev.trailtrim.analysis.NotObservablePermission;
import dev.trailtrim.analysis.Risk;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.SafetyDecision;
import dev.trailtrim.analysis.UnexplainedCall;
import dev.trailtrim.analysis.UnusedPermission;
import dev.trailtrim.analysis.UsedPermission;
import dev.trailtrim.analysis.UsedResource;
import dev.trailtrim.catalog.AccessLevel;
import dev.trailtrim.inventory.FunctionFinding;
import dev.trailtrim.inventory.FunctionUse;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.policy.ObservedOnlyPolicy;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.PolicySize;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-role report ({@code roles/<account-id>/<role-name>.json}, names as {@link SafeNames}
 * encodes them): sorted keys, sorted lists, times as ISO-8601 UTC, {@code \n} line endings;
 * byte-identical for identical analyses.
 */
public final class RoleReportJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Distinct unused actions {@code topRisks} names, riskiest first. */
  static final int TOP_ACTIONS = 10;

  private RoleReportJson() {}

  public static String render(RoleAnalysis analysis) {
    return CanonicalJson.write(CanonicalJson.sortedKeys(toJson(analysis)));
  }

  /**
   * The report with the role's {@code functions} (name, region, ARN, runtime, architecture, last
   * modified, whether seen active, and what names it) and its {@code findings} from the inventory.
   */
  public static String render(RoleAnalysis analysis, List<FunctionUse> functions, List<FunctionFinding> findings) {
    ObjectNode root = toJson(analysis);
    ArrayNode list = root.putArray("functions");
    for (FunctionUse function : functions) {
      ObjectNode node = list.addObject();
      node.put("name", function.name());
      node.put("region", function.region());
      node.put("arn", function.arn());
      node.put("runtime", function.runtime());
      node.put("architecture", function.architecture());
      node.put("lastModified", function.lastModified());
      node.put("seenActive", function.seenActive());
      node.put("evidence", function.evidence());
    }
    ArrayNode findingList = root.putArray("findings");
    findings.forEach(finding -> findingList.add(finding(finding)));
    if (analysis.split() != null) {
      root.set("perFunction", perFunction(analysis, functions));
    }
    return CanonicalJson.write(CanonicalJson.sortedKeys(root));
  }

  /**
   * A shared role's proposed split: per function its policy's files (one per region it runs in), the actions it
   * allows and its size, and what it alone needs; the calls no function is known for (in every function's); and the
   * functions given no policy, with why.
   */
  private static ObjectNode perFunction(RoleAnalysis analysis, List<FunctionUse> functions) {
    ObjectNode node = JSON.objectNode();
    ArrayNode list = node.putArray("functions");
    for (FunctionSplit.FunctionPolicy policy : analysis.split().functions()) {
      ObjectNode function = list.addObject();
      function.put("name", policy.function());
      ArrayNode files = function.putArray("files");
      functions.stream().filter(f -> f.name().equals(policy.function()))
          .forEach(f -> files.add(SuggestedPolicyFiles.perFunctionPath(analysis, f.region(), f.name())));
      function.put("actions", policy.actions());
      function.put("size", policy.size().sizeWithoutWhitespace());
      function.set("needsAlone", permissions(policy.needsAlone()));
    }
    node.set("unattributed", permissions(analysis.split().unattributed()));
    ArrayNode withheld = node.putArray("withheld");
    analysis.split().withheld().forEach(w -> withheld.addObject().put("name", w.function()).put("reason", w.reason()));
    return node;
  }

  private static ArrayNode permissions(List<ActionOnResource> permissions) {
    ArrayNode list = JSON.arrayNode();
    permissions.forEach(p -> list.addObject().put("action", p.action().toString()).put("resource", p.resource()));
    return list;
  }

  /** One inventory finding as the role report and summary.json show it. */
  public static ObjectNode finding(FunctionFinding finding) {
    ObjectNode node = JSON.objectNode();
    node.put("rule", finding.rule());
    node.put("accountId", finding.accountId());
    node.put("roleArn", finding.roleArn());
    node.put("function", finding.function());
    node.put("detail", finding.detail());
    return node;
  }

  /** What the logs could show about the role: where it acts, how each region is covered, what is missing. */
  private static com.fasterxml.jackson.databind.JsonNode evidence(dev.trailtrim.analysis.LogEvidence evidence) {
    if (evidence == null) {
      return JSON.nullNode();
    }
    ObjectNode node = JSON.objectNode();
    node.put("accountId", evidence.accountId());
    ArrayNode regions = node.putArray("regions");
    evidence.regions().forEach(regions::add);
    node.put("regionsFrom", evidence.regionsFrom());
    node.put("minObservationDays", evidence.minDays());
    node.put("trailFacts", evidence.trailFacts());
    ArrayNode coverage = node.putArray("coverage");
    for (var region : evidence.coverage()) {
      ObjectNode r = coverage.addObject();
      r.put("region", region.region());
      r.put("coveredDays", region.coveredDays());
      r.put("windowDays", region.windowDays());
      r.put("notCovered", region.gaps());
    }
    if (evidence.gap() == null) {
      node.putNull("missing");
    } else {
      ObjectNode missing = node.putObject("missing");
      missing.put("rule", evidence.gap().rule());
      missing.put("detail", evidence.gap().detail());
    }
    return node;
  }

  /** Where a role's report goes, relative to the run: {@code roles/<account-id>/<role-name>.json}. */
  public static String path(RoleContext ctx) {
    return "roles/" + SafeNames.segment(ctx.accountId()) + "/" + SafeNames.segment(ctx.roleName()) + ".json";
  }

  /**
   * The report of a role whose analysis or rendering failed: who it is, the error, and no
   * policy, so one bad role costs only its own suggestion.
   */
  public static String renderFailure(RoleContext ctx, String error) {
    ObjectNode root = JSON.objectNode();
    putRole(root, ctx);
    root.put("analysisFailed", error);
    root.putNull("suggestedPolicy");
    root.putArray("problems").add("The analysis of this role failed, so nothing is reported for it and no policy"
        + " is suggested; the rest of the run is complete. Fix the input the error names, or report the error with"
        + " this file");
    return CanonicalJson.write(CanonicalJson.sortedKeys(root));
  }

  /** Who the role is and the window: the head of every report, failed or not. */
  private static void putRole(ObjectNode root, RoleContext ctx) {
    root.put("roleArn", ctx.roleArn());
    root.put("accountId", ctx.accountId());
    root.put("roleName", ctx.roleName());
    ObjectNode window = root.putObject("window");
    window.put("from", ctx.window().from().toString());
    window.put("to", ctx.window().to().toString());
    window.put("days", ctx.window().days());
    root.put("lambdaEvidence", ctx.lambdaEvidence());
  }

  public static ObjectNode toJson(RoleAnalysis analysis) {
    ObjectNode root = JSON.objectNode();
    putRole(root, analysis.context());
    root.put("grantsKnown", analysis.grantsKnown());
    root.put("roleCreateDate", analysis.roleCreateDate() == null ? null : analysis.roleCreateDate().toString());
    putSafety(root, analysis.safety());
    root.set("used", used(analysis.findings().used()));
    root.set("unused", unused(analysis.findings().unused()));
    root.set("topRisks", topRisks(analysis));
    root.set("notObservable", notObservable(analysis.findings().notObservable()));
    putCalls(root, analysis.findings());
    ArrayNode problems = root.putArray("problems");
    analysis.problems().forEach(problems::add);
    root.set("evidence", evidence(analysis.evidence()));
    root.set("suggestedPolicy", suggestedPolicy(analysis));
    root.set("observedOnlyPolicy", observedOnly(analysis));
    ObjectNode granted = root.putObject("granted");
    ArrayNode policies = granted.putArray("policies");
    analysis.granted().policies().forEach(policies::add);
    granted.put("boundary", analysis.granted().boundary());
    granted.put("actions", analysis.granted().actionCount());
    root.set("summary", summary(analysis));
    return root;
  }

  /** What the safety controls did: to the whole role, and to single unused permissions. */
  private static void putSafety(ObjectNode root, RoleAnalysis.Safety safety) {
    ArrayNode decisions = root.putArray("safety");
    for (SafetyDecision decision : safety.decisions()) {
      ObjectNode node = decisions.addObject();
      node.put("rule", decision.rule());
      node.put("detail", decision.detail());
    }
    ArrayNode keptBySafety = root.putArray("keptBySafety");
    for (KeptBySafety kept : safety.kept()) {
      ObjectNode node = keptBySafety.addObject();
      node.put("action", kept.action().toString());
      node.put("resource", kept.resource());
      grant(node, kept.grantedBy());
      node.put("decidedBy", kept.rule());
      node.put("detail", kept.detail());
    }
  }

  private static ArrayNode used(List<UsedPermission> permissions) {
    ArrayNode used = JSON.arrayNode();
    for (UsedPermission permission : permissions) {
      ObjectNode node = used.addObject();
      node.put("action", permission.action().toString());
      node.put("accessLevel", label(permission.accessLevel()));
      node.put("count", permission.count());
      node.put("firstSeen", time(permission.firstSeenMillis()));
      node.put("lastSeen", time(permission.lastSeenMillis()));
      ArrayNode resources = node.putArray("resources");
      for (UsedResource resource : permission.resources()) {
        ObjectNode r = resources.addObject();
        r.put("resource", resource.resource());
        r.put("count", resource.count());
        r.put("firstSeen", time(resource.firstSeenMillis()));
        r.put("lastSeen", time(resource.lastSeenMillis()));
        r.put("allowedBy", resource.allowedBy());
        r.put("allowConditional", resource.allowConditional());
        r.put("decidedBy", resource.decidedBy());
      }
    }
    return used;
  }

  private static ArrayNode unused(List<UnusedPermission> permissions) {
    ArrayNode unused = JSON.arrayNode();
    for (UnusedPermission permission : permissions) {
      ObjectNode node = unused.addObject();
      node.put("action", permission.action().toString());
      node.put("accessLevel", label(permission.accessLevel()));
      node.put("resource", permission.resource());
      grant(node, permission.grantedBy());
      node.put("decidedBy", permission.decidedBy());
      node.put("risk", permission.risk().label());
      node.put("riskReason", permission.riskReason());
    }
    return unused;
  }

  private static ArrayNode notObservable(List<NotObservablePermission> permissions) {
    ArrayNode notObservable = JSON.arrayNode();
    for (NotObservablePermission permission : permissions) {
      ObjectNode node = notObservable.addObject();
      node.put("action", permission.action().toString());
      node.put("resource", permission.resource());
      grant(node, permission.grantedBy());
      node.put("visibility", permission.visibility().name());
      node.put("rule", permission.visibility().rule());
      node.put("reason", permission.reason());
    }
    return notObservable;
  }

  /** The calls that are not plain use: denied, failed, and successful but not explained by the grants. */
  private static void putCalls(ObjectNode root, RoleAnalysis.Findings findings) {
    ArrayNode denied = root.putArray("denied");
    for (DeniedCall call : findings.denied()) {
      calls(denied, call.action(), call.resource(), call.count(), call.firstSeenMillis(), call.lastSeenMillis())
          .put("errorCode", call.errorCode());
    }
    ArrayNode failed = root.putArray("failed");
    for (FailedCall call : findings.failed()) {
      calls(failed, call.action(), call.resource(), call.count(), call.firstSeenMillis(), call.lastSeenMillis())
          .put("errorCode", call.errorCode())
          .put("countsAsUse", call.countsAsUse())
          .put("decidedBy", failedRule(call));
    }
    ArrayNode unexplained = root.putArray("notGrantedButUsed");
    for (UnexplainedCall call : findings.unexplained()) {
      calls(unexplained, call.action(), call.resource(), call.count(), call.firstSeenMillis(), call.lastSeenMillis())
          .put("reason", call.reason());
    }
  }

  /** The suggestion's size and where the job writes it: one inline policy, or managed policies. */
  private static com.fasterxml.jackson.databind.JsonNode suggestedPolicy(RoleAnalysis analysis) {
    if (analysis.suggestion() == null) {
      return JSON.nullNode();
    }
    PolicySize size = analysis.suggestion().size();
    ObjectNode suggested = JSON.objectNode();
    suggested.put("sizeWithoutWhitespace", size.sizeWithoutWhitespace());
    suggested.put("limit", size.limit());
    suggested.put("withinLimit", size.withinLimit());
    suggested.put("generalisedToFit", size.generalisedToFit());
    suggested.put("managedPoliciesNeeded", size.managedPoliciesNeeded());
    suggested.put("statements", analysis.suggestion().policy().statements().size());
    suggested.put("actions", analysis.suggestion().actions());
    // Where the job writes it: one inline policy, or managed policies of at most 6,144 characters each.
    suggested.put("layout", size.layout().label());
    ArrayNode files = suggested.putArray("files");
    List<String> paths = SuggestedPolicyFiles.paths(analysis);
    for (int i = 0; i < paths.size(); i++) {
      ObjectNode file = files.addObject();
      file.put("file", paths.get(i));
      file.put("sizeWithoutWhitespace", size.partSizes().get(i));
      file.put("limit", size.layout() == PolicySize.Layout.INLINE ? PolicyJson.INLINE_ROLE_LIMIT
          : PolicyJson.MANAGED_POLICY_LIMIT);
      file.put("statements", analysis.suggestion().parts().get(i).statements().size());
    }
    return suggested;
  }

  private static ObjectNode summary(RoleAnalysis analysis) {
    RoleAnalysis.Findings findings = analysis.findings();
    ObjectNode summary = JSON.objectNode();
    summary.put("usedActions", findings.used().size());
    summary.put("usedResources", findings.used().stream().mapToInt(u -> u.resources().size()).sum());
    summary.put("unused", findings.unused().size());
    summary.put("keptBySafety", analysis.safety().kept().size());
    summary.put("notObservable", findings.notObservable().size());
    summary.put("denied", findings.denied().size());
    summary.put("failed", findings.failed().size());
    summary.put("notGrantedButUsed", findings.unexplained().size());
    summary.put("problems", analysis.problems().size());
    return summary;
  }

  /** Where the observed-only policy of a role missing from the snapshot is, and what to know before using it. */
  private static com.fasterxml.jackson.databind.JsonNode observedOnly(RoleAnalysis analysis) {
    ObservedOnlyPolicy observed = analysis.observedOnly();
    if (observed == null) {
      return JSON.nullNode();
    }
    ObjectNode node = JSON.objectNode();
    node.put("checkedAgainstGrants", false);
    node.put("detail", "The role is not in the IAM snapshot, so this policy holds its successful calls alone and was"
        + " checked against no grant: it may allow what the role is not granted today. Compare it with the role's"
        + " policies before using it, or add the role to the snapshot and run again for a checked suggestion");
    node.put("sidPrefix", ObservedOnlyPolicy.SID_PREFIX);
    node.put("layout", observed.layout().label());
    node.put("statements", observed.policy().statements().size());
    ArrayNode files = node.putArray("files");
    List<String> paths = SuggestedPolicyFiles.observedOnlyPaths(analysis);
    for (int i = 0; i < paths.size(); i++) {
      ObjectNode file = files.addObject();
      file.put("file", paths.get(i));
      file.put("sizeWithoutWhitespace", PolicyJson.sizeWithoutWhitespace(observed.parts().get(i)));
      file.put("statements", observed.parts().get(i).statements().size());
    }
    ArrayNode notes = node.putArray("notes");
    observed.notes().forEach(notes::add);
    return node;
  }

  /** How many unused permissions per risk, and the riskiest actions first, so a reader knows where to start. */
  private static ObjectNode topRisks(RoleAnalysis analysis) {
    ObjectNode top = JSON.objectNode();
    ObjectNode counts = top.putObject("counts");
    Map<Risk, Integer> byRisk = new EnumMap<>(Risk.class);
    analysis.findings().unused().forEach(u -> byRisk.merge(u.risk(), 1, Integer::sum));
    byRisk.forEach((risk, count) -> counts.put(risk.label(), count));
    Risk highest = highestRisk(analysis);
    top.put("highest", highest == null ? null : highest.label());
    ArrayNode actions = top.putArray("actions");
    Set<String> listed = new HashSet<>();
    for (UnusedPermission permission : analysis.findings().unused()) {
      if (listed.size() == TOP_ACTIONS || permission.risk() == Risk.NOT_EFFECTIVE) {
        break;
      }
      if (listed.add(permission.action().toString())) {
        ObjectNode node = actions.addObject();
        node.put("action", permission.action().toString());
        node.put("risk", permission.risk().label());
        node.put("riskReason", permission.riskReason());
      }
    }
    return top;
  }

  /** The highest risk among the unused permissions that removing would change anything for; null if none. */
  static Risk highestRisk(RoleAnalysis analysis) {
    return analysis.findings().unused().stream().map(UnusedPermission::risk).filter(r -> r != Risk.NOT_EFFECTIVE)
        .min(Comparator.naturalOrder()).orElse(null);
  }

  /** The rule a failed call is reported with: whether it got past authorization. */
  static String failedRule(FailedCall call) {
    return call.countsAsUse() ? "failed-after-authorization" : "failed-before-authorization";
  }

  /** One entry of calls made: what, on what, how often, when. */
  private static ObjectNode calls(ArrayNode list, dev.trailtrim.model.IamAction action, String resource, long count,
      long firstSeenMillis, long lastSeenMillis) {
    ObjectNode node = list.addObject();
    node.put("action", action.toString());
    node.put("resource", resource);
    node.put("count", count);
    node.put("firstSeen", time(firstSeenMillis));
    node.put("lastSeen", time(lastSeenMillis));
    return node;
  }

  private static void grant(ObjectNode node, GrantRef ref) {
    node.put("policy", ref.policyLabel());
    node.put("policyName", ref.policyName());
    node.put("policyArn", ref.policyArn());
    node.put("statementNumber", ref.statementNumber());
    node.put("statementSid", ref.statementSid());
  }

  private static String label(AccessLevel level) {
    return level == null ? null : level.label();
  }

  private static String time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }
}
