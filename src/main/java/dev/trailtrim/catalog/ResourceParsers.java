package dev.trailtrim.catalog;

import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.Arn;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named parsers that {@code translation-rules.json} refers to: each turns one request
 * parameter value into the resource ARN(s) a policy names, for shapes a plain ARN format cannot
 * fill (queue URLs, key aliases, partial Lambda ARNs, ...).
 */
final class ResourceParsers {

  /** Where an ARN comes from: the record's partition, region and account. */
  record Where(String partition, String region, String account) {}

  /**
   * A derived resource and the rule that produced it: a concrete ARN as found (escaped once, when
   * the resolver hands it on), or, with {@code pattern}, an IAM resource pattern already.
   */
  record Derived(String resource, String rule, boolean pattern) {
    Derived(String concreteArn, String rule) {
      this(concreteArn, rule, false);
    }

    /** A resource pattern written on purpose (any object of a bucket, a secret of any suffix). */
    static Derived pattern(String pattern, String rule) {
      return new Derived(pattern, rule, true);
    }

    /** The resource as {@link ActionOnResource} holds it: a pattern, concrete ARNs escaped. */
    String asPattern() {
      return pattern ? resource : ActionOnResource.escapeLiteral(resource);
    }
  }

  static final Set<String> NAMES = Set.of("arn", "s3-copy-source", "s3-any-object-in-bucket", "dynamodb-table",
      "sqs-queue-url", "kms-key-id", "secretsmanager-secret-id", "ssm-parameter-name", "ssm-document-name",
      "ssm-target", "lambda-function", "logs-log-group", "iam-role", "instance-profile-role", "bedrock-model-id",
      "events-rule", "ses-sender", "ecs-task-definition", "arn-before-pipe", "dynamodb-partiql-table");

  private static final Pattern REGION_IN_HOST =
      Pattern.compile("(?:^|\\.)([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d+)(?:\\.|$)");
  private static final Pattern SECRET_SUFFIX = Pattern.compile("-[A-Za-z0-9]{6}$");
  /** A hyphen and the six random characters Secrets Manager appends to every secret's name. */
  static final String SECRET_ANY_SUFFIX = "-??????";
  private static final Pattern AWS_OWNED_DOCUMENT = Pattern.compile("(?i)^(aws|amazon|amzn).*");
  /**
   * A cross-Region inference profile id: a geography, then the model id ({@code us.anthropic.claude-...},
   * {@code global.amazon.nova-...}); an on-demand model id has the provider first ({@code anthropic.claude-...}).
   */
  private static final Pattern INFERENCE_PROFILE_ID =
      Pattern.compile("^(us|us-gov|eu|apac|jp|au|ca|global)\\.(.+\\..+)$");
  /** The address in {@code "Name" <user@example.com>} or a bare address. */
  private static final Pattern EMAIL = Pattern.compile("([^<>\\s\"]+)@([^<>\\s\"]+?)>?\\s*$");
  /** The table (and index) a PartiQL statement reads or writes: {@code FROM "t"."i"}, {@code INTO t}, {@code UPDATE t}. */
  private static final Pattern PARTIQL_TABLE = Pattern.compile(
      "(?i)\\b(?:FROM|INTO|UPDATE)\\s+(\"[^\"]+\"|[A-Za-z0-9_.-]+)(?:\\.(\"[^\"]+\"|[A-Za-z0-9_-]+))?");

  private ResourceParsers() {}

  /**
   * @param parser  one of {@link #NAMES}
   * @param value   a non-empty parameter value
   * @param type    the resource type being derived (some parsers answer only for some types)
   * @param context the record's event, for sibling parameters such as Lambda's {@code qualifier}
   * @return the derived resources; empty when the value has no usable shape
   */
  static List<Derived> parse(String parser, String value, String type, Where where, ParameterReader context) {
    return switch (parser) {
      case "arn" -> Arn.looksLikeArn(urlDecodedArn(value))
          ? List.of(new Derived(urlDecodedArn(value), "request-parameters")) : List.of();
      case "s3-copy-source" -> s3CopySource(value, where);
      case "s3-any-object-in-bucket" -> List.of(Derived.pattern(
          ActionOnResource.escapeLiteral("arn:" + where.partition() + ":s3:::" + value) + "/*",
          "s3.any-object-in-bucket"));
      case "dynamodb-table" -> nameOrArn(value, where, "dynamodb", "table/" + value, "request-parameters");
      case "sqs-queue-url" -> sqsQueue(value, where);
      case "kms-key-id" -> kmsKey(value, where);
      case "secretsmanager-secret-id" -> secret(value, where);
      case "ssm-parameter-name" -> ssmParameter(value, where);
      case "ssm-document-name" -> ssmDocument(value, where);
      case "ssm-target" -> ssmTarget(value, type, where);
      case "lambda-function" -> lambdaFunction(value, context.first("qualifier"), where);
      case "logs-log-group" -> logGroup(value, where);
      case "iam-role" -> iamRole(value, where);
      case "instance-profile-role" -> instanceProfileRole(value, where);
      case "bedrock-model-id" -> bedrockModel(value, where);
      case "events-rule" -> eventsRule(value, context.first("eventBusName"), type, where);
      case "ses-sender" -> sesSender(value, where);
      case "ecs-task-definition" -> ecsTaskDefinition(value, where);
      case "arn-before-pipe" -> arnBeforePipe(value);
      case "dynamodb-partiql-table" -> partiqlTable(value, where);
      default ->
        throw new IllegalArgumentException("Unknown resource parser '" + parser + "': expected one of " + NAMES);
    };
  }

  /** Some consoles log ARNs URL-encoded ({@code arn%3Aaws%3A...}); anything else is returned as is. */
  static String urlDecodedArn(String value) {
    if (value.regionMatches(true, 0, "arn%3A", 0, 6)) {
      try {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return value;
      }
    }
    return value;
  }

  /** Reads sibling request parameters (e.g. Lambda's qualifier). */
  interface ParameterReader {
    String first(String path);
  }

  private static List<Derived> nameOrArn(String value, Where where, String service, String resource, String rule) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    String arn = regional(where, service, resource);
    return arn == null ? List.of() : List.of(new Derived(arn, rule));
  }

  /** arn:partition:service:region:account:resource, or null when region or account is unknown. */
  private static String regional(Where where, String service, String resource) {
    if (where.region() == null || where.account() == null) {
      return null;
    }
    return "arn:" + where.partition() + ":" + service + ":" + where.region() + ":" + where.account() + ":" + resource;
  }

  /** {@code bucket/key}, URL-encoded, maybe with a leading slash and {@code ?versionId=}. */
  private static List<Derived> s3CopySource(String value, Where where) {
    String source = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    int query = source.indexOf("?versionId=");
    if (query >= 0) {
      source = source.substring(0, query);
    }
    if (source.startsWith("/")) {
      source = source.substring(1);
    }
    if (Arn.looksLikeArn(source)) {
      return List.of(new Derived(source, "s3-copy-source"));
    }
    int slash = source.indexOf('/');
    if (slash <= 0 || slash == source.length() - 1) {
      return List.of();
    }
    return List.of(new Derived("arn:" + where.partition() + ":s3:::" + source, "s3-copy-source"));
  }

  /**
   * {@code https://sqs.<region>.amazonaws.com/<account>/<name>} and the legacy
   * {@code https://<region>.queue.amazonaws.com/...}; the URL's account and region win over the record's.
   */
  private static List<Derived> sqsQueue(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    if (!value.contains("/")) {
      return nameOrArn(value, where, "sqs", value, "request-parameters");
    }
    URI uri;
    try {
      uri = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String[] path = uri.getPath() == null ? new String[0] : uri.getPath().replaceAll("^/+|/+$", "").split("/");
    if (path.length != 2 || path[0].isEmpty() || path[1].isEmpty()) {
      return List.of();
    }
    Matcher region = REGION_IN_HOST.matcher(host);
    String queueRegion = region.find() ? region.group(1)
        : host.startsWith("queue.amazonaws.com") ? "us-east-1" : where.region();
    if (queueRegion == null) {
      return List.of();
    }
    return List.of(new Derived("arn:" + Arn.partitionOfRegion(queueRegion) + ":sqs:" + queueRegion + ":" + path[0]
        + ":" + path[1], "sqs.queue-url"));
  }

  /** A key id, key ARN, alias name or alias ARN; an alias stays an alias ARN (the key is unknown here). */
  private static List<Derived> kmsKey(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    if (value.startsWith("alias/")) {
      String arn = regional(where, "kms", value);
      return arn == null ? List.of() : List.of(new Derived(arn, "kms.alias-arn"));
    }
    return nameOrArn(value, where, "kms", "key/" + value, "request-parameters");
  }

  /**
   * A full secret ARN as is; a name or partial ARN gets {@code -??????} for the six random
   * characters Secrets Manager appends (AWS's recommended form: {@code -*} would also match
   * another secret whose name merely starts the same, e.g. {@code db-old}).
   */
  private static List<Derived> secret(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      String resource = Arn.parse(value).resource();
      if (resource.startsWith("secret:") && !SECRET_SUFFIX.matcher(resource).find()) {
        return List.of(Derived.pattern(ActionOnResource.escapeLiteral(value) + SECRET_ANY_SUFFIX,
            "secretsmanager.partial-arn-any-suffix"));
      }
      return List.of(new Derived(value, "request-parameters"));
    }
    String arn = regional(where, "secretsmanager", "secret:" + value);
    return arn == null ? List.of()
        : List.of(
            Derived.pattern(ActionOnResource.escapeLiteral(arn) + SECRET_ANY_SUFFIX, "secretsmanager.name-any-suffix"));
  }

  /** With or without a leading slash; a {@code :version} or {@code :label} selector is not part of the name. */
  private static List<Derived> ssmParameter(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    String name = value.startsWith("/") ? value.substring(1) : value;
    int selector = name.indexOf(':');
    if (selector >= 0) {
      name = name.substring(0, selector);
    }
    if (name.isEmpty()) {
      return List.of();
    }
    return nameOrArn(name, where, "ssm", "parameter/" + name, "ssm.parameter-name");
  }

  /** AWS-owned documents (names starting aws, amazon, amzn) have no account in their ARN. */
  private static List<Derived> ssmDocument(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    if (AWS_OWNED_DOCUMENT.matcher(value).matches()) {
      return where.region() == null ? List.of() : List.of(new Derived(
          "arn:" + where.partition() + ":ssm:" + where.region() + "::document/" + value, "ssm.aws-owned-document"));
    }
    return nameOrArn(value, where, "ssm", "document/" + value, "request-parameters");
  }

  /** An EC2 instance id for type {@code instance}, a managed-instance id for {@code managed-instance}. */
  private static List<Derived> ssmTarget(String value, String type, Where where) {
    if (value.startsWith("i-") && "instance".equalsIgnoreCase(type)) {
      return nameOrArn(value, where, "ec2", "instance/" + value, "request-parameters");
    }
    if (value.startsWith("mi-") && "managed-instance".equalsIgnoreCase(type)) {
      return nameOrArn(value, where, "ssm", "managed-instance/" + value, "request-parameters");
    }
    return List.of();
  }

  /**
   * {@code name}, {@code name:qualifier}, {@code account:function:name[:qualifier]} or a full ARN; a
   * separate {@code qualifier} parameter is appended to an unqualified name.
   */
  private static List<Derived> lambdaFunction(String value, String qualifier, Where where) {
    String arn;
    if (Arn.looksLikeArn(value)) {
      arn = value;
    } else if (value.matches("\\d{12}:function:.+")) {
      if (where.region() == null) {
        return List.of();
      }
      arn = "arn:" + where.partition() + ":lambda:" + where.region() + ":" + value;
    } else {
      arn = regional(where, "lambda", "function:" + value);
      if (arn == null) {
        return List.of();
      }
    }
    boolean qualified = Arn.parse(arn).resource().split(":").length > 2;
    if (!qualified && qualifier != null && !qualifier.isEmpty()) {
      arn = arn + ":" + qualifier;
    }
    return List.of(new Derived(arn, "lambda.function-name"));
  }

  /** A name, or an ARN that may end in {@code :*} (as DescribeLogGroups returns it). */
  private static List<Derived> logGroup(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value.endsWith(":*") ? value.substring(0, value.length() - 2) : value,
          "request-parameters"));
    }
    return nameOrArn(value, where, "logs", "log-group:" + value, "request-parameters");
  }

  /** A role ARN as is; a name (or {@code path/name}) is a role of the record's account. */
  private static List<Derived> iamRole(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return value.contains(":role/") ? List.of(new Derived(value, "iam.passed-role")) : List.of();
    }
    if (where.account() == null || value.contains(":")) {
      return List.of();
    }
    String name = value.startsWith("/") ? value.substring(1) : value;
    return List.of(new Derived("arn:" + where.partition() + ":iam::" + where.account() + ":role/" + name,
        "iam.passed-role-name"));
  }

  /**
   * An instance profile names no role, yet IAM checks {@code iam:PassRole} on the role inside it.
   * That role is of the profile's account, so any role of that account is the honest pattern.
   */
  private static List<Derived> instanceProfileRole(String value, Where where) {
    String account = where.account();
    String partition = where.partition();
    if (Arn.looksLikeArn(value)) {
      Arn arn = Arn.parse(value);
      account = arn.account();
      partition = arn.partition();
    }
    if (account == null || account.isEmpty()) {
      return List.of();
    }
    return List
        .of(Derived.pattern("arn:" + partition + ":iam::" + account + ":role/*", "iam.instance-profile-any-role"));
  }

  /**
   * A model ARN as is (foundation model, inference profile, provisioned or custom model); an
   * on-demand model id is a foundation model (no account in its ARN); a cross-Region inference
   * profile id is the profile of the record's account, and IAM also checks the foundation model in
   * every Region the profile routes to, so that model comes with a Region wildcard.
   */
  private static List<Derived> bedrockModel(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    if (where.region() == null) {
      return List.of();
    }
    Matcher profile = INFERENCE_PROFILE_ID.matcher(value);
    if (profile.matches()) {
      String arn = regional(where, "bedrock", "inference-profile/" + value);
      if (arn == null) {
        return List.of();
      }
      return List.of(new Derived(arn, "bedrock.inference-profile"), Derived.pattern("arn:" + where.partition()
          + ":bedrock:*::foundation-model/" + ActionOnResource.escapeLiteral(profile.group(2)),
          "bedrock.inference-profile-model-any-region"));
    }
    return List
        .of(new Derived("arn:" + where.partition() + ":bedrock:" + where.region() + "::foundation-model/" + value,
            "bedrock.foundation-model"));
  }

  /**
   * A rule on the default event bus is {@code rule/<name>}, on another bus {@code rule/<bus>/<name>};
   * the bus may be named by ARN, whose account and Region are then the rule's. Answers only for the
   * resource type that fits the bus.
   */
  private static List<Derived> eventsRule(String value, String eventBus, String type, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    Where rulePlace = where;
    String bus = eventBus;
    if (bus != null && Arn.looksLikeArn(bus)) {
      Arn arn = Arn.parse(bus);
      rulePlace = new Where(arn.partition(), arn.region(), arn.account());
      bus = arn.resource().startsWith("event-bus/") ? arn.resource().substring("event-bus/".length()) : null;
      if (bus == null) {
        return List.of();
      }
    }
    boolean defaultBus = bus == null || bus.isEmpty() || bus.equals("default");
    if (defaultBus != "rule-on-default-event-bus".equalsIgnoreCase(type)) {
      return List.of();
    }
    String arn = regional(rulePlace, "events", defaultBus ? "rule/" + value : "rule/" + bus + "/" + value);
    return arn == null ? List.of() : List.of(new Derived(arn, "events.rule-on-bus"));
  }

  /**
   * The sending identity of a From address: SES authorises against the address when it is a
   * verified identity and against its domain otherwise, which the record does not tell, so both.
   */
  private static List<Derived> sesSender(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    Matcher email = EMAIL.matcher(value.trim());
    if (!email.find()) {
      return List.of();
    }
    String address = email.group(1) + "@" + email.group(2);
    String addressArn = regional(where, "ses", "identity/" + address);
    String domainArn = regional(where, "ses", "identity/" + email.group(2));
    return addressArn == null ? List.of() : List.of(new Derived(addressArn, "ses.sender-address-or-domain"),
        new Derived(domainArn, "ses.sender-address-or-domain"));
  }

  /** {@code family:revision} or an ARN; a bare family runs its latest revision, unknown here, so any revision. */
  private static List<Derived> ecsTaskDefinition(String value, Where where) {
    if (Arn.looksLikeArn(value)) {
      return List.of(new Derived(value, "request-parameters"));
    }
    if (value.contains(":")) {
      String arn = regional(where, "ecs", "task-definition/" + value);
      return arn == null ? List.of() : List.of(new Derived(arn, "request-parameters"));
    }
    String arn = regional(where, "ecs", "task-definition/" + value);
    return arn == null ? List.of()
        : List.of(Derived.pattern(ActionOnResource.escapeLiteral(arn) + ":*", "ecs.family-any-revision"));
  }

  /** A DynamoDB Streams shard iterator starts with its stream's ARN, then {@code |}. */
  private static List<Derived> arnBeforePipe(String value) {
    int pipe = value.indexOf('|');
    String head = pipe < 0 ? value : value.substring(0, pipe);
    return Arn.looksLikeArn(head) ? List.of(new Derived(head, "arn-before-pipe")) : List.of();
  }

  /** The table (or the table's index) a PartiQL statement names. */
  private static List<Derived> partiqlTable(String statement, Where where) {
    Matcher m = PARTIQL_TABLE.matcher(statement);
    if (!m.find()) {
      return List.of();
    }
    String table = unquote(m.group(1));
    String index = m.group(2) == null ? null : unquote(m.group(2));
    String arn = regional(where, "dynamodb", "table/" + table + (index == null ? "" : "/index/" + index));
    return arn == null ? List.of() : List.of(new Derived(arn, "dynamodb.partiql-statement"));
  }

  private static String unquote(String identifier) {
    return identifier.startsWith("\"") && identifier.endsWith("\"") && identifier.length() > 1
        ? identifier.substring(1, identifier.length() - 1) : identifier;
  }
}
