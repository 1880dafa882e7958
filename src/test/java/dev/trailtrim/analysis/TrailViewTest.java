package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.LogObservability;
import dev.trailtrim.evidence.TrailConfigParser;
import dev.trailtrim.evidence.TrailRecording;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.GrantSet;
import dev.trailtrim.policy.LabeledPolicy;
import dev.trailtrim.policy.PolicyEvaluator;
import dev.trailtrim.policy.PolicyParser;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A role judged by what its organization's trail records: every S3 object but those of one bucket,
 * management events but KMS's. The unrecorded bucket's part of an {@code s3:GetObject} on
 * {@code *} is kept, narrowed to that bucket; the rest is unused. KMS's management events are not
 * recorded, so its grants are kept whole.
 */
class TrailViewTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final String ACCOUNT = "111122223333";
  private static final LogObservability RULES = LogObservability.create(CATALOG, List.of(), Set.of());

  private static TrailRecording orgTrail() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> documents = new ArrayList<>();
    // The other trails of describe-trails.json come without their selectors, so they record nothing.
    for (String name : List.of("describe-trails.json", "get-event-selectors-org-trail.json")) {
      try (InputStream in = TrailViewTest.class.getResourceAsStream("/dev/trailtrim/evidence/" + name)) {
        documents.add(json.readTree(in));
      }
    }
    return TrailRecording.of(TrailConfigParser.parse(documents));
  }

  private static RoleAnalysis analyze(String statements) throws IOException {
    RoleGrants grants = new RoleGrants("arn:aws:iam::" + ACCOUNT + ":role/fn", "fn", "/", ACCOUNT,
        Set.of("lambda.amazonaws.com"), List.of(new GrantedPolicy(GrantedPolicy.Kind.INLINE, "p", null,
            PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"))),
        null, List.of());
    RoleContext context = new RoleContext(grants.roleArn(), ACCOUNT, "fn",
        new ObservationWindow(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30)), "test");
    TrailView view = new TrailView(RULES, orgTrail(), ACCOUNT, List.of("eu-west-1"));
    return RoleAnalyzer.analyze(context, grants, new RoleUsage(grants.roleArn(), List.of()), CATALOG, view);
  }

  @Test
  void theUnrecordedBucketIsKeptNarrowedAndTheRestIsUnused() throws IOException {
    RoleAnalysis analysis = analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}");
    assertEquals(List.of("arn:aws:s3:::secret-bucket/*"), analysis.findings().notObservable().stream()
        .filter(n -> n.visibility() == Visibility.PARTLY_RECORDED).map(NotObservablePermission::resource).toList());
    assertTrue(analysis.findings().unused().stream().anyMatch(u -> u.action().toString().equals("s3:GetObject")
        && u.resource().equals("*")), analysis.findings().unused().toString());
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", analysis.suggestion().policy()));
    IamAction getObject = IamAction.parse("s3:GetObject");
    assertTrue(PolicyEvaluator.evaluate(suggested, getObject, "arn:aws:s3:::secret-bucket/reports/q3.csv").allowed(),
        "a read of the bucket no trail records could have happened: it stays allowed");
    assertFalse(PolicyEvaluator.evaluate(suggested, getObject, "arn:aws:s3:::other-bucket/a.csv").allowed(),
        "reads of recorded buckets would show: none did, so they go");
  }

  @Test
  void aGrantOnARecordedBucketIsProvablyUnused() throws IOException {
    RoleAnalysis analysis = analyze("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
        + "\"Resource\":\"arn:aws:s3:::other-bucket/*\"}");
    assertEquals(List.of(), analysis.findings().notObservable());
    assertEquals(1, analysis.findings().unused().size());
  }

  @Test
  void managementEventsOfAnExcludedSourceAreNotObservable() throws IOException {
    RoleAnalysis analysis = analyze("{\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\",\"ssm:GetParameter\"],"
        + "\"Resource\":\"*\"}");
    NotObservablePermission kms = analysis.findings().notObservable().stream()
        .filter(n -> n.action().toString().equals("kms:Decrypt")).findFirst().orElseThrow();
    assertEquals(Visibility.NOT_RECORDED_BY_TRAIL, kms.visibility());
    assertTrue(kms.reason().contains("kms"), kms.reason());
    assertTrue(analysis.findings().unused().stream().anyMatch(u -> u.action().toString().equals("ssm:GetParameter")));
    GrantSet suggested = GrantSet.of(new LabeledPolicy("suggested", analysis.suggestion().policy()));
    assertTrue(PolicyEvaluator.evaluate(suggested, IamAction.parse("kms:Decrypt"), "*").allowed());
  }
}
