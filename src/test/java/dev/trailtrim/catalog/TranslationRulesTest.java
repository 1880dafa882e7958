package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.catalog.TranslationRules.EventRule;
import dev.trailtrim.catalog.TranslationRules.ResourceSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bundled rules only name things the catalog knows, so a catalog refresh that drops one shows here. */
class TranslationRulesTest {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();
  private static final TranslationRules RULES = TranslationRules.loadDefault();

  @Test
  void everyIrregularEventSourceMapsToACatalogService() {
    List<String> unknown = RULES.eventSources.entrySet().stream()
        .filter(e -> !CATALOG.hasService(e.getValue())).map(Map.Entry::toString).toList();
    assertEquals(List.of(), unknown);
    assertEquals("cloudwatch", RULES.eventSources.get("monitoring.amazonaws.com"));
  }

  @Test
  void everyResourceTypeTheRulesNameExistsInTheCatalog() {
    List<String> unknown = new ArrayList<>();
    RULES.resourceParameters.forEach((key, specs) -> {
      String[] prefixAndType = key.split("/", 2);
      if (CATALOG.resourceType(prefixAndType[0], prefixAndType[1]).isEmpty()) {
        unknown.add(key);
      }
    });
    for (List<EventRule> rules : RULES.eventRules.values()) {
      for (EventRule rule : rules) {
        for (TranslationRules.AccessRule access : rule.accesses()) {
          ResourceSpec spec = access.resource();
          String prefix = access.action().substring(0, access.action().indexOf(':'));
          if (spec != null && spec.type() != null && !spec.type().contains(EventTranslator.EVENT_NOUN)
              && CATALOG.resourceType(prefix, spec.type()).isEmpty()) {
            unknown.add(rule.rule() + " " + prefix + "/" + spec.type());
          }
        }
      }
    }
    assertEquals(List.of(), unknown);
  }

  /**
   * A rule that names the resource type of an action must name one the action has, or the
   * translator would put the action on a resource IAM never checks it against.
   */
  @Test
  void everyResourceTypeARuleGivesAnActionIsOneOfThatActionsTypes() {
    List<String> wrong = new ArrayList<>();
    for (List<EventRule> rules : RULES.eventRules.values()) {
      for (EventRule rule : rules) {
        for (TranslationRules.AccessRule access : rule.accesses()) {
          for (ResourceSpec spec : java.util.Arrays.asList(access.resource(), access.fallback())) {
            if (spec == null || spec.type() == null || spec.type().contains("{")) {
              continue;
            }
            List<String> actions = access.action().contains("{eventName}")
                ? rule.eventNames().stream().map(n -> access.action().replace("{eventName}", n)).toList()
                : List.of(access.action());
            for (String action : actions) {
              ActionInfo info = CATALOG.action(action).orElse(null);
              if (info != null
                  && info.resourceTypes().stream().noneMatch(t -> t.name().equalsIgnoreCase(spec.type()))) {
                wrong.add(rule.rule() + ": " + action + " has no resource type " + spec.type());
              }
            }
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  /** A passRole entry for a call the translator cannot map would never add its iam:PassRole. */
  @Test
  void everyCallThatPassesARoleTranslatesToACatalogAction() {
    EventTranslator translator = EventTranslator.create(CATALOG);
    List<String> unmapped = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(RULES.passRole.keySet())) {
      String[] sourceAndName = key.split("\\|");
      dev.trailtrim.model.Translation t =
          translator.translate(TestEvents.call(sourceAndName[0], sourceAndName[1]).build());
      if (t.outcome() != dev.trailtrim.model.Translation.Outcome.MAPPED) {
        unmapped.add(key + ": " + t.rule());
      }
    }
    assertTrue(RULES.passRole.size() > 60, "passRole calls: " + RULES.passRole.size());
    assertEquals(List.of(), unmapped);
  }

  @Test
  void explicitResourceRulesCoverTheServicesLambdaFunctionsCall() {
    java.util.Set<String> services = RULES.servicesWithResourceRules();
    System.out.printf("%nServices with explicit resource rules: %d%n  %s%n", services.size(),
        String.join(", ", services));
    List<String> expected = List.of("apigateway", "appsync", "athena", "bedrock", "cloudwatch", "cognito-identity",
        "cognito-idp",
        "dynamodb", "ecr", "ecs", "events", "firehose", "glue", "kinesis", "kms", "lambda", "logs", "rds-data", "s3",
        "sagemaker", "secretsmanager", "ses", "sns", "sqs", "ssm", "states", "sts", "xray");
    List<String> missing = expected.stream().filter(s -> !services.contains(s)).toList();
    assertEquals(List.of(), missing, "services the issue names that have no explicit resource rule");
    assertTrue(services.size() >= 30, "services with explicit resource rules: " + services.size());
  }

  @Test
  void everyObservabilityPatternMatchesCatalogActionsAndEveryServiceExists() {
    List<String> empty = new ArrayList<>();
    RULES.dataEvents
        .forEach(d -> d.actionPatterns().stream().filter(p -> CATALOG.matching(p).isEmpty()).forEach(empty::add));
    RULES.neverLogged
        .forEach(n -> n.actionPatterns().stream().filter(p -> CATALOG.matching(p).isEmpty()).forEach(empty::add));
    RULES.managementEventServices.stream().filter(s -> !CATALOG.hasService(s)).forEach(empty::add);
    assertEquals(List.of(), empty);
  }

  @Test
  void badRulesFailWithAMessageNamingTheProblem() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TranslationRules.load(
        new ByteArrayInputStream(("{'format':1,'apiVersionSuffix':'x','events':[{'eventSource':'s3.amazonaws.com',"
            + "'eventNames':['A'],'rule':'r','accesses':[{'action':'s3:A','resource':{'type':'t','parameters':['p'],"
            + "'parser':'no-such-parser'}}]}]}").replace('\'', '"').getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("no-such-parser") && e.getMessage().contains("translation-rules.json"),
        e.getMessage());

    IllegalStateException format = assertThrows(IllegalStateException.class, () -> TranslationRules.load(
        new ByteArrayInputStream("{\"format\":2}".getBytes(StandardCharsets.UTF_8))));
    assertTrue(format.getMessage().contains("format must be 1"), format.getMessage());
  }
}
