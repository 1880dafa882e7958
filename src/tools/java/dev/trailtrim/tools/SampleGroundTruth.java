package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.arrOf;
import static dev.trailtrim.tools.SampleJson.obj;
import static dev.trailtrim.tools.SampleScenario.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a correct tool must conclude from the sample logs, computed from every call of the
 * scenario (recorded or not), rendered as sorted JSON and as prose with the same facts.
 */
final class SampleGroundTruth {

  static final int MAX_EXAMPLES = 3;

  /** Calls of one role grouped by (action, resource pattern[, error code]). */
  static final class Group {
    final String action;
    final String pattern;
    final String errorCode;
    final TreeMap<String, String> resources = new TreeMap<>();
    final TreeSet<String> apis = new TreeSet<>();
    final TreeSet<String> invokedBy = new TreeSet<>();
    final TreeSet<String> reasons = new TreeSet<>();
    long count;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    String firstEventId;

    Group(String action, String pattern, String errorCode) {
      this.action = action;
      this.pattern = pattern;
      this.errorCode = errorCode;
    }

    void add(SampleCall call) {
      count++;
      resources.putIfAbsent(call.resource, call.resourceAsLogged);
      apis.add(call.eventSource + ":" + call.eventName);
      if (call.invokedBy != null) {
        invokedBy.add(call.invokedBy);
      }
      if (call.timeMillis < first) {
        first = call.timeMillis;
        firstEventId = call.record == null ? null : call.record.get("eventID").asText();
      }
      last = Math.max(last, call.timeMillis);
    }

    List<Map.Entry<String, String>> examples() {
      return new ArrayList<>(resources.entrySet()).subList(0, Math.min(MAX_EXAMPLES, resources.size()));
    }
  }

  /** Everything the logs and the scenario say about one role. */
  static final class RoleTruth {
    final Expectation expectation;
    final Map<String, Group> observed = new TreeMap<>();
    final Map<String, Group> unobservable = new TreeMap<>();
    final Map<String, Group> denied = new TreeMap<>();
    final Map<String, Group> failed = new TreeMap<>();
    final Map<String, Long> noPermission = new TreeMap<>();
    /**
     * Per function, the recorded calls its own sessions made and IAM allowed ("action resource"), and those a
     * service made on some function's behalf (under ""): what a split by function sees of each.
     */
    final Map<String, TreeMap<String, Probe>> byFunction = new TreeMap<>();
    long recordsSucceeded;
    long recordsDenied;
    long recordsFailed;

    RoleTruth(Expectation expectation) {
      this.expectation = expectation;
    }
  }

  private final long seed;
  private final int logFiles;
  private final int digestFiles;
  private final long records;
  private final long callsNotRecorded;
  private final Map<String, RoleTruth> roles = new TreeMap<>();

  SampleGroundTruth(long seed, List<SampleCall> calls, int logFiles, int digestFiles) {
    this.seed = seed;
    this.logFiles = logFiles;
    this.digestFiles = digestFiles;
    for (Expectation expectation : expectations()) {
      roles.put(expectation.role().arn(), new RoleTruth(expectation));
    }
    long recorded = 0;
    long notRecorded = 0;
    for (SampleCall call : calls) {
      if (call.logged) {
        recorded++;
      } else {
        notRecorded++;
      }
      RoleTruth role = call.roleArn() == null ? null : roles.get(call.roleArn());
      if (role != null) {
        account(role, call);
      }
    }
    this.records = recorded;
    this.callsNotRecorded = notRecorded;
    for (RoleTruth role : roles.values()) {
      for (String key : role.unobservable.keySet()) {
        if (role.observed.containsKey(key)) {
          throw new IllegalStateException("Scenario error: " + key + " of " + role.expectation.role().arn()
              + " is both recorded and unrecorded; give the unrecorded use its own resource");
        }
      }
    }
  }

  private static void account(RoleTruth role, SampleCall call) {
    boolean allowed =
        call.outcome == SampleCall.Outcome.SUCCESS || call.outcome == SampleCall.Outcome.FAILED_AUTHORIZED;
    if (call.logged && allowed && call.action != null && call.session.function != null) {
      String function = call.invokedBy == null ? call.session.function.name() : "";
      role.byFunction.computeIfAbsent(function, f -> new TreeMap<>()).putIfAbsent(call.action + " " + call.resource,
          new Probe(call.action, call.resource, call.invokedBy == null ? "called by " + function
              : "called by " + call.invokedBy + " on " + call.session.function.name() + "'s behalf"));
    }
    if (!call.logged) {
      if (call.outcome != SampleCall.Outcome.SUCCESS || call.action == null) {
        throw new IllegalStateException("Scenario error: unrecorded " + call.eventName
            + " must be a successful call needing a permission");
      }
      Group group = role.unobservable.computeIfAbsent(key(call, null),
          k -> new Group(call.action, pattern(call.resource), null));
      group.add(call);
      group.reasons.add(unobservableReason(call));
      return;
    }
    switch (call.outcome) {
      case SUCCESS -> {
        role.recordsSucceeded++;
        if (call.action == null) {
          role.noPermission.merge(call.eventSource + ":" + call.eventName, 1L, Long::sum);
        } else {
          role.observed.computeIfAbsent(key(call, null), k -> new Group(call.action, pattern(call.resource), null))
              .add(call);
        }
      }
      case DENIED -> {
        role.recordsDenied++;
        role.denied.computeIfAbsent(key(call, call.errorCode),
            k -> new Group(call.action, pattern(call.resource), call.errorCode)).add(call);
      }
      case FAILED_AUTHORIZED -> {
        role.recordsFailed++;
        role.failed.computeIfAbsent(key(call, call.errorCode),
            k -> new Group(call.action, pattern(call.resource), call.errorCode)).add(call);
      }
    }
  }

  private static String key(SampleCall call, String errorCode) {
    return call.action + " " + pattern(call.resource) + (errorCode == null ? "" : " " + errorCode);
  }

  /**
   * Objects are grouped under their top-level prefix and log streams under their group, so the
   * ground truth stays readable; the exact resources are counted and sampled.
   */
  static String pattern(String resource) {
    if (resource.startsWith("arn:aws:s3:::") && resource.indexOf('/') > 0) {
      int bucketEnd = resource.indexOf('/');
      int prefixEnd = resource.indexOf('/', bucketEnd + 1);
      return prefixEnd < 0 ? resource.substring(0, bucketEnd + 1) + "*" : resource.substring(0, prefixEnd + 1) + "*";
    }
    int stream = resource.indexOf(":log-stream:");
    if (stream > 0) {
      return resource.substring(0, stream) + ":log-stream:*";
    }
    return resource;
  }

  private static String unobservableReason(SampleCall call) {
    if (call.kind == SampleCall.Kind.NEVER_RECORDED) {
      return "CloudTrail never records " + call.action;
    }
    return switch (call.dataResourceType) {
      case "AWS::DynamoDB::Table" ->
        "DynamoDB item operations are data events (AWS::DynamoDB::Table); the trail does not log them";
      case "AWS::SNS::Topic" -> "sns:Publish is a data event (AWS::SNS::Topic); the trail does not log SNS data events";
      case "AWS::SQS::Queue" -> "SQS data events are not logged by the organization trail";
      default -> "data events of type " + call.dataResourceType + " are not logged";
    };
  }

  // ---------------------------------------------------------------- JSON

  String json() {
    ObjectNode root = obj(
        "generator", obj("seed", seed, "command", "scripts/generate-sample-logs.sh --seed " + seed,
            "class", SampleLogGenerator.class.getName()),
        "window", obj("from", FIRST_DAY.toString(), "to", LAST_DAY.toString()),
        "files", obj("cloudTrailLogFiles", logFiles, "digestFiles", digestFiles, "records", records,
            "callsNotRecorded", callsNotRecorded,
            "iamSnapshots", obj(ACCOUNT, "iam/" + ACCOUNT + ".json", ORG_ACCOUNT, "iam/" + ORG_ACCOUNT + ".json")),
        "trails", SampleJson.arr(
            obj("arn", TRAIL_ARN, "accounts", SampleJson.arr(ACCOUNT), "regions", SampleJson.arr(EU, HOME),
                "logPrefix", "cloudtrail/AWSLogs/" + ACCOUNT + "/CloudTrail/",
                "digestPrefix", "cloudtrail/AWSLogs/" + ACCOUNT + "/CloudTrail-Digest/",
                "managementEvents", "all (read and write)",
                "dataEventsLogged", SampleJson.arr("AWS::S3::Object", "AWS::SQS::Queue"),
                "dataEventsNotLogged",
                SampleJson.arr("AWS::DynamoDB::Table", "AWS::Lambda::Function", "AWS::SNS::Topic")),
            obj("arn", ORG_TRAIL_ARN, "organizationId", ORG_ID, "accounts", SampleJson.arr(ORG_ACCOUNT),
                "regions", SampleJson.arr(HOME),
                "logPrefix", "cloudtrail/AWSLogs/" + ORG_ID + "/" + ORG_ACCOUNT + "/CloudTrail/",
                "managementEvents", "all (read and write)",
                "dataEventsLogged", SampleJson.arr("AWS::S3::Object"),
                "dataEventsNotLogged", SampleJson.arr("AWS::DynamoDB::Table", "AWS::Lambda::Function",
                    "AWS::SNS::Topic", "AWS::SQS::Queue"))),
        "neverRecordedByCloudTrail", SampleJson.arr("logs:PutLogEvents"),
        "notLambdaExecutionRoles", noiseJson(),
        "lambdaInventory", inventoryJson());
    ObjectNode roleNodes = SampleJson.NODES.objectNode();
    roles.forEach((arn, role) -> roleNodes.set(arn, roleJson(role)));
    root.set("roles", roleNodes);
    return SampleJson.pretty(SampleJson.sortedKeys(root), "  ");
  }

  /** Whether the logs of the window hold calls of the function (it is among its role's active functions). */
  private static boolean active(SampleFunction function) {
    return expectations().stream().anyMatch(e -> e.functions().contains(function));
  }

  /** The inventory's expected findings: Lambda roles of the snapshots no function uses, functions whose role they lack. */
  static List<ObjectNode> inventoryFindings() {
    List<ObjectNode> findings = new ArrayList<>();
    for (Expectation e : expectations()) {
      if (e.lambdaExecutionRole() && e.role().inSnapshot() && SampleInventory.deployments().stream()
          .noneMatch(d -> d.function().role().equals(e.role()))) {
        findings.add(obj("rule", "no-function-uses-role", "roleArn", e.role().arn(), "function", null,
            "why",
            "it trusts lambda.amazonaws.com, but no function of the inventory uses it; no activity in the window"));
      }
    }
    for (Expectation e : expectations()) {
      List<String> users = SampleInventory.deployments().stream().filter(d -> d.function().role().equals(e.role()))
          .map(d -> d.function().name()).sorted().toList();
      if (e.lambdaExecutionRole() && e.role().inSnapshot() && users.size() >= 2) {
        findings.add(obj("rule", "shared-by-functions", "roleArn", e.role().arn(), "function", null,
            "why", String.join(" and ", users) + " share it with different needs: each gets a policy of its own"
                + " within the role's suggestion, under per-function/ (a proposal, not applied)"));
      }
    }
    for (SampleInventory.Deployment d : SampleInventory.deployments()) {
      if (!d.function().role().inSnapshot()) {
        findings.add(obj("rule", "function-role-unknown", "roleArn", d.function().role().arn(),
            "function", d.function().arn(), "why", "its role is not in the IAM snapshot"));
      }
    }
    findings.sort(java.util.Comparator.comparing((ObjectNode f) -> f.path("rule").asText())
        .thenComparing(f -> f.path("roleArn").asText()));
    return findings;
  }

  private static ObjectNode inventoryJson() {
    ObjectNode files = SampleJson.NODES.objectNode();
    SampleInventory.documents().forEach((name, document) -> {
      ArrayNode names = files.putArray("lambda-inventory/" + name);
      document.path("Functions").forEach(f -> names.add(f.path("FunctionName").asText()));
    });
    return obj("command", "aws lambda list-functions --region REGION > lambda-inventory/ACCOUNT-REGION.json",
        "files", files, "findings", SampleJson.arrOf(inventoryFindings()));
  }

  private static ArrayNode inventoryFunctions(SampleRole role) {
    ArrayNode list = SampleJson.NODES.arrayNode();
    SampleInventory.deployments().stream().filter(d -> d.function().role().equals(role))
        .sorted(java.util.Comparator.comparing(d -> d.function().name())).forEach(d -> list.add(obj(
            "name", d.function().name(), "arn", d.function().arn(), "region", d.function().region(),
            "runtime", d.function().runtime(), "architecture", d.architecture(), "lastModified", d.lastModified(),
            "activeInWindow", active(d.function()))));
    return list;
  }

  private static ArrayNode noiseJson() {
    ArrayNode list = SampleJson.NODES.arrayNode();
    noise().stream().sorted((a, b) -> a.principal().compareTo(b.principal()))
        .forEach(n -> list.add(obj("principal", n.principal(), "type", n.type(), "why", n.why())));
    return list;
  }

  private ObjectNode roleJson(RoleTruth truth) {
    Expectation e = truth.expectation;
    SampleRole role = e.role();
    ArrayNode functions = SampleJson.NODES.arrayNode();
    e.functions().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(
        f -> functions.add(obj("name", f.name(), "arn", f.arn(), "region", f.region(), "runtime", f.runtime())));
    ObjectNode node = obj(
        "roleArn", role.arn(),
        "roleName", role.name(),
        "path", role.path(),
        "accountId", role.account(),
        "inIamSnapshot", role.inSnapshot(),
        "lambdaExecutionRole", e.lambdaExecutionRole(),
        "lambdaEvidence", e.lambdaEvidence(),
        "functions", functions,
        "inventoryFunctions", inventoryFunctions(role),
        "observedUse", groups(truth.observed, true),
        "unobservableUse", groups(truth.unobservable, false),
        "authorizedButFailed", groups(truth.failed, true),
        "denied", groups(truth.denied, true),
        "noPermissionNeeded", noPermission(truth),
        "mustAllow", probes(mustAllow(truth)),
        "mustNotAllow", probes(mustNotAllow(truth)),
        "keepAsNotObservable", probes(e.keepAsNotObservable()),
        "overGranted", overGranted(e),
        "perFunction", perFunction(truth),
        "notes", arrOf(e.notes()),
        "records", obj("succeeded", truth.recordsSucceeded, "denied", truth.recordsDenied,
            "failedAfterAuthorization", truth.recordsFailed));
    return node;
  }

  private static ArrayNode groups(Map<String, Group> groups, boolean recorded) {
    ArrayNode list = SampleJson.NODES.arrayNode();
    for (Group g : groups.values()) {
      ArrayNode examples = SampleJson.NODES.arrayNode();
      for (Map.Entry<String, String> example : g.examples()) {
        examples.add(obj("resource", example.getKey(), "asLogged", example.getValue()));
      }
      ObjectNode node = obj("action", g.action, "resource", g.pattern, "distinctResources", g.resources.size(),
          "examples", examples, "api", arrOf(g.apis));
      if (recorded) {
        node.put("count", g.count);
        node.put("firstSeen", SampleJson.eventTime(g.first));
        node.put("lastSeen", SampleJson.eventTime(g.last));
        node.put("firstEventId", g.firstEventId);
        node.set("invokedBy", arrOf(g.invokedBy));
      } else {
        node.put("calls", g.count);
        node.put("reason", String.join("; ", g.reasons));
      }
      if (g.errorCode != null) {
        node.put("errorCode", g.errorCode);
      }
      list.add(node);
    }
    return list;
  }

  private static ArrayNode noPermission(RoleTruth truth) {
    ArrayNode list = SampleJson.NODES.arrayNode();
    truth.noPermission.forEach((api, count) -> list.add(obj("api", api, "count", count)));
    return list;
  }

  /** Every exact resource sampled from the groups a suggested policy must still allow. */
  static List<Probe> mustAllow(RoleTruth truth) {
    Map<String, Probe> probes = new TreeMap<>();
    List<Map<String, Group>> kept = List.of(truth.observed, truth.unobservable, truth.failed);
    for (Map<String, Group> groups : kept) {
      for (Group g : groups.values()) {
        for (Map.Entry<String, String> example : g.examples()) {
          String why = groups == truth.observed ? "used, recorded"
              : groups == truth.failed ? "allowed by IAM, then failed with " + g.errorCode
              : "used, not observable";
          probes.putIfAbsent(g.action + " " + example.getKey(), new Probe(g.action, example.getKey(), why));
        }
      }
    }
    return new ArrayList<>(probes.values());
  }

  static List<Probe> mustNotAllow(RoleTruth truth) {
    Map<String, Probe> probes = new TreeMap<>();
    for (Probe probe : truth.expectation.mustNotAllow()) {
      probes.put(probe.action() + " " + probe.resource(), probe);
    }
    for (Group g : truth.denied.values()) {
      for (Map.Entry<String, String> example : g.examples()) {
        probes.putIfAbsent(g.action + " " + example.getKey(),
            new Probe(g.action, example.getKey(), "denied in the logs (" + g.errorCode + ")"));
      }
    }
    return new ArrayList<>(probes.values());
  }

  /**
   * For a role several functions share, per function: the recorded calls of its own sessions (its policy must
   * allow them, and those a service made on any function's behalf), and those only the other functions' sessions
   * made (its policy must allow none of them). Null for other roles.
   */
  static ArrayNode perFunction(RoleTruth truth) {
    if (truth.expectation.functions().size() < 2) {
      return null;
    }
    ArrayNode list = SampleJson.NODES.arrayNode();
    Map<String, Probe> byService = truth.byFunction.getOrDefault("", new TreeMap<>());
    for (SampleFunction function : truth.expectation.functions()) {
      Map<String, Probe> own = truth.byFunction.getOrDefault(function.name(), new TreeMap<>());
      Map<String, Probe> mustAllow = new TreeMap<>(own);
      byService.forEach(mustAllow::putIfAbsent);
      Map<String, Probe> othersOnly = new TreeMap<>();
      truth.byFunction.forEach((other, calls) -> {
        if (!other.isEmpty() && !other.equals(function.name())) {
          calls.forEach((key, probe) -> {
            if (!mustAllow.containsKey(key)) {
              othersOnly.put(key, probe);
            }
          });
        }
      });
      list.add(obj("function", function.name(), "region", function.region(),
          "mustAllow", probes(new ArrayList<>(mustAllow.values())),
          "mustNotAllow", probes(new ArrayList<>(othersOnly.values()))));
    }
    return list;
  }

  private static ArrayNode probes(List<Probe> probes) {
    ArrayNode list = SampleJson.NODES.arrayNode();
    probes.stream().sorted((a, b) -> (a.action() + " " + a.resource()).compareTo(b.action() + " " + b.resource()))
        .forEach(p -> list.add(obj("action", p.action(), "resource", p.resource(), "why", p.why())));
    return list;
  }

  private static ArrayNode overGranted(Expectation e) {
    ArrayNode list = SampleJson.NODES.arrayNode();
    for (OverGrant grant : e.overGranted()) {
      list.add(obj("grant", grant.grant(), "policy", grant.policy(), "expected", grant.expected()));
    }
    return list;
  }

  // ---------------------------------------------------------------- README

  String readme() {
    StringBuilder md = new StringBuilder();
    md.append("# Sample CloudTrail logs with known ground truth\n\n")
        .append("Generated by `scripts/generate-sample-logs.sh` (class `dev.trailtrim.tools.SampleLogGenerator`,\n")
        .append("seed ").append(seed).append("). Do not edit by hand: change the generator and run the script again;\n")
        .append("the same seed gives byte-identical files. Everything here is synthetic: accounts, names, ids,\n")
        .append("addresses and keys are invented; the record and snapshot formats follow what AWS writes.\n\n")
        .append("`ground-truth.json` holds the same facts as this page in machine-readable form (sorted keys).\n\n");
    md.append("## Layout\n\n```\n")
        .append("cloudtrail/AWSLogs/").append(ACCOUNT)
        .append("/CloudTrail/{us-east-1,eu-west-1}/2026/11/DD/*.json.gz   account trail\n")
        .append("cloudtrail/AWSLogs/").append(ACCOUNT)
        .append("/CloudTrail-Digest/us-east-1/2026/11/DD/*.json.gz      digests: skip them\n")
        .append("cloudtrail/AWSLogs/").append(ORG_ID).append("/").append(ORG_ACCOUNT)
        .append("/CloudTrail/us-east-1/2026/11/DD/*.json.gz  organization trail\n")
        .append("iam/").append(ACCOUNT).append(".json, iam/").append(ORG_ACCOUNT)
        .append(".json   aws iam get-account-authorization-details\n")
        .append("iam-night2/").append(ACCOUNT)
        .append(".json                 the same account a night later: one grant more\n")
        .append("trail-config/*.json                            aws cloudtrail describe-trails, get-event-selectors\n")
        .append("lambda-inventory/<account>-<region>.json       aws lambda list-functions --region <region>\n")
        .append("ground-truth.json\n```\n\n")
        .append("- Window: ").append(FIRST_DAY).append(" to ").append(LAST_DAY).append(" (UTC, inclusive). ")
        .append(logFiles).append(" log files with ").append(records).append(" records, ").append(digestFiles)
        .append(" digest files; ").append(callsNotRecorded)
        .append(" further calls happened but no trail recorded them.\n")
        .append(
            "- Each log file is a gzip'd `{\"Records\":[...]}` on one line, named like CloudTrail names them; files\n")
        .append("  hold about five minutes of one account and region. A file delivered just after midnight holds\n")
        .append("  the previous day's events (2026/11/03). Busy periods are split into several files whose records\n")
        .append("  interleave in time. S3 records show the SDK user agent in brackets, as S3 writes it.\n")
        .append("- Digest files have no `Records`; their hashes and signatures are random (nothing can verify them).\n")
        .append("- `iam/*.json`: roles with trust policies, inline and attached policies, one permissions boundary,\n")
        .append("  RoleLastUsed; `Policies` lists every attached managed policy with all its versions.\n")
        .append("  `AWSLambdaBasicExecutionRole` carries a synthetic older version v1 (`logs:*`): parsers must read\n")
        .append(
            "  the default version v2 (the real document). `queue-worker-access` has versions v1 to v3; v3 is default.\n\n");
    md.append("## A second night\n\n")
        .append("`iam-night2/").append(ACCOUNT).append(".json` is `iam/").append(ACCOUNT)
        .append(".json` with one grant added:\n")
        .append("statement `").append(SampleIam.NIGHT2_SID)
        .append("` of the inline policy `thumbnailer` lets `thumbnailer-role`\n")
        .append("call `s3:DeleteObject` on `arn:aws:s3:::").append(MEDIA_BUCKET)
        .append("/uploads/*`, which the function never\n")
        .append("does. Run trailtrim on the same output once with `iam/`, then with `iam-night2/").append(ACCOUNT)
        .append(".json` and\n`iam/").append(ORG_ACCOUNT)
        .append(".json`: the second run's `changes.json` names that grant as newly granted\n")
        .append("(and unused), its role and the first run's id; nothing else changes.\n\n");
    md.append("## What the trails record\n\n")
        .append("| trail | accounts | management events | data events logged | data events not logged |\n")
        .append("|---|---|---|---|---|\n")
        .append("| `").append(TRAIL_ARN).append("` | ").append(ACCOUNT)
        .append(" (us-east-1, eu-west-1) | all | S3 objects, SQS queues | DynamoDB, SNS, Lambda |\n")
        .append("| `").append(ORG_TRAIL_ARN).append("` (").append(ORG_ID).append(") | ").append(ORG_ACCOUNT)
        .append(" (us-east-1) | all | S3 objects | DynamoDB, SNS, Lambda, SQS |\n\n")
        .append(
            "CloudTrail never records `logs:PutLogEvents`. So DynamoDB item calls, SNS Publish and PutLogEvents that\n")
        .append(
            "the functions really make do not appear in the logs: a correct tool keeps such grants and reports them\n")
        .append("as not observable. DescribeTable, GetQueueAttributes, KMS, Secrets Manager, SSM and CloudWatch Logs\n")
        .append("stream creation are management events and do appear.\n\n")
        .append("`trail-config/` holds the two trails' configuration exactly as the AWS CLI prints it\n")
        .append(
            "(`aws cloudtrail describe-trails`, `aws cloudtrail get-event-selectors --trail-name ARN`): the table above\n")
        .append(
            "in the form a user exports it. With `--trail-config sample-logs/trail-config` trailtrim knows that the\n")
        .append("account trail records every S3 object and SQS queue (so unused object and message permissions on\n")
        .append("buckets and queues no call touched are provably unused) and that no trail records DynamoDB, SNS or\n")
        .append("Lambda data events.\n\n");
    md.append("## Lambda inventory\n\n")
        .append(
            "`lambda-inventory/` holds `aws lambda list-functions --region R` for each account and region the sample\n")
        .append("uses (the file name says which, so that an empty listing still shows a region without functions).\n")
        .append(
            "Pass it with `--lambda-inventory sample-logs/lambda-inventory`; without it, a tool infers each Lambda\n")
        .append("role's functions from its session names and the regions of their calls.\n\n")
        .append(
            "| function | account | region | runtime | architecture | last modified | role | active in the window |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    SampleInventory.deployments().stream().sorted(java.util.Comparator.comparing(d -> d.function().name()))
        .forEach(d -> md.append("| `").append(d.function().name()).append("` | ").append(d.function().role().account())
            .append(" | ").append(d.function().region()).append(" | ").append(d.function().runtime())
            .append(" | ").append(d.architecture()).append(" | ").append(d.lastModified())
            .append(" | `").append(d.function().role().name()).append("`")
            .append(d.function().role().inSnapshot() ? "" : " (not in snapshot)")
            .append(" | ").append(active(d.function()) ? "yes" : "no").append(" |\n"));
    md.append("\nWith the inventory a tool must report:\n\n");
    for (ObjectNode finding : inventoryFindings()) {
      md.append("- `").append(finding.path("rule").asText()).append("`: `").append(finding.path("roleArn").asText())
          .append("`");
      if (!finding.path("function").isNull()) {
        md.append(" (function `").append(finding.path("function").asText()).append("`)");
      }
      md.append(": ").append(finding.path("why").asText()).append(".\n");
    }
    md.append(
        "- `invoice-renderer-role` is shared by two functions; `webhook-receiver` is deployed but made no call in\n")
        .append("  the window, so `deprecated-webhook-role` is used by a function (not an orphan) though idle.\n\n");
    md.append("## Traps a parser must handle\n\n")
        .append(
            "- Attribute calls by `userIdentity.sessionContext.sessionIssuer.arn` (it carries the role path, e.g.\n")
        .append(
            "  `role/service-role/orders-api-role`); the assumed-role ARN has no path and ends in the session name,\n")
        .append("  which for Lambda is the function name. One role (`invoice-renderer-role`) serves two functions.\n")
        .append(
            "- `AssumeRole` records by `AWSService` `lambda.amazonaws.com` name a Lambda role in `requestParameters`:\n")
        .append(
            "  the service assumed the role; the role itself made no sts call. CodeBuild's role updates Lambda code;\n")
        .append(
            "  `AWSServiceRoleForLambdaReplicator` trusts `replicator.lambda.amazonaws.com`: neither is a Lambda role.\n")
        .append("- KMS records with `userIdentity.invokedBy` (s3, sqs, secretsmanager) are made with the role's\n")
        .append(
            "  credentials: the role needs those permissions. `keyId` may be an alias; `resources[]` has the key ARN.\n")
        .append(
            "- S3: `ListObjects` (ListObjectsV2) needs `s3:ListBucket` on the bucket, `HeadObject` needs `s3:GetObject`.\n")
        .append("  Object ARNs are in `resources[]` (type `AWS::S3::Object`, no account) next to the bucket.\n")
        .append("- SQS records name the queue by URL (`requestParameters.queueUrl`) and by ARN in `resources[]`.\n")
        .append("- Secrets are read by name (`prod/orders/db`) or by full ARN. A secret's ARN ends in a 6-character\n")
        .append(
            "  suffix the name does not carry: ground truth gives the real ARN; `secret:prod/orders/db-*` (or `-??????`)\n")
        .append("  is what a tool can derive from the name, and it covers the real ARN.\n")
        .append(
            "- `iam:PassRole` is granted on `*` and never needed, but CloudTrail records no call of its own for it:\n")
        .append("  it is under `keepAsNotObservable` (queue-worker-role), never under `mustNotAllow`.\n")
        .append(
            "- SSM parameter names with a leading slash map to `parameter/invoice/...`, without one to `parameter/thumbnailer-sizes`.\n")
        .append(
            "- `sts:GetCallerIdentity` needs no permission. `ssm:GetParameter` failing with `ParameterNotFound` was\n")
        .append(
            "  allowed by IAM. Denied calls use `AccessDenied` (S3, Secrets Manager) and `AccessDeniedException` (KMS).\n")
        .append("- Log streams: `CreateLogStream` is recorded (by the Lambda worker, user agent `awslambda-worker`),\n")
        .append(
            "  `PutLogEvents` never is. The thumbnailer's first start creates its log group (`CreateLogGroup`).\n\n");
    md.append("## Summary per role\n\n")
        .append(
            "| role | Lambda role | functions | observed uses | not observable uses | denied | failed after authorization | must not allow |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (RoleTruth truth : roles.values()) {
      Expectation e = truth.expectation;
      md.append("| `").append(e.role().arn()).append("`").append(e.role().inSnapshot() ? "" : " (not in snapshot)")
          .append(" | ").append(e.lambdaExecutionRole() ? "yes" : "no")
          .append(" | ").append(e.functions().isEmpty() ? "none active" : String.join(", ",
              e.functions().stream().map(f -> f.name() + " (" + f.region() + ")").toList()))
          .append(" | ").append(summary(truth.observed))
          .append(" | ").append(summary(truth.unobservable))
          .append(" | ").append(summary(truth.denied))
          .append(" | ").append(summary(truth.failed))
          .append(" | ").append(mustNotAllow(truth).size()).append(" probes |\n");
    }
    md.append("\n");
    for (RoleTruth truth : roles.values()) {
      roleSection(md, truth);
    }
    md.append("## Principals that must not get a policy\n\n| principal | type | why |\n|---|---|---|\n");
    noise().stream().sorted((a, b) -> a.principal().compareTo(b.principal())).forEach(n -> md.append("| `")
        .append(n.principal()).append("` | ").append(n.type()).append(" | ").append(n.why()).append(" |\n"));
    md.append("\n## How to use the ground truth\n\n")
        .append(
            "- `mustAllow`: exact (action, resource) pairs the suggested policy must allow (used, recorded or not,\n")
        .append(
            "  including calls IAM allowed that then failed). `mustNotAllow`: pairs it must not allow (granted but\n")
        .append(
            "  observably unused, or denied in the logs). `keepAsNotObservable`: granted, unused, yet invisible to\n")
        .append("  this trail, so a correct tool keeps them (unknown is not unused).\n")
        .append("- Groups: `resource` is the exact ARN, or for S3 objects and log streams a pattern over the exact\n")
        .append("  resources used (`distinctResources`, up to ").append(MAX_EXAMPLES).append(" `examples` with the\n")
        .append(
            "  form they take in the records, e.g. a secret name instead of its ARN, a parameter name without the\n")
        .append("  leading slash). `count`, `firstSeen`, `lastSeen` and `firstEventId` refer to records in the logs.\n")
        .append(
            "- Calls made by a service for the role (`invokedBy`: S3 or SQS asking KMS, Secrets Manager decrypting)\n")
        .append("  are made with the role's credentials: the role needs those KMS permissions.\n");
    return md.toString();
  }

  private static String summary(Map<String, Group> groups) {
    if (groups.isEmpty()) {
      return "-";
    }
    long count = groups.values().stream().mapToLong(g -> g.count).sum();
    return groups.size() + " (" + count + " calls)";
  }

  private void roleSection(StringBuilder md, RoleTruth truth) {
    Expectation e = truth.expectation;
    md.append("## ").append(e.role().name()).append(" (").append(e.role().account()).append(")\n\n")
        .append("`").append(e.role().arn()).append("`. Lambda execution role: ")
        .append(e.lambdaExecutionRole() ? "yes" : "no").append(" (").append(e.lambdaEvidence()).append(").");
    if (!e.functions().isEmpty()) {
      md.append(" Functions: ").append(String.join(", ",
          e.functions().stream().map(f -> "`" + f.name() + "` (" + f.runtime() + ", " + f.region() + ")").toList()))
          .append(".");
    }
    md.append("\n\n");
    Map<String, String> sections = new LinkedHashMap<>();
    sections.put("Used, recorded in the logs", table(truth.observed, true));
    sections.put("Used, not observable in the logs", table(truth.unobservable, false));
    sections.put("Allowed by IAM, then failed", table(truth.failed, true));
    sections.put("Denied", table(truth.denied, true));
    sections.forEach((title, body) -> {
      if (!body.isEmpty()) {
        md.append("**").append(title).append("**\n\n").append(body).append("\n");
      }
    });
    if (!truth.noPermission.isEmpty()) {
      md.append("**Needs no permission:** ");
      List<String> parts = new ArrayList<>();
      truth.noPermission.forEach((api, count) -> parts.add("`" + api + "` (" + count + ")"));
      md.append(String.join(", ", parts)).append(".\n\n");
    }
    if (!e.overGranted().isEmpty()) {
      md.append("**Over-granted**\n\n");
      for (OverGrant grant : e.overGranted()) {
        md.append("- `").append(grant.grant()).append("` in ").append(grant.policy()).append(": ")
            .append(grant.expected()).append("\n");
      }
      md.append("\n");
    }
    List<Probe> mustNot = mustNotAllow(truth);
    if (!mustNot.isEmpty()) {
      md.append("**Must not allow**\n\n");
      for (Probe probe : mustNot) {
        md.append("- `").append(probe.action()).append("` on `").append(probe.resource()).append("`: ")
            .append(probe.why()).append("\n");
      }
      md.append("\n");
    }
    if (!e.keepAsNotObservable().isEmpty()) {
      md.append("**Unused but must be kept (not observable)**\n\n");
      for (Probe probe : e.keepAsNotObservable()) {
        md.append("- `").append(probe.action()).append("` on `").append(probe.resource()).append("`: ")
            .append(probe.why()).append("\n");
      }
      md.append("\n");
    }
    perFunctionMarkdown(md, truth);
    for (String note : e.notes()) {
      md.append("- ").append(note).append("\n");
    }
    md.append("\n");
  }

  /** An S3 object's folder + {@code *}, a log stream's group: how the per-function lists are summed up. */
  private static String folder(String resource) {
    if (resource.startsWith("arn:aws:s3:::") && resource.indexOf('/') > 0) {
      return resource.substring(0, resource.lastIndexOf('/') + 1) + "*";
    }
    return pattern(resource);
  }

  /** For a shared role: what each function's own policy must and must not allow, grouped as the tables are. */
  private static void perFunctionMarkdown(StringBuilder md, RoleTruth truth) {
    ArrayNode functions = perFunction(truth);
    if (functions == null) {
      return;
    }
    md.append("**Per function** (each function's policy lies within the role's suggestion)\n\n");
    for (var function : functions) {
      TreeSet<String> mustNot = new TreeSet<>();
      function.path("mustNotAllow").forEach(p -> mustNot.add("`" + p.path("action").asText() + "` on `"
          + folder(p.path("resource").asText()) + "`"));
      md.append("- `").append(function.path("function").asText()).append("`: must allow the ")
          .append(function.path("mustAllow").size()).append(" recorded permissions its sessions (or a service on a"
              + " function's behalf) used; must allow none of the ")
          .append(function.path("mustNotAllow").size()).append(" only the other functions used: ")
          .append(mustNot.isEmpty() ? "none" : String.join(", ", mustNot)).append("\n");
    }
    md.append("\n");
  }

  private static String table(Map<String, Group> groups, boolean recorded) {
    if (groups.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder(recorded
        ? "| action | resource | calls | distinct resources | seen from | seen to | via |\n|---|---|---|---|---|---|---|\n"
        : "| action | resource | calls | distinct resources | why not observable |\n|---|---|---|---|---|\n");
    for (Group g : groups.values()) {
      md.append("| `").append(g.action).append("`").append(g.errorCode == null ? "" : " (" + g.errorCode + ")")
          .append(" | `").append(g.pattern).append("` | ").append(g.count).append(" | ").append(g.resources.size());
      if (recorded) {
        md.append(" | ").append(SampleJson.eventTime(g.first)).append(" | ").append(SampleJson.eventTime(g.last))
            .append(" | ").append(g.invokedBy.isEmpty() ? "direct" : "invokedBy " + String.join(", ", g.invokedBy));
      } else {
        md.append(" | ").append(String.join("; ", g.reasons));
      }
      md.append(" |\n");
    }
    return md.toString();
  }
}
