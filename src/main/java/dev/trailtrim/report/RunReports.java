package dev.trailtrim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run-level files beside {@code summary.json}, by their path in the run: all roles' unused
 * permissions, the calls with no translation, and the reject samples by reason.
 */
public final class RunReports {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One sampled reject, as {@code rejects/<reason>.jsonl} holds it. */
  public record Reject(String reason, String file, String detail) {}

  private RunReports() {}

  /**
   * The files by path: {@code unused-permissions.csv}, {@code unmapped.csv}, then one
   * {@code rejects/<reason>.jsonl} per reason sampled, in reason order.
   *
   * @param unmapped "eventSource eventName" of calls with no translation, with their records
   */
  public static Map<String, String> render(Collection<UnusedPermissionsCsv.Row> unusedRows,
      Map<String, Long> unmapped, List<Reject> rejects) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("unused-permissions.csv", unusedPermissionsCsv(unusedRows));
    files.put("unmapped.csv", unmappedCsv(unmapped));
    rejectsJsonl(rejects).forEach((reason, lines) -> files.put("rejects/" + reason + ".jsonl", lines));
    return files;
  }

  /** LF line ends, unlike {@link UnusedPermissionsCsv#render}: the run's file always had them. */
  static String unusedPermissionsCsv(Collection<UnusedPermissionsCsv.Row> rows) {
    StringBuilder csv = new StringBuilder(UnusedPermissionsCsv.header()).append('\n');
    rows.stream().sorted(UnusedPermissionsCsv.ORDER).forEach(row -> csv.append(row.text()).append('\n'));
    return csv.toString();
  }

  static String unmappedCsv(Map<String, Long> unmapped) {
    StringBuilder csv = new StringBuilder("eventSource,eventName,records\n");
    unmapped.forEach((call, count) -> {
      String[] parts = call.split(" ", 2);
      // Both names come from the logs: a record may carry any text there.
      csv.append(CsvCells.cell(parts[0])).append(',').append(CsvCells.cell(parts[1])).append(',').append(count)
          .append('\n');
    });
    return csv.toString();
  }

  /** By reason, sorted: one JSON object a line, in the order given. */
  static Map<String, String> rejectsJsonl(List<Reject> rejects) {
    Map<String, StringBuilder> byReason = new TreeMap<>();
    for (Reject reject : rejects) {
      ObjectNode line = JSON.createObjectNode();
      line.put("reason", reject.reason());
      line.put("file", reject.file());
      line.put("detail", reject.detail());
      byReason.computeIfAbsent(reject.reason(), r -> new StringBuilder()).append(write(line)).append('\n');
    }
    Map<String, String> files = new TreeMap<>();
    byReason.forEach((reason, lines) -> files.put(reason, lines.toString()));
    return files;
  }

  private static String write(ObjectNode line) {
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
