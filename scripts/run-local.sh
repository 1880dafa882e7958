#!/usr/bin/env bash
# Runs the trailtrim job in Spark local mode on this machine: a real spark-submit, with Spark
# and Hadoop from Maven (no Spark download needed). Builds what it needs first.
#
#   scripts/run-local.sh                 # the bundled sample-logs/ -> ./out
#   scripts/run-local.sh --cloudtrail s3a://bucket/AWSLogs --iam-snapshot authz.json --output ./out --lookback-days 30
#
# Flags are the job's own (see --help; exit codes 0 complete, 1 failed, 2 wrong input, 3 no
# records in the window). Builds only when src/main, conf/ or pom.xml changed since the last build;
# two launches at once build once. Environment: TRAILTRIM_CORES (default: all),
# TRAILTRIM_DRIVER_MEMORY (default 2g), TRAILTRIM_SPARK=4 to build for and run on Spark 4.0 (EMR 8;
# default 3: Spark 3.5, EMR 7; the job's first line names the Spark it runs on); AWS credentials for
# s3a:// come from the usual AWS environment variables or profile.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ $# -eq 0 ]; then
  set -- --cloudtrail "$TRAILTRIM_HOME/sample-logs/cloudtrail" \
         --iam-snapshot "$TRAILTRIM_HOME/sample-logs/iam" \
         --trail-config "$TRAILTRIM_HOME/sample-logs/trail-config" \
         --lambda-inventory "$TRAILTRIM_HOME/sample-logs/lambda-inventory" \
         --output ./out --from 2026-11-01 --to 2026-11-05 \
         --config "$TRAILTRIM_HOME/conf/sample-run.properties"
  echo "trailtrim: no flags given, running on the bundled sample-logs/ (2026-11-01..2026-11-05) into ./out" >&2
fi

# Builds only when src/main, conf/ or pom.xml changed since the last build (scripts/lib.sh).
jar="$(trailtrim_package)" || { echo "trailtrim: the build failed (see above)" >&2; exit 1; }
# --help and --version only parse the command line: no Spark needed, so no spark-submit (2 s).
for arg in "$@"; do
  case "$arg" in
    --help|-h|--version)
      exec java -cp "$jar:$(cat "$TRAILTRIM_HOME/$TRAILTRIM_TARGET/classpath.txt")" dev.trailtrim.cli.TrailtrimMain \
        "$@" ;;
  esac
done
# Local mode binds to loopback; saying so keeps Spark from warning about the host name.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java "${JAVA17_SPARK_OPENS[@]}" -Xmx"${TRAILTRIM_DRIVER_MEMORY:-2g}" \
  -Dlog4j2.configurationFile="$TRAILTRIM_HOME/conf/log4j2.properties" \
  -cp "$(cat "$TRAILTRIM_HOME/$TRAILTRIM_TARGET/classpath.txt")" \
  org.apache.spark.deploy.SparkSubmit \
  --master "local[${TRAILTRIM_CORES:-*}]" \
  --conf spark.ui.enabled=false \
  --conf spark.ui.showConsoleProgress=false \
  --conf spark.driver.host=127.0.0.1 \
  --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.hadoop.fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem \
  --conf "spark.hadoop.fs.s3a.aws.credentials.provider=software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider" \
  --class dev.trailtrim.cli.TrailtrimMain \
  "$jar" "$@"
