#!/usr/bin/env bash
# Shows the job's memory does not grow with the number of distinct resources the logs name:
# usage of --distinct-arns distinct resources (default 10 million) of --roles Lambda roles goes
# through the job's steps after the read (window sum, compaction, per-role analysis against
# grants) in one JVM whose heap is --xmx (default 1g: in Spark local mode the driver and the
# executors share it, so this is stricter than a 1 GiB driver on a cluster). Prints one BENCH line
# with the rows that reached the driver and the peak heap; fails if a suggested policy would not
# allow one of the sampled successful calls.
#
#   scripts/bench-scale.sh                          # 10,000,000 distinct ARNs, 200 roles, -Xmx1g
#   scripts/bench-scale.sh --distinct-arns 1000000 --xmx 512m
set -euo pipefail
source "$(dirname "$0")/lib.sh"

xmx=1g
cores=2
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --xmx) xmx="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --distinct-arns|--roles|--days|--max-resources-per-action) args+=("$1" "$2"); shift 2 ;;
    *) echo "bench-scale: unknown flag '$1'" >&2; sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
trailtrim_compile_tools
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
mkdir -p "$TRAILTRIM_HOME/target/bench"
log="$TRAILTRIM_HOME/target/bench/scale.log"
echo "bench-scale: -Xmx$xmx, local[$cores] (log: ${log#"$TRAILTRIM_HOME"/})" >&2
java "${JAVA17_SPARK_OPENS[@]}" -Xmx"$xmx" -Dlog4j2.configurationFile="$TRAILTRIM_HOME/conf/log4j2.properties" \
  -Djava.io.tmpdir="$TRAILTRIM_HOME/target/bench" \
  -cp "$(trailtrim_tools_classpath)" \
  dev.trailtrim.tools.bench.ScaleBench --cores "$cores" ${args[@]+"${args[@]}"} >"$log" 2>&1 || {
    echo "bench-scale: failed; the end of its log:" >&2; tail -20 "$log" >&2; exit 1; }
grep '^BENCH ' "$log"
