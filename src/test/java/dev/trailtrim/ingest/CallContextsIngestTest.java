package dev.trailtrim.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.CallContexts;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.policy.CanonicalJson;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The request context of each role's allowed calls reaches the counts when they keep it (and only
 * then): the record's vpcEndpointId, invokedBy, awsRegion and a listing's prefix, once per action;
 * it survives the stored JSON of a day, and summing days in any split gives the same summary.
 */
class CallContextsIngestTest {

  private static final String ROLE = "arn:aws:iam::111122223333:role/service-role/report-exporter";
  private static final FileIngestor INGESTOR = new FileIngestor(EventTranslator.create(IamCatalog.loadDefault()),
      new ObservationWindow(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 1)), 1 << 20);

  private static String record(String region, String invokedBy, String source, String name, String extra) {
    return "{\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventSource\":\"" + source + "\",\"eventName\":\"" + name
        + "\",\"awsRegion\":\"" + region + "\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":"
        + "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/report-exporter/report-exporter\","
        + "\"accountId\":\"111122223333\"" + (invokedBy == null ? "" : ",\"invokedBy\":\"" + invokedBy + "\"")
        + ",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"" + ROLE + "\"}}}" + extra + "}";
  }

  private static String listing(String region, String prefix, String vpce) {
    return record(region, null, "s3.amazonaws.com", "ListObjects", ",\"requestParameters\":{\"bucketName\":"
        + "\"acme-reports\"" + (prefix == null ? "" : ",\"prefix\":\"" + prefix + "\"") + "}"
        + (vpce == null ? "" : ",\"vpcEndpointId\":\"" + vpce + "\""));
  }

  private static final String FILE = "{\"Records\":[" + String.join(",",
      listing("us-east-1", "exports/2026-11-01/", "vpce-0a1b2c3d"),
      listing("eu-west-1", "exports/2026-11-02/", null),
      listing("us-east-1", "", "vpce-0a1b2c3d"),
      record("us-east-1", "s3.amazonaws.com", "kms.amazonaws.com", "Decrypt",
          ",\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k1\"}]"),
      record("us-east-1", null, "kms.amazonaws.com", "Decrypt",
          ",\"errorCode\":\"AccessDeniedException\",\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k1\"}]"),
      record("us-east-1", null, "ssm.amazonaws.com", "GetParameter",
          ",\"errorCode\":\"ParameterNotFound\",\"requestParameters\":{\"name\":\"/x\"}"))
      + "]}";

  @Test
  void theParserReadsTheVpcEndpoint() {
    var records = CloudTrailFileParser.parse(FILE.getBytes(UTF_8)).records();
    assertEquals("vpce-0a1b2c3d", records.get(0).vpcEndpointId());
    assertNull(records.get(1).vpcEndpointId());
    assertEquals("vpce-0a1b2c3d", records.get(0).asDataEvent().vpcEndpointId());
  }

  @Test
  void countsThatKeepContextsGetEachAllowedCallsContextOncePerAction() {
    IngestStats stats = new IngestStats(5).keepCallContexts();
    INGESTOR.ingest("f.json", FILE.getBytes(UTF_8), stats, (role, access, errorCode, time) -> {});
    Map<String, CallContexts> contexts = stats.callContextsOf(ROLE);
    assertEquals(Set.of("kms:Decrypt", "s3:ListBucket", "ssm:GetParameter"), contexts.keySet());
    CallContexts list = contexts.get("s3:ListBucket");
    assertEquals(3, list.calls());
    assertEquals(Set.of("eu-west-1", "us-east-1"), list.regions());
    assertEquals(Set.of("vpce-0a1b2c3d"), list.vpcEndpoints());
    assertEquals(1, list.callsWithoutVpcEndpoint());
    assertEquals(Set.of("exports/2026-11-01/", "exports/2026-11-02/"), list.prefixes());
    assertEquals(1, list.callsWithoutPrefix(), "an empty prefix lists the whole bucket");
    assertEquals("exports/2026-11-0", list.commonPrefix());
    CallContexts decrypt = contexts.get("kms:Decrypt");
    assertEquals(1, decrypt.calls(), "the denied Decrypt is not an allowed call");
    assertEquals(Set.of("s3.amazonaws.com@us-east-1"), decrypt.callers());
    assertEquals(1, contexts.get("ssm:GetParameter").calls(), "failed after authorization: IAM allowed it");
    assertEquals(Map.of(), stats.callContextsOf("arn:aws:iam::111122223333:role/other"));
  }

  @Test
  void countsThatDoNotKeepContextsStayAsTheyWere() throws Exception {
    IngestStats plain = new IngestStats(5);
    INGESTOR.ingest("f.json", FILE.getBytes(UTF_8), plain, (role, access, errorCode, time) -> {});
    assertNull(plain.callContextsOf(ROLE));
    assertFalse(plain.toJson().has("callContexts"), "the stored day of a run without the flag is unchanged");
    IngestStats kept = new IngestStats(5).keepCallContexts();
    INGESTOR.ingest("f.json", FILE.getBytes(UTF_8), kept, (role, access, errorCode, time) -> {});
    assertTrue(plain.merge(kept).keepsCallContexts(), "counts without records (the planner's) take the contexts");
    assertEquals(kept.callContextsOf(ROLE), plain.callContextsOf(ROLE));
  }

  @Test
  void contextsSurviveTheStoredJsonOfADay() throws Exception {
    IngestStats stats = new IngestStats(5).keepCallContexts();
    INGESTOR.ingest("f.json", FILE.getBytes(UTF_8), stats, (role, access, errorCode, time) -> {});
    String json = CanonicalJson.write(stats.toJson());
    IngestStats read = IngestStats.fromJson(new ObjectMapper().readTree(json), 5);
    assertTrue(read.keepsCallContexts());
    assertEquals(stats.callContextsOf(ROLE), read.callContextsOf(ROLE));
    assertEquals(json, CanonicalJson.write(read.toJson()));
  }

  /** Seeded: any split of the calls into two days, summed in either order, is the summary of all of them. */
  @Test
  void summingDaysInAnySplitGivesTheSameSummary() {
    Random random = new Random(7);
    for (int run = 0; run < 300; run++) {
      List<String[]> calls = new ArrayList<>();
      for (int i = random.nextInt(40); i > 0; i--) {
        calls.add(new String[] {random.nextInt(8) == 0 ? null : "r-" + random.nextInt(run % 2 == 0 ? 3 : 20),
            random.nextBoolean() ? null : "vpce-" + random.nextInt(3),
            random.nextBoolean() ? null : "svc" + random.nextInt(2) + ".amazonaws.com",
            random.nextInt(4) == 0 ? null : "p/" + random.nextInt(run % 3 == 0 ? 4 : 30) + "/"});
      }
      CallContexts all = new CallContexts();
      CallContexts first = new CallContexts();
      CallContexts second = new CallContexts();
      for (String[] call : calls) {
        all.add(call[0], call[1], call[2], call[3]);
        (random.nextBoolean() ? first : second).add(call[0], call[1], call[2], call[3]);
      }
      CallContexts firstThenSecond = new CallContexts().merge(first).merge(second);
      CallContexts secondThenFirst = new CallContexts().merge(second).merge(first);
      assertEquals(all, firstThenSecond, "run " + run);
      assertEquals(all, secondThenFirst, "run " + run);
      if (all.regions() != null) {
        assertTrue(all.regions().size() <= CallContexts.MAX_VALUES);
      }
    }
    CallContexts many = new CallContexts();
    for (int i = 0; i <= CallContexts.MAX_VALUES; i++) {
      many.add("r-" + i, null, null, null);
    }
    assertNull(many.regions(), "past the cap: too many, for good");
    many.merge(new CallContexts());
    assertNull(many.regions());
    assertEquals(new TreeSet<>(List.of("r-0")), new CallContexts().merge(oneCall("r-0")).regions());
  }

  private static CallContexts oneCall(String region) {
    CallContexts one = new CallContexts();
    one.add(region, null, null, null);
    return one;
  }
}
