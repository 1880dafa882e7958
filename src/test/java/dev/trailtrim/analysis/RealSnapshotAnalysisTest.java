package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.report.RoleReportJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** Every role of cloudsplaining's real-shaped snapshot goes through the analysis without surprises. */
@Execution(ExecutionMode.CONCURRENT) // Pure Java: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
class RealSnapshotAnalysisTest {

  /** Read-ish actions stand in for data events that are not logged; the rest are management events. */
  private static final Observability SOME_HIDDEN = new Observability() {
    @Override
    public Visibility visibility(IamAction action, String resource) {
      return action.name().startsWith("Get") ? Visibility.DATA_EVENT_NOT_LOGGED : Visibility.MANAGEMENT_EVENT;
    }

    @Override
    public String reason(IamAction action, String resource) {
      return visibility(action, resource) + " for the test";
    }
  };

  @Test
  void analysesEveryRoleOfTheExampleSnapshot() throws IOException {
    String dir = System.getProperty("trailtrim.shared.data");
    Path file = dir == null ? null : Path.of(dir, "iam", "cloudsplaining", "examples", "files", "example.json");
    Assumptions.assumeTrue(file != null && Files.isRegularFile(file), "shared reference data is absent");
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(new ObjectMapper().readTree(file.toFile()));
    IamCatalog catalog = IamCatalog.loadDefault();
    int kept = 0;
    for (RoleGrants grants : snapshot.roles()) {
      RoleContext ctx = new RoleContext(grants.roleArn(), grants.accountId(), grants.roleName(),
          new ObservationWindow(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 30)), "test");
      RoleAnalysis analysis = RoleAnalyzer.analyze(ctx, grants, new RoleUsage(grants.roleArn(), List.of()), catalog,
          SOME_HIDDEN);
      assertEquals(List.of(), analysis.findings().used());
      assertTrue(analysis.suggestion().policy().statements().stream()
          .allMatch(s -> s.sid().startsWith("KeptNotObservable") || s.sid().startsWith("KeptDeny")),
          "with no use only kept permissions remain: " + PolicyJson.render(analysis.suggestion().policy()));
      assertEquals(RoleReportJson.render(analysis), RoleReportJson.render(RoleAnalyzer.analyze(ctx, grants,
          new RoleUsage(grants.roleArn(), List.of()), catalog, SOME_HIDDEN)));
      kept += analysis.findings().notObservable().size();
    }
    assertTrue(kept > 0);
  }
}
