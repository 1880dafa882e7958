package dev.trailtrim.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which planned files may repeat each other's events, from their paths alone. */
class RepeatedDeliveriesTest {

  private static final String ACCOUNT_TRAIL = "s3://logs/AWSLogs/111122223333/CloudTrail/us-east-1/";
  private static final String ORG_TRAIL = "s3://logs/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/";

  private static PlannedFile file(String uri) {
    return new PlannedFile(uri, 100);
  }

  private static String name(String id) {
    return "111122223333_CloudTrail_us-east-1_20261102T0005Z_" + id + ".json.gz";
  }

  @Test
  void theTrailPrefixEndsWithTheRegionFolder() {
    assertEquals(ORG_TRAIL, RepeatedDeliveries.trailPrefix(ORG_TRAIL + "2026/11/02/" + name("a")));
    assertNull(RepeatedDeliveries.trailPrefix("s3://logs/flat/" + name("a")), "outside the layout");
  }

  /**
   * Only days with files under two trail prefixes overlap; other days, other regions and files
   * outside the layout (even named by CloudTrail, for the same day) are read as they are.
   */
  @Test
  void onlyADayUnderTwoTrailPrefixesOverlaps() {
    PlannedFile accountNov2 = file(ACCOUNT_TRAIL + "2026/11/02/" + name("a"));
    PlannedFile orgNov2 = file(ORG_TRAIL + "2026/11/02/" + name("b"));
    PlannedFile accountNov2Later = file(ACCOUNT_TRAIL + "2026/11/02/" + name("c"));
    PlannedFile accountNov3 = file(ACCOUNT_TRAIL + "2026/11/03/" + name("d").replace("20261102", "20261103"));
    PlannedFile otherRegion =
        file("s3://logs/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2026/11/02/x.json.gz");
    PlannedFile flat = file("s3://logs/flat/" + name("e"));
    List<RepeatedDeliveries.Overlap> overlaps = RepeatedDeliveries.overlaps(
        List.of(flat, otherRegion, accountNov3, accountNov2Later, orgNov2, accountNov2));
    assertEquals(List.of(new RepeatedDeliveries.Overlap(new LogLocation("111122223333", "us-east-1",
        LocalDate.of(2026, 11, 2)), List.of(ACCOUNT_TRAIL, ORG_TRAIL),
        List.of(accountNov2, accountNov2Later, orgNov2))),
        overlaps);
    assertEquals(List.of(), RepeatedDeliveries.overlaps(List.of(accountNov2, accountNov2Later, accountNov3)));
  }

  @Test
  void aCopyHasTheNameAndLengthOfAnEarlierCloudTrailFile() {
    PlannedFile original = file("file:/a/" + name("a"));
    PlannedFile copy = file("file:/b/" + name("a"));
    PlannedFile longer = new PlannedFile("file:/c/" + name("a"), 101);
    PlannedFile export = file("file:/a/events.json");
    PlannedFile exportElsewhere = file("file:/b/events.json");
    assertEquals(List.of(new RepeatedDeliveries.Copy(copy, original)),
        RepeatedDeliveries.copies(List.of(original, export, copy, exportElsewhere, longer)));
  }
}
