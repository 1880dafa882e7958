package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.analysis.AnalysisFixtures;
import dev.trailtrim.analysis.RoleAnalysis;
import dev.trailtrim.analysis.RoleAnalyzer;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.policy.PolicyParser;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RoleLineTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final Pattern COUNTS = Pattern.compile(".* (\\d+) granted -> +(\\d+) suggested actions; .*");

  private static RoleGrants grants(String statements) {
    var fixture = AnalysisFixtures.grants();
    GrantedPolicy inline = new GrantedPolicy(GrantedPolicy.Kind.INLINE, "wide", null, PolicyParser.parse(
        ("{'Version':'2012-10-17','Statement':[" + statements + "]}").replace('\'', '"')));
    return new RoleGrants(fixture.roleArn(), fixture.roleName(), fixture.path(), fixture.accountId(),
        Set.of("lambda.amazonaws.com"), List.of(inline), null, List.of());
  }

  private static int[] counts(String line) {
    Matcher m = COUNTS.matcher(line);
    assertTrue(m.matches(), line);
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  /**
   * A window shorter than min.observation.days keeps everything granted, s3:* and all: the line
   * must then say as many actions are suggested as are granted, not one entry for s3:*.
   */
  @Test
  void aKeptWildcardCountsAsTheActionsItStandsFor() {
    RoleGrants grants = grants("{'Effect':'Allow','Action':['s3:*','sqs:SendMessage'],'Resource':'*'}");
    SafetyControls keepAll = new SafetyControls(List.of(), List.of(), 365, 0, "");
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), grants, AnalysisFixtures.usage(), CATALOG,
        AnalysisFixtures.OBSERVABILITY, keepAll);
    int[] counts = counts(RoleLine.of(AnalysisFixtures.context(), analysis));
    assertEquals(CATALOG.matching("s3:*").size() + 1, counts[0]);
    assertEquals(counts[0], counts[1]);
  }

  @Test
  void aSuggestionWithheldByTheSelfCheckSaysSoAndSuggestsNothing() {
    RoleAnalysis withheld = AnalysisFixtures.withheldBySelfCheck();
    assertTrue(withheld.selfCheckFailed());
    String line = RoleLine.of(AnalysisFixtures.context(), withheld);
    assertTrue(line.contains("suggestion withheld: it failed trailtrim's own check"), line);
    assertTrue(line.endsWith("no policy suggested"), line);
    assertEquals(RoleAnalyzer.RULE_SELF_CHECK, withheld.safety().decisions().get(0).rule());
    assertTrue(withheld.safety().decisions().get(0).detail().contains("s3:DeleteObject"));
    assertEquals("self-check-failed", dev.trailtrim.drift.RoleStates.of(withheld, null).status());
  }

  @Test
  void aNarrowedSuggestionCountsItsActions() {
    RoleGrants grants = grants("{'Effect':'Allow','Action':['s3:*','sqs:SendMessage','dynamodb:Get*'],'Resource':'*'}");
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), grants, AnalysisFixtures.usage(), CATALOG,
        AnalysisFixtures.OBSERVABILITY);
    int[] counts = counts(RoleLine.of(AnalysisFixtures.context(), analysis));
    assertEquals(CATALOG.matching("s3:*").size() + CATALOG.matching("dynamodb:Get*").size() + 1, counts[0]);
    // The calls the grant explains (dynamodb:GetItem, sqs:SendMessage) and s3:GetObject, kept as not observable.
    assertEquals(3, counts[1]);
  }

  @Test
  void aRoleMissingFromTheSnapshotNamesItsObservedOnlyPolicy() {
    RoleAnalysis analysis = RoleAnalyzer.analyze(AnalysisFixtures.context(), null, AnalysisFixtures.usage(), CATALOG,
        AnalysisFixtures.OBSERVABILITY);
    String line = RoleLine.of(AnalysisFixtures.context(), analysis);
    assertTrue(line.endsWith("grants unknown (not in the IAM snapshot): 4 permissions used, no policy suggested;"
        + " observed-only policy, not checked against any grant: policies-observed/111122223333/orders-fn.json"), line);
  }
}
