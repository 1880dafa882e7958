package dev.trailtrim.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.catalog.ActionInfo;
import dev.trailtrim.catalog.ActionResourceType;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.catalog.ResourceTypeInfo;
import dev.trailtrim.config.SafetyControls;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.Effect;
import dev.trailtrim.policy.Patterns;
import dev.trailtrim.policy.PolicyJson;
import dev.trailtrim.policy.PolicyParser;
import dev.trailtrim.policy.Statement;
import dev.trailtrim.report.RoleReportJson;
import dev.trailtrim.report.SuggestedPolicyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Roles of cloudsplaining's example snapshot (real AWS managed policies, privilege-escalation
 * fixtures) with usage generated from their grants (seeded, so the same every run), analysed as
 * the job would and compared whole with golden files: each role's report and suggested policy
 * files. Regenerate with {@code -Dtrailtrim.update.golden=true} and review the diff.
 */
class CloudsplainingGoldenTest {

  private static final Path GOLDEN = Path.of(System.getProperty("trailtrim.project.dir", "."))
      .resolve("src/test/resources/golden/cloudsplaining");
  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final ObservationWindow WINDOW =
      new ObservationWindow(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 30));
  private static final SafetyControls SAFETY = new SafetyControls(List.of(), List.of("ssm:GetParameter*"), 30, 30,
      "TrailtrimKeep");

  /** Role name, and how many granted actions its generated usage calls. */
  private static final Map<String, Integer> ROLES = new TreeMap<>(Map.of(
      // The example's one Lambda execution role: "Action": "*" plus AmazonSSMManagedInstanceCore.
      "privesc-high-priv-service-role", 40,
      // ReadOnlyAccess and ViewOnlyAccess, used widely: the suggestion must be split into managed policies.
      "AWSReservedSSO_ViewOnlyAccess_0ace44bbc7092ea8", 400,
      // iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction: one used, the rest rank as privilege escalation.
      "privesc15-PassExistingRoleToNewLambdaThenInvoke-role", 1,
      // iam:CreatePolicyVersion under a Condition.
      "fn3-exploitableConditionConstraint-role", 0));

  /** S3 object and DynamoDB item calls are data events this trail does not log; the rest are management events. */
  private static final Observability TRAIL = new Observability() {
    @Override
    public Visibility visibility(IamAction action, String resource) {
      String name = action.name();
      if (action.service().equalsIgnoreCase("s3") && name.contains("Object")
          || action.service().equalsIgnoreCase("dynamodb") && (name.endsWith("Item") || name.equals("Query")
              || name.equals("Scan"))) {
        return Visibility.DATA_EVENT_NOT_LOGGED;
      }
      return action.toString().equalsIgnoreCase("logs:PutLogEvents") ? Visibility.NOT_LOGGED
          : Visibility.MANAGEMENT_EVENT;
    }

    @Override
    public String reason(IamAction action, String resource) {
      return switch (visibility(action, resource)) {
        case DATA_EVENT_NOT_LOGGED -> "the trail logs no data events of " + action.service();
        case NOT_LOGGED -> "CloudTrail never logs " + action;
        default -> "a management event, always logged";
      };
    }
  };

  @Test
  void analysesOfExampleRolesEqualTheGoldenFiles() throws IOException {
    String dir = System.getProperty("trailtrim.shared.data");
    Path file = dir == null ? null : Path.of(dir, "iam", "cloudsplaining", "examples", "files", "example.json");
    Assumptions.assumeTrue(file != null && Files.isRegularFile(file), "shared reference data is absent");
    GrantSnapshot snapshot = AuthorizationDetailsParser.parse(new ObjectMapper().readTree(file.toFile()));

    Map<String, String> actual = new TreeMap<>();
    for (Map.Entry<String, Integer> role : ROLES.entrySet()) {
      RoleGrants grants = snapshot.roles().stream().filter(r -> r.roleName().equals(role.getKey())).findFirst()
          .orElseThrow(() -> new AssertionError("the example snapshot has no role " + role.getKey()));
      RoleContext ctx = new RoleContext(grants.roleArn(), grants.accountId(), grants.roleName(), WINDOW,
          "the golden test treats it as one");
      RoleUsage usage = usage(grants, role.getValue());
      RoleAnalysis analysis = RoleAnalyzer.analyze(ctx, grants, usage, CATALOG, TRAIL, SAFETY);
      String report = RoleReportJson.render(analysis);
      assertEquals(report, RoleReportJson.render(RoleAnalyzer.analyze(ctx, grants, usage(grants, role.getValue()),
          CATALOG, TRAIL, SAFETY)), "deterministic: " + role.getKey());
      actual.put(role.getKey() + "/role.json", report);
      List<String> names = SuggestedPolicyFiles.names(analysis);
      for (int i = 0; i < names.size(); i++) {
        String policy = PolicyJson.render(analysis.suggestion().parts().get(i));
        assertEquals(analysis.suggestion().parts().get(i), PolicyParser.parse(policy));
        assertTrue(PolicyJson.sizeWithoutWhitespace(analysis.suggestion().parts().get(i)) <= (names.size() == 1
            ? PolicyJson.INLINE_ROLE_LIMIT : PolicyJson.MANAGED_POLICY_LIMIT), names.get(i));
        actual.put(role.getKey() + "/policies/" + names.get(i), policy);
      }
    }
    assertTrue(actual.keySet().stream().anyMatch(k -> k.contains(".part-2.json")), "one suggestion is split: "
        + actual.keySet());

    if (Boolean.getBoolean("trailtrim.update.golden")) {
      if (Files.exists(GOLDEN)) {
        try (Stream<Path> walk = Files.walk(GOLDEN)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      for (Map.Entry<String, String> golden : actual.entrySet()) {
        Path target = GOLDEN.resolve(golden.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, golden.getValue());
      }
    }
    assertTrue(Files.isDirectory(GOLDEN), "no golden files: run with -Dtrailtrim.update.golden=true");
    Map<String, String> expected = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(GOLDEN)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        expected.put(GOLDEN.relativize(p).toString(), Files.readString(p));
      }
    }
    assertEquals(expected.keySet(), actual.keySet(), "the analyses give exactly the golden set of files");
    expected.forEach((path, text) -> assertEquals(text, actual.get(path), path));
  }

  /**
   * Calls of {@code calls} distinct actions the role is granted, on resources its grant names
   * (a wildcard filled in, or an ARN built from the catalog's format where the grant says "*");
   * counts and days seeded by the role's name. One call in ten was refused.
   */
  static RoleUsage usage(RoleGrants grants, int calls) {
    Random random = new Random(20240601L ^ grants.roleName().hashCode());
    // Every (action, resource pattern) the Allow statements name, in a stable order.
    TreeMap<String, String> candidates = new TreeMap<>();
    for (GrantedPolicy policy : grants.policies()) {
      for (Statement statement : policy.document().statements()) {
        if (statement.effect() != Effect.ALLOW || statement.actions().isEmpty()) {
          continue;
        }
        String resource = statement.resources().isEmpty() ? "*" : statement.resources().get(0);
        for (String pattern : statement.actions()) {
          List<ActionInfo> actions = Patterns.isWildcardFree(pattern)
              ? CATALOG.action(pattern).map(List::of).orElse(List.of()) : CATALOG.matching(pattern);
          // "*" stands for every action: a few services are enough to call from.
          actions.stream().filter(a -> !pattern.equals("*") || List.of("s3", "dynamodb", "lambda", "sqs", "ssm", "iam")
              .contains(a.action().service().toLowerCase(Locale.ROOT)))
              .forEach(a -> candidates.putIfAbsent(a.action().toString(), resource));
        }
      }
    }
    List<String> actions = new ArrayList<>(candidates.keySet());
    java.util.Collections.shuffle(actions, random);
    long start = WINDOW.from().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    List<ActionUsage> usages = new ArrayList<>();
    for (String name : actions.subList(0, Math.min(calls, actions.size()))) {
      ActionInfo info = CATALOG.action(name).orElseThrow();
      String resource = resourceFor(info, candidates.get(name), grants.accountId(), random);
      long first = start + random.nextInt(20) * 86_400_000L + random.nextInt(86_400) * 1000L;
      long last = first + random.nextInt(9) * 86_400_000L;
      String error = random.nextInt(10) == 0 ? "AccessDenied" : null;
      usages.add(new ActionUsage(new ActionOnResource(info.action(), resource), error, 1 + random.nextInt(50), first,
          last));
    }
    return new RoleUsage(grants.roleArn(), usages);
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

  private static String resourceFor(ActionInfo info, String granted, String account, Random random) {
    if (!info.hasResourceTypes()) {
      return "*";
    }
    if (!granted.equals("*")) {
      return Patterns.escapeLiteral(granted.replace("*", "gen" + random.nextInt(3)).replace("?", "q"));
    }
    ActionResourceType type = info.resourceTypes().stream().filter(ActionResourceType::required).findFirst()
        .orElse(info.resourceTypes().get(0));
    String format = CATALOG.resourceType(info.action().service(), type.name()).map(ResourceTypeInfo::arnFormats)
        .filter(f -> !f.isEmpty()).map(f -> f.get(0)).orElse(null);
    if (format == null) {
      return "*";
    }
    Matcher m = PLACEHOLDER.matcher(format);
    StringBuilder arn = new StringBuilder();
    TreeSet<String> seen = new TreeSet<>();
    while (m.find()) {
      String name = m.group(1);
      String value = switch (name) {
        case "Partition" -> "aws";
        case "Region" -> "us-east-1";
        case "Account" -> account;
        default -> name.toLowerCase(Locale.ROOT) + "-" + random.nextInt(3);
      };
      seen.add(name);
      m.appendReplacement(arn, Matcher.quoteReplacement(value));
    }
    m.appendTail(arn);
    return Patterns.escapeLiteral(arn.toString());
  }
}
