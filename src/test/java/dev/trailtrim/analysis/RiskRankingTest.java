package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.PolicyParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unused permissions are ranked so that reports lead with privilege escalation, then by access level. */
class RiskRankingTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();

  private static final Observability ALL_MANAGEMENT = new Observability() {
    @Override
    public Visibility visibility(IamAction action, String resource) {
      return Visibility.MANAGEMENT_EVENT;
    }

    @Override
    public String reason(IamAction action, String resource) {
      return "a management event";
    }
  };

  private static RoleGrants grants(String statements, String boundaryStatements) {
    GrantedPolicy policy = new GrantedPolicy(GrantedPolicy.Kind.INLINE, "app", null,
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':[" + statements + "]}").replace('\'', '"')));
    GrantedPolicy boundary = boundaryStatements == null ? null : new GrantedPolicy(GrantedPolicy.Kind.BOUNDARY, "b",
        "arn:aws:iam::111122223333:policy/b",
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':[" + boundaryStatements + "]}").replace('\'', '"')));
    return new RoleGrants(AnalysisFixtures.ROLE_ARN, "orders-fn", "/", "111122223333", Set.of("lambda.amazonaws.com"),
        List.of(policy), boundary, List.of());
  }

  private static RoleAnalysis analyze(RoleGrants grants) {
    return RoleAnalyzer.analyze(AnalysisFixtures.context(), grants, new RoleUsage(AnalysisFixtures.ROLE_ARN, List.of()),
        CATALOG, ALL_MANAGEMENT);
  }

  private static List<String> ranked(RoleAnalysis analysis) {
    return analysis.findings().unused().stream().map(u -> u.risk().label() + " " + u.action()).toList();
  }

  private static final String MIXED =
      "{'Effect':'Allow','Action':['iam:PassRole','ec2:RunInstances','lambda:CreateFunction',"
          + "'iam:CreatePolicyVersion','iam:TagRole','s3:GetObject','s3:ListBucket','lambda:AddPermission','sts:AssumeRole'],"
          + "'Resource':'*'}";

  @Test
  void privilegeEscalationComesFirstThenAccessLevels() {
    RoleAnalysis analysis = analyze(grants(MIXED, null));
    assertEquals(List.of(
        // ec2:RunInstances completes a method with iam:PassRole; iam:PassRole and sts:AssumeRole escalate alone;
        // lambda:CreateFunction and AddPermission complete one with iam:PassRole.
        "privilege-escalation ec2:RunInstances",
        "privilege-escalation iam:CreatePolicyVersion",
        "privilege-escalation iam:PassRole",
        "privilege-escalation lambda:AddPermission",
        "privilege-escalation lambda:CreateFunction",
        "privilege-escalation sts:AssumeRole",
        "write iam:TagRole",
        "read s3:GetObject",
        "list s3:ListBucket"), ranked(analysis));
    UnusedPermission runInstances = analysis.findings().unused().stream()
        .filter(u -> u.action().toString().equals("ec2:RunInstances")).findFirst().orElseThrow();
    assertEquals("completes CreateEC2WithExistingInstanceProfile (iam:PassRole + ec2:RunInstances)",
        runInstances.riskReason());
    UnusedPermission passRole = analysis.findings().unused().stream()
        .filter(u -> u.action().toString().equals("iam:PassRole")).findFirst().orElseThrow();
    assertTrue(passRole.riskReason().startsWith("iam:PassRole hands another role to a service"), passRole.riskReason());
    UnusedPermission list = analysis.findings().unused().get(analysis.findings().unused().size() - 1);
    assertEquals("access level List", list.riskReason());
  }

  @Test
  void aMethodIsOnlyCompleteWithWhatTheBoundaryLetsThrough() {
    RoleAnalysis analysis = analyze(grants(MIXED,
        "{'Effect':'Allow','Action':['ec2:*','lambda:CreateFunction','s3:*','iam:TagRole'],'Resource':'*'}"));
    List<String> ranked = ranked(analysis);
    // Without iam:PassRole (blocked), neither ec2:RunInstances nor lambda:CreateFunction can escalate.
    assertTrue(ranked.contains("write ec2:RunInstances"), ranked.toString());
    assertTrue(ranked.contains("write lambda:CreateFunction"), ranked.toString());
    assertTrue(ranked.contains("not-effective iam:PassRole"), ranked.toString());
    assertTrue(ranked.contains("not-effective iam:CreatePolicyVersion"), ranked.toString());
    assertEquals("not-effective", ranked.get(ranked.size() - 1).split(" ")[0]);
    assertEquals("the permissions boundary blocks it", analysis.findings().unused().get(analysis.findings()
        .unused().size() - 1).riskReason());
  }

  @Test
  void perServiceRowsTakeTheRiskOfTheirRiskiestAction() {
    RoleAnalysis analysis = analyze(grants("{'Effect':'Allow','NotAction':'s3:*','Resource':'*'}", null));
    UnusedPermission iam = analysis.findings().unused().stream().filter(u -> u.action().toString()
        .equals("iam:*")).findFirst()
        .orElseThrow();
    assertEquals(Risk.PRIVILEGE_ESCALATION, iam.risk());
    assertTrue(iam.riskReason().matches("iam:\\w+ \\(one of \\d+ granted iam actions\\): .+"), iam.riskReason());
    // Every risk before every lower one.
    List<Risk> risks = analysis.findings().unused().stream().map(UnusedPermission::risk).toList();
    List<Risk> sorted = new ArrayList<>(risks);
    sorted.sort(null);
    assertEquals(sorted, risks);
    assertEquals(Risk.PRIVILEGE_ESCALATION, risks.get(0));
  }

  @Test
  void theListCitesItsSourcesAndEveryActionIsACatalogActionUnlessUndocumented() {
    PrivilegeEscalation list = PrivilegeEscalation.loadDefault();
    assertTrue(list.methods().size() >= 40, "methods: " + list.methods().size());
    for (PrivilegeEscalation.Method method : list.methods()) {
      assertFalse(method.source().isBlank(), method.name());
      for (IamAction action : method.actions()) {
        assertTrue(method.undocumented() || CATALOG.action(action).isPresent(), method.name() + ": " + action
            + " is not in the IAM catalog");
      }
    }
    // The actions the issue names escalate by themselves or with iam:PassRole.
    for (String action : List.of("iam:PassRole", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
        "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreateAccessKey", "iam:UpdateAssumeRolePolicy",
        "lambda:UpdateFunctionCode", "sts:AssumeRole", "glue:UpdateDevEndpoint")) {
      assertTrue(list.escalation(IamAction.parse(action), a -> false) != null, action);
    }
    for (String action : List.of("ec2:RunInstances", "cloudformation:CreateStack", "lambda:CreateFunction")) {
      assertNull(list.escalation(IamAction.parse(action), a -> false), action + " needs iam:PassRole");
      assertTrue(list.escalation(IamAction.parse(action), a -> true) != null, action + " with everything granted");
    }
  }

  /** Each value reports write is explained in README's table of risks, in the order reports rank them. */
  @Test
  void everyRiskIsDocumentedInTheReadmeInRankOrder() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(
        java.nio.file.Path.of(System.getProperty("trailtrim.project.dir", "."), "README.md"));
    int previous = -1;
    for (Risk risk : Risk.values()) {
      int row = readme.indexOf("\n| `" + risk.label() + "` | ");
      assertTrue(row > previous, "README.md's table of risks lacks `" + risk.label() + "`, or lists it out of order");
      previous = row;
    }
  }
}
