package dev.trailtrim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.testing.IamQueryApiServer.IamError;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The role-policy half of {@link IamQueryApiServer}: IAM's actions on a role's inline policies, its
 * attached managed policies and the managed policies themselves, over the served
 * authorization-details document, which they change (so {@code GetAccountAuthorizationDetails}
 * shows the changes too). Responses and errors follow IAM's: documents URL-encoded as given,
 * {@code NoSuchEntity} (404), {@code EntityAlreadyExists} (409), {@code DeleteConflict} (409),
 * {@code LimitExceeded} (409), {@code MalformedPolicyDocument} (400). The caller holds the lock.
 */
final class RolePolicyStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ACTIONS = Set.of("ListRolePolicies", "GetRolePolicy", "PutRolePolicy",
      "DeleteRolePolicy", "ListAttachedRolePolicies", "AttachRolePolicy", "DetachRolePolicy", "CreatePolicy",
      "GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "CreatePolicyVersion", "DeletePolicyVersion",
      "DeletePolicy");
  /** IAM keeps at most five versions of a managed policy. */
  private static final int MAX_VERSIONS = 5;
  private static final List<String> POLICY_KEYS = List.of("PolicyName", "PolicyId", "Arn", "Path",
      "DefaultVersionId", "AttachmentCount", "PermissionsBoundaryUsageCount", "IsAttachable", "Description",
      "CreateDate", "UpdateDate");

  private final ObjectNode details;

  RolePolicyStore(ObjectNode details) {
    this.details = details;
  }

  boolean handles(String action) {
    return ACTIONS.contains(action);
  }

  /** The action's Result content, or null for actions whose response has none. */
  String handle(String action, Map<String, String> params) {
    return switch (action) {
      case "ListRolePolicies" -> listRolePolicies(params);
      case "GetRolePolicy" -> getRolePolicy(params);
      case "PutRolePolicy" -> putRolePolicy(params);
      case "DeleteRolePolicy" -> deleteRolePolicy(params);
      case "ListAttachedRolePolicies" -> listAttachedRolePolicies(params);
      case "AttachRolePolicy" -> attachRolePolicy(params);
      case "DetachRolePolicy" -> detachRolePolicy(params);
      case "CreatePolicy" -> createPolicy(params);
      case "GetPolicy" -> "<Policy>" + policyFields(policy(required(params, "PolicyArn"))) + "</Policy>";
      case "GetPolicyVersion" -> getPolicyVersion(params);
      case "ListPolicyVersions" -> listPolicyVersions(params);
      case "CreatePolicyVersion" -> createPolicyVersion(params);
      case "DeletePolicyVersion" -> deletePolicyVersion(params);
      case "DeletePolicy" -> deletePolicy(params);
      default -> throw new IllegalArgumentException("Not a role-policy action: " + action);
    };
  }

  Map<String, String> inlinePolicies(String roleName) {
    Map<String, String> policies = new LinkedHashMap<>();
    for (JsonNode policy : role(roleName).path("RolePolicyList")) {
      policies.put(policy.path("PolicyName").asText(), documentText(policy.get("PolicyDocument")));
    }
    return policies;
  }

  List<String> attachedPolicies(String roleName) {
    List<String> arns = new ArrayList<>();
    role(roleName).path("AttachedManagedPolicies").forEach(p -> arns.add(p.path("PolicyArn").asText()));
    return arns;
  }

  String defaultDocument(String policyArn) {
    ObjectNode policy = findPolicy(policyArn);
    return policy == null ? null : documentText(defaultVersion(policy).get("Document"));
  }

  private String listRolePolicies(Map<String, String> params) {
    StringBuilder xml = new StringBuilder("<PolicyNames>");
    for (JsonNode policy : role(required(params, "RoleName")).path("RolePolicyList")) {
      xml.append("<member>").append(IamQueryApiServer.escape(policy.path("PolicyName").asText()))
          .append("</member>");
    }
    return xml.append("</PolicyNames><IsTruncated>false</IsTruncated>").toString();
  }

  private String getRolePolicy(Map<String, String> params) {
    String roleName = required(params, "RoleName");
    String name = required(params, "PolicyName");
    JsonNode policy = inlinePolicy(role(roleName), name);
    if (policy == null) {
      throw new IamError(404, "NoSuchEntity", "The role policy with name " + name + " cannot be found.");
    }
    return "<RoleName>" + IamQueryApiServer.escape(roleName) + "</RoleName><PolicyName>"
        + IamQueryApiServer.escape(name) + "</PolicyName><PolicyDocument>"
        + IamQueryApiServer.escape(IamQueryApiServer.urlEncodeDocument(policy.get("PolicyDocument")))
        + "</PolicyDocument>";
  }

  private String putRolePolicy(Map<String, String> params) {
    ObjectNode role = role(required(params, "RoleName"));
    String name = required(params, "PolicyName");
    String document = wellFormed(required(params, "PolicyDocument"));
    ObjectNode existing = inlinePolicy(role, name);
    if (existing != null) {
      existing.put("PolicyDocument", document);
    } else {
      ArrayNode list = role.has("RolePolicyList") ? (ArrayNode) role.get("RolePolicyList")
          : role.putArray("RolePolicyList");
      list.addObject().put("PolicyName", name).put("PolicyDocument", document);
    }
    return null;
  }

  private String deleteRolePolicy(Map<String, String> params) {
    ObjectNode role = role(required(params, "RoleName"));
    String name = required(params, "PolicyName");
    ArrayNode list = role.get("RolePolicyList") instanceof ArrayNode found ? found : role.arrayNode();
    for (int i = 0; i < list.size(); i++) {
      if (name.equals(list.get(i).path("PolicyName").asText())) {
        list.remove(i);
        return null;
      }
    }
    throw new IamError(404, "NoSuchEntity", "The role policy with name " + name + " cannot be found.");
  }

  private String listAttachedRolePolicies(Map<String, String> params) {
    StringBuilder xml = new StringBuilder("<AttachedPolicies>");
    for (JsonNode attached : role(required(params, "RoleName")).path("AttachedManagedPolicies")) {
      xml.append("<member><PolicyName>").append(IamQueryApiServer.escape(attached.path("PolicyName").asText()))
          .append("</PolicyName><PolicyArn>").append(IamQueryApiServer.escape(attached.path("PolicyArn")
              .asText()))
          .append("</PolicyArn></member>");
    }
    return xml.append("</AttachedPolicies><IsTruncated>false</IsTruncated>").toString();
  }

  private String attachRolePolicy(Map<String, String> params) {
    ObjectNode role = role(required(params, "RoleName"));
    String arn = required(params, "PolicyArn");
    ObjectNode policy = findPolicy(arn);
    if (policy == null) {
      throw new IamError(404, "NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
    }
    if (attachedIndex(role, arn) >= 0) {
      return null; // attaching twice changes nothing, as in IAM
    }
    ArrayNode list = role.has("AttachedManagedPolicies") ? (ArrayNode) role.get("AttachedManagedPolicies")
        : role.putArray("AttachedManagedPolicies");
    list.addObject().put("PolicyName", policy.path("PolicyName").asText()).put("PolicyArn", arn);
    policy.put("AttachmentCount", policy.path("AttachmentCount").asInt(0) + 1);
    return null;
  }

  private String detachRolePolicy(Map<String, String> params) {
    ObjectNode role = role(required(params, "RoleName"));
    String arn = required(params, "PolicyArn");
    int index = attachedIndex(role, arn);
    if (index < 0) {
      throw new IamError(404, "NoSuchEntity", "Policy " + arn + " was not found.");
    }
    ((ArrayNode) role.get("AttachedManagedPolicies")).remove(index);
    ObjectNode policy = findPolicy(arn);
    if (policy != null) {
      policy.put("AttachmentCount", Math.max(0, policy.path("AttachmentCount").asInt(1) - 1));
    }
    return null;
  }

  private String createPolicy(Map<String, String> params) {
    String name = required(params, "PolicyName");
    String path = params.getOrDefault("Path", "/");
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new IamError(400, "ValidationError", "The specified value for path is invalid. It must begin and end"
          + " with / and contain only alphanumeric characters and/or / characters.");
    }
    String document = wellFormed(required(params, "PolicyDocument"));
    String arn = "arn:aws:iam::" + accountId() + ":policy" + path + name;
    for (JsonNode policy : details.path("Policies")) {
      if (policy.path("PolicyName").asText().equals(name) && !isAwsManaged(policy.path("Arn").asText())) {
        throw new IamError(409, "EntityAlreadyExists", "A policy called " + name
            + " already exists. Duplicate names are not allowed.");
      }
    }
    String now = now();
    ObjectNode policy = (details.has("Policies") ? (ArrayNode) details.get("Policies")
        : details.putArray("Policies")).addObject();
    policy.put("PolicyName", name).put("PolicyId", "ANPA" + UUID.randomUUID().toString().replace("-", "")
        .substring(0, 17).toUpperCase()).put("Arn", arn).put("Path", path).put("DefaultVersionId", "v1")
        .put("AttachmentCount", 0).put("PermissionsBoundaryUsageCount", 0).put("IsAttachable", true)
        .put("CreateDate", now).put("UpdateDate", now);
    if (params.containsKey("Description")) {
      policy.put("Description", params.get("Description"));
    }
    policy.putArray("PolicyVersionList").addObject().put("Document", document).put("VersionId", "v1")
        .put("IsDefaultVersion", true).put("CreateDate", now);
    return "<Policy>" + policyFields(policy) + "</Policy>";
  }

  private String getPolicyVersion(Map<String, String> params) {
    ObjectNode policy = policy(required(params, "PolicyArn"));
    String versionId = required(params, "VersionId");
    for (JsonNode version : policy.path("PolicyVersionList")) {
      if (versionId.equals(version.path("VersionId").asText())) {
        StringBuilder xml = new StringBuilder("<PolicyVersion>");
        IamQueryApiServer.appendFields(xml, version, List.of("Document", "VersionId", "IsDefaultVersion",
            "CreateDate"));
        return xml.append("</PolicyVersion>").toString();
      }
    }
    throw new IamError(404, "NoSuchEntity", "Policy " + policy.path("Arn").asText() + " version " + versionId
        + " does not exist or is not attachable.");
  }

  private String listPolicyVersions(Map<String, String> params) {
    ObjectNode policy = policy(required(params, "PolicyArn"));
    StringBuilder xml = new StringBuilder("<Versions>");
    // IAM lists the newest version first.
    List<JsonNode> versions = new ArrayList<>();
    policy.path("PolicyVersionList").forEach(versions::add);
    versions.sort((a, b) -> Integer.compare(number(b), number(a)));
    for (JsonNode version : versions) {
      xml.append("<member>");
      IamQueryApiServer.appendFields(xml, version, List.of("VersionId", "IsDefaultVersion", "CreateDate"));
      xml.append("</member>");
    }
    return xml.append("</Versions><IsTruncated>false</IsTruncated>").toString();
  }

  private String createPolicyVersion(Map<String, String> params) {
    ObjectNode policy = policy(required(params, "PolicyArn"));
    String document = wellFormed(required(params, "PolicyDocument"));
    ArrayNode versions = (ArrayNode) policy.get("PolicyVersionList");
    if (versions.size() >= MAX_VERSIONS) {
      throw new IamError(409, "LimitExceeded", "A managed policy can have up to " + MAX_VERSIONS
          + " versions. Before you create a new version, you must delete an existing version.");
    }
    int next = 0;
    for (JsonNode version : versions) {
      next = Math.max(next, number(version));
    }
    boolean makeDefault = Boolean.parseBoolean(params.getOrDefault("SetAsDefault", "false"));
    if (makeDefault) {
      versions.forEach(v -> ((ObjectNode) v).put("IsDefaultVersion", false));
      policy.put("DefaultVersionId", "v" + (next + 1));
    }
    ObjectNode version = versions.addObject().put("Document", document).put("VersionId", "v" + (next + 1))
        .put("IsDefaultVersion", makeDefault).put("CreateDate", now());
    policy.put("UpdateDate", now());
    StringBuilder xml = new StringBuilder("<PolicyVersion>");
    IamQueryApiServer.appendFields(xml, version, List.of("VersionId", "IsDefaultVersion", "CreateDate"));
    return xml.append("</PolicyVersion>").toString();
  }

  private String deletePolicyVersion(Map<String, String> params) {
    ObjectNode policy = policy(required(params, "PolicyArn"));
    String versionId = required(params, "VersionId");
    ArrayNode versions = (ArrayNode) policy.get("PolicyVersionList");
    for (int i = 0; i < versions.size(); i++) {
      if (versionId.equals(versions.get(i).path("VersionId").asText())) {
        if (versions.get(i).path("IsDefaultVersion").asBoolean()) {
          throw new IamError(409, "DeleteConflict", "Cannot delete the default version of a policy.");
        }
        versions.remove(i);
        return null;
      }
    }
    throw new IamError(404, "NoSuchEntity", "Policy " + policy.path("Arn").asText() + " version " + versionId
        + " does not exist.");
  }

  private String deletePolicy(Map<String, String> params) {
    String arn = required(params, "PolicyArn");
    ObjectNode policy = policy(arn);
    if (policy.path("AttachmentCount").asInt(0) > 0) {
      throw new IamError(409, "DeleteConflict", "Cannot delete a policy attached to entities.");
    }
    if (policy.path("PolicyVersionList").size() > 1) {
      throw new IamError(409, "DeleteConflict", "This policy has more than one version. Before you delete a"
          + " policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    ArrayNode policies = (ArrayNode) details.get("Policies");
    for (int i = 0; i < policies.size(); i++) {
      if (policies.get(i) == policy) {
        policies.remove(i);
        break;
      }
    }
    return null;
  }

  private static String policyFields(ObjectNode policy) {
    StringBuilder xml = new StringBuilder();
    IamQueryApiServer.appendFields(xml, policy, POLICY_KEYS);
    return xml.toString();
  }

  private ObjectNode role(String name) {
    for (JsonNode role : details.path("RoleDetailList")) {
      if (name.equals(role.path("RoleName").asText())) {
        return (ObjectNode) role;
      }
    }
    throw new IamError(404, "NoSuchEntity", "The role with name " + name + " cannot be found.");
  }

  private static ObjectNode inlinePolicy(ObjectNode role, String name) {
    for (JsonNode policy : role.path("RolePolicyList")) {
      if (name.equals(policy.path("PolicyName").asText())) {
        return (ObjectNode) policy;
      }
    }
    return null;
  }

  private static int attachedIndex(ObjectNode role, String arn) {
    JsonNode list = role.path("AttachedManagedPolicies");
    for (int i = 0; i < list.size(); i++) {
      if (arn.equals(list.get(i).path("PolicyArn").asText())) {
        return i;
      }
    }
    return -1;
  }

  private ObjectNode findPolicy(String arn) {
    for (JsonNode policy : details.path("Policies")) {
      if (arn.equals(policy.path("Arn").asText())) {
        return (ObjectNode) policy;
      }
    }
    return null;
  }

  private ObjectNode policy(String arn) {
    ObjectNode policy = findPolicy(arn);
    if (policy == null) {
      throw new IamError(404, "NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
    }
    return policy;
  }

  private static JsonNode defaultVersion(ObjectNode policy) {
    String id = policy.path("DefaultVersionId").asText(null);
    for (JsonNode version : policy.path("PolicyVersionList")) {
      if (version.path("IsDefaultVersion").asBoolean(false) || version.path("VersionId").asText("").equals(id)) {
        return version;
      }
    }
    throw new IllegalStateException("Managed policy " + policy.path("Arn").asText() + " has no default version");
  }

  /** The account of the served roles: the fake serves one account, as IAM does. */
  private String accountId() {
    for (JsonNode role : details.path("RoleDetailList")) {
      String[] arn = role.path("Arn").asText().split(":", 6);
      if (arn.length == 6) {
        return arn[4];
      }
    }
    throw new IamError(500, "ServiceFailure", "The served document has no role to take the account id from");
  }

  private static boolean isAwsManaged(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[4].equals("aws");
  }

  private static int number(JsonNode version) {
    return Integer.parseInt(version.path("VersionId").asText("v0").substring(1));
  }

  /** A document as JSON text: the snapshot's objects serialised, stored text (maybe URL-encoded) decoded. */
  private static String documentText(JsonNode document) {
    if (document.isTextual()) {
      String text = document.textValue();
      return text.strip().startsWith("{") ? text : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
    try {
      return JSON.writeValueAsString(document);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialise policy document " + document, e);
    }
  }

  private static String wellFormed(String document) {
    try {
      if (!JSON.readTree(document).isObject()) {
        throw new IamError(400, "MalformedPolicyDocument", "The policy is not a JSON object.");
      }
    } catch (IOException e) {
      throw new IamError(400, "MalformedPolicyDocument", "Syntax errors in policy.");
    }
    return document;
  }

  private static String required(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw new IamError(400, "ValidationError", "1 validation error detected: Value null at '"
          + Character.toLowerCase(name.charAt(0)) + name.substring(1)
          + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
