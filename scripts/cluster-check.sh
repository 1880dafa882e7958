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
#   scripts/cluster-check.sh --standalone        # a standalone Master and two Workers (as EMR's YARN
#                                                # stands apart from the job) instead of local-cluster
#
# No Spark download: SPARK_HOME is $TRAILTRIM_TARGET/spark-home, whose jars/ links the jars of the
# job's class path ($TRAILTRIM_TARGET/classpath.txt). Work files and logs: $TRAILTRIM_TARGET/cluster-check/.
# Each run is killed, with its executors, after TRAILTRIM_CLUSTER_TIMEOUT seconds (default 300):
# a cluster whose executors cannot start makes the driver wait forever instead of failing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

same_as=
standalone=0
while [ $# -gt 0 ]; do
  case "$1" in
    --same-as)
      [ -d "${2:-}" ] || { echo "trailtrim: --same-as needs a run folder, got '${2:-}'" >&2; exit 2; }
      same_as=$(cd "$2" && pwd)
      shift 2 ;;
    --standalone) standalone=1; shift ;;
    *) echo "usage: scripts/cluster-check.sh [--standalone] [--same-as RUN_FOLDER]" >&2; exit 2 ;;
  esac
done
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

# A standalone Master and two Workers of one core each, every one its own JVM on 127.0.0.1, all
# killed when the script ends. The Workers launch the executors from $spark_home, as on a cluster.
daemons=()
stop_daemons() {
  if [ ${#daemons[@]} -gt 0 ]; then kill "${daemons[@]}" 2>/dev/null || true; fi
}
trap stop_daemons EXIT
start_daemon() {
  local log=$1
  shift
  SPARK_HOME="$spark_home" SPARK_SCALA_VERSION="$TRAILTRIM_SCALA_VERSION" SPARK_LOCAL_IP=127.0.0.1 \
    java "${JAVA17_SPARK_OPENS[@]}" -Xmx512m -Dlog4j2.configurationFile="$spark_home/conf/daemon-log4j2.properties" \
    -cp "$spark_home/conf:$spark_home/jars/*" "$@" >"$log" 2>&1 &
  daemons+=($!)
}
# Waits until $1 holds $2 $3 times, or fails naming the log after $limit seconds.
wait_for_log() {
  local log=$1 text=$2 times=$3 waited=0
  until [ "$(grep -c "$text" "$log" 2>/dev/null || true)" -ge "$times" ]; do
    if [ "$waited" -ge "$limit" ]; then
      tail -n 20 "$log" >&2
      echo "trailtrim: '$text' did not appear $times time(s) in $log within ${limit}s" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}
start_standalone() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # The daemons log at INFO: the Master's "Registering worker" lines say when the cluster is up.
  sed 's/^rootLogger.level = warn/rootLogger.level = info/' "$spark_home/conf/log4j2.properties" \
    >"$spark_home/conf/daemon-log4j2.properties"
  start_daemon "$work/master.log" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 0
  wait_for_log "$work/master.log" "Starting Spark master at" 1
  for worker in 1 2; do
    mkdir -p "$work/worker-$worker"
    start_daemon "$work/worker-$worker.log" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --webui-port 0 --cores 1 --memory 1g --work-dir "$work/worker-$worker" \
      "spark://127.0.0.1:$port"
  done
  wait_for_log "$work/master.log" "Registering worker" 2
  cluster_master="spark://127.0.0.1:$port"
}

if [ "$standalone" = 1 ]; then
  began=$SECONDS
  start_standalone
  echo "trailtrim: standalone Master and 2 Workers up at $cluster_master in $((SECONDS - began)) s"
else
  cluster_master='local-cluster[2,1,1024]'
fi
run_sample cluster "$cluster_master" \
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
echo "trailtrim: cluster check passed in $((SECONDS - started)) s: $cluster_master and local[2]" \
  "wrote the same run${same_as:+, equal to $same_as}"
