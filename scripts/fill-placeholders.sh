#!/usr/bin/env bash
# Prints a conf/ file with every ${NAME} placeholder replaced by the environment variable NAME.
# Fails, naming them, when any of the file's placeholders has no value: a policy with an empty
# bucket name would be accepted by IAM and grant something else than intended.
#
#   TRAIL_BUCKET=my-trail-bucket LOG_PREFIX=AWSLogs ... scripts/fill-placeholders.sh conf/job-iam-policy.json > job-policy.json
set -euo pipefail

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  echo "usage: scripts/fill-placeholders.sh FILE   (placeholders \${NAME} come from the environment)" >&2
  exit 2
fi
file=$1
[[ -f $file ]] || { echo "fill-placeholders.sh: no file '$file'" >&2; exit 2; }

text=$(cat "$file"; printf x)
text=${text%x}
names=$(grep -o '\${[A-Za-z0-9_]*}' "$file" | sort -u | tr -d '${}' || true)
missing=()
for name in $names; do
  # ${run_id} in scripts/athena-tables.sql is Athena's own (partition projection fills it per
  # query), not ours: it stays as it is.
  if [[ $name == run_id && $file == *.sql ]]; then
    continue
  fi
  if [[ ! $name =~ ^[A-Z][A-Z0-9_]*$ ]]; then
    echo "fill-placeholders.sh: $file has a placeholder \${$name}; placeholders are \${UPPER_CASE}" >&2
    exit 2
  fi
  if [[ -z ${!name:-} ]]; then
    missing+=("$name")
    continue
  fi
  value=${!name}
  # Every placeholder sits inside a JSON string, or an SQL string or identifier; these characters
  # would end or corrupt it.
  if [[ $value == *[\"\\\'\`]* || $value =~ [[:cntrl:]] ]]; then
    echo "fill-placeholders.sh: $name='$value' contains a quote, backquote, backslash or control character" >&2
    exit 2
  fi
  # Not ${text//...}: its quoting rules differ between bash versions (macOS ships 3.2).
  token="\${$name}" rest=$text text=
  while [[ $rest == *"$token"* ]]; do
    text+=${rest%%"$token"*}$value
    rest=${rest#*"$token"}
  done
  text+=$rest
done
if ((${#missing[@]} > 0)); then
  echo "fill-placeholders.sh: set ${missing[*]} (placeholders of $file; the README's table says what each is)" >&2
  exit 2
fi
# A nightly definition runs ${JAR_URI} on its application's or cluster's release: with RELEASE_LABEL
# set (emr-7.x or emr-spark-8.x), a jar built for the other Spark is refused, as the submit scripts'
# --release-label refuses it.
if [[ -n ${RELEASE_LABEL:-} ]] && grep -qF '${JAR_URI}' "$file"; then
  source "$(dirname "$0")/emr-lib.sh"
  select_release "$RELEASE_LABEL"
  check_jar_matches_release "$JAR_URI"
fi
printf '%s' "$text"
