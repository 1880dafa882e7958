package dev.trailtrim.policy;

import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A policy of a role's observed use alone, for a role whose grants are unknown (it is missing
 * from the IAM snapshot): each action on the resources its successful calls named, nothing
 * generalised. Nothing checks it against what the role is granted, so it may allow what the role
 * never could; every statement's Sid starts with {@link #SID_PREFIX} to say so wherever the
 * document goes. Over IAM's inline limit it is split into managed policies as suggestions are.
 *
 * @param policy the whole document
 * @param parts  the documents to write: the policy itself, or the managed policies it is split into
 * @param layout how the parts are meant to be attached
 * @param notes  what a reader must know before using it, sorted
 */
public record ObservedOnlyPolicy(PolicyDocument policy, List<PolicyDocument> parts, PolicySize.Layout layout,
    List<String> notes) {

  /** Starts every statement's Sid: the statement was not checked against any grant. */
  public static final String SID_PREFIX = "ObservedNotCheckedAgainstGrants";

  public ObservedOnlyPolicy {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(layout, "layout");
    parts = List.copyOf(parts);
    notes = notes.stream().distinct().sorted().toList();
  }

  /**
   * @param succeeded   the role's successful calls (canonical actions, resource patterns)
   * @param leftOut     calls that failed after IAM allowed them: not in the policy, named in a note
   * @return null when there was no successful call to build from
   */
  public static ObservedOnlyPolicy build(Collection<ActionOnResource> succeeded, Collection<ActionOnResource> leftOut,
      IamCatalog catalog) {
    if (succeeded.isEmpty()) {
      return null;
    }
    List<String> notes = new ArrayList<>();
    Map<IamAction, TreeSet<String>> resourcesByAction = new TreeMap<>();
    for (ActionOnResource access : succeeded) {
      IamAction action = catalog.action(access.action()).map(ActionInfo::action).orElse(access.action());
      boolean resourceUnknown = access.resource().equals(ActionOnResource.ANY_RESOURCE)
          && catalog.action(action).map(ActionInfo::hasResourceTypes).orElse(true);
      if (resourceUnknown) {
        notes.add("The resource of " + action + " calls is not in the logs: it is written as \"*\"; narrow it to"
            + " what the function uses");
      }
      String stable = stablePrefix(access.resource());
      if (stable != null) {
        notes.add("Names under " + stable + " change with every invocation, so the observed ones will not recur;"
            + " widen them to " + stable + "* if the role's grants allow that");
      }
      resourcesByAction.computeIfAbsent(action, a -> new TreeSet<>()).add(access.resource());
    }
    // One statement per distinct resource list, its actions together.
    Map<List<String>, TreeSet<String>> actionsByResources = new LinkedHashMap<>();
    resourcesByAction.forEach((action, resources) -> actionsByResources.computeIfAbsent(
        resources.contains(ActionOnResource.ANY_RESOURCE) ? List.of(ActionOnResource.ANY_RESOURCE)
            : List.copyOf(resources),
        r -> new TreeSet<>()).add(action.toString()));
    List<Statement> statements = new ArrayList<>();
    Set<String> sids = new HashSet<>();
    for (Map.Entry<List<String>, TreeSet<String>> entry : actionsByResources.entrySet()) {
      Statement unnamed = new Statement(null, Effect.ALLOW, List.copyOf(entry.getValue()), List.of(), entry.getKey(),
          List.of(), Conditions.NONE);
      // Named as suggestions are: every service the statement holds, Stmt2, Stmt3... for repeats.
      String sid = PolicyTightener.uniqueSid(SID_PREFIX + PolicyTightener.holdsWord(unnamed), sids);
      statements.add(new Statement(sid, Effect.ALLOW, unnamed.actions(), List.of(), unnamed.resources(), List.of(),
          Conditions.NONE));
    }
    for (ActionOnResource access : new TreeSet<>(leftOut)) {
      if (succeeded.contains(access)) {
        continue;
      }
      notes.add("Left out: " + access.action() + " on " + access.resource() + ", whose calls failed after IAM allowed"
          + " them; add it if the function needs it");
    }
    PolicyDocument policy = new PolicyDocument(PolicyDocument.CURRENT_VERSION, statements);
    if (PolicyJson.sizeWithoutWhitespace(policy) <= PolicyJson.INLINE_ROLE_LIMIT) {
      return new ObservedOnlyPolicy(policy, List.of(policy), PolicySize.Layout.INLINE, notes);
    }
    PolicySplitter.Split split = PolicySplitter.split(policy, PolicyJson.MANAGED_POLICY_LIMIT, catalog);
    notes.addAll(split.notes());
    notes.add("Split: over IAM's " + PolicyJson.INLINE_ROLE_LIMIT + " characters for a role's inline policies, it is"
        + " written as " + split.parts().size() + " managed policies of at most " + PolicyJson.MANAGED_POLICY_LIMIT
        + " characters each");
    return new ObservedOnlyPolicy(policy, split.parts(), PolicySize.Layout.MANAGED_POLICIES, notes);
  }

  /** {@code arn:...:log-group:g:log-stream:} for a log stream's ARN: the part that stays; null for stable names. */
  private static String stablePrefix(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length < 6) {
      return null;
    }
    String stable = PolicyTightener.stablePart(parts[2], parts[5]);
    return stable == null ? null : String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], stable);
  }
}
