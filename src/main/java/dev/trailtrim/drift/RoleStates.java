package dev.trailtrim.drift;

import dev.trailtrim.analysis.DeniedCall;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.UnusedPermission;
import dev.trailtrim.analysis.UsedPermission;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A role's analysis (and what the snapshot grants it) as the record the next run compares with. */
public final class RoleStates {

  private RoleStates() {}

  /** @param grants the role's grants from the snapshot; null when it is not in it */
  public static RoleState of(RoleAnalysis analysis, RoleGrants grants) {
    String status = !analysis.grantsKnown() ? "grants-unknown" : analysis.grantsIncomplete() ? "grants-incomplete"
        : analysis.skipped() ? "skipped" : analysis.selfCheckFailed() ? "self-check-failed" : RoleState.ANALYSED;
    List<Grant> granted = grants == null || !grants.complete() ? null : granted(grants);
    SortedSet<String> used = new TreeSet<>();
    analysis.findings().used().stream().map(UsedPermission::action).forEach(a -> used.add(a.toString()));
    SortedSet<String> unused = new TreeSet<>();
    analysis.findings().unused().stream().map(UnusedPermission::action).forEach(a -> unused.add(a.toString()));
    SortedMap<String, Long> denied = new TreeMap<>();
    for (DeniedCall call : analysis.findings().denied()) {
      denied.merge(call.action().toString(), call.count(), Long::sum);
    }
    RoleState.SuggestionState suggestion = null;
    if (analysis.suggestion() != null) {
      SortedSet<String> actions = new TreeSet<>();
      analysis.suggestion().policy().statements().stream().filter(s -> s.effect() == Effect.ALLOW)
          .forEach(s -> actions.addAll(s.actions().isEmpty() ? List.of(notList("NotAction", s.notActions()))
              : s.actions()));
      suggestion = new RoleState.SuggestionState(actions, hash(PolicyJson.render(analysis.suggestion().policy())));
    }
    return new RoleState(analysis.context().roleArn(), status, granted, used, unused, denied, suggestion);
  }

  /** Every (action, resource) an Allow statement of the role's identity policies names; the boundary grants nothing. */
  static List<Grant> granted(RoleGrants grants) {
    Map<String, List<String>> policiesByGrant = new TreeMap<>();
    for (GrantedPolicy policy : grants.policies()) {
      for (Statement statement : policy.document().statements()) {
        if (statement.effect() != Effect.ALLOW) {
          continue;
        }
        List<String> actions = statement.actions().isEmpty() ? List.of(notList("NotAction", statement.notActions()))
            : statement.actions();
        List<String> resources = statement.resources().isEmpty()
            ? List.of(notList("NotResource", statement.notResources())) : statement.resources();
        for (String action : actions) {
          for (String resource : resources) {
            policiesByGrant.computeIfAbsent(action + "\n" + resource, k -> new ArrayList<>()).add(policy.label());
          }
        }
      }
    }
    List<Grant> granted = new ArrayList<>();
    policiesByGrant.forEach((key, policies) -> {
      int split = key.indexOf('\n');
      granted.add(new Grant(key.substring(0, split), key.substring(split + 1), policies));
    });
    return granted;
  }

  private static String notList(String kind, List<String> values) {
    return kind + " [" + String.join(", ", values.stream().sorted().toList()) + "]";
  }

  static String hash(String text) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256", e);
    }
  }
}
