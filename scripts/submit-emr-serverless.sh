#!/usr/bin/env bash
# Starts the trailtrim job as a job run of an EMR Serverless application. See --help.
set -euo pipefail
source "$(dirname "$0")/emr-lib.sh"

usage() {
  cat <<EOF
usage: scripts/submit-emr-serverless.sh --application-id ID --execution-role-arn ARN
                                        (--jar S3URI | --artifacts S3PREFIX) [options] -- JOB FLAGS

Starts the trailtrim job on an EMR Serverless Spark application (release emr-7.x or emr-spark-8.x)
and prints the job run id.

  --application-id ID       the application (aws emr-serverless create-application --type SPARK ...)
  --execution-role-arn ARN  the role the job runs as (conf/job-iam-policy.json, conf/job-trust-policy.json)
  --jar S3URI               the job jar, already in S3
  --artifacts S3PREFIX      or: build the jar (mvn package) and copy it under this prefix first,
                            named by its content (trailtrim-<version>-<sha256>.jar)
  --release-label LABEL     the application's release: emr-7.x (default emr-7.13.0; Spark 3.5) or
                            emr-spark-8.x (Spark 4.0); picks the jar --artifacts builds, checks --jar
  --spark-conf FILE         Spark settings, "key value" per line (default: conf/spark-emr.conf)
  --name NAME               job run name (default: trailtrim)
  --timeout-minutes N       cancel the run after N minutes (default: the service's, 12 hours)
  --log-uri S3URI           where EMR Serverless keeps the run's driver and executor logs
                            (default: <the job's --output>/emr-logs/ when it is an s3:// URI)
  --region REGION           passed to every aws command (default: your AWS CLI configuration)
  --profile PROFILE         passed to every aws command
  --wait                    poll the job run until it ends; exit 0 on SUCCESS, 1 otherwise
  --dry-run                 print the aws commands instead of running them
  -h, --help                this text

Everything after -- goes to the job unchanged (the flags of the README's table), for example:

  scripts/submit-emr-serverless.sh --application-id 00fabcdexample01 \\
    --execution-role-arn arn:aws:iam::111122223333:role/trailtrim-job \\
    --artifacts s3://my-artifacts/trailtrim --wait \\
    -- --cloudtrail s3://my-trail-bucket/AWSLogs/ --iam-live --output s3://my-results/trailtrim --lookback-days 90
EOF
}

application_id= execution_role= jar= artifacts= release_label=$DEFAULT_RELEASE_LABEL
spark_conf="$TRAILTRIM_HOME/conf/spark-emr.conf" name=trailtrim
timeout_minutes= log_uri= wait=0 dry_run=0
AWS=(aws)
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    --wait) wait=1; shift; continue ;;
    --dry-run) dry_run=1; shift; continue ;;
    --application-id | --execution-role-arn | --jar | --artifacts | --release-label | --spark-conf | --name | \
      --timeout-minutes | --log-uri | --region | --profile)
      (($# >= 2)) && [[ -n $2 && $2 != --* ]] || die "$1 needs a value (see --help)" ;;
    *) die "unknown option '$1'; the job's own flags go after -- (see --help)" ;;
  esac
  case $1 in
    --application-id) application_id=$2 ;;
    --execution-role-arn) execution_role=$2 ;;
    --jar) jar=$2 ;;
    --artifacts) artifacts=$2 ;;
    --release-label) release_label=$2 ;;
    --spark-conf) spark_conf=$2 ;;
    --name) name=$2 ;;
    --timeout-minutes) timeout_minutes=$2 ;;
    --log-uri) log_uri=$2 ;;
    --region | --profile) AWS+=("$1" "$2") ;;
  esac
  shift 2
done
job_flags=("$@")

[[ -n $application_id ]] || die "--application-id is required (see --help)"
[[ -n $execution_role ]] || die "--execution-role-arn is required: the role the job runs as (see --help)"
[[ $execution_role == arn:*:iam::*:role/* ]] || die "--execution-role-arn must be an IAM role ARN, got '$execution_role'"
[[ -n $jar || -n $artifacts ]] || die "give --jar s3://... (a jar in S3) or --artifacts s3://... (build and upload it)"
[[ -z $jar || -z $artifacts ]] || die "give --jar or --artifacts, not both"
[[ -z $jar || $jar == s3://?* ]] || die "--jar must be an s3:// URI, got '$jar'"
select_release "$release_label"
[[ -z $jar ]] || check_jar_matches_release "$jar"
[[ -z $timeout_minutes || $timeout_minutes =~ ^[1-9][0-9]*$ ]] || die "--timeout-minutes must be a positive number, got '$timeout_minutes'"
check_job_flags ${job_flags[@]+"${job_flags[@]}"}
# Without logs a failed night leaves nothing to read: keep them beside the output unless told where.
if [[ -z $log_uri ]]; then
  for ((i = 0; i < ${#job_flags[@]}; i++)); do
    case ${job_flags[i]} in
      --output=*) log_uri=${job_flags[i]#--output=} ;;
      --output) log_uri=${job_flags[i + 1]:-} ;;
    esac
  done
  if [[ $log_uri == s3://?* ]]; then
    log_uri="${log_uri%/}/emr-logs/"
  else
    warn "the job's --output is not an s3:// URI, so the run keeps no logs in S3; pass --log-uri s3://..."
    log_uri=
  fi
fi
[[ -z $log_uri || $log_uri == s3://?* ]] || die "--log-uri must be an s3:// URI, got '$log_uri'"
read_spark_conf "$spark_conf"

if [[ -n $artifacts ]]; then
  upload_jar "$artifacts" "$dry_run"
  jar=$JAR_URI
fi

# EMR Serverless splits sparkSubmitParameters on spaces, which is why read_spark_conf refuses
# values with spaces; the job's own flags travel as a list (entryPointArguments), unsplit.
submit_parameters="--class $TRAILTRIM_MAIN_CLASS"
for setting in "${SPARK_CONF[@]}"; do
  submit_parameters+=" --conf $setting"
done
job_driver="{\"sparkSubmit\":{\"entryPoint\":$(json_string "$jar"),\"entryPointArguments\":$(json_array "${job_flags[@]}"),\"sparkSubmitParameters\":$(json_string "$submit_parameters")}}"

start=("${AWS[@]}" emr-serverless start-job-run --application-id "$application_id"
  --execution-role-arn "$execution_role" --name "$name" --job-driver "$job_driver")
if [[ -n $log_uri ]]; then
  start+=(--configuration-overrides
    "{\"monitoringConfiguration\":{\"s3MonitoringConfiguration\":{\"logUri\":$(json_string "$log_uri")}}}")
fi
if [[ -n $timeout_minutes ]]; then
  start+=(--execution-timeout-minutes "$timeout_minutes")
fi
start+=(--query jobRunId --output text)

if ((dry_run)); then
  shell_command "${start[@]}"
  if ((wait)); then
    echo "# then, every 30 s until the run ends:"
    shell_command "${AWS[@]}" emr-serverless get-job-run --application-id "$application_id" --job-run-id JOB_RUN_ID \
      --query jobRun.state --output text
  fi
  exit 0
fi

job_run_id=$("${start[@]}")
echo "$job_run_id"
((wait)) || exit 0

last=
while :; do
  state=$("${AWS[@]}" emr-serverless get-job-run --application-id "$application_id" --job-run-id "$job_run_id" \
    --query jobRun.state --output text)
  if [[ $state != "$last" ]]; then
    echo "$SCRIPT_NAME: job run $job_run_id is $state" >&2
    last=$state
  fi
  case $state in
    SUCCESS) exit 0 ;;
    FAILED | CANCELLED)
      "${AWS[@]}" emr-serverless get-job-run --application-id "$application_id" --job-run-id "$job_run_id" \
        --query jobRun.stateDetails --output text >&2 || true
      exit 1 ;;
  esac
  sleep "${TRAILTRIM_POLL_SECONDS:-30}"
done
