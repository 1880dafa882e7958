package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.inventory.FunctionInventory;
import dev.trailtrim.inventory.LambdaFunction;
import dev.trailtrim.inventory.ListFunctionsParser;
import dev.trailtrim.inventory.Listing;
import dev.trailtrim.testing.LambdaRestApiServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The SDK's real LambdaClient against a local endpoint speaking Lambda's REST-JSON ListFunctions. */
@Execution(ExecutionMode.CONCURRENT) // Its own Lambda fake and no Spark: alongside the Spark tests
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
class LiveLambdaInventoryReaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FAST_RETRY = Duration.ofMillis(5);
  private static final String ACCOUNT = "111122223333";

  /** {@code count} functions of region, named fn-000..., sharing two roles; the last ones are container images. */
  private static ObjectNode functions(String region, int count) {
    ObjectNode document = JSON.createObjectNode();
    ArrayNode list = document.putArray("Functions");
    for (int i = 0; i < count; i++) {
      String name = String.format("fn-%03d", i);
      ObjectNode f = list.addObject();
      f.put("FunctionName", name);
      f.put("FunctionArn", "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + name);
      if (i % 5 != 4) {
        f.put("Runtime", "python3.12");
        f.put("Handler", "app.handler");
        f.put("PackageType", "Zip");
      } else {
        f.put("PackageType", "Image");
      }
      f.put("Role", "arn:aws:iam::" + ACCOUNT + ":role/service-role/role-" + (i % 2));
      f.put("CodeSize", 1000 + i);
      f.put("Description", "");
      f.put("Timeout", 30);
      f.put("MemorySize", 256);
      f.put("LastModified", "2026-10-0" + (1 + i % 9) + "T10:00:00.000+0000");
      f.put("Version", "$LATEST");
      f.putArray("Architectures").add(i % 3 == 0 ? "arm64" : "x86_64");
      f.putObject("TracingConfig").put("Mode", "PassThrough");
    }
    return document;
  }

  private static LiveLambdaInventoryReader reader(LambdaRestApiServer server) {
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST",
        "secret"));
    return new LiveLambdaInventoryReader(region -> LiveLambdaInventoryReader.newClient(region, server.endpoint(),
        credentials, FAST_RETRY));
  }

  @Test
  void followsNextMarkerThroughEveryPageOfEveryRegion() throws IOException {
    Map<String, ObjectNode> served = new TreeMap<>(Map.of("us-east-1", functions("us-east-1", 23),
        "eu-west-1", functions("eu-west-1", 4), "ap-south-1", functions("ap-south-1", 0)));
    try (LambdaRestApiServer server = new LambdaRestApiServer(served)) {
      server.setPageSize(10);
      Map<String, ObjectNode> read = reader(server)
          .readDocuments(List.of("us-east-1", "eu-west-1", "ap-south-1"));

      assertEquals(List.of("ap-south-1", "eu-west-1", "us-east-1"), new ArrayList<>(read.keySet()));
      assertEquals(23, read.get("us-east-1").path("Functions").size());
      assertEquals(4, read.get("eu-west-1").path("Functions").size());
      assertEquals(0, read.get("ap-south-1").path("Functions").size());
      List<String> markers = server.requests().stream().filter(r -> r.region().equals("us-east-1"))
          .map(LambdaRestApiServer.Request::marker).toList();
      assertEquals(3, markers.size(), "23 functions in pages of 10: " + markers);
      assertEquals(null, markers.get(0));
      assertTrue(markers.get(1).startsWith("page-"), markers.toString());
      // Each function as the CLI prints it: the file parser reads the live documents unchanged.
      assertEquals(JSON.readTree(functions("eu-west-1", 4).path("Functions").get(0).toString()),
          JSON.readTree(read.get("eu-west-1").path("Functions").get(0).toString()));

      List<Listing> listings = new ArrayList<>();
      read.forEach((region, document) -> listings.add(ListFunctionsParser.parse(document, "the Lambda API",
          ACCOUNT + "-" + region + ".json")));
      FunctionInventory inventory = FunctionInventory.of("the Lambda API", listings);
      assertEquals(27, inventory.functions().size());
      assertEquals(List.of("ap-south-1", "eu-west-1", "us-east-1"), inventory.coveredRegions(ACCOUNT));
      LambdaFunction image = inventory.functions().stream().filter(f -> f.arn().endsWith("us-east-1:"
          + ACCOUNT + ":function:fn-004")).findFirst().orElseThrow();
      assertEquals(null, image.runtime());
      assertEquals(12, inventory.functionsOf("arn:aws:iam::" + ACCOUNT + ":role/service-role/role-0").stream()
          .filter(f -> f.region().equals("us-east-1")).count());
    }
  }

  @Test
  void retriesThrottlingAndNamesTheRegionWhenAccessIsDenied() throws IOException {
    try (LambdaRestApiServer server = new LambdaRestApiServer(Map.of("us-east-1", functions("us-east-1", 3)))) {
      server.throttleNextRequests(2);
      Map<String, ObjectNode> read = reader(server).readDocuments(List.of("us-east-1"));
      assertEquals(3, read.get("us-east-1").path("Functions").size());
      assertEquals(3, server.requests().size(), "two throttled, then the page");

      server.denyAll();
      IllegalStateException denied = assertThrows(IllegalStateException.class,
          () -> reader(server).readDocuments(List.of("us-east-1")));
      assertEquals("Cannot list the Lambda functions: ListFunctions in us-east-1 failed with"
          + " AccessDeniedException"
          + " (HTTP 403): check that the credentials allow lambda:ListFunctions, or use --lambda-inventory",
          denied.getMessage());
    }
  }

  @Test
  void theStandInRefusesWhatLambdaWouldNot() throws IOException {
    JsonNode empty = JSON.readTree("{\"Functions\": []}");
    try (LambdaRestApiServer server = new LambdaRestApiServer(Map.of("us-east-1", empty))) {
      assertThrows(IllegalArgumentException.class, () -> server.setPageSize(0));
      assertEquals(0, reader(server).readDocuments(List.of("us-east-1")).get("us-east-1").path("Functions")
          .size());
    }
  }
}
