#!/usr/bin/env bash
# Regenerates sample-logs/ (CloudTrail files, IAM snapshots, ground truth) with the project's own
# deterministic generator, from any directory. Flags pass through: --seed N (default 42),
# --out DIR (default: the project's sample-logs/). The output folder is wiped and rewritten.
# Needs Java 17 and Maven; TRAILTRIM_MVN_FLAGS=-o builds offline.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

trailtrim_compile_tools

args=("$@")
has_out=0
for arg in "${args[@]+"${args[@]}"}"; do
  if [[ "$arg" == "--out" ]]; then
    has_out=1
  fi
done
if [[ "$has_out" == "0" ]]; then
  args+=(--out "$TRAILTRIM_HOME/sample-logs")
fi

exec java -cp "$(trailtrim_tools_classpath)" \
  dev.trailtrim.tools.SampleLogGenerator "${args[@]}"
