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
          if (spec != null && spec.type() != null && CATALOG.resourceType(prefix, spec.type()).isEmpty()) {
            unknown.add(rule.rule() + " " + prefix + "/" + spec.type());
          }
        }
      }
    }
    assertEquals(List.of(), unknown);
  }

  @Test
  void everyObservabilityPatternMatchesCatalogActionsAndEveryServiceExists() {
    List<String> empty = new ArrayList<>();
    RULES.dataEvents.forEach(d -> d.actionPatterns().stream().filter(p -> CATALOG.matching(p).isEmpty()).forEach(empty::add));
    RULES.neverLogged.forEach(n -> n.actionPatterns().stream().filter(p -> CATALOG.matching(p).isEmpty()).forEach(empty::add));
    RULES.managementEventServices.stream().filter(s -> !CATALOG.hasService(s)).forEach(empty::add);
    assertEquals(List.of(), empty);
  }

  @Test
  void badRulesFailWithAMessageNamingTheProblem() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TranslationRules.load(
        new ByteArrayInputStream(("{'format':1,'apiVersionSuffix':'x','events':[{'eventSource':'s3.amazonaws.com',"
            + "'eventNames':['A'],'rule':'r','accesses':[{'action':'s3:A','resource':{'type':'t','parameters':['p'],"
            + "'parser':'no-such-parser'}}]}]}").replace('\'', '"').getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("no-such-parser") && e.getMessage().contains("translation-rules.json"), e.getMessage());

    IllegalStateException format = assertThrows(IllegalStateException.class, () -> TranslationRules.load(
        new ByteArrayInputStream("{\"format\":2}".getBytes(StandardCharsets.UTF_8))));
    assertTrue(format.getMessage().contains("format must be 1"), format.getMessage());
  }
}
