#!/usr/bin/env bash
# Runs every test (unit, Spark local, in-process S3 and IAM endpoints) and builds the job jar.
# Tests that read ../shared/data skip themselves where it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
exec ${MVN:-mvn} -B -ntp ${TRAILTRIM_MVN_FLAGS:-} verify "$@"
