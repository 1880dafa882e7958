package dev.trailtrim.evidence;

import dev.trailtrim.model.Arn;
import dev.trailtrim.model.IamAction;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that knows, for the data events trailtrim reasons about, the advanced selectors'
 * {@code resources.type} of an IAM action and the shape of those resources' ARNs. A type not here
 * is never taken as recorded.
 */
public final class DataEventTypes {

  public static final String S3_OBJECT = "AWS::S3::Object";
  public static final String DYNAMODB_TABLE = "AWS::DynamoDB::Table";
  public static final String DYNAMODB_STREAM = "AWS::DynamoDB::Stream";
  public static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
  public static final String SQS_QUEUE = "AWS::SQS::Queue";
  public static final String SNS_TOPIC = "AWS::SNS::Topic";
  public static final String KINESIS_STREAM = "AWS::Kinesis::Stream";

  /** resources.type of a service's data events, by IAM prefix. */
  private static final Map<String, String> BY_SERVICE = Map.of(
      "s3", S3_OBJECT,
      "dynamodb", DYNAMODB_TABLE,
      "lambda", LAMBDA_FUNCTION,
      "sqs", SQS_QUEUE,
      "sns", SNS_TOPIC,
      "kinesis", KINESIS_STREAM);

  /** Actions recorded under another type than their service's (lower-case action keys). */
  private static final Map<String, String> BY_ACTION = Map.of(
      "dynamodb:getrecords", DYNAMODB_STREAM,
      "dynamodb:getsharditerator", DYNAMODB_STREAM,
      "dynamodb:describestream", DYNAMODB_STREAM,
      "dynamodb:liststreams", DYNAMODB_STREAM);

  /**
   * The ARNs of each type as IAM patterns, {@code {p}} the partition and {@code {r}} the region the
   * call is logged in (data events are logged where the resource is). S3 object ARNs have no region.
   */
  private static final Map<String, String> ARNS = Map.of(
      S3_OBJECT, "arn:{p}:s3:::*/*",
      DYNAMODB_TABLE, "arn:{p}:dynamodb:{r}:*:table/*",
      DYNAMODB_STREAM, "arn:{p}:dynamodb:{r}:*:table/*/stream/*",
      LAMBDA_FUNCTION, "arn:{p}:lambda:{r}:*:function:*",
      SQS_QUEUE, "arn:{p}:sqs:{r}:*:*",
      SNS_TOPIC, "arn:{p}:sns:{r}:*:*",
      KINESIS_STREAM, "arn:{p}:kinesis:{r}:*:stream/*");

  /** The only types basic event selectors ({@code DataResources}) can name. */
  static final Set<String> BASIC_SELECTOR_TYPES = Set.of(S3_OBJECT, LAMBDA_FUNCTION, DYNAMODB_TABLE);

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  private DataEventTypes() {}

  /** The {@code resources.type} of the action's data events, or null when trailtrim does not know it. */
  public static String resourceTypeOf(IamAction action) {
    String byAction = BY_ACTION.get(action.key());
    return byAction != null ? byAction : BY_SERVICE.get(action.service().toLowerCase(Locale.ROOT));
  }

  /** Whether trailtrim can tell which resources of this type a trail records. */
  public static boolean isKnown(String resourceType) {
    return ARNS.containsKey(resourceType);
  }

  /** Every ARN of the type that a call logged in {@code region} can touch, or null for an unknown type. */
  static ResourceGlob arnsOf(String resourceType, String region) {
    String shape = ARNS.get(resourceType);
    if (shape == null || region == null || !REGION.matcher(region).matches()) {
      return null;
    }
    return ResourceGlob.compile(shape.replace("{p}", Arn.partitionOfRegion(region)).replace("{r}", region));
  }

  /**
   * What a value of a basic selector's data resource records: for S3 a key prefix
   * ({@code arn:aws:s3:::bucket/prefix}; a bucket alone, {@code arn:aws:s3:::bucket/}; or every bucket,
   * {@code arn:aws:s3}), for Lambda and DynamoDB one function or table by its ARN, or every one
   * ({@code arn:aws:lambda}, {@code arn:aws:dynamodb}). Null for a value of another form.
   */
  static ArnTest basicValueTest(String resourceType, String value) {
    String service = switch (resourceType) {
      case S3_OBJECT -> "s3";
      case LAMBDA_FUNCTION -> "lambda";
      case DYNAMODB_TABLE -> "dynamodb";
      default -> null;
    };
    if (service == null || value == null || !value.startsWith("arn:")) {
      return null;
    }
    String[] parts = value.split(":", 6);
    if (parts.length < 3 || parts[1].isEmpty() || !parts[2].equals(service)) {
      return null;
    }
    if (parts.length == 3 || (service.equals("s3") && value.equals("arn:" + parts[1] + ":s3:::"))) {
      return new ArnTest(ArnTest.Kind.STARTS_WITH, value);
    }
    if (parts.length != 6 || parts[5].isEmpty()) {
      return null;
    }
    if (service.equals("s3")) {
      // A bucket without the slash is read as that bucket only, never as every bucket it prefixes.
      return new ArnTest(ArnTest.Kind.STARTS_WITH, parts[5].contains("/") ? value : value + "/");
    }
    return new ArnTest(ArnTest.Kind.EQUALS, value);
  }
}
