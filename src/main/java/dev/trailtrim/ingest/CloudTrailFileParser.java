package dev.trailtrim.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.CloudTrailEvent.EventResource;
import dev.trailtrim.model.CloudTrailEvent.Identity;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Parses the decompressed bytes of one CloudTrail file into records, streaming: fields the job
 * does not need are skipped without building trees. Reads the delivered shape
 * {@code {"Records":[...]}} and, for captures and ad-hoc exports, a bare JSON array of records,
 * one record per line (or concatenated), and the LookupEvents shape whose records are JSON
 * strings in {@code CloudTrailEvent}.
 *
 * <p>A file is all or nothing: when the file itself is bad (truncated, invalid, not CloudTrail)
 * none of its records are used, so a half-delivered file never changes a policy. A bad record
 * in a good file is skipped and counted on its own.
 */
public final class CloudTrailFileParser {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  /** What a file gave: its good records, or why it was rejected as a whole. */
  public record ParsedFile(List<CloudTrailEvent> records, List<RecordReject> recordRejects, SkipReason fileReject,
      String detail) {

    static ParsedFile rejected(SkipReason reason, String detail) {
      return new ParsedFile(List.of(), List.of(), reason, detail);
    }

    public boolean rejected() {
      return fileReject != null;
    }
  }

  /** A record skipped inside an otherwise good file. */
  public record RecordReject(SkipReason reason, String detail) {}

  private CloudTrailFileParser() {}

  /**
   * Parses one decoded file. No string in it is too long for the parser: its limit is at least the
   * document's own length, so every file within {@code max.file.bytes} is read whole (Jackson's
   * default of 20 MB per string would reject a file for one long request parameter).
   */
  public static ParsedFile parse(byte[] json) {
    List<CloudTrailEvent> records = new ArrayList<>();
    List<RecordReject> rejects = new ArrayList<>();
    boolean wrapped;
    int objects;
    try (JsonParser parser = factoryFor(json.length).createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return ParsedFile.rejected(SkipReason.EMPTY_FILE, "no JSON value in the file");
      }
      if (first == JsonToken.START_ARRAY) {
        wrapped = false;
        objects = readRecordArray(parser, records::add, rejects);
      } else if (first == JsonToken.START_OBJECT) {
        JsonToken next = parser.nextToken();
        String firstField = next == JsonToken.FIELD_NAME ? parser.currentName() : null;
        if ("Records".equals(firstField) || "Events".equals(firstField)) {
          wrapped = true;
          Wrapper wrapper = readWrapper(parser, firstField, records, rejects);
          if (!wrapper.listRead() && wrapper.notAList() != null) {
            return ParsedFile.rejected(SkipReason.NOT_CLOUDTRAIL, wrapper.notAList());
          }
          objects = wrapper.objects();
        } else {
          // One record per root-level value (JSON lines); we are inside the first one already.
          wrapped = false;
          objects = 1;
          readRecordBody(parser, next, records::add, rejects);
          for (JsonToken root = parser.nextToken(); root != null; root = parser.nextToken()) {
            objects++;
            if (root == JsonToken.START_OBJECT) {
              readRecordBody(parser, parser.nextToken(), records::add, rejects);
            } else {
              parser.skipChildren();
              rejects.add(new RecordReject(SkipReason.RECORD_NOT_AN_OBJECT, "root value " + root));
            }
          }
        }
      } else {
        return ParsedFile.rejected(SkipReason.NOT_CLOUDTRAIL, "the file holds a JSON " + first + ", not records");
      }
    } catch (JsonEOFException e) {
      return ParsedFile.rejected(SkipReason.TRUNCATED_JSON, oneLine(e));
    } catch (IOException e) {
      return ParsedFile.rejected(SkipReason.INVALID_JSON, oneLine(e));
    }
    if (!wrapped && records.isEmpty() && objects > 0) {
      String why = rejects.isEmpty() ? "no records" : rejects.get(0).detail();
      return ParsedFile.rejected(SkipReason.NOT_CLOUDTRAIL,
          "no Records array and none of its " + objects + " JSON values is a CloudTrail record (" + why + ")");
    }
    return new ParsedFile(List.copyOf(records), List.copyOf(rejects), null, null);
  }

  /** The parser for a document of this many bytes: Jackson's default limits, or a string limit it cannot exceed. */
  private static JsonFactory factoryFor(int documentLength) {
    if (documentLength <= StreamReadConstraints.DEFAULT_MAX_STRING_LEN) {
      return FACTORY;
    }
    return new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(documentLength).build()).build())
        .getFactory();
  }

  /**
   * What the wrapper object held: how many record values, whether a Records or Events list was
   * there at all, and if one of them was something else ({@code "Records": null}), what.
   */
  private record Wrapper(int objects, boolean listRead, String notAList) {}

  private static Wrapper readWrapper(JsonParser parser, String field, List<CloudTrailEvent> records,
      List<RecordReject> rejects) throws IOException {
    int objects = 0;
    boolean listRead = false;
    String notAList = null;
    for (String name = field; name != null; name = parser.nextFieldName()) {
      JsonToken value = parser.nextToken();
      if (name.equals("Records") && value == JsonToken.START_ARRAY) {
        objects += readRecordArray(parser, records::add, rejects);
        listRead = true;
      } else if (name.equals("Events") && value == JsonToken.START_ARRAY) {
        objects += readLookupEvents(parser, records, rejects);
        listRead = true;
      } else {
        if ((name.equals("Records") || name.equals("Events")) && notAList == null) {
          notAList = name + " is " + describe(value) + ", not a list of records";
        }
        parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new JsonEOFException(parser, parser.currentToken(), "expected the end of the Records object");
    }
    if (parser.nextToken() != null) {
      throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected data after the Records object");
    }
    return new Wrapper(objects, listRead, notAList);
  }

  private static String describe(JsonToken value) {
    return switch (value) {
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> String.valueOf(value);
    };
  }

  private static int readRecordArray(JsonParser parser, Consumer<CloudTrailEvent> sink, List<RecordReject> rejects)
      throws IOException {
    int objects = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token == null) {
        throw new JsonEOFException(parser, null, "Records array is not closed");
      }
      objects++;
      if (token == JsonToken.START_OBJECT) {
        readRecordBody(parser, parser.nextToken(), sink, rejects);
      } else {
        parser.skipChildren();
        rejects.add(new RecordReject(SkipReason.RECORD_NOT_AN_OBJECT, "element " + objects + " is " + token));
      }
    }
    return objects;
  }

  /** LookupEvents: {@code {"Events":[{"CloudTrailEvent": "<record as a JSON string>", ...}]}}. */
  private static int readLookupEvents(JsonParser parser, List<CloudTrailEvent> records, List<RecordReject> rejects)
      throws IOException {
    int objects = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token == null) {
        throw new JsonEOFException(parser, null, "Events array is not closed");
      }
      objects++;
      JsonNode event = parser.readValueAsTree();
      JsonNode embedded = event == null ? null : event.get("CloudTrailEvent");
      if (embedded == null || !embedded.isTextual()) {
        rejects.add(new RecordReject(SkipReason.RECORD_MISSING_FIELD, "event " + objects + " has no CloudTrailEvent"));
        continue;
      }
      try (JsonParser inner = parser.getCodec().getFactory().createParser(embedded.asText())) {
        if (inner.nextToken() == JsonToken.START_OBJECT) {
          readRecordBody(inner, inner.nextToken(), records::add, rejects);
        } else {
          rejects.add(new RecordReject(SkipReason.RECORD_NOT_AN_OBJECT, "CloudTrailEvent " + objects));
        }
      } catch (IOException e) {
        rejects
            .add(new RecordReject(SkipReason.RECORD_NOT_AN_OBJECT, "CloudTrailEvent " + objects + ": " + oneLine(e)));
      }
    }
    return objects;
  }

  /** Reads the fields of a record object; the parser is on the first FIELD_NAME (or END_OBJECT). */
  private static void readRecordBody(JsonParser parser, JsonToken token, Consumer<CloudTrailEvent> sink,
      List<RecordReject> rejects) throws IOException {
    String eventTime = null;
    String eventSource = null;
    String eventName = null;
    String awsRegion = null;
    String recipientAccountId = null;
    String errorCode = null;
    String userAgent = null;
    String eventCategory = null;
    Boolean managementEvent = null;
    String eventId = null;
    String vpcEndpointId = null;
    Identity identity = null;
    JsonNode requestParameters = null;
    JsonNode responseElements = null;
    List<EventResource> resources = null;
    // A plaso-style line wraps the record as a string.
    String embeddedRecord = null;
    for (; token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "eventTime" -> eventTime = text(parser, value);
        case "eventSource" -> eventSource = text(parser, value);
        case "eventName" -> eventName = text(parser, value);
        case "awsRegion" -> awsRegion = text(parser, value);
        case "recipientAccountId" -> recipientAccountId = text(parser, value);
        case "errorCode" -> errorCode = text(parser, value);
        case "userAgent" -> userAgent = text(parser, value);
        case "eventCategory" -> eventCategory = text(parser, value);
        case "eventID" -> eventId = text(parser, value);
        case "vpcEndpointId" -> vpcEndpointId = text(parser, value);
        case "managementEvent" -> managementEvent = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : skipNull(parser, value);
        case "userIdentity" -> identity = value == JsonToken.START_OBJECT ? identity(parser) : skip(parser);
        case "requestParameters" -> requestParameters = parser.readValueAsTree();
        case "responseElements" -> responseElements = parser.readValueAsTree();
        case "resources" -> resources = value == JsonToken.START_ARRAY ? resources(parser) : skip(parser);
        case "CloudTrailEvent" -> embeddedRecord = text(parser, value);
        default -> parser.skipChildren();
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw new JsonEOFException(parser, token, "record object is not closed");
    }
    if (embeddedRecord != null && eventSource == null) {
      try (JsonParser inner = parser.getCodec().getFactory().createParser(embeddedRecord)) {
        if (inner.nextToken() == JsonToken.START_OBJECT) {
          readRecordBody(inner, inner.nextToken(), sink, rejects);
          return;
        }
      } catch (IOException e) {
        rejects.add(new RecordReject(SkipReason.RECORD_NOT_AN_OBJECT, "CloudTrailEvent string: " + oneLine(e)));
        return;
      }
    }
    if (eventSource == null || eventName == null || eventTime == null) {
      String missing = eventSource == null ? "eventSource" : eventName == null ? "eventName" : "eventTime";
      rejects.add(new RecordReject(SkipReason.RECORD_MISSING_FIELD, "record has no " + missing));
      return;
    }
    long millis;
    try {
      millis = eventTimeMillis(eventTime);
    } catch (DateTimeParseException e) {
      rejects.add(new RecordReject(SkipReason.RECORD_BAD_EVENT_TIME,
          "eventTime '" + eventTime + "' of " + eventSource + " " + eventName + " is not an ISO-8601 instant"));
      return;
    }
    sink.accept(new CloudTrailEvent(millis, eventSource, eventName, awsRegion, recipientAccountId,
        errorCode, identity == null ? new Identity(null, null, null, null, null, null, null) : identity,
        userAgent, requestParameters, responseElements, resources, eventCategory, managementEvent, eventId,
        vpcEndpointId));
  }

  /**
   * CloudTrail writes {@code 2026-11-01T00:05:12Z}; exports through SIEMs often turn that into
   * {@code 2026-11-01 00:05:12[.fff]}, still UTC, which is read too.
   */
  static long eventTimeMillis(String eventTime) {
    long fast = plainUtcSecondsMillis(eventTime);
    if (fast >= 0) {
      return fast;
    }
    if (eventTime.length() >= 19 && eventTime.charAt(10) == ' ') {
      String iso = eventTime.substring(0, 10) + 'T' + eventTime.substring(11);
      return Instant.parse(iso.endsWith("Z") ? iso : iso + 'Z').toEpochMilli();
    }
    return Instant.parse(eventTime).toEpochMilli();
  }

  /**
   * CloudTrail's own form, {@code 2026-11-01T00:05:12Z}, read without a general parser (it was a
   * tenth of the per-record cost); -1 for anything else, which the general parser then reads.
   */
  private static long plainUtcSecondsMillis(String t) {
    if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
      return -1;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59
        || hour < 0 || minute < 0 || second < 0 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return -1;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L;
  }

  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static String text(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      parser.skipChildren();
      return null;
    }
    return value == JsonToken.VALUE_NULL ? null : parser.getText();
  }

  private static <T> T skip(JsonParser parser) throws IOException {
    parser.skipChildren();
    return null;
  }

  private static <T> T skipNull(JsonParser parser, JsonToken value) throws IOException {
    parser.skipChildren();
    return null;
  }

  /**
   * {@code userIdentity}, read from its tokens (building its tree was a tenth of the per-record
   * cost). Reads as the tree did: a repeated field's last value counts, and a field holding an
   * object, an array or null is null. The parser is on the object's START_OBJECT.
   */
  private static Identity identity(JsonParser parser) throws IOException {
    String type = null;
    String arn = null;
    String accountId = null;
    String principalId = null;
    String invokedBy = null;
    String[] issuer = {null, null};
    for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "type" -> type = scalarText(parser, value);
        case "arn" -> arn = scalarText(parser, value);
        case "accountId" -> accountId = scalarText(parser, value);
        case "principalId" -> principalId = scalarText(parser, value);
        case "invokedBy" -> invokedBy = scalarText(parser, value);
        case "sessionContext" -> issuer = sessionIssuer(parser, value);
        default -> parser.skipChildren();
      }
    }
    return new Identity(type, arn, accountId, principalId, invokedBy, issuer[0], issuer[1]);
  }

  /** The type and ARN of {@code sessionContext.sessionIssuer}, both null when it is not there. */
  private static String[] sessionIssuer(JsonParser parser, JsonToken sessionContext) throws IOException {
    String[] issuer = {null, null};
    if (sessionContext != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return issuer;
    }
    for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      boolean isIssuer = parser.currentName().equals("sessionIssuer");
      JsonToken value = parser.nextToken();
      if (!isIssuer) {
        parser.skipChildren();
        continue;
      }
      issuer = new String[] {null, null};
      if (value != JsonToken.START_OBJECT) {
        parser.skipChildren();
        continue;
      }
      for (JsonToken inner = parser.nextToken(); inner == JsonToken.FIELD_NAME; inner = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken fieldValue = parser.nextToken();
        switch (field) {
          case "type" -> issuer[0] = scalarText(parser, fieldValue);
          case "arn" -> issuer[1] = scalarText(parser, fieldValue);
          default -> parser.skipChildren();
        }
      }
    }
    return issuer;
  }

  /** {@code resources[]} from its tokens: one entry per element, all-null for an element that is not an object. */
  private static List<EventResource> resources(JsonParser parser) throws IOException {
    List<EventResource> resources = new ArrayList<>(2);
    for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
      if (element != JsonToken.START_OBJECT) {
        parser.skipChildren();
        resources.add(new EventResource(null, null, null));
        continue;
      }
      String upperArn = null;
      String lowerArn = null;
      String type = null;
      String accountId = null;
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "ARN" -> upperArn = scalarText(parser, value);
          case "arn" -> lowerArn = scalarText(parser, value);
          case "type" -> type = scalarText(parser, value);
          case "accountId" -> accountId = scalarText(parser, value);
          default -> parser.skipChildren();
        }
      }
      resources.add(new EventResource(upperArn != null ? upperArn : lowerArn, type, accountId));
    }
    return resources;
  }

  /**
   * A field's value as its tree node's {@code asText()} gave it: strings and booleans as written,
   * numbers as the node prints them, and null for null, objects and arrays (which are skipped).
   */
  private static String scalarText(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING -> parser.getText();
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.<JsonNode>readValueAsTree().asText();
      default -> {
        parser.skipChildren();
        yield null;
      }
    };
  }

  private static String oneLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
