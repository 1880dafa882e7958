package dev.trailtrim.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.policy.PolicyDocument;
import dev.trailtrim.policy.PolicyParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of an apply plan, without AWS: layout, quoting of hostile names, Terraform and CloudFormation. */
class ApplyPlanTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::111122223333:role/app/orders-api-role";
  private static final PolicyDocument SUGGESTION = PolicyParser.parse("""
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
       "Resource": "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"}]}""");
  private static final PolicyDocument OLD = PolicyParser.parse("""
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}""");
  /** Names a hostile snapshot could hold: quotes, command substitution, a newline. */
  private static final List<String> HOSTILE = List.of("it's", "$(touch pwned)", "a\nb; touch pwned", "`id`", "\\'");

  @TempDir
  Path work;

  private static RoleGrants grants(List<String> inlineNames) {
    List<GrantedPolicy> policies = new java.util.ArrayList<>();
    inlineNames.forEach(name -> policies.add(new GrantedPolicy(GrantedPolicy.Kind.INLINE, name, null, OLD)));
    policies.add(new GrantedPolicy(GrantedPolicy.Kind.MANAGED, "AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", OLD));
    policies.add(new GrantedPolicy(GrantedPolicy.Kind.MANAGED, "team-access",
        "arn:aws:iam::111122223333:policy/teams/team-access", OLD));
    GrantedPolicy boundary = new GrantedPolicy(GrantedPolicy.Kind.BOUNDARY, "boundary",
        "arn:aws:iam::111122223333:policy/boundary", OLD);
    return new RoleGrants(ROLE, "orders-api-role", "/app/", "111122223333", Set.of("lambda.amazonaws.com"), policies,
        boundary, List.of());
  }

  @Test
  void anInlineSuggestionReplacesEveryPolicyButTheBoundary() throws IOException {
    Map<String, String> files = ApplyPlan.files(grants(List.of("orders-data")), List.of(SUGGESTION), false);
    String folder = "apply/111122223333/orders-api-role/";
    assertEquals(Set.of(folder + "apply.sh", folder + "rollback.sh", folder + "manifest.json",
        folder + "terraform.tf.json", folder + "cloudformation.json", folder + "suggested.json",
        folder + "before/inline-1.json", folder + "before/managed-1.json", folder + "before/managed-2.json"),
        files.keySet());
    assertEquals(SUGGESTION, PolicyParser.parse(files.get(folder + "suggested.json")));
    JsonNode manifest = JSON.readTree(files.get(folder + "manifest.json"));
    assertEquals("arn:aws:iam::111122223333:policy/boundary", manifest.path("permissionsBoundary").asText());
    assertEquals("[{\"kind\":\"inline\",\"name\":\"trailtrim-least-privilege\",\"file\":\"suggested.json\"}]",
        manifest.path("after").toString());
    assertEquals("{\"kind\":\"managed\",\"name\":\"AWSLambdaBasicExecutionRole\","
        + "\"arn\":\"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\",\"awsManaged\":true,"
        + "\"file\":\"before/managed-2.json\"}", manifest.path("before").get(2).toString(),
        "policies in the order of their labels (inline:, then managed:<arn>)");
    for (String script : List.of("apply.sh", "rollback.sh")) {
      String text = files.get(folder + script);
      assertFalse(text.contains("permissions-boundary") || text.contains("policy/boundary"),
          "the boundary is not the scripts' business");
    }
    assertFalse(files.get(folder + "apply.sh").contains("delete-policy "), "apply never deletes a managed policy");

    JsonNode terraform = JSON.readTree(files.get(folder + "terraform.tf.json"));
    // Terraform would read ${...} as a template: the policy variable is escaped as $${...}.
    String policy = terraform.at("/resource/aws_iam_role_policy/trailtrim_least_privilege/policy").asText();
    assertTrue(policy.contains("bucket/$${aws:PrincipalTag/team}/*"), policy);
    assertEquals("[]", terraform.at("/resource/aws_iam_role_policy_attachments_exclusive/trailtrim/policy_arns")
        .toString());
    JsonNode cloudFormation = JSON.readTree(files.get(folder + "cloudformation.json"));
    assertEquals("AWS::IAM::RolePolicy", cloudFormation.at("/Resources/TrailtrimLeastPrivilege/Type").asText());
    assertEquals(SUGGESTION, PolicyParser.parse(
        cloudFormation.at("/Resources/TrailtrimLeastPrivilege/Properties/PolicyDocument")));
  }

  @Test
  void aSplitSuggestionBecomesManagedPoliciesUnderTrailtrimsPath() throws IOException {
    Map<String, String> files = ApplyPlan.files(grants(List.of()), List.of(SUGGESTION, OLD), true);
    String folder = "apply/111122223333/orders-api-role/";
    assertTrue(
        files.containsKey(folder + "suggested.part-1.json") && files.containsKey(folder + "suggested.part-2.json"));
    JsonNode after = JSON.readTree(files.get(folder + "manifest.json")).path("after");
    assertEquals("arn:aws:iam::111122223333:policy/trailtrim/trailtrim-orders-api-role-part-2",
        after.get(1).path("arn").asText());
    JsonNode terraform = JSON.readTree(files.get(folder + "terraform.tf.json"));
    assertEquals("${aws_iam_policy.trailtrim_part_2.arn}",
        terraform.at("/resource/aws_iam_role_policy_attachment/trailtrim_part_2/policy_arn").asText());
    JsonNode cloudFormation = JSON.readTree(files.get(folder + "cloudformation.json"));
    assertEquals("AWS::IAM::ManagedPolicy", cloudFormation.at("/Resources/TrailtrimPart2/Type").asText());
    assertEquals("/trailtrim/", cloudFormation.at("/Resources/TrailtrimPart2/Properties/Path").asText());
  }

  @Test
  void hostileNamesStayData() throws IOException, InterruptedException {
    Map<String, String> files = ApplyPlan.files(grants(HOSTILE), List.of(SUGGESTION), false);
    for (String script : List.of("apply.sh", "rollback.sh")) {
      String text = files.get("apply/111122223333/orders-api-role/" + script);
      // The data block alone, then the names as bash sees them, one NUL-terminated each.
      String data = text.substring(text.indexOf("role_arn="), text.indexOf("\nset -euo pipefail"));
      Path probe = work.resolve(script + ".probe.sh");
      Files.writeString(probe, data + "\nprintf '%s\\0' \"${old_inline_names[@]}\"\n");
      Process bash = new ProcessBuilder("bash", probe.toString()).directory(work.toFile()).start();
      String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, bash.waitFor(), new String(bash.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(HOSTILE.stream().sorted().toList(), List.of(printed.split("\0")));
      assertFalse(Files.exists(work.resolve("pwned")), "a name ran as code");
    }
  }

  @Test
  void noPlanReplacesGrantsThatAreNotAllKnown() {
    RoleGrants incomplete = grants(List.of("orders-data")).withMissingGrants(List.of("Attached managed policy 'x'"
        + " (arn:aws:iam::111122223333:policy/x) is not in the snapshot's Policies"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ApplyPlan.files(incomplete, List.of(SUGGESTION), false));
    assertTrue(error.getMessage().contains("grants are incomplete"), error.getMessage());
  }

  @Test
  void pathOfAManagedPolicy() {
    assertEquals("/", ApplyPlan.pathOf("arn:aws:iam::111122223333:policy/x"));
    assertEquals("/service-role/",
        ApplyPlan.pathOf("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));
  }
}
