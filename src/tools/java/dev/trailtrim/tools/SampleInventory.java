package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.arr;
import static dev.trailtrim.tools.SampleJson.obj;
import static dev.trailtrim.tools.SampleScenario.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The sample's Lambda inventory, as {@code aws lambda list-functions --region R} prints it, one
 * file per account and region the sample uses ({@code <account>-<region>.json}). Every function of
 * the scenario is there, with the deployment details Lambda reports; {@code webhook-receiver} is
 * deployed but idle, and no function uses {@code csv-import-role}.
 */
final class SampleInventory {

  private SampleInventory() {}

  /** How a function is deployed: what list-functions says beyond the scenario's name, role and runtime. */
  record Deployment(SampleFunction function, String handler, int memoryMb, int timeoutSeconds, String description,
      String lastModified, String architecture, long codeSize) {}

  static List<Deployment> deployments() {
    return List.of(
        new Deployment(ORDERS_API_FN, "app.handler", 512, 15, "Orders REST API", "2026-10-28T09:14:22.000+0000",
            "arm64", 48_213),
        new Deployment(RENDERER_FN, "com.acme.invoices.RenderHandler::handleRequest", 2048, 120,
            "Renders invoice PDFs", "2026-10-21T16:02:51.000+0000", "x86_64", 21_904_117),
        new Deployment(BACKFILL_FN, "com.acme.invoices.BackfillHandler::handleRequest", 2048, 900,
            "One-off re-rendering of old invoices", "2026-11-03T23:48:10.000+0000", "x86_64", 21_904_117),
        new Deployment(EXPORTER_FN, "export.handler", 1024, 300, "Nightly order exports",
            "2026-08-20T11:20:05.000+0000", "arm64", 12_551),
        new Deployment(WORKER_FN, "com.acme.orders.QueueWorker::handleRequest", 1024, 60, "Order events consumer",
            "2026-09-30T08:41:37.000+0000", "x86_64", 18_337_402),
        new Deployment(THUMBNAILER_FN, "thumbnails.handler", 1536, 30, "Media thumbnails",
            "2026-10-30T13:20:11.000+0000", "x86_64", 7_340_288),
        new Deployment(LEGACY_FN, "cleanup.main", 128, 300, "", "2021-02-17T22:31:45.000+0000", "x86_64", 3_104),
        new Deployment(WEBHOOK_FN, "webhook.handler", 256, 10, "Partner webhooks (deprecated)",
            "2023-05-09T08:12:40.000+0000", "x86_64", 9_876),
        new Deployment(BILLING_FN, "index.handler", 512, 120, "Syncs billing line items",
            "2025-12-01T09:02:18.000+0000", "arm64", 2_118_904));
  }

  /** File name under {@code lambda-inventory/} to its list-functions document. */
  static Map<String, ObjectNode> documents() {
    Map<String, ArrayNode> byFile = new TreeMap<>();
    for (String file : List.of(ACCOUNT + "-" + HOME, ACCOUNT + "-" + EU, ORG_ACCOUNT + "-" + HOME)) {
      byFile.put(file + ".json", SampleJson.NODES.arrayNode());
    }
    List<Deployment> sorted = deployments().stream()
        .sorted(Comparator.comparing(d -> d.function().name())).toList();
    for (Deployment deployment : sorted) {
      SampleFunction f = deployment.function();
      ArrayNode list = byFile.get(f.role().account() + "-" + f.region() + ".json");
      if (list == null) {
        throw new IllegalStateException("No inventory file for " + f.arn() + ": list its account and region");
      }
      list.add(function(deployment));
    }
    Map<String, ObjectNode> documents = new TreeMap<>();
    byFile.forEach((file, functions) -> documents.put(file, obj("Functions", functions)));
    return documents;
  }

  private static ObjectNode function(Deployment d) {
    SampleFunction f = d.function();
    ObjectNode node = obj(
        "FunctionName", f.name(),
        "FunctionArn", f.arn(),
        "Runtime", f.runtime(),
        "Role", f.role().arn(),
        "Handler", d.handler(),
        "CodeSize", d.codeSize(),
        "Description", d.description(),
        "Timeout", d.timeoutSeconds(),
        "MemorySize", d.memoryMb(),
        "LastModified", d.lastModified(),
        "CodeSha256", codeSha256(f.name() + "@" + d.lastModified()),
        "Version", "$LATEST",
        "TracingConfig", obj("Mode", "PassThrough"),
        "RevisionId", UUID.nameUUIDFromBytes((f.arn() + d.lastModified()).getBytes(StandardCharsets.UTF_8)).toString(),
        "PackageType", "Zip",
        "Architectures", arr(d.architecture()),
        "EphemeralStorage", obj("Size", 512),
        "SnapStart", obj("ApplyOn", "None", "OptimizationStatus", "Off"),
        "LoggingConfig", obj("LogFormat", "Text", "LogGroup", f.logGroup()));
    return node;
  }

  /** A stand-in for the code's SHA-256 (base64), the same for every run. */
  private static String codeSha256(String seed) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
