#!/usr/bin/env bash
# Regenerates sample-logs/ (CloudTrail files, IAM snapshots, ground truth) with the project's own
# deterministic generator. Flags pass through: --seed N (default 42), --out DIR (default
# sample-logs, relative to the project). The output folder is wiped and rewritten.
# Needs Java 17 and Maven. Set TRAILTRIM_MVN_OFFLINE=1 to run Maven offline (-o).
set -euo pipefail

project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$project_dir"

mvn_flags=(-q -B -Dstyle.color=never)
if [[ "${TRAILTRIM_MVN_OFFLINE:-0}" == "1" ]]; then
  mvn_flags+=(-o)
fi

mvn "${mvn_flags[@]}" compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile

args=("$@")
has_out=0
for arg in "${args[@]+"${args[@]}"}"; do
  if [[ "$arg" == "--out" ]]; then
    has_out=1
  fi
done
if [[ "$has_out" == "0" ]]; then
  args+=(--out "$project_dir/sample-logs")
fi

exec java -cp "target/classes:$(cat target/classpath.txt)" dev.trailtrim.tools.SampleLogGenerator \
  "${args[@]}"
