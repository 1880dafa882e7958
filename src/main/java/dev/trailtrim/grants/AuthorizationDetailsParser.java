package dev.trailtrim.grants;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.ParsedPolicy;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyParseException;
import dev.trailtrim.policy.PolicyParser;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the output of {@code aws iam get-account-authorization-details} (or the same shape
 * assembled from the API): roles with their inline policies, attached managed policies
 * (resolved through the {@code Policies} list, default version), permissions boundary and trust
 * policy. A policy that cannot be read becomes a problem on the role that uses it; the other
 * roles go on.
 */
public final class AuthorizationDetailsParser {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AuthorizationDetailsParser() {}

  public static GrantSnapshot parse(JsonNode root) {
    return parse(root, Map.of());
  }

  /**
   * @param fallbackManagedPolicies documents by policy ARN for managed policies the snapshot
   *                                lacks (e.g. AWS managed policies when it was taken with a
   *                                role filter); the snapshot's own copy wins
   */
  public static GrantSnapshot parse(JsonNode root, Map<String, PolicyDocument> fallbackManagedPolicies) {
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Cannot read an authorization-details snapshot: expected a JSON object with"
          + " RoleDetailList and Policies, got " + (root == null ? "nothing" : root.getNodeType()));
    }
    if (!root.has("RoleDetailList")) {
      problems.add("The snapshot has no RoleDetailList: take it with"
          + " 'aws iam get-account-authorization-details' including roles");
    }
    Map<String, ManagedPolicy> managed = readManagedPolicies(root.path("Policies"), problems);
    List<RoleGrants> roles = new ArrayList<>();
    int index = 0;
    for (JsonNode role : root.path("RoleDetailList")) {
      index++;
      String arn = role.path("Arn").isTextual() ? role.path("Arn").textValue() : null;
      String arnProblem = RoleContext.roleArnProblem(arn);
      if (arnProblem != null) {
        problems.add("RoleDetailList entry " + index + " (" + role.path("RoleName").asText("no name")
            + ") has no valid Arn (" + arnProblem + "); skipped");
        continue;
      }
      roles.add(readRole(role, arn, managed, fallbackManagedPolicies));
    }
    return new GrantSnapshot(roles, problems);
  }

  /** A managed policy's default version, or why it cannot be read. */
  private record ManagedPolicy(String name, PolicyDocument document, List<String> notes, String problem) {}

  private static Map<String, ManagedPolicy> readManagedPolicies(JsonNode policies, List<String> problems) {
    Map<String, ManagedPolicy> byArn = new HashMap<>();
    for (JsonNode policy : policies) {
      String arn = policy.path("Arn").asText(null);
      String name = policy.path("PolicyName").asText(arn);
      if (arn == null) {
        problems.add("A managed policy '" + name + "' in Policies has no Arn; skipped");
        continue;
      }
      String defaultVersion = policy.path("DefaultVersionId").asText(null);
      JsonNode document = null;
      for (JsonNode version : policy.path("PolicyVersionList")) {
        boolean isDefault = version.path("IsDefaultVersion").asBoolean(false)
            || (defaultVersion != null && defaultVersion.equals(version.path("VersionId").asText(null)));
        if (isDefault) {
          document = version.get("Document");
          break;
        }
      }
      if (document == null) {
        byArn.put(arn, new ManagedPolicy(name, null, List.of(), "Managed policy '" + name + "' (" + arn
            + ") has no default version document in the snapshot; take the snapshot with its PolicyVersionList"));
        continue;
      }
      try {
        ParsedPolicy parsed = PolicyParser.parseWithNotes(document);
        byArn.put(arn, new ManagedPolicy(name, parsed.document(), parsed.notes(), null));
      } catch (PolicyParseException e) {
        byArn.put(arn, new ManagedPolicy(name, null, List.of(), "Managed policy '" + name + "' (" + arn + "): "
            + e.getMessage()));
      }
    }
    return byArn;
  }

  private static RoleGrants readRole(JsonNode role, String arn, Map<String, ManagedPolicy> managed,
      Map<String, PolicyDocument> fallback) {
    String[] parts = arn.split(":", 6);
    String roleName = role.path("RoleName").asText(arn.substring(arn.lastIndexOf('/') + 1));
    List<String> problems = new ArrayList<>();
    // What of the role's grants is unknown: then no suggestion can be trusted (DESIGN.md, invariant 6).
    List<String> missing = new ArrayList<>();
    List<GrantedPolicy> policies = new ArrayList<>();
    for (JsonNode inline : role.path("RolePolicyList")) {
      String name = inline.path("PolicyName").asText("(unnamed)");
      try {
        ParsedPolicy parsed = PolicyParser.parseWithNotes(inline.get("PolicyDocument"));
        policies.add(new GrantedPolicy(GrantedPolicy.Kind.INLINE, name, null, parsed.document()));
        parsed.notes().forEach(note -> problems.add("Inline policy '" + name + "': " + note));
      } catch (PolicyParseException e) {
        missing.add("Inline policy '" + name + "' was not read, so its grants are unknown: " + e.getMessage());
      }
    }
    for (JsonNode attached : role.path("AttachedManagedPolicies")) {
      String policyArn = attached.path("PolicyArn").asText(null);
      String name = attached.path("PolicyName").asText(policyArn);
      GrantedPolicy policy = resolve(GrantedPolicy.Kind.MANAGED, name, policyArn, managed, fallback, problems, missing);
      if (policy != null) {
        policies.add(policy);
      }
    }
    GrantedPolicy boundary = null;
    JsonNode boundaryNode = role.get("PermissionsBoundary");
    if (boundaryNode != null && !boundaryNode.isNull()) {
      String boundaryArn = boundaryNode.path("PermissionsBoundaryArn").asText(null);
      boundary = resolve(GrantedPolicy.Kind.BOUNDARY, boundaryArn == null ? "(no ARN)"
          : boundaryArn.substring(boundaryArn.lastIndexOf('/') + 1), boundaryArn, managed, fallback, problems, missing);
      if (boundary == null) {
        missing.add("The permissions boundary could not be read, so what the role may do is over-stated");
      }
    }
    Set<String> trusted = trustedServices(role.get("AssumeRolePolicyDocument"), problems);
    return new RoleGrants(arn, roleName, role.path("Path").asText("/"), parts[4], trusted, policies, boundary, problems,
        createDate(role.path("CreateDate").asText(null)), missing);
  }

  /**
   * The role's CreateDate as the CLI ({@code 2025-03-14T09:21:05+00:00}), boto3 dumps
   * ({@code 2022-08-07 12:55:43+00:00}) or the API ({@code 2024-01-02T03:04:05Z}) write it; null
   * when absent or unreadable, which makes the role's age unknown (the analysis says so).
   */
  static Instant createDate(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text.strip().replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) ", "$1T")).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static GrantedPolicy resolve(GrantedPolicy.Kind kind, String name, String policyArn,
      Map<String, ManagedPolicy> managed, Map<String, PolicyDocument> fallback, List<String> problems,
      List<String> missing) {
    String what = kind == GrantedPolicy.Kind.BOUNDARY ? "Permissions boundary" : "Attached managed policy";
    if (policyArn == null) {
      missing.add(what + " '" + name + "' has no ARN in the snapshot; its grants are unknown");
      return null;
    }
    ManagedPolicy found = managed.get(policyArn);
    if (found == null && fallback.containsKey(policyArn)) {
      return new GrantedPolicy(kind, name, policyArn, fallback.get(policyArn));
    }
    if (found == null) {
      missing.add(what + " '" + name + "' (" + policyArn + ") is not in the snapshot's Policies;"
          + " take the snapshot without a filter that drops managed policies (e.g. --filter Role alone)");
      return null;
    }
    if (found.problem() != null) {
      missing.add(what + " " + found.problem());
      return null;
    }
    found.notes().forEach(note -> problems.add(what + " '" + name + "': " + note));
    return new GrantedPolicy(kind, name, policyArn, found.document());
  }

  /** Principal.Service of the trust policy's Allow statements; trust policies are read leniently. */
  private static Set<String> trustedServices(JsonNode document, List<String> problems) {
    Set<String> services = new TreeSet<>();
    if (document == null || document.isNull()) {
      return services;
    }
    JsonNode trust = document;
    if (document.isTextual()) {
      String text = document.textValue().strip();
      try {
        if (!text.startsWith("{")) {
          text = URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        trust = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        problems.add("The trust policy (AssumeRolePolicyDocument) is not valid JSON: " + e.getOriginalMessage());
        return services;
      } catch (IllegalArgumentException e) {
        // A bad %-escape: the one role's trust is unknown, the snapshot's other roles are not.
        problems.add("The trust policy (AssumeRolePolicyDocument) is neither JSON nor URL-encoded JSON: "
            + e.getMessage());
        return services;
      }
    }
    JsonNode statements = trust.path("Statement");
    List<JsonNode> list = new ArrayList<>();
    if (statements.isArray()) {
      statements.forEach(list::add);
    } else if (statements.isObject()) {
      list.add(statements);
    }
    for (JsonNode statement : list) {
      if (!"Allow".equals(statement.path("Effect").asText())) {
        continue;
      }
      JsonNode service = statement.path("Principal").path("Service");
      if (service.isTextual()) {
        services.add(service.textValue());
      } else if (service.isArray()) {
        service.forEach(s -> services.add(s.asText()));
      }
    }
    return services;
  }
}
