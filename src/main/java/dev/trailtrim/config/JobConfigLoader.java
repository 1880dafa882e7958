package dev.trailtrim.config;

import dev.trailtrim.model.ObservationWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Properties;

/** Builds a {@link JobConfig}: bundled defaults, then a config file, then command-line flags. */
public final class JobConfigLoader {

  static final String DEFAULTS = "/dev/trailtrim/config/trailtrim.properties";
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private JobConfigLoader() {}

  /** What the command line said; null or empty where it said nothing. */
  /**
   * @param trailConfigs    --trail-config files or folders (describe-trails / get-event-selectors output)
   * @param trailConfigLive read the trails' configuration through the CloudTrail API
   * @param lambdaInventories   --lambda-inventory files or folders (list-functions output)
   * @param lambdaInventoryLive list the functions through the Lambda API
   */
  public record Flags(List<String> cloudTrail, List<String> iamSnapshots, boolean iamLive, String output,
      String from, String to, String lookbackDays, String runId, String state, boolean rebuild,
      List<String> trailConfigs, boolean trailConfigLive, List<String> lambdaInventories,
      boolean lambdaInventoryLive, boolean suggestConditions) {

    public Flags {
      trailConfigs = List.copyOf(trailConfigs);
      lambdaInventories = List.copyOf(lambdaInventories);
    }

    /** Flags that leave condition suggestions to the config ({@code conditions.suggest}). */
    public Flags(List<String> cloudTrail, List<String> iamSnapshots, boolean iamLive, String output, String from,
        String to, String lookbackDays, String runId, String state, boolean rebuild, List<String> trailConfigs,
        boolean trailConfigLive, List<String> lambdaInventories, boolean lambdaInventoryLive) {
      this(cloudTrail, iamSnapshots, iamLive, output, from, to, lookbackDays, runId, state, rebuild, trailConfigs,
          trailConfigLive, lambdaInventories, lambdaInventoryLive, false);
    }

    /** Flags without a Lambda inventory. */
    public Flags(List<String> cloudTrail, List<String> iamSnapshots, boolean iamLive, String output, String from,
        String to, String lookbackDays, String runId, String state, boolean rebuild, List<String> trailConfigs,
        boolean trailConfigLive) {
      this(cloudTrail, iamSnapshots, iamLive, output, from, to, lookbackDays, runId, state, rebuild, trailConfigs,
          trailConfigLive, List.of(), false);
    }

    /** Flags without a trail configuration. */
    public Flags(List<String> cloudTrail, List<String> iamSnapshots, boolean iamLive, String output, String from,
        String to, String lookbackDays, String runId, String state, boolean rebuild) {
      this(cloudTrail, iamSnapshots, iamLive, output, from, to, lookbackDays, runId, state, rebuild, List.of(), false);
    }

    /** Flags of a run that keeps its state in the default place. */
    public Flags(List<String> cloudTrail, List<String> iamSnapshots, boolean iamLive, String output, String from,
        String to, String lookbackDays, String runId) {
      this(cloudTrail, iamSnapshots, iamLive, output, from, to, lookbackDays, runId, null, false);
    }
  }

  /**
   * @param configFileText the text of --config's file, or null
   * @param clock          for the default window and run id
   */
  public static JobConfig load(Flags flags, String configFileText, Clock clock) {
    Properties properties = defaults();
    if (configFileText != null) {
      try {
        Properties overrides = new Properties();
        overrides.load(new StringReader(configFileText));
        for (String key : overrides.stringPropertyNames()) {
          if (!properties.containsKey(key)) {
            throw new IllegalArgumentException("Unknown key '" + key + "' in --config file: known keys are "
                + new java.util.TreeSet<>(properties.stringPropertyNames()));
          }
          properties.setProperty(key, overrides.getProperty(key).trim());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (flags.output() == null || flags.output().isBlank()) {
      throw new IllegalArgumentException("No output location: pass --output URI");
    }
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
    ObservationWindow window = window(flags, properties, now.toLocalDate());
    String iamEndpoint = properties.getProperty("iam.endpoint", "").trim();
    String cloudTrailEndpoint = properties.getProperty("cloudtrail.endpoint", "").trim();
    if (flags.trailConfigLive() && !flags.trailConfigs().isEmpty()) {
      throw new IllegalArgumentException("Pass either --trail-config or --trail-config-live, not both");
    }
    if (flags.lambdaInventoryLive() && !flags.lambdaInventories().isEmpty()) {
      throw new IllegalArgumentException("Pass either --lambda-inventory or --lambda-inventory-live, not both");
    }
    String lambdaEndpoint = properties.getProperty("lambda.endpoint", "").trim();
    return new JobConfig(flags.cloudTrail(), flags.iamSnapshots(), flags.iamLive(),
        iamEndpoint.isEmpty() ? null : iamEndpoint, flags.output(), window,
        flags.runId() != null ? flags.runId() : RUN_ID.format(now),
        intValue(properties, "late.arrival.days", 0, 7),
        longValue(properties, "max.file.bytes", 1024, Long.MAX_VALUE),
        intValue(properties, "reject.samples.per.reason", 0, 10_000),
        intValue(properties, "read.ahead.per.task", 1, 256),
        intValue(properties, "tasks.per.core", 1, 100),
        intValue(properties, "planner.threads", 1, 256),
        intValue(properties, "task.max.usage.entries", 1_000, 100_000_000),
        intValue(properties, "usage.max.resources.per.action", 10, 1_000_000),
        stateLocation(flags, properties), flags.rebuild(),
        intValue(properties, "state.complete.after.hours", 0, 72),
        intValue(properties, "runs.keep", 0, 100_000),
        intValue(properties, "lock.max.age.hours", 1, 8_760),
        services(properties.getProperty("data.events.logged.for.all.resources", "")),
        new SafetyControls(SafetyControls.list(properties.getProperty("skip.roles")),
            SafetyControls.list(properties.getProperty("protect.actions")),
            intValue(properties, "min.observation.days", 0, 3660),
            intValue(properties, "min.role.age.days", 0, 36600),
            properties.getProperty("opt.out.sid.prefix", "").strip()),
        flags.trailConfigs(), flags.trailConfigLive(), properties.getProperty("cloudtrail.region", "us-east-1").trim(),
        cloudTrailEndpoint.isEmpty() ? null : cloudTrailEndpoint, flags.lambdaInventories(),
        flags.lambdaInventoryLive(), regions(properties.getProperty("lambda.regions", "")),
        lambdaEndpoint.isEmpty() ? null : lambdaEndpoint,
        flags.suggestConditions() || booleanValue(properties, "conditions.suggest"));
  }

  private static boolean booleanValue(Properties properties, String key) {
    String value = properties.getProperty(key, "false").trim();
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    }
    return value.equals("true");
  }

  private static List<String> regions(String list) {
    java.util.Set<String> regions = new java.util.TreeSet<>();
    for (String region : list.split(",")) {
      if (!region.isBlank()) {
        if (!region.trim().matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
          throw new IllegalArgumentException("lambda.regions lists AWS regions such as 'us-east-1,eu-west-1', got '"
              + region.trim() + "'");
        }
        regions.add(region.trim());
      }
    }
    return List.copyOf(regions);
  }

  private static java.util.Set<String> services(String list) {
    java.util.Set<String> services = new java.util.TreeSet<>();
    for (String service : list.split(",")) {
      if (!service.isBlank()) {
        if (!service.trim().matches("[a-z0-9.-]+")) {
          throw new IllegalArgumentException("data.events.logged.for.all.resources lists IAM service prefixes such as"
              + " 's3,lambda', got '" + service.trim() + "'");
        }
        services.add(service.trim());
      }
    }
    return services;
  }

  private static String stateLocation(Flags flags, Properties properties) {
    if (flags.state() != null) {
      return flags.state();
    }
    String enabled = properties.getProperty("state.enabled", "true").trim();
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException("state.enabled must be true or false, got '" + enabled + "'");
    }
    return enabled.equals("true") ? flags.output().replaceAll("/+$", "") + "/state" : null;
  }

  private static ObservationWindow window(Flags flags, Properties properties, LocalDate today) {
    if (flags.lookbackDays() != null && (flags.from() != null || flags.to() != null)) {
      throw new IllegalArgumentException("Pass either --lookback-days or --from/--to, not both");
    }
    if (flags.from() != null || flags.to() != null) {
      if (flags.from() == null || flags.to() == null) {
        throw new IllegalArgumentException("--from and --to go together: pass both (ISO dates, inclusive)");
      }
      return new ObservationWindow(date("--from", flags.from()), date("--to", flags.to()));
    }
    int days = flags.lookbackDays() != null ? parseInt("--lookback-days", flags.lookbackDays(), 1, 3660)
        : intValue(properties, "lookback.days", 1, 3660);
    LocalDate yesterday = today.minusDays(1);
    return new ObservationWindow(yesterday.minusDays(days - 1L), yesterday);
  }

  private static LocalDate date(String flag, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(flag + " '" + value + "' is not an ISO date: use YYYY-MM-DD, e.g. 2026-11-01");
    }
  }

  private static Properties defaults() {
    Properties properties = new Properties();
    try (InputStream in = JobConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("Bundled defaults " + DEFAULTS + " are missing: rebuild the jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  private static int intValue(Properties properties, String key, int min, int max) {
    return (int) parseLong(key, properties.getProperty(key), min, max);
  }

  private static long longValue(Properties properties, String key, long min, long max) {
    return parseLong(key, properties.getProperty(key), min, max);
  }

  private static int parseInt(String name, String value, int min, int max) {
    return (int) parseLong(name, value, min, max);
  }

  private static long parseLong(String name, String value, long min, long max) {
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < min || parsed > max) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '"
          + value + "'");
    }
  }
}
