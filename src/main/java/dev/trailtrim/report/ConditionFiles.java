package dev.trailtrim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.analysis.LogEvidence;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.model.CallContexts;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.policy.ConditionSuggestions;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.PolicySize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The opt-in variant of a role's suggested policy with conditions ({@code --suggest-conditions}):
 * {@code policies-with-conditions/<account-id>/<role>.json} (or {@code .part-N.json}, as under
 * {@code policies/}), and beside it, in {@code condition-evidence/<account-id>/<role>.json}, each
 * condition with the calls behind it, the conditions not proposed and why, and the request contexts
 * the calls showed per action. A role whose logs have a gap where it acts gets no variant: its
 * evidence file says why ({@code withheld}).
 */
public final class ConditionFiles {

  /** Where the suggestions with conditions go, beside {@code policies/} and never in it. */
  public static final String FOLDER = "policies-with-conditions/";
  /** Where each role's condition evidence goes. */
  public static final String EVIDENCE_FOLDER = "condition-evidence/";

  private ConditionFiles() {}

  /**
   * The role's files by path relative to the run; empty without a suggestion.
   *
   * @param contexts per action, the request contexts of the role's calls IAM allowed in the window
   */
  public static Map<String, String> render(RoleAnalysis analysis, Map<String, CallContexts> contexts) {
    Map<String, String> files = new LinkedHashMap<>();
    if (analysis.suggestion() == null) {
      return files;
    }
    String account = SafeNames.segment(analysis.context().accountId()) + "/";
    List<String> names = SuggestedPolicyFiles.names(analysis);
    List<PolicyDocument> parts = analysis.suggestion().parts();
    ObjectNode evidence = JsonNodeFactory.instance.objectNode();
    evidence.put("roleArn", analysis.context().roleArn());
    evidence.put("window", analysis.context().window().from() + "/" + analysis.context().window().to());
    String evidencePath = EVIDENCE_FOLDER + account + SafeNames.segment(analysis.context().roleName()) + ".json";
    String incomplete = logsIncomplete(analysis);
    if (incomplete != null) {
      // A condition narrows the role to what its calls showed; where the logs miss some of its calls, those
      // could show another region, endpoint or prefix. No variant, and the evidence says why.
      evidence.put("withheld", incomplete);
      evidence.set("callContexts", contextsJson(contexts));
      files.put(evidencePath, CanonicalJson.write(evidence));
      return files;
    }
    ArrayNode policies = evidence.putArray("policies");
    ArrayNode proposed = evidence.putArray("conditions");
    ArrayNode notProposed = evidence.putArray("notProposed");
    ArrayNode leftAlone = evidence.putArray("statementsWithoutConditions");
    for (int i = 0; i < parts.size(); i++) {
      ConditionSuggestions.Result result = ConditionSuggestions.suggest(parts.get(i), contexts);
      String path = FOLDER + account + names.get(i);
      files.put(path, PolicyJson.render(result.policy()));
      // Conditions lengthen a policy: whether the variant still fits IAM's limit for its file is for the reader.
      int size = PolicyJson.sizeWithoutWhitespace(result.policy());
      int limit = analysis.suggestion().size().layout() == PolicySize.Layout.INLINE ? PolicyJson.INLINE_ROLE_LIMIT
          : PolicyJson.MANAGED_POLICY_LIMIT;
      policies.addObject().put("path", path).put("suggestion", "policies/" + account + names.get(i))
          .put("sizeWithoutWhitespace", size).put("limit", limit).put("withinLimit", size <= limit);
      result.proposed().forEach(p -> {
        ObjectNode node = proposed.addObject().put("sid", p.sid()).put("operator", p.operator()).put("key", p.key());
        p.values().forEach(node.putArray("values")::add);
        node.put("calls", p.calls()).put("basis", p.basis());
        p.callsPerAction().forEach(node.putObject("callsPerAction")::put);
      });
      result.notProposed().forEach(n -> notProposed.addObject().put("sid", n.sid()).put("key", n.key())
          .put("reason", n.reason()));
      result.leftAlone().forEach(l -> leftAlone.addObject().put("sid", l.sid()).put("reason", l.reason()));
    }
    evidence.set("callContexts", contextsJson(contexts));
    files.put(evidencePath, CanonicalJson.write(evidence));
    return files;
  }

  /** Why the role's logs cannot support a condition; null when they cover everywhere and every day it acts. */
  private static String logsIncomplete(RoleAnalysis analysis) {
    LogEvidence logs = analysis.evidence();
    if (logs == null) {
      return "no log evidence for the role: conditions are proposed only from logs known to be complete";
    }
    if (logs.gap() != null) {
      return "the logs are incomplete for the role (" + logs.gap().rule() + "): " + logs.gap().detail()
          + "; conditions are proposed only from logs known to be complete";
    }
    return null;
  }

  /** What the calls showed per action, "too many" for a set past its cap. */
  private static ObjectNode contextsJson(Map<String, CallContexts> contexts) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    new TreeMap<>(contexts).forEach((action, summary) -> {
      ObjectNode one = node.putObject(action);
      one.put("calls", summary.calls());
      values(one, "regions", summary.regions(), "callsWithoutRegion", summary.callsWithoutRegion());
      values(one, "vpcEndpoints", summary.vpcEndpoints(), "callsWithoutVpcEndpoint",
          summary.callsWithoutVpcEndpoint());
      values(one, "invokedBy", summary.callers(), "callsByTheRoleItself", summary.callsWithoutCaller());
      if (summary.commonPrefix() != null || !summary.prefixes().isEmpty()) {
        values(one, "prefixes", summary.prefixes(), "listingsWithoutPrefix", summary.callsWithoutPrefix());
      }
    });
    return node;
  }

  private static void values(ObjectNode node, String name, Set<String> values, String without, long count) {
    if (values == null) {
      node.put(name, "more than " + CallContexts.MAX_VALUES);
    } else {
      new ArrayList<>(values).forEach(node.putArray(name)::add);
    }
    node.put(without, count);
  }
}
