package dev.trailtrim.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.policy.CanonicalJson;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.report.SafeNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A role's apply plan, {@code apply/<account-id>/<role>/} (account and role as {@link SafeNames}
 * encodes them, as under {@code policies/}): what the role holds now ({@code before/}), the
 * suggestion, and the means to swap one for the other and back: {@code apply.sh}, {@code
 * rollback.sh}, {@code terraform.tf.json}, {@code cloudformation.json}, and {@code manifest.json}
 * naming every policy of both sides.
 *
 * <p>Putting the suggestion alone only adds a policy: apply puts it first (the role never holds
 * less than the suggestion), then deletes the old inline policies and detaches the old managed
 * ones. Managed policies are only ever detached, never deleted (AWS-managed ones cannot be, and
 * customer-managed ones may serve other roles); the permissions boundary is never touched. The
 * scripts read the role's state before each step, so running them twice changes nothing the
 * second time, and without {@code --yes} they only print what they would do.
 *
 * <p>Every name and ARN in a script is data from input: each is single-quoted, never spliced
 * into code. The policy documents are files next to the scripts, passed as {@code file://}.
 */
public final class ApplyPlan {

  /** The inline policy that holds the suggestion when it fits inline. */
  public static final String INLINE_POLICY_NAME = "trailtrim-least-privilege";
  /** The path of the managed policies a split suggestion is written to. */
  public static final String MANAGED_POLICY_PATH = "/trailtrim/";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApplyPlan() {}

  /** One policy of either side: where its document is in the plan folder. */
  record PlanPolicy(String kind, String name, String arn, String path, String file, PolicyDocument document) {
    boolean awsManaged() {
      return arn != null && arn.split(":", 6).length == 6 && arn.split(":", 6)[4].equals("aws");
    }
  }

  /** The plan's folder relative to the run: {@code apply/<account-id>/<role>/}. */
  public static String folder(String roleArn) {
    return "apply/" + SafeNames.segment(RoleContext.accountIdOf(roleArn)) + "/"
        + SafeNames.segment(RoleContext.roleNameOf(roleArn)) + "/";
  }

  /**
   * The plan's files by path relative to the run, sorted.
   *
   * @param grants         the role as the snapshot showed it; must be complete (else no suggestion is trusted)
   * @param suggestedParts the suggestion: one document to put inline, or the parts of a split one
   * @param split          whether the parts are managed policies (the suggestion does not fit inline)
   */
  public static Map<String, String> files(RoleGrants grants, List<PolicyDocument> suggestedParts, boolean split) {
    if (!grants.complete()) {
      throw new IllegalArgumentException("Cannot plan for role " + grants.roleArn() + ": its grants are incomplete ("
          + String.join("; ", grants.missingGrants()) + "), so no suggestion may replace them");
    }
    if (suggestedParts.isEmpty() || (!split && suggestedParts.size() != 1)) {
      throw new IllegalArgumentException("Cannot plan for role " + grants.roleArn() + ": expected one inline document"
          + " or the parts of a split suggestion, got " + suggestedParts.size() + (split ? " parts" : " documents"));
    }
    String roleArn = grants.roleArn();
    String roleName = RoleContext.roleNameOf(roleArn);
    String partition = roleArn.split(":", 6)[1];
    String accountId = RoleContext.accountIdOf(roleArn);

    List<PlanPolicy> before = new ArrayList<>();
    int inline = 0;
    int managed = 0;
    for (GrantedPolicy policy : grants.policies()) {
      if (policy.kind() == GrantedPolicy.Kind.INLINE) {
        before.add(new PlanPolicy("inline", policy.name(), null, null, "before/inline-" + ++inline + ".json",
            policy.document()));
      } else if (policy.kind() == GrantedPolicy.Kind.MANAGED) {
        before.add(new PlanPolicy("managed", policy.name(), policy.arn(), pathOf(policy.arn()),
            "before/managed-" + ++managed + ".json", policy.document()));
      }
    }
    List<PlanPolicy> after = new ArrayList<>();
    if (!split) {
      after.add(new PlanPolicy("inline", INLINE_POLICY_NAME, null, null, "suggested.json", suggestedParts.get(0)));
    } else {
      for (int i = 1; i <= suggestedParts.size(); i++) {
        String name = "trailtrim-" + roleName + "-part-" + i;
        after.add(new PlanPolicy("managed", name, "arn:" + partition + ":iam::" + accountId + ":policy"
            + MANAGED_POLICY_PATH + name, MANAGED_POLICY_PATH, "suggested.part-" + i + ".json",
            suggestedParts.get(i - 1)));
      }
    }

    String folder = folder(roleArn);
    Map<String, String> files = new TreeMap<>();
    for (PlanPolicy policy : before) {
      files.put(folder + policy.file(), PolicyJson.render(policy.document()));
    }
    for (PlanPolicy policy : after) {
      files.put(folder + policy.file(), PolicyJson.render(policy.document()));
    }
    files.put(folder + "manifest.json", manifest(grants, before, after));
    String data = ApplyScripts.data(roleArn, roleName, before, after, grants.boundary());
    files.put(folder + "apply.sh", ApplyScripts.apply(data));
    files.put(folder + "rollback.sh", ApplyScripts.rollback(data));
    files.put(folder + "terraform.tf.json", terraform(roleName, after));
    files.put(folder + "cloudformation.json", cloudFormation(roleName, before, after));
    return files;
  }

  /** {@code arn:aws:iam::123:policy/a/b/name} has path {@code /a/b/}. */
  static String pathOf(String policyArn) {
    int resource = policyArn.indexOf(":policy/");
    if (resource < 0) {
      throw new IllegalArgumentException("Cannot read the path of managed policy ARN '" + policyArn
          + "': expected arn:<partition>:iam::<account>:policy/[path/]<name>");
    }
    String pathAndName = policyArn.substring(resource + ":policy".length());
    return pathAndName.substring(0, pathAndName.lastIndexOf('/') + 1);
  }

  private static String manifest(RoleGrants grants, List<PlanPolicy> before, List<PlanPolicy> after) {
    ObjectNode root = NODES.objectNode();
    root.put("roleArn", grants.roleArn());
    root.put("roleName", RoleContext.roleNameOf(grants.roleArn()));
    root.put("accountId", RoleContext.accountIdOf(grants.roleArn()));
    if (grants.boundary() != null) {
      root.put("permissionsBoundary", grants.boundary().arn());
    } else {
      root.putNull("permissionsBoundary");
    }
    root.set("before", policies(before));
    root.set("after", policies(after));
    return CanonicalJson.write(root);
  }

  private static ArrayNode policies(List<PlanPolicy> policies) {
    ArrayNode list = NODES.arrayNode();
    for (PlanPolicy policy : policies) {
      ObjectNode entry = list.addObject();
      entry.put("kind", policy.kind());
      entry.put("name", policy.name());
      if (policy.arn() != null) {
        entry.put("arn", policy.arn());
        entry.put("awsManaged", policy.awsManaged());
      }
      entry.put("file", policy.file());
    }
    return list;
  }

  /**
   * The suggestion as Terraform JSON. The two {@code _exclusive} resources (AWS provider 5.80 or later)
   * make it the role's only inline policy and only attachments, which removes the old ones, as apply.sh
   * does; the permissions boundary is not theirs to touch.
   */
  private static String terraform(String roleName, List<PlanPolicy> after) {
    ObjectNode root = NODES.objectNode();
    root.putObject("terraform").putObject("required_providers").putObject("aws")
        .put("source", "hashicorp/aws").put("version", ">= 5.80");
    ObjectNode resources = root.putObject("resource");
    ArrayNode inlineNames = NODES.arrayNode();
    ArrayNode attachedArns = NODES.arrayNode();
    for (int i = 0; i < after.size(); i++) {
      PlanPolicy policy = after.get(i);
      String text = terraformLiteral(PolicyJson.render(policy.document()));
      if (policy.kind().equals("inline")) {
        resources.putObject("aws_iam_role_policy").putObject("trailtrim_least_privilege")
            .put("name", terraformLiteral(policy.name())).put("role", terraformLiteral(roleName)).put("policy", text);
        inlineNames.add("${aws_iam_role_policy.trailtrim_least_privilege.name}");
      } else {
        String id = "trailtrim_part_" + (i + 1);
        ObjectNode managed = child(resources, "aws_iam_policy");
        managed.putObject(id).put("name", terraformLiteral(policy.name())).put("path", policy.path())
            .put("description", terraformLiteral(description(roleName, i + 1, after.size()))).put("policy", text);
        child(resources, "aws_iam_role_policy_attachment").putObject(id)
            .put("role", terraformLiteral(roleName)).put("policy_arn", "${aws_iam_policy." + id + ".arn}");
        attachedArns.add("${aws_iam_policy." + id + ".arn}");
      }
    }
    resources.putObject("aws_iam_role_policies_exclusive").putObject("trailtrim")
        .put("role_name", terraformLiteral(roleName)).set("policy_names", inlineNames);
    resources.putObject("aws_iam_role_policy_attachments_exclusive").putObject("trailtrim")
        .put("role_name", terraformLiteral(roleName)).set("policy_arns", attachedArns);
    return CanonicalJson.write(root);
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    JsonNode existing = parent.get(name);
    return existing != null ? (ObjectNode) existing : parent.putObject(name);
  }

  /** Terraform reads {@code ${...}} and {@code %{...}} in JSON strings as templates; policy variables must stay text. */
  static String terraformLiteral(String text) {
    return text.replace("${", "$${").replace("%{", "%%{");
  }

  /**
   * The suggestion as a CloudFormation template. A stack cannot remove policies it did not create:
   * the template says so and names them.
   */
  private static String cloudFormation(String roleName, List<PlanPolicy> before,
      List<PlanPolicy> after) {
    ObjectNode root = NODES.objectNode();
    root.put("AWSTemplateFormatVersion", "2010-09-09");
    long replaced = before.stream()
        .filter(policy -> !(policy.kind().equals("inline") && policy.name().equals(INLINE_POLICY_NAME))).count();
    // Names stay out of the Description, which CloudFormation caps at 1024 characters; manifest.json has them.
    root.put("Description", "trailtrim's least-privilege suggestion for role " + roleName + "."
        + (replaced == 0 ? "" : " It only adds: afterwards remove the " + replaced + " policies it replaces (before in"
            + " manifest.json), as apply.sh does. The permissions boundary stays."));
    ObjectNode resources = root.putObject("Resources");
    for (int i = 0; i < after.size(); i++) {
      PlanPolicy policy = after.get(i);
      JsonNode document = PolicyJson.toJson(policy.document());
      if (policy.kind().equals("inline")) {
        ObjectNode properties = resources.putObject("TrailtrimLeastPrivilege").put("Type", "AWS::IAM::RolePolicy")
            .putObject("Properties");
        properties.put("PolicyName", policy.name());
        properties.set("PolicyDocument", document);
        properties.put("RoleName", roleName);
      } else {
        ObjectNode properties = resources.putObject("TrailtrimPart" + (i + 1)).put("Type", "AWS::IAM::ManagedPolicy")
            .putObject("Properties");
        properties.put("ManagedPolicyName", policy.name());
        properties.put("Path", policy.path());
        properties.put("Description", description(roleName, i + 1, after.size()));
        properties.set("PolicyDocument", document);
        properties.putArray("Roles").add(roleName);
      }
    }
    return CanonicalJson.write(root);
  }

  static String description(String roleName, int part, int parts) {
    return "Least-privilege policy suggested by trailtrim for role " + roleName + " (part " + part + " of " + parts
        + ")";
  }
}
