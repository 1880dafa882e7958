package dev.trailtrim.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.CloudTrailEvent.EventResource;
import dev.trailtrim.model.CloudTrailEvent.Identity;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link CloudTrailEvent}s for tests: a Lambda role's call in us-east-1 unless told otherwise. */
final class TestEvents {

  static final String ACCOUNT = "111122223333";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final String name;
  private String region = "us-east-1";
  private String recipientAccount = ACCOUNT;
  private String callerAccount = ACCOUNT;
  private String errorCode;
  private JsonNode request;
  private JsonNode response;
  private final List<EventResource> resources = new ArrayList<>();
  private String category;
  private Boolean management;

  private TestEvents(String source, String name) {
    this.source = source;
    this.name = name;
  }

  /** {@code call("s3", "GetObject")} is an s3.amazonaws.com GetObject; a full eventSource works too. */
  static TestEvents call(String service, String eventName) {
    return new TestEvents(service.endsWith(".amazonaws.com") ? service : service + ".amazonaws.com", eventName);
  }

  TestEvents region(String value) {
    region = value;
    return this;
  }

  TestEvents recipientAccount(String value) {
    recipientAccount = value;
    return this;
  }

  TestEvents callerAccount(String value) {
    callerAccount = value;
    return this;
  }

  TestEvents error(String code) {
    errorCode = code;
    return this;
  }

  /** Request parameters as JSON, single quotes allowed: {@code "{'bucketName':'b'}"}. */
  TestEvents request(String json) {
    request = parse(json);
    return this;
  }

  TestEvents response(String json) {
    response = parse(json);
    return this;
  }

  TestEvents resource(String arn, String type) {
    resources.add(new EventResource(arn, type, null));
    return this;
  }

  TestEvents dataEvent() {
    category = "Data";
    management = false;
    return this;
  }

  CloudTrailEvent build() {
    Identity identity = new Identity("AssumedRole", "arn:aws:sts::" + callerAccount + ":assumed-role/fn-role/fn",
        callerAccount, "AROAEXAMPLE:fn", null, "Role", "arn:aws:iam::" + callerAccount + ":role/service-role/fn-role");
    return new CloudTrailEvent(1_700_000_000_000L, source, name, region, recipientAccount, errorCode, identity,
        "aws-sdk-java/2", request, response, resources, category, management);
  }

  static JsonNode parse(String json) {
    try {
      return json == null ? null : JSON.readTree(json.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
