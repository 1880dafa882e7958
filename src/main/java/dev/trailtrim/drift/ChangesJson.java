package dev.trailtrim.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.CanonicalJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code changes.json}, the {@code changes} block of summary.json and the job log's lines: the one
 * place {@link RunChanges} becomes text. Sorted keys, so identical comparisons give identical bytes; no
 * run id of its own (its folder names it), so two first runs of the same input write the same files.
 */
public final class ChangesJson {

  /** Where in the run folder the changes are written. */
  public static final String PATH = "changes.json";
  /** The denied-call spike rule, in words, as changes.json states it. */
  public static final String SPIKE_RULE = "an action's denied calls in the window are more than "
      + DriftComparison.SPIKE_FACTOR + " times the previous run's and at least " + DriftComparison.SPIKE_FLOOR;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChangesJson() {}

  public static String render(RunChanges changes) {
    ObjectNode root = head(changes);
    root.put("deniedSpikeRule", SPIKE_RULE);
    changes.rolesAdded().forEach(root.putArray("rolesAdded")::add);
    changes.rolesRemoved().forEach(root.putArray("rolesRemoved")::add);
    ArrayNode roles = root.putArray("roles");
    for (RoleChanges role : changes.roles()) {
      ObjectNode node = roles.addObject();
      node.put("roleArn", role.roleArn());
      node.put("accountId", RoleContext.accountIdOf(role.roleArn()));
      node.put("roleName", RoleContext.roleNameOf(role.roleArn()));
      node.put("status", role.status());
      node.put("previousStatus", role.previousStatus());
      grants(node.putArray("newlyGranted"), role.newlyGranted());
      grants(node.putArray("newlyRevoked"), role.newlyRevoked());
      role.newlyUsed().forEach(node.putArray("newlyUsed")::add);
      role.newlyUnused().forEach(node.putArray("newlyUnused")::add);
      denied(node.putArray("newlyDenied"), role.newlyDenied());
      denied(node.putArray("deniedSpikes"), role.deniedSpikes());
      if (role.suggestion() == null) {
        node.putNull("suggestionChanged");
      } else {
        ObjectNode s = node.putObject("suggestionChanged");
        role.suggestion().actionsAdded().forEach(s.putArray("actionsAdded")::add);
        role.suggestion().actionsRemoved().forEach(s.putArray("actionsRemoved")::add);
        s.put("previousPolicyHash", role.suggestion().previousHash());
        s.put("policyHash", role.suggestion().hash());
      }
      role.notes().forEach(node.putArray("notes")::add);
    }
    return CanonicalJson.write(CanonicalJson.sortedKeys(root));
  }

  /** summary.json's {@code changes}: the previous run, whether it was compared, and the counts. */
  public static ObjectNode summary(RunChanges changes) {
    ObjectNode block = head(changes);
    counts(changes).forEach(block.putObject("counts")::put);
    return (ObjectNode) CanonicalJson.sortedKeys(block);
  }

  private static ObjectNode head(RunChanges changes) {
    ObjectNode root = NODES.objectNode();
    root.put("previousRunId", changes.previousRunId());
    root.put("comparison", changes.comparison().label());
    root.put("firstRun", changes.comparison() == RunChanges.Comparison.FIRST_RUN);
    root.put("reason", changes.reason());
    return root;
  }

  /** How many of each change, in a fixed order. */
  public static Map<String, Long> counts(RunChanges changes) {
    List<RoleChanges> changed = changes.changedRoles();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("rolesAdded", (long) changes.rolesAdded().size());
    counts.put("rolesRemoved", (long) changes.rolesRemoved().size());
    counts.put("rolesChanged", (long) changed.size());
    counts.put("newlyGranted", changed.stream().mapToLong(r -> r.newlyGranted().size()).sum());
    counts.put("newlyRevoked", changed.stream().mapToLong(r -> r.newlyRevoked().size()).sum());
    counts.put("newlyUsed", changed.stream().mapToLong(r -> r.newlyUsed().size()).sum());
    counts.put("newlyUnused", changed.stream().mapToLong(r -> r.newlyUnused().size()).sum());
    counts.put("newlyDenied", changed.stream().mapToLong(r -> r.newlyDenied().size()).sum());
    counts.put("deniedSpikes", changed.stream().mapToLong(r -> r.deniedSpikes().size()).sum());
    counts.put("suggestionsChanged", changed.stream().filter(r -> r.suggestion() != null).count());
    return counts;
  }

  /** The job log's lines: one per role with changes, then one for the run. */
  public static List<String> lines(RunChanges changes) {
    List<String> lines = new ArrayList<>();
    if (changes.comparison() != RunChanges.Comparison.COMPARED) {
      lines.add("trailtrim: changes: " + (changes.previousRunId() == null ? "" : "not compared with run "
          + changes.previousRunId() + ": ") + changes.reason());
      return lines;
    }
    for (String arn : changes.rolesAdded()) {
      lines.add(String.format(Locale.ROOT, "  %-44s role added since run %s", name(arn), changes.previousRunId()));
    }
    for (String arn : changes.rolesRemoved()) {
      lines.add(String.format(Locale.ROOT, "  %-44s role removed since run %s", name(arn), changes.previousRunId()));
    }
    for (RoleChanges role : changes.changedRoles()) {
      lines.add(String.format(Locale.ROOT, "  %-44s %s", name(role.roleArn()), describe(role)));
    }
    List<String> counts = new ArrayList<>();
    counts(changes).forEach((what, count) -> {
      if (count > 0) {
        counts.add(words(what) + " " + count);
      }
    });
    lines.add("trailtrim: changes since run " + changes.previousRunId() + ": " + (counts.isEmpty() ? "none"
        : String.join(", ", counts)) + " (" + PATH + ")");
    return lines;
  }

  /** One role's changes in a phrase, as the log and report.html say them. */
  public static String describe(RoleChanges role) {
    List<String> parts = new ArrayList<>();
    if (role.previousStatus() != null) {
      parts.add(role.previousStatus() + " -> " + role.status());
    }
    if (!role.newlyGranted().isEmpty()) {
      parts.add("newly granted " + String.join(", ", role.newlyGranted().stream()
          .map(g -> g.action() + " on " + g.resource()).toList()));
    }
    if (!role.newlyRevoked().isEmpty()) {
      parts.add(role.newlyRevoked().size() + " revoked");
    }
    list(parts, "newly used", role.newlyUsed());
    list(parts, "newly unused", role.newlyUnused());
    list(parts, "newly denied", role.newlyDenied().stream().map(d -> d.action() + " (" + d.count() + ")").toList());
    list(parts, "denied spike", role.deniedSpikes().stream().map(d -> d.action() + " (" + d.previousCount() + " -> "
        + d.count() + ")").toList());
    if (role.suggestion() != null) {
      parts.add("suggestion changed (+" + role.suggestion().actionsAdded().size() + "/-"
          + role.suggestion().actionsRemoved().size() + " actions)");
    }
    return String.join("; ", parts);
  }

  private static void list(List<String> parts, String what, List<String> values) {
    if (!values.isEmpty()) {
      parts.add(what + " " + String.join(", ", values));
    }
  }

  private static String name(String roleArn) {
    return RoleContext.accountIdOf(roleArn) + "/" + RoleContext.roleNameOf(roleArn);
  }

  /** {@code newlyGranted} as {@code newly granted}. */
  private static String words(String camelCase) {
    return camelCase.replaceAll("([A-Z])", " $1").toLowerCase(Locale.ROOT);
  }

  private static void grants(ArrayNode list, List<Grant> grants) {
    for (Grant grant : grants) {
      ObjectNode node = list.addObject();
      node.put("action", grant.action());
      node.put("resource", grant.resource());
      grant.policies().forEach(node.putArray("policies")::add);
    }
  }

  private static void denied(ArrayNode list, List<RoleChanges.DeniedChange> denied) {
    for (RoleChanges.DeniedChange change : denied) {
      ObjectNode node = list.addObject();
      node.put("action", change.action());
      node.put("previousCount", change.previousCount());
      node.put("count", change.count());
    }
  }
}
