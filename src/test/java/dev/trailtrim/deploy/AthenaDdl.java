package dev.trailtrim.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scripts/athena-tables.sql read the way the tests need it: each CREATE EXTERNAL TABLE's name,
 * columns, partition columns, location and table properties. A parser of this one file's layout
 * (one column per line), not of Hive DDL in general: anything else in the file fails the tests.
 */
public final class AthenaDdl {

  public static final Path FILE = Path.of(System.getProperty("trailtrim.project.dir", "."))
      .resolve("scripts/athena-tables.sql");
  public static final String TABLE_PREFIX = "trailtrim_";

  /** A column as the DDL declares it: name and Athena type. */
  public record Column(String name, String type) {
    @Override
    public String toString() {
      return name + " " + type;
    }
  }

  public record Table(String name, List<Column> columns, List<Column> partitionColumns, String location,
      String serde, Map<String, String> properties) {}

  private static final Pattern CREATE = Pattern.compile(
      "^CREATE EXTERNAL TABLE IF NOT EXISTS `\\$\\{ATHENA_DATABASE}`\\.`" + TABLE_PREFIX + "([a-z_]+)` \\($");
  private static final Pattern COLUMN = Pattern.compile("^ {2}`([a-z][a-z0-9_]*)` ([a-z]+)(?: COMMENT '[^']*')?,?$");
  private static final Pattern PARTITIONED = Pattern.compile(
      "^PARTITIONED BY \\(`([a-z_]+)` ([a-z]+)(?: COMMENT '[^']*')?\\)$");
  private static final Pattern LOCATION = Pattern.compile("^LOCATION '([^']+)'$");
  private static final Pattern SERDE = Pattern.compile("^ROW FORMAT SERDE '([^']+)'$");
  private static final Pattern PROPERTY = Pattern.compile("^ {2}'([^']+)' = '([^']*)',?$");

  private AthenaDdl() {}

  public static String text() {
    try {
      return Files.readString(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statements, as the README's loop sends them: comment lines dropped, split at ';'. */
  public static List<String> statements(String text) {
    StringBuilder code = new StringBuilder();
    text.lines().filter(line -> !line.startsWith("--")).forEach(line -> code.append(line).append('\n'));
    List<String> statements = new ArrayList<>();
    for (String statement : code.toString().split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return statements;
  }

  /** The tables by name without {@link #TABLE_PREFIX}, in file order. */
  public static Map<String, Table> tables() {
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String statement : statements(text())) {
      Table table = parse(statement);
      if (tables.put(table.name(), table) != null) {
        throw new AssertionError("table " + table.name() + " is created twice");
      }
    }
    return tables;
  }

  static Table parse(String statement) {
    List<String> lines = statement.lines().toList();
    Matcher create = CREATE.matcher(lines.get(0));
    if (!create.matches()) {
      throw new AssertionError("not a CREATE EXTERNAL TABLE of the expected form: " + lines.get(0));
    }
    List<Column> columns = new ArrayList<>();
    int i = 1;
    for (; i < lines.size() && !lines.get(i).equals(")"); i++) {
      Matcher column = COLUMN.matcher(lines.get(i));
      if (!column.matches()) {
        throw new AssertionError("not a column line: " + lines.get(i));
      }
      columns.add(new Column(column.group(1), column.group(2)));
    }
    List<Column> partitions = new ArrayList<>();
    String location = null;
    String serde = null;
    Map<String, String> properties = new LinkedHashMap<>();
    boolean inProperties = false;
    for (i++; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m;
      if (inProperties) {
        if (line.equals(")")) {
          inProperties = false;
        } else if ((m = PROPERTY.matcher(line)).matches()) {
          properties.put(m.group(1), m.group(2));
        } else {
          throw new AssertionError("not a table property: " + line);
        }
      } else if ((m = PARTITIONED.matcher(line)).matches()) {
        partitions.add(new Column(m.group(1), m.group(2)));
      } else if ((m = LOCATION.matcher(line)).matches()) {
        location = m.group(1);
      } else if ((m = SERDE.matcher(line)).matches()) {
        serde = m.group(1);
      } else if (line.equals("TBLPROPERTIES (")) {
        inProperties = true;
      }
    }
    return new Table(create.group(1), columns, partitions, location, serde, properties);
  }
}
