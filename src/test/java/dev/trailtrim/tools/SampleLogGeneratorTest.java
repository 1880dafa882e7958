package dev.trailtrim.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.IamCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleLogGeneratorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOG_FILE = Pattern.compile("cloudtrail/AWSLogs/(o-[a-z0-9]+/)?(\\d{12})/CloudTrail/"
      + "([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/\\2_CloudTrail_\\3_(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})Z_"
      + "[A-Za-z0-9]{16}\\.json\\.gz");
  private static final Pattern DIGEST_FILE = Pattern.compile("cloudtrail/AWSLogs/(\\d{12})/CloudTrail-Digest/"
      + "([a-z0-9-]+)/\\d{4}/\\d{2}/\\d{2}/\\1_CloudTrail-Digest_\\2_[A-Za-z0-9-]+_\\2_\\d{8}T\\d{6}Z\\.json\\.gz");
  private static final Instant WINDOW_START = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant WINDOW_END = Instant.parse("2026-11-06T00:00:00Z");

  @TempDir
  static Path temp;
  private static Path committed;
  private static Path regenerated;
  private static List<JsonNode> records;
  private static JsonNode truth;

  @BeforeAll
  static void generate() throws IOException {
    committed = Paths.get(System.getProperty("trailtrim.project.dir", ".")).resolve("sample-logs");
    assertTrue(Files.isDirectory(committed), "No committed sample logs at " + committed.toAbsolutePath()
        + ": run scripts/generate-sample-logs.sh");
    regenerated = temp.resolve("regenerated");
    SampleLogGenerator.generate(SampleLogGenerator.DEFAULT_SEED, regenerated);
    records = new ArrayList<>();
    for (String path : files(committed).keySet()) {
      if (LOG_FILE.matcher(path).matches()) {
        JSON.readTree(gunzip(Files.readAllBytes(committed.resolve(path)))).get("Records").forEach(records::add);
      }
    }
    truth = JSON.readTree(committed.resolve("ground-truth.json").toFile());
  }

  @Test
  void regeneratingWithTheDefaultSeedReproducesTheCommittedContent() throws IOException {
    Map<String, Path> expected = files(committed);
    Map<String, Path> actual = files(regenerated);
    assertEquals(expected.keySet(), actual.keySet(), "regenerated file set differs from the committed one");
    for (String path : expected.keySet()) {
      byte[] want = Files.readAllBytes(expected.get(path));
      byte[] got = Files.readAllBytes(actual.get(path));
      if (path.endsWith(".gz")) {
        assertArrayEquals(gunzip(want), gunzip(got), "content of " + path + " differs from the committed file");
      } else {
        assertArrayEquals(want, got, path + " differs from the committed file");
      }
    }
  }

  @Test
  void regeneratingGivesByteIdenticalGzipFilesWhereDeflateMatches() throws IOException {
    Map<String, Path> expected = files(committed);
    // Another deflate implementation (zlib-ng, say) compresses differently yet decompresses to the
    // same content; byte identity of .gz files is only defined where deflate itself matches.
    byte[] sample = Files.readAllBytes(expected.values().stream()
        .filter(p -> LOG_FILE.matcher(committed.relativize(p).toString()).matches()).findFirst().orElseThrow());
    Assumptions.assumeTrue(Arrays.equals(sample, SampleLogGenerator.gzip(gunzip(sample))),
        "this JVM's deflate differs from the one that wrote sample-logs/; content equality is checked elsewhere");
    for (Map.Entry<String, Path> file : files(regenerated).entrySet()) {
      assertArrayEquals(Files.readAllBytes(expected.get(file.getKey())), Files.readAllBytes(file.getValue()),
          file.getKey() + " is not byte-identical to the committed file");
    }
  }

  @Test
  void twoRunsWithTheSameSeedAreByteIdenticalAndAnotherSeedDiffers() throws IOException {
    Path again = temp.resolve("again");
    SampleLogGenerator.generate(SampleLogGenerator.DEFAULT_SEED, again);
    Map<String, Path> first = files(regenerated);
    Map<String, Path> second = files(again);
    assertEquals(first.keySet(), second.keySet());
    for (String path : first.keySet()) {
      assertArrayEquals(Files.readAllBytes(first.get(path)), Files.readAllBytes(second.get(path)),
          path + " differs between two runs with the same seed");
    }
    Path other = temp.resolve("seed7");
    SampleLogGenerator.generate(7L, other);
    assertFalse(files(other).keySet().equals(first.keySet()), "seed 7 produced the same file names as seed 42");
  }

  @Test
  void refusesToWipeAFolderItDidNotWrite() throws IOException {
    Path foreign = temp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "keep me");
    IOException error = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> SampleLogGenerator.generate(42L, foreign));
    assertTrue(error.getMessage().contains("notes.txt"), error.getMessage());
    assertTrue(Files.exists(foreign.resolve("notes.txt")));
  }

  @Test
  void logFilesAreGzipJsonNamedAndPlacedLikeCloudTrailDeliversThem() throws IOException {
    int logFiles = 0;
    int digests = 0;
    long bytes = 0;
    Set<String> eventIds = new HashSet<>();
    boolean crossedMidnight = false;
    for (Map.Entry<String, Path> file : files(committed).entrySet()) {
      String path = file.getKey();
      bytes += Files.size(file.getValue());
      if (!path.startsWith("cloudtrail/")) {
        continue;
      }
      Matcher digest = DIGEST_FILE.matcher(path);
      if (digest.matches()) {
        digests++;
        JsonNode content = JSON.readTree(gunzip(Files.readAllBytes(file.getValue())));
        assertFalse(content.has("Records"), path + ": a digest must not look like a log file");
        assertEquals(digest.group(1), content.get("awsAccountId").asText());
        continue;
      }
      Matcher log = LOG_FILE.matcher(path);
      assertTrue(log.matches(), "not named like a CloudTrail log file: " + path);
      logFiles++;
      assertEquals(log.group(4) + log.group(5) + log.group(6), log.group(7) + log.group(8) + log.group(9),
          path + ": the date folder must be the delivery date");
      Instant delivered = Instant.parse(log.group(7) + "-" + log.group(8) + "-" + log.group(9) + "T"
          + log.group(10) + ":" + log.group(11) + ":59Z");
      JsonNode content = JSON.readTree(gunzip(Files.readAllBytes(file.getValue())));
      assertEquals(1, content.size(), path + ": only a Records key is expected");
      assertTrue(content.get("Records").isArray() && content.get("Records").size() > 0, path);
      assertEquals(log.group(1) != null, path.contains("/o-a1b2c3d4e5/444455556666/"), path);
      for (JsonNode record : content.get("Records")) {
        for (String field : List.of("eventVersion", "userIdentity", "eventTime", "eventSource", "eventName",
            "awsRegion", "sourceIPAddress", "userAgent", "eventID", "eventType", "managementEvent",
            "recipientAccountId", "eventCategory")) {
          assertTrue(record.has(field), path + ": record " + record.get("eventID") + " lacks " + field);
        }
        assertEquals(log.group(2), record.get("recipientAccountId").asText(), path);
        assertEquals(log.group(3), record.get("awsRegion").asText(), path);
        Instant time = Instant.parse(record.get("eventTime").asText());
        assertTrue(!time.isBefore(WINDOW_START) && time.isBefore(WINDOW_END), path + ": " + time);
        assertTrue(time.isBefore(delivered), path + ": event at " + time + " after delivery");
        assertEquals(record.get("eventCategory").asText().equals("Data"), !record.get("managementEvent").asBoolean());
        assertTrue(eventIds.add(record.get("eventID").asText()), "duplicate eventID " + record.get("eventID"));
        crossedMidnight |= !record.get("eventTime").asText().startsWith(log.group(7) + "-" + log.group(8) + "-"
            + log.group(9));
      }
    }
    assertTrue(logFiles >= 40 && logFiles <= 80, "expected 40 to 80 log files, got " + logFiles);
    assertTrue(digests >= 3, "expected a few digest files, got " + digests);
    assertTrue(records.size() >= 1_500 && records.size() <= 5_000, "records: " + records.size());
    // 700 KB: the logs (~460 KB), two nights of IAM snapshots (the second for changes.json), the
    // inventory and the README; a checkout should stay small.
    assertTrue(bytes < 700_000, "sample-logs holds " + bytes + " bytes; keep it under 700 KB");
    assertTrue(crossedMidnight, "expected one file delivered after midnight holding the previous day's events");
    assertEquals(truth.at("/files/cloudTrailLogFiles").asInt(), logFiles);
    assertEquals(truth.at("/files/digestFiles").asInt(), digests);
    assertEquals(truth.at("/files/records").asInt(), records.size());
  }

  @Test
  void groundTruthAgreesWithTheRecordsOfEachRole() {
    Map<String, List<JsonNode>> byRole = new TreeMap<>();
    Map<String, JsonNode> byEventId = new HashMap<>();
    for (JsonNode record : records) {
      byEventId.put(record.get("eventID").asText(), record);
      JsonNode issuer = record.at("/userIdentity/sessionContext/sessionIssuer/arn");
      if (!issuer.isMissingNode()) {
        byRole.computeIfAbsent(issuer.asText(), k -> new ArrayList<>()).add(record);
      }
    }
    assertEquals(9, truth.get("roles").size());
    truth.get("roles").fields().forEachRemaining(entry -> {
      String role = entry.getKey();
      JsonNode expected = entry.getValue();
      List<JsonNode> mine = byRole.getOrDefault(role, List.of());
      long succeeded = mine.stream().filter(r -> !r.has("errorCode")).count();
      long denied = mine.stream()
          .filter(r -> r.has("errorCode") && r.get("errorCode").asText().startsWith("AccessDenied")).count();
      long failed = mine.size() - succeeded - denied;
      assertEquals(expected.at("/records/succeeded").asLong(), succeeded, role);
      assertEquals(expected.at("/records/denied").asLong(), denied, role);
      assertEquals(expected.at("/records/failedAfterAuthorization").asLong(), failed, role);

      long observed = sum(expected.get("observedUse"), "count") + sum(expected.get("noPermissionNeeded"), "count");
      assertEquals(succeeded, observed, role + ": every successful record is one observed use");
      assertEquals(denied, sum(expected.get("denied"), "count"), role);
      assertEquals(failed, sum(expected.get("authorizedButFailed"), "count"), role);

      for (String list : List.of("observedUse", "denied", "authorizedButFailed")) {
        for (JsonNode group : expected.get(list)) {
          JsonNode first = byEventId.get(group.get("firstEventId").asText());
          assertNotNull(first, role + " " + list + ": no record " + group.get("firstEventId"));
          assertEquals(role, first.at("/userIdentity/sessionContext/sessionIssuer/arn").asText());
          assertEquals(group.get("firstSeen").asText(), first.get("eventTime").asText());
          assertTrue(texts(group.get("api")).contains(api(first)), role + ": " + api(first) + " not in " + group);
          assertEquals(list.equals("observedUse") ? "" : group.get("errorCode").asText(),
              first.path("errorCode").asText(), role + " " + group);
          for (JsonNode example : group.get("examples")) {
            boolean found = mine.stream().anyMatch(r -> texts(group.get("api")).contains(api(r))
                && (r.toString().contains(example.get("resource").asText())
                    || r.toString().contains(example.get("asLogged").asText())));
            assertTrue(found, role + ": no record shows " + example + " for " + group.get("action"));
          }
        }
      }
      for (JsonNode group : expected.get("unobservableUse")) {
        for (String api : texts(group.get("api"))) {
          assertTrue(mine.stream().noneMatch(r -> api(r).equals(api)),
              role + ": " + api + " is listed as unobservable but appears in the logs");
        }
      }
      Set<String> allow = new HashSet<>();
      expected.get("mustAllow").forEach(p -> allow.add(p.get("action").asText() + " " + p.get("resource").asText()));
      expected.get("mustNotAllow").forEach(p -> assertFalse(
          allow.contains(p.get("action").asText() + " " + p.get("resource").asText()), role + ": " + p));
    });
  }

  @Test
  void everyOtherPrincipalInTheLogsIsListedAsNoise() {
    Set<String> noise = new HashSet<>();
    truth.get("notLambdaExecutionRoles").forEach(n -> noise.add(n.get("principal").asText()));
    Set<String> roles = new HashSet<>();
    truth.get("roles").fieldNames().forEachRemaining(roles::add);
    Map<String, Integer> noiseSeen = new TreeMap<>();
    for (JsonNode record : records) {
      JsonNode identity = record.get("userIdentity");
      String principal = switch (identity.get("type").asText()) {
        case "AssumedRole" -> identity.at("/sessionContext/sessionIssuer/arn").asText();
        case "IAMUser" -> identity.get("arn").asText();
        case "AWSService" -> identity.get("invokedBy").asText();
        case "SAMLUser" -> identity.get("userName").asText();
        default -> fail("unexpected identity type in " + record);
      };
      if (!roles.contains(principal)) {
        assertTrue(noise.contains(principal), principal + " is in the logs but neither a role nor listed noise");
        noiseSeen.merge(principal, 1, Integer::sum);
      }
    }
    assertTrue(noiseSeen.size() >= 7, "noise principals seen: " + noiseSeen);
  }

  @Test
  void groundTruthAgreesWithTheGrantsInTheIamSnapshots() throws IOException {
    Map<String, JsonNode> rolesInSnapshots = new HashMap<>();
    Map<String, JsonNode> managed = new HashMap<>();
    for (String account : List.of("111122223333", "444455556666")) {
      JsonNode snapshot = JSON.readTree(committed.resolve("iam/" + account + ".json").toFile());
      snapshot.get("RoleDetailList").forEach(r -> rolesInSnapshots.put(r.get("Arn").asText(), r));
      snapshot.get("Policies").forEach(p -> managed.put(p.get("Arn").asText(), p));
    }
    JsonNode basic = managed.get("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    assertEquals(2, basic.get("PolicyVersionList").size(), "AWSLambdaBasicExecutionRole keeps an older version");
    truth.get("roles").fields().forEachRemaining(entry -> {
      String arn = entry.getKey();
      JsonNode expected = entry.getValue();
      JsonNode role = rolesInSnapshots.get(arn);
      assertEquals(expected.get("inIamSnapshot").asBoolean(), role != null, arn);
      if (role == null) {
        return;
      }
      assertTrue(trustsLambda(role), arn + " is a Lambda role in the ground truth but its trust policy disagrees");
      Grants grants = grants(role, managed, false);
      for (JsonNode probe : expected.get("mustAllow")) {
        assertTrue(grants.allows(probe), arn + " is not granted " + probe);
      }
      for (JsonNode probe : expected.get("keepAsNotObservable")) {
        assertTrue(grants.allows(probe), arn + " is not granted " + probe);
      }
      for (JsonNode probe : expected.get("mustNotAllow")) {
        String why = probe.get("why").asText();
        if (why.startsWith("denied")) {
          assertFalse(grants.allows(probe), arn + ": the logs show " + probe + " denied, yet the policies allow it");
        } else if (why.contains("non-default")) {
          assertFalse(grants.allows(probe), arn + ": " + probe);
          assertTrue(grants(role, managed, true).allows(probe), arn + ": a non-default version should grant " + probe);
        } else {
          assertTrue(grants.identityAllows(probe),
              arn + ": " + probe + " is not actually granted, so not over-granted");
        }
      }
    });
    for (JsonNode noise : truth.get("notLambdaExecutionRoles")) {
      JsonNode role = rolesInSnapshots.get(noise.get("principal").asText());
      if (role != null) {
        assertFalse(trustsLambda(role), noise.get("principal").asText() + " trusts lambda.amazonaws.com");
      }
    }
  }

  @Test
  void everyActionNamedInTheGroundTruthAndTheSnapshotsIsInTheIamCatalog() throws IOException {
    IamCatalog catalog = IamCatalog.loadDefault();
    List<String> unknown = new ArrayList<>();
    truth.get("roles").forEach(role -> {
      for (String list : List.of("observedUse", "unobservableUse", "denied", "authorizedButFailed", "mustAllow",
          "mustNotAllow", "keepAsNotObservable")) {
        for (JsonNode entry : role.get(list)) {
          if (catalog.action(entry.get("action").asText()).isEmpty()) {
            unknown.add(entry.get("action").asText());
          }
        }
      }
    });
    for (String account : List.of("111122223333", "444455556666")) {
      List<String> actions = new ArrayList<>();
      collectActions(JSON.readTree(committed.resolve("iam/" + account + ".json").toFile()), actions);
      assertTrue(actions.size() > 10, "too few actions found in the " + account + " snapshot: " + actions);
      for (String name : actions) {
        if (!name.equals("*") && catalog.matching(name).isEmpty()) {
          unknown.add(name);
        }
      }
    }
    assertEquals(List.of(), unknown, "actions the IAM catalog does not know");
  }

  // ---------------------------------------------------------------- helpers

  /** The Allow and Deny statements of a role's default policy versions, and its boundary. */
  private record Grants(List<JsonNode> identity, List<JsonNode> boundary) {
    boolean identityAllows(JsonNode probe) {
      return decide(identity, probe);
    }

    boolean allows(JsonNode probe) {
      return decide(identity, probe) && (boundary == null || decide(boundary, probe));
    }

    private static boolean decide(List<JsonNode> statements, JsonNode probe) {
      String action = probe.get("action").asText();
      String resource = probe.get("resource").asText();
      boolean allowed = false;
      for (JsonNode statement : statements) {
        if (matchesAny(statement.get("Action"), action, true)
            && matchesAny(statement.get("Resource"), resource, false)) {
          if (statement.get("Effect").asText().equals("Deny")) {
            return false;
          }
          allowed = true;
        }
      }
      return allowed;
    }
  }

  private static Grants grants(JsonNode role, Map<String, JsonNode> managed, boolean allVersions) {
    List<JsonNode> identity = new ArrayList<>();
    role.get("RolePolicyList").forEach(p -> p.at("/PolicyDocument/Statement").forEach(identity::add));
    for (JsonNode attached : role.get("AttachedManagedPolicies")) {
      JsonNode policy = managed.get(attached.get("PolicyArn").asText());
      assertNotNull(policy, "attached policy missing from Policies: " + attached);
      statementsOf(policy, allVersions).forEach(identity::add);
    }
    List<JsonNode> boundary = null;
    if (role.has("PermissionsBoundary")) {
      JsonNode policy = managed.get(role.at("/PermissionsBoundary/PermissionsBoundaryArn").asText());
      assertNotNull(policy, "boundary policy missing from Policies");
      boundary = new ArrayList<>();
      statementsOf(policy, allVersions).forEach(boundary::add);
    }
    return new Grants(identity, boundary);
  }

  private static List<JsonNode> statementsOf(JsonNode policy, boolean allVersions) {
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode version : policy.get("PolicyVersionList")) {
      if (allVersions || version.get("IsDefaultVersion").asBoolean()) {
        version.at("/Document/Statement").forEach(statements::add);
      }
    }
    return statements;
  }

  private static boolean trustsLambda(JsonNode role) {
    for (JsonNode statement : role.at("/AssumeRolePolicyDocument/Statement")) {
      JsonNode service = statement.at("/Principal/Service");
      if (texts(service.isArray() ? service : JSON.createArrayNode().add(service)).contains("lambda.amazonaws.com")) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAny(JsonNode patterns, String value, boolean ignoreCase) {
    for (String pattern : texts(patterns.isArray() ? patterns : JSON.createArrayNode().add(patterns))) {
      String regex = ("\\Q" + pattern.replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q") + "\\E");
      if (Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  private static void collectActions(JsonNode node, List<String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        if (field.getKey().equals("Action")) {
          JsonNode value = field.getValue();
          into.addAll(texts(value.isArray() ? value : JSON.createArrayNode().add(value)));
        } else {
          collectActions(field.getValue(), into);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectActions(child, into));
    }
  }

  private static String api(JsonNode record) {
    return record.get("eventSource").asText() + ":" + record.get("eventName").asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static long sum(JsonNode array, String field) {
    long total = 0;
    for (JsonNode node : array) {
      total += node.get(field).asLong();
    }
    return total;
  }

  private static Map<String, Path> files(Path root) throws IOException {
    Map<String, Path> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(p -> files.put(root.relativize(p).toString().replace('\\', '/'), p));
    }
    return files;
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void theLambdaInventoryListsEachFunctionOfTheGroundTruthOnceInItsAccountAndRegionsFile() throws IOException {
    List<dev.trailtrim.inventory.Listing> listings = new ArrayList<>();
    try (Stream<Path> files = Files.list(committed.resolve("lambda-inventory"))) {
      for (Path file : files.sorted().toList()) {
        dev.trailtrim.inventory.Listing listing = dev.trailtrim.inventory.ListFunctionsParser.parse(
            JSON.readTree(file.toFile()), file.getFileName().toString(), file.toString());
        assertTrue(listing.complete(), file.toString());
        assertEquals(Set.of(file.getFileName().toString().replace(".json", "").replaceFirst("-", "/")),
            listing.lists(), "named after its account and region: " + file);
        listings.add(listing);
      }
    }
    var inventory = dev.trailtrim.inventory.FunctionInventory.of("sample", listings);
    Map<String, String> expected = new TreeMap<>();
    truth.get("roles").fields().forEachRemaining(role -> role.getValue().path("inventoryFunctions")
        .forEach(f -> expected.put(f.path("arn").asText(), role.getKey() + " " + f.path("runtime").asText() + " "
            + f.path("architecture").asText() + " " + f.path("lastModified").asText())));
    Map<String, String> listed = new TreeMap<>();
    inventory.functions().forEach(f -> listed.put(f.arn(), f.roleArn() + " " + f.runtime() + " " + f.architecture()
        + " " + f.lastModified()));
    assertEquals(expected, listed);
    assertEquals(9, listed.size());
    assertEquals(3, listings.size(), "one file per account and region the sample uses");
  }
}
