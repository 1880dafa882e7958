#!/usr/bin/env bash
# Proves the job on a real multi-JVM Spark cluster, as on EMR: the driver and two executors in
# separate JVMs, the job jar shipped to them, every closure and row serialised across processes.
# Runs the sample job (scripts/run-local.sh's inputs) on local-cluster[2,1,1024] and on local[2]
# with the same --run-id, checks from the event log that both executors ran tasks, and compares the
# two run folders: every file byte for byte, Parquet by schema and rows where its bytes differ
# (src/tools/java/dev/trailtrim/tools/CompareRunFolders.java). Exit 0 only if they are equal.
#
#   scripts/cluster-check.sh                     # Spark 3.5 (EMR 7); TRAILTRIM_SPARK=4 for Spark 4.0 (EMR 8)
#   TRAILTRIM_SPARK=4 scripts/cluster-check.sh --same-as target/cluster-check/local/runs/cluster-check
#                                                # and the run must equal that one (Spark 3.5's) too
#
# No Spark download: SPARK_HOME is $TRAILTRIM_TARGET/spark-home, whose jars/ links the jars of the
# job's class path ($TRAILTRIM_TARGET/classpath.txt). Work files and logs: $TRAILTRIM_TARGET/cluster-check/.
# Each run is killed, with its executors, after TRAILTRIM_CLUSTER_TIMEOUT seconds (default 300):
# a cluster whose executors cannot start makes the driver wait forever instead of failing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

same_as=
case "${1:-}" in
  --same-as)
    [ -d "${2:-}" ] || { echo "trailtrim: --same-as needs a run folder, got '${2:-}'" >&2; exit 2; }
    same_as=$(cd "$2" && pwd) ;;
  "") ;;
  *) echo "usage: scripts/cluster-check.sh [--same-as RUN_FOLDER]" >&2; exit 2 ;;
esac
started=$SECONDS
limit=${TRAILTRIM_CLUSTER_TIMEOUT:-300}
run_id=cluster-check
jar="$(trailtrim_package)" || { echo "trailtrim: the build failed (see above)" >&2; exit 1; }
target="$TRAILTRIM_HOME/$TRAILTRIM_TARGET"
classpath="$(cat "$target/classpath.txt")"
work="$target/cluster-check"
spark_home="$target/spark-home"

# What a Worker needs to launch executors: $SPARK_HOME/jars (its class path) and conf/.
rm -rf "$work" "$spark_home"
mkdir -p "$work/events" "$spark_home/jars" "$spark_home/conf"
tr ':' '\n' <<<"$classpath" | while IFS= read -r entry; do
  if [ -n "$entry" ]; then ln -sf "$entry" "$spark_home/jars/"; fi
done
cp "$TRAILTRIM_HOME/conf/log4j2.properties" "$spark_home/conf/"

# Runs the sample job on master $2 into $work/$1 (log: $work/$1.log), killed with its whole process
# group (timeout signals its own group, which the executors of local-cluster belong to) at the limit.
run_sample() {
  local name=$1 master=$2 code=0 began=$SECONDS
  shift 2
  # SPARK_SCALA_VERSION: without it every executor launch fails ("Cannot find any build directories").
  SPARK_HOME="$spark_home" SPARK_SCALA_VERSION="$TRAILTRIM_SCALA_VERSION" SPARK_LOCAL_IP=127.0.0.1 \
    timeout --kill-after=10 "$limit" java "${JAVA17_SPARK_OPENS[@]}" -Xmx1g \
    -Dlog4j2.configurationFile="$TRAILTRIM_HOME/conf/log4j2.properties" \
    -cp "$classpath" org.apache.spark.deploy.SparkSubmit \
    --master "$master" \
    --conf spark.ui.enabled=false \
    --conf spark.ui.showConsoleProgress=false \
    --conf spark.driver.host=127.0.0.1 \
    --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.executor.memory=768m \
    "$@" \
    --class dev.trailtrim.cli.TrailtrimMain "$jar" \
    --cloudtrail "$TRAILTRIM_HOME/sample-logs/cloudtrail" \
    --iam-snapshot "$TRAILTRIM_HOME/sample-logs/iam" \
    --trail-config "$TRAILTRIM_HOME/sample-logs/trail-config" \
    --from 2026-11-01 --to 2026-11-05 \
    --config "$TRAILTRIM_HOME/conf/sample-run.properties" \
    --output "$work/$name" --run-id "$run_id" >"$work/$name.log" 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then
    tail -n 30 "$work/$name.log" >&2
    if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
      echo "trailtrim: the $master run did not end within ${limit}s and was killed (log: $work/$name.log)" >&2
    else
      echo "trailtrim: the $master run failed with exit code $code (log: $work/$name.log)" >&2
    fi
    exit 1
  fi
  echo "trailtrim: $master run complete in $((SECONDS - began)) s ($(grep -m1 -o 'on Spark [^ ]*' "$work/$name.log"))"
}

run_sample cluster 'local-cluster[2,1,1024]' \
  --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file://$work/events" \
  --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false
run_sample local 'local[2]'

# Tasks per executor, from the event log's SparkListenerTaskEnd events ("Executor ID" of the task).
# shellcheck disable=SC2046 # the event log files, named by Spark without spaces
tasks=$(grep -h '"Event":"SparkListenerTaskEnd"' $(find "$work/events" -type f) \
  | grep -o '"Executor ID":"[^"]*"' | cut -d'"' -f4 | sort | uniq -c | awk '{print $2 " " $1}')
# shellcheck disable=SC2046
executors=$(cat $(find "$work/events" -type f) | grep -c '"Event":"SparkListenerExecutorAdded"' || true)
echo "trailtrim: $executors executors joined; tasks per executor:"
sed 's/^/  executor /; s/ \([0-9]*\)$/: \1 tasks/' <<<"$tasks"
busy=$(awk '$1 != "driver" && $2 > 0' <<<"$tasks" | wc -l)
if [ "$busy" -lt 2 ]; then
  echo "trailtrim: FAILED: tasks ran on $busy executor(s), not 2: the cluster run proves nothing" \
    "(event log: $work/events)" >&2
  exit 1
fi

compare() {
  java -cp "$classpath" "$TRAILTRIM_HOME/src/tools/java/dev/trailtrim/tools/CompareRunFolders.java" "$1" "$2" \
    2>"$work/compare.log"
}
if ! compare "$work/cluster/runs/$run_id" "$work/local/runs/$run_id"; then
  echo "trailtrim: FAILED: the cluster run wrote other results than the local run (above;" \
    "folders $work/cluster and $work/local)" >&2
  exit 1
fi
if [ -n "$same_as" ]; then
  echo "trailtrim: comparing the local run with $same_as"
  if ! compare "$same_as" "$work/local/runs/$run_id"; then
    echo "trailtrim: FAILED: the run differs from $same_as (above)" >&2
    exit 1
  fi
fi
echo "trailtrim: cluster check passed in $((SECONDS - started)) s: local-cluster[2,1,1024] and local[2]" \
  "wrote the same run${same_as:+, equal to $same_as}"
