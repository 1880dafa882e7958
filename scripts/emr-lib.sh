# Shared by scripts/submit-emr.sh and scripts/submit-emr-serverless.sh: reading the Spark settings,
# building and uploading the jar, checking the job's flags, and printing commands exactly.
# Written for bash 3.2 too (macOS): no associative arrays, no ${var//pattern/replacement} (its
# quoting rules differ between bash versions), empty arrays expanded as ${a[@]+"${a[@]}"}.
# shellcheck shell=bash

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TRAILTRIM_MAIN_CLASS=dev.trailtrim.cli.TrailtrimMain
SCRIPT_NAME="$(basename "$0")"

die() {
  echo "$SCRIPT_NAME: $*" >&2
  exit 2
}

warn() {
  echo "$SCRIPT_NAME: warning: $*" >&2
}

# Prints its arguments as one shell command line that, pasted into bash, passes exactly these words.
shell_command() {
  local word rest quoted out=()
  for word in "$@"; do
    if [[ $word =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
      out+=("$word")
      continue
    fi
    quoted="'" rest=$word
    while [[ $rest == *\'* ]]; do
      quoted+="${rest%%\'*}'\\''"
      rest=${rest#*\'}
    done
    out+=("$quoted$rest'")
  done
  printf '%s\n' "${out[*]}"
}

# Prints a JSON string literal.
json_string() {
  local s=$1 out= c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      '"') out+='\"' ;;
      '\') out+='\\' ;;
      $'\n') out+='\n' ;;
      $'\r') out+='\r' ;;
      $'\t') out+='\t' ;;
      *)
        [[ $c != [[:cntrl:]] ]] || die "argument '$1' contains a control character; remove it"
        out+=$c ;;
    esac
  done
  printf '"%s"' "$out"
}

# Prints a JSON array of strings.
json_array() {
  local word first=1
  printf '['
  for word in "$@"; do
    ((first)) || printf ','
    first=0
    json_string "$word"
  done
  printf ']'
}

# Reads a spark-defaults-style file ("key value" per line, # comments) into SPARK_CONF ("key=value").
read_spark_conf() {
  local file=$1 line key value setting number=0
  SPARK_CONF=()
  [[ -f $file ]] || die "Spark settings file '$file' not found; pass --spark-conf FILE"
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    [[ -z $line || $line == \#* ]] && continue
    key=${line%%[[:space:]]*}
    value=${line#"$key"}
    value=${value#"${value%%[![:space:]]*}"}
    [[ $key == spark.* ]] || die "$file line $number: '$key' is not a Spark setting (keys start with spark.)"
    [[ -n $value ]] || die "$file line $number: '$key' has no value; write '$key VALUE'"
    [[ $value =~ [[:space:]] ]] && die "$file line $number: the value of '$key' contains spaces," \
      "which EMR Serverless's sparkSubmitParameters cannot carry; remove them"
    for setting in ${SPARK_CONF[@]+"${SPARK_CONF[@]}"}; do
      [[ ${setting%%=*} != "$key" ]] || die "$file line $number: '$key' is set a second time"
    done
    SPARK_CONF+=("$key=$value")
  done <"$file"
}

# Fails unless the job's flags name the logs and the output; warns about locations that are not
# URIs, because on AWS a plain path means a disk of the cluster, not this machine.
check_job_flags() {
  local i flag value has_cloudtrail=0 has_output=0
  (($# > 0)) || die "no job flags: put the job's own flags after --, e.g. -- --cloudtrail s3://... --iam-live --output s3://..."
  for ((i = 1; i <= $#; i++)); do
    flag=${!i}
    value=
    case $flag in
      --*=*) value=${flag#*=}; flag=${flag%%=*} ;;
      --cloudtrail | --iam-snapshot | --output | --config)
        if ((i < $#)); then
          local next=$((i + 1))
          value=${!next}
        fi ;;
    esac
    case $flag in
      --cloudtrail) has_cloudtrail=1 ;;
      --output) has_output=1 ;;
    esac
    case $flag in
      --cloudtrail | --iam-snapshot | --output | --config)
        if [[ -n $value && $value != *://* ]]; then
          warn "$flag $value is not a URI such as s3://bucket/prefix; on AWS it would be a path on the cluster's own disk"
        fi ;;
    esac
  done
  ((has_cloudtrail)) || die "the job flags have no --cloudtrail; put the job's own flags after --"
  ((has_output)) || die "the job flags have no --output; put the job's own flags after --"
}

# The release label says which Spark runs the job, hence which jar: emr-7.x runs Spark 3.5 (Scala
# 2.12) and takes target/trailtrim-<version>.jar; emr-spark-8.x runs Spark 4.0 (Scala 2.13) and takes
# target/spark4/trailtrim-<version>-spark4.jar (mvn package -Pspark4). Either jar fails on the other.
DEFAULT_RELEASE_LABEL=emr-7.13.0
select_release() {
  case $1 in
    emr-7.*) trailtrim_select_spark 3 ;;
    emr-spark-8.* | emr-8.*) trailtrim_select_spark 4 ;;
    *) die "release label '$1' is not one trailtrim is built for: emr-7.x (Spark 3.5, e.g. emr-7.13.0)" \
      "or emr-spark-8.x (Spark 4.0, e.g. emr-spark-8.0.0)" ;;
  esac
  RELEASE_LABEL=$1
}

# Fails when the jar's name says it was built for the other Spark than the release label's.
check_jar_matches_release() {
  local name=${1##*/}
  if [[ $TRAILTRIM_SPARK == 4 && $name != *-spark4* ]]; then
    die "jar $1 is not a Spark 4 jar (its name has no -spark4), but $RELEASE_LABEL runs Spark 4.0:" \
      "build it with mvn package -Pspark4 (target/spark4/trailtrim-<version>-spark4.jar)"
  fi
  if [[ $TRAILTRIM_SPARK == 3 && $name == *-spark4* ]]; then
    die "jar $1 is built for Spark 4 (EMR 8), but $RELEASE_LABEL runs Spark 3.5: give the release label" \
      "emr-spark-8.0.0, or the jar of mvn package (target/trailtrim-<version>.jar)"
  fi
}

# Builds the job jar, copies it under the S3 prefix $1 named by its content (so a new build never
# replaces a jar a running job uses), and sets JAR_URI. With $2 = 1 it prints the copy instead.
upload_jar() {
  local artifacts=${1%/} dry_run=$2 jar digest name
  [[ $artifacts == s3://?* ]] || die "--artifacts must be an s3:// prefix, got '$1'"
  echo "$SCRIPT_NAME: building the job jar for $RELEASE_LABEL (mvn package -DskipTests $TRAILTRIM_PROFILE)" >&2
  (cd "$TRAILTRIM_HOME" && $MVN package -DskipTests >&2)
  jar=$(ls "$TRAILTRIM_HOME/$TRAILTRIM_TARGET"/trailtrim-*.jar | grep -v -e '-tests\.jar$' -e '/original-' | head -1)
  [[ -n $jar ]] || die "the build made no $TRAILTRIM_TARGET/trailtrim-*.jar"
  if command -v sha256sum >/dev/null; then
    digest=$(sha256sum "$jar" | cut -c1-12)
  else
    digest=$(shasum -a 256 "$jar" | cut -c1-12)
  fi
  name=$(basename "$jar" .jar)
  JAR_URI="$artifacts/$name-$digest.jar"
  run_or_print "$dry_run" "${AWS[@]}" s3 cp --only-show-errors "$jar" "$JAR_URI"
}

# Runs the command, or with $1 = 1 prints it (exactly, quoted for bash) instead.
run_or_print() {
  local dry_run=$1
  shift
  if ((dry_run)); then
    shell_command "$@"
  else
    "$@"
  fi
}
