package dev.trailtrim.report;

/**
 * One cell of a CSV file trailtrim writes. Role names ({@code @ops}, {@code =x} and {@code +x}
 * are legal IAM names), resources and event names come from the logs and snapshots, so a cell
 * that a spreadsheet would take for a formula gets a leading {@code '} (OWASP's guidance on CSV
 * injection: {@code =}, {@code +}, {@code -}, {@code @}, tab and carriage return), and a cell with
 * a comma, quote or line break is quoted as RFC 4180 prescribes.
 */
public final class CsvCells {

  private CsvCells() {}

  public static String cell(String value) {
    String guarded = startsLikeAFormula(value) ? "'" + value : value;
    if (guarded.contains(",") || guarded.contains("\"") || guarded.contains("\n") || guarded.contains("\r")) {
      return "\"" + guarded.replace("\"", "\"\"") + "\"";
    }
    return guarded;
  }

  static boolean startsLikeAFormula(String value) {
    return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
  }
}
