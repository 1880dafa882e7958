package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One API call of the scenario, whether or not the trail records it, with the IAM permission it
 * needed. The trail decides {@link #logged}; only logged calls become records.
 */
final class SampleCall {

  /** How CloudTrail classifies the call. */
  enum Kind { MANAGEMENT, DATA, NEVER_RECORDED }

  /** What IAM said. FAILED_AUTHORIZED: IAM allowed it, the service then failed (e.g. not found). */
  enum Outcome {
    SUCCESS, DENIED, FAILED_AUTHORIZED
  }

  final SampleSession session;
  final long timeMillis;
  final String eventSource;
  final String eventName;
  final String region;
  String recipientAccount;
  Kind kind = Kind.MANAGEMENT;
  String dataResourceType;
  JsonNode requestParameters;
  JsonNode responseElements;
  ObjectNode additionalEventData;
  ArrayNode resources;
  Boolean readOnly;
  String eventType = "AwsApiCall";
  String apiVersion;
  String errorCode;
  String errorMessage;
  Outcome outcome = Outcome.SUCCESS;
  String invokedBy;
  String sharedEventId;
  String host;
  String agent;
  String sourceIp;
  String action;
  String resource;
  String resourceAsLogged;
  boolean logged;
  ObjectNode record;

  SampleCall(SampleSession session, long timeMillis, String eventSource, String eventName,
      String region) {
    this.session = Objects.requireNonNull(session, "session");
    this.timeMillis = timeMillis;
    this.eventSource = Objects.requireNonNull(eventSource, "eventSource");
    this.eventName = Objects.requireNonNull(eventName, "eventName");
    this.region = Objects.requireNonNull(region, "region");
    this.recipientAccount = session.account;
  }

  SampleCall data(String resourceType) {
    this.kind = Kind.DATA;
    this.dataResourceType = resourceType;
    return this;
  }

  SampleCall neverRecorded() {
    this.kind = Kind.NEVER_RECORDED;
    return this;
  }

  SampleCall params(JsonNode params) {
    this.requestParameters = params;
    return this;
  }

  SampleCall response(JsonNode response) {
    this.responseElements = response;
    return this;
  }

  SampleCall additional(ObjectNode additional) {
    this.additionalEventData = additional;
    return this;
  }

  SampleCall readOnly(boolean value) {
    this.readOnly = value;
    return this;
  }

  SampleCall resource(String type, String arn, String accountId) {
    if (resources == null) {
      resources = SampleJson.NODES.arrayNode();
    }
    ObjectNode node = SampleJson.NODES.objectNode();
    if (accountId != null) {
      node.put("accountId", accountId);
    }
    node.put("type", type);
    node.put("ARN", arn);
    resources.add(node);
    return this;
  }

  /** The IAM permission this call needed; asLogged is how the resource shows in the record. */
  SampleCall needs(String action, String resource, String asLogged) {
    this.action = action;
    this.resource = resource;
    this.resourceAsLogged = asLogged;
    return this;
  }

  SampleCall invokedBy(String service) {
    this.invokedBy = service;
    return this;
  }

  SampleCall host(String host) {
    this.host = host;
    return this;
  }

  /** A caller other than the function's SDK, e.g. the Lambda worker that creates log streams. */
  SampleCall agent(String userAgent, String ip) {
    this.agent = userAgent;
    this.sourceIp = ip;
    return this;
  }

  SampleCall apiVersion(String version) {
    this.apiVersion = version;
    return this;
  }

  SampleCall eventType(String type) {
    this.eventType = type;
    return this;
  }

  SampleCall recipient(String account) {
    this.recipientAccount = account;
    return this;
  }

  SampleCall denied(String code, String message) {
    this.outcome = Outcome.DENIED;
    this.errorCode = code;
    this.errorMessage = message;
    return this;
  }

  SampleCall failed(String code, String message) {
    this.outcome = Outcome.FAILED_AUTHORIZED;
    this.errorCode = code;
    this.errorMessage = message;
    return this;
  }

  SampleCall shared(String eventId) {
    this.sharedEventId = eventId;
    return this;
  }

  /** Builds the record in CloudTrail's field order; ids come from the scenario's random source. */
  ObjectNode render(String requestId, String eventId) {
    boolean byService = invokedBy != null || session.type == SampleSession.Type.AWS_SERVICE;
    ObjectNode r = obj(
        "eventVersion", kind == Kind.DATA && eventSource.equals("s3.amazonaws.com") ? "1.10" : "1.11",
        "userIdentity", session.identity(invokedBy),
        "eventTime", SampleJson.eventTime(timeMillis),
        "eventSource", eventSource,
        "eventName", eventName,
        "awsRegion", region,
        "sourceIPAddress", invokedBy != null ? invokedBy : sourceIp != null ? sourceIp : session.sourceIp,
        "userAgent", invokedBy != null ? invokedBy : agent != null ? agent : session.userAgent(eventSource));
    if (errorCode != null) {
      r.put("errorCode", errorCode);
      if (errorMessage != null) {
        r.put("errorMessage", errorMessage);
      }
    }
    r.set("requestParameters", requestParameters == null ? SampleJson.NODES.nullNode() : requestParameters);
    r.set("responseElements", responseElements == null ? SampleJson.NODES.nullNode() : responseElements);
    if (additionalEventData != null) {
      r.set("additionalEventData", additionalEventData);
    }
    if (requestId != null) {
      r.put("requestID", requestId);
    }
    r.put("eventID", eventId);
    if (readOnly != null) {
      r.put("readOnly", readOnly);
    }
    if (resources != null) {
      r.set("resources", resources);
    }
    r.put("eventType", eventType);
    if (apiVersion != null) {
      r.put("apiVersion", apiVersion);
    }
    r.put("managementEvent", kind != Kind.DATA);
    r.put("recipientAccountId", recipientAccount);
    if (sharedEventId != null) {
      r.put("sharedEventID", sharedEventId);
    }
    r.put("eventCategory", kind == Kind.DATA ? "Data" : "Management");
    if (!byService) {
      r.set("tlsDetails", obj(
          "tlsVersion", "TLSv1.3",
          "cipherSuite", "TLS_AES_128_GCM_SHA256",
          "clientProvidedHostHeader", host != null ? host : defaultHost()));
    }
    if (session.console) {
      r.put("sessionCredentialFromConsole", "true");
    }
    this.record = r;
    return r;
  }

  private String defaultHost() {
    String service = eventSource.substring(0, eventSource.indexOf('.'));
    return switch (service) {
      case "iam" -> "iam.amazonaws.com";
      case "signin" -> "signin.aws.amazon.com";
      default -> service + "." + region + ".amazonaws.com";
    };
  }

  String roleArn() {
    return session.roleArn();
  }
}
