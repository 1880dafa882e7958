#!/usr/bin/env bash
# Runs every test (unit, Spark local, in-process S3 and IAM endpoints), then the format check. The job
# jar is built where it is used (scripts/run-local.sh, cluster-check.sh, the EMR scripts), not here:
# shading the SDK into it takes 6 s that no test needs.
# Tests that read ../shared/data skip themselves where it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
# TRAILTRIM_SPARK=4: the same suite on Spark 4.0 (EMR 8), built into target/spark4/ (see scripts/lib.sh).
case "${TRAILTRIM_SPARK:-3}" in
  3) profile= ;;
  4) profile=-Pspark4 ;;
  *) echo "trailtrim: TRAILTRIM_SPARK=$TRAILTRIM_SPARK is not a Spark this project builds for; use 3 or 4" >&2
     exit 2 ;;
esac
# --quick: the edit loop. Leaves out the classes tagged slow (child JVMs, the AWS CLI, the browser, injected
# S3 faults and latency: dev.trailtrim.testing.Slow) and stops after the tests (no format check).
# CI and a change's last check run the whole suite: without --quick.
if [ "${1:-}" = --quick ]; then
  shift
  exec ${MVN:-mvn} -B -ntp $profile ${TRAILTRIM_MVN_FLAGS:-} test -Dtrailtrim.test.excludedGroups=slow "$@"
fi
exec ${MVN:-mvn} -B -ntp $profile ${TRAILTRIM_MVN_FLAGS:-} test spotless:check "$@"
