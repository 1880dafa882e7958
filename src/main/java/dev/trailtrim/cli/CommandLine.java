package dev.trailtrim.cli;

import dev.trailtrim.config.JobConfigLoader.Flags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses the job's flags. Unknown, repeated or valueless flags are usage errors. */
final class CommandLine {

  static final String USAGE = String.join("\n",
      "usage: trailtrim --cloudtrail URI [--cloudtrail URI ...]",
      "                 (--iam-snapshot URI [--iam-snapshot URI ...] | --iam-live)",
      "                 --output URI [--from YYYY-MM-DD --to YYYY-MM-DD | --lookback-days N]",
      "                 [--trail-config URI [--trail-config URI ...] | --trail-config-live]",
      "                 [--lambda-inventory URI [--lambda-inventory URI ...] | --lambda-inventory-live]",
      "                 [--config FILE] [--run-id ID] [--state URI] [--rebuild] [--suggest-conditions] [--debug]",
      "       trailtrim --help | --version",
      "  --cloudtrail URI     CloudTrail logs: a bucket/prefix (s3://, s3a://) or a local folder, in the",
      "                       AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout or any folder of files",
      "  --iam-snapshot URI   output of 'aws iam get-account-authorization-details' (a file, or a folder of them)",
      "  --iam-live           read roles and policies through the IAM API instead",
      "  --trail-config URI   what the trails record: output of 'aws cloudtrail describe-trails' and",
      "                       'aws cloudtrail get-event-selectors --trail-name ARN' (files, or a folder of them)",
      "  --trail-config-live  read the trails' configuration through the CloudTrail API instead",
      "  --lambda-inventory URI  the functions and their roles: output of 'aws lambda list-functions --region R',",
      "                       one per account and region (files, or a folder of them); without it, functions",
      "                       are inferred from the logs (a Lambda role's session name is its function)",
      "  --lambda-inventory-live  list the functions through the Lambda API instead (lambda.regions in the config)",
      "  --output URI         where runs/<run-id>/ and latest.json are written",
      "  --from/--to          the analysed days, inclusive, UTC",
      "  --lookback-days N    the N days up to yesterday (default from conf/trailtrim.properties: 90)",
      "  --config FILE        properties overriding conf/trailtrim.properties",
      "  --run-id ID          name of the run folder (default: the start time, e.g. 20261129T020000Z)",
      "  --state URI          per-day usage kept between nightly runs (default: <output>/state)",
      "  --rebuild            read every day of the window again instead of using the state",
      "  --suggest-conditions also write policies-with-conditions/: each suggestion with the conditions every",
      "                       observed call satisfied (regions, VPC endpoints, calling services, S3 prefixes)",
      "  --debug              print the stack trace of any error (input errors are one line without it)",
      "  --version            print trailtrim's version",
      "exit codes: 0 complete; 1 failed, or the output is held by another run (latest.json not moved);",
      "            2 wrong command line or input; 3 no records in the window (nothing kept, latest.json not moved)");

  private static final Set<String> VALUED = Set.of("--cloudtrail", "--iam-snapshot", "--output", "--from", "--to",
      "--lookback-days", "--config", "--run-id", "--state", "--trail-config", "--lambda-inventory");
  private static final Set<String> REPEATABLE = Set.of("--cloudtrail", "--iam-snapshot", "--trail-config",
      "--lambda-inventory");

  /**
   * What the command line asked for.
   *
   * @param help    print the usage and stop
   * @param version print the version and stop
   * @param debug   print stack traces of errors
   */
  record Parsed(Flags flags, String configFile, boolean help, boolean version, boolean debug) {}

  /** A command line the job cannot run with; the message names the flag. */
  static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }

  private CommandLine() {}

  static Parsed parse(String[] args) {
    List<String> cloudTrail = new ArrayList<>();
    List<String> snapshots = new ArrayList<>();
    List<String> trailConfigs = new ArrayList<>();
    List<String> lambdaInventories = new ArrayList<>();
    java.util.Map<String, String> single = new java.util.HashMap<>();
    boolean iamLive = false;
    boolean trailConfigLive = false;
    boolean lambdaInventoryLive = false;
    boolean rebuild = false;
    boolean suggestConditions = false;
    boolean debug = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int equals = flag.indexOf('=');
      if (flag.startsWith("--") && equals > 0) {
        value = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      }
      if (flag.equals("--help") || flag.equals("-h")) {
        return new Parsed(null, null, true, false, false);
      }
      if (flag.equals("--version")) {
        return new Parsed(null, null, false, true, false);
      }
      if (flag.equals("--debug")) {
        debug = true;
        continue;
      }
      if (flag.equals("--iam-live")) {
        iamLive = true;
        continue;
      }
      if (flag.equals("--rebuild")) {
        rebuild = true;
        continue;
      }
      if (flag.equals("--suggest-conditions")) {
        suggestConditions = true;
        continue;
      }
      if (flag.equals("--trail-config-live")) {
        trailConfigLive = true;
        continue;
      }
      if (flag.equals("--lambda-inventory-live")) {
        lambdaInventoryLive = true;
        continue;
      }
      if (!VALUED.contains(flag)) {
        throw new UsageException(flag.startsWith("-") ? "unknown flag " + flag : "unexpected argument '" + flag
            + "' (flags start with --)");
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException("flag " + flag + " needs a value");
        }
        value = args[++i];
      }
      if (value.isBlank()) {
        throw new UsageException("flag " + flag + " needs a value");
      }
      if (flag.equals("--cloudtrail")) {
        cloudTrail.add(value);
      } else if (flag.equals("--iam-snapshot")) {
        snapshots.add(value);
      } else if (flag.equals("--trail-config")) {
        trailConfigs.add(value);
      } else if (flag.equals("--lambda-inventory")) {
        lambdaInventories.add(value);
      } else if (single.put(flag, value) != null && !REPEATABLE.contains(flag)) {
        throw new UsageException("flag " + flag + " given twice");
      }
    }
    if (cloudTrail.isEmpty()) {
      throw new UsageException("missing flag --cloudtrail");
    }
    if (snapshots.isEmpty() && !iamLive) {
      throw new UsageException("missing flag --iam-snapshot (or --iam-live)");
    }
    if (!single.containsKey("--output")) {
      throw new UsageException("missing flag --output");
    }
    Flags flags = new Flags(cloudTrail, snapshots, iamLive, single.get("--output"), single.get("--from"),
        single.get("--to"), single.get("--lookback-days"), single.get("--run-id"), single.get("--state"), rebuild,
        trailConfigs, trailConfigLive, lambdaInventories, lambdaInventoryLive, suggestConditions);
    return new Parsed(flags, single.get("--config"), false, false, debug);
  }
}
