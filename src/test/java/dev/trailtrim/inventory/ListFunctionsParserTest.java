package dev.trailtrim.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListFunctionsParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode resource(String name) throws IOException {
    try (InputStream in = ListFunctionsParserTest.class.getResourceAsStream("/dev/trailtrim/inventory/" + name)) {
      return JSON.readTree(in);
    }
  }

  static Listing listing(String name) throws IOException {
    return ListFunctionsParser.parse(resource(name), "inventory/" + name, "inventory/" + name);
  }

  /** The four files of the resources: two accounts, three regions, one listing in two pages. */
  static FunctionInventory fourFiles() throws IOException {
    List<Listing> listings = new ArrayList<>();
    for (String name : List.of("111122223333-eu-west-1.json", "111122223333-us-east-1-page2.json",
        "111122223333-us-east-1.json", "444455556666-ap-southeast-2.json")) {
      listings.add(listing(name));
    }
    return FunctionInventory.of("inventory/", listings);
  }

  @Test
  void readsEveryFieldTheReportsNeed() throws IOException {
    Listing listing = listing("111122223333-eu-west-1.json");
    assertTrue(listing.complete());
    assertEquals(Set.of("111122223333/eu-west-1"), listing.lists());
    assertEquals(List.of(new LambdaFunction("thumbnailer", "arn:aws:lambda:eu-west-1:111122223333:function:thumbnailer",
        "111122223333", "eu-west-1", "arn:aws:iam::111122223333:role/thumbnailer-role", "python3.12", "x86_64",
        "2026-10-30T13:20:11.000+0000", "inventory/111122223333-eu-west-1.json")), listing.functions());
    assertEquals(List.of(), listing.notes());
  }

  @Test
  void aContainerImageHasNoRuntimeAndLambdasDefaultArchitecture() throws IOException {
    LambdaFunction renderer = listing("111122223333-us-east-1.json").functions().get(1);
    assertEquals("renderer", renderer.name());
    assertNull(renderer.runtime());
    assertEquals("x86_64", renderer.architecture());
    LambdaFunction orders = listing("111122223333-us-east-1.json").functions().get(0);
    assertEquals("arm64", orders.architecture());
    assertEquals("arn:aws:iam::111122223333:role/service-role/orders-api-role", orders.roleArn());
  }

  @Test
  void aPageWithNextMarkerCountsItsFunctionsButCoversNothingEvenWithTheLastPage() throws IOException {
    Listing first = listing("111122223333-us-east-1.json");
    assertFalse(first.complete());
    assertEquals(2, first.functions().size());
    assertTrue(first.notes().get(0).contains("one page of a longer listing (it has NextMarker)"), first.notes().get(0));
    Listing last = listing("111122223333-us-east-1-page2.json");
    assertTrue(last.complete(), "alone, the last page looks like a whole listing");

    FunctionInventory inventory = fourFiles();
    assertEquals(List.of("thumbnailer", "orders-api", "renderer", "renderer-backfill"),
        inventory.functions().stream().map(LambdaFunction::name).toList());
    assertEquals(List.of("eu-west-1"), inventory.coveredRegions("111122223333"),
        "a missing middle page would go unnoticed: us-east-1 is not listed completely");
    assertEquals(1, inventory.notes().size());
  }

  @Test
  void anEmptyListingTakesItsAccountAndRegionFromItsName() throws IOException {
    Listing empty = listing("444455556666-ap-southeast-2.json");
    assertEquals(Set.of("444455556666/ap-southeast-2"), empty.lists());
    assertTrue(empty.functions().isEmpty());
    Listing nested = ListFunctionsParser.parse(resource("444455556666-ap-southeast-2.json"), "x",
        "s3a://inventory/444455556666/us-gov-west-1.json");
    assertEquals(Set.of("444455556666/us-gov-west-1"), nested.lists());
    Listing nameless = ListFunctionsParser.parse(resource("444455556666-ap-southeast-2.json"), "functions.json",
        "functions.json");
    assertEquals(Set.of(), nameless.lists());
    assertEquals(List.of("Lambda inventory functions.json lists no function and its name tells no account and region:"
        + " name it <account>-<region>.json so that it shows the region has no function"), nameless.notes());
  }

  @Test
  void coveringAnAccountNeedsEveryRegionItHasLogsIn() throws IOException {
    FunctionInventory inventory = fourFiles();
    assertNull(inventory.notCovering("111122223333", List.of("eu-west-1")));
    assertEquals("the Lambda inventory does not list account 111122223333 in us-east-1, where the logs show it working",
        inventory.notCovering("111122223333", List.of("eu-west-1", "us-east-1")));
    assertNull(inventory.notCovering("444455556666", List.of()));
    assertEquals("the Lambda inventory has no complete listing of account 999999999999",
        inventory.notCovering("999999999999", List.of()));
  }

  @Test
  void namesTheFileAndTheFieldThatIsWrong() throws IOException {
    assertEquals("Lambda inventory f.json has no \"Functions\" list: pass the output of 'aws lambda list-functions"
        + " --region REGION', one file per account and region", error("{\"trailList\": []}"));
    assertEquals("Lambda inventory f.json, Functions[0] has no Role: pass the output of 'aws lambda list-functions'"
        + " unchanged",
        error("{\"Functions\": [{\"FunctionName\": \"a\","
            + " \"FunctionArn\": \"arn:aws:lambda:us-east-1:111122223333:function:a\"}]}"));
    assertEquals("Lambda inventory f.json, Functions[0]: FunctionArn"
        + " 'arn:aws:lambda:us-east-1:111122223333:function:a:1'"
        + " is not an unqualified function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)",
        error("{\"Functions\": [{\"FunctionName\": \"a\","
            + " \"FunctionArn\": \"arn:aws:lambda:us-east-1:111122223333:function:a:1\", \"Role\": \"r\"}]}"));
    assertEquals("Lambda inventory f.json, Functions[0]: Role 'admin' is not a role ARN"
        + " (arn:aws:iam::ACCOUNT:role/PATH/NAME)",
        error("{\"Functions\": [{\"FunctionName\": \"a\","
            + " \"FunctionArn\": \"arn:aws:lambda:us-east-1:111122223333:function:a\", \"Role\": \"admin\"}]}"));
  }

  private static String error(String json) throws IOException {
    JsonNode document = JSON.readTree(json);
    return assertThrows(IllegalArgumentException.class, () -> ListFunctionsParser.parse(document, "f.json", "f.json"))
        .getMessage();
  }
}
