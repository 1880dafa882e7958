#!/usr/bin/env bash
# Adds the trailtrim job as a Spark step to a running EMR cluster. See --help.
set -euo pipefail
source "$(dirname "$0")/emr-lib.sh"

usage() {
  cat <<EOF
usage: scripts/submit-emr.sh --cluster-id ID (--jar S3URI | --artifacts S3PREFIX) [options] -- JOB FLAGS

Adds the trailtrim job as a Spark step to a running EMR cluster (emr-7.x or emr-spark-8.x) and prints
the step id.

  --cluster-id ID           the cluster (j-...)
  --jar S3URI               the job jar, already in S3
  --artifacts S3PREFIX      or: build the jar (mvn package) and copy it under this prefix first,
                            named by its content (trailtrim-<version>-<sha256>.jar)
  --release-label LABEL     the cluster's release: emr-7.x (default emr-7.13.0; Spark 3.5) or
                            emr-spark-8.x (Spark 4.0); picks the jar --artifacts builds, checks --jar
  --spark-conf FILE         Spark settings, "key value" per line (default: conf/spark-emr.conf)
  --name NAME               step name (default: trailtrim)
  --deploy-mode MODE        client (default) or cluster, see below
  --action-on-failure WHAT  CONTINUE (default), CANCEL_AND_WAIT or TERMINATE_CLUSTER
  --execution-role-arn ARN  run the step as this runtime role (clusters set up for runtime roles)
  --region REGION           passed to every aws command (default: your AWS CLI configuration)
  --profile PROFILE         passed to every aws command
  --wait                    poll the step until it ends; exit 0 if it completed, 1 if not
  --dry-run                 print the aws commands instead of running them
  -h, --help                this text

Everything after -- goes to the job unchanged (the flags of the README's table), for example:

  scripts/submit-emr.sh --cluster-id j-2AXXXXXXGAPLF --artifacts s3://my-artifacts/trailtrim --wait \\
    -- --cloudtrail s3://my-trail-bucket/AWSLogs/ --iam-live --output s3://my-results/trailtrim --lookback-days 90

Client deploy mode runs the driver inside the step, on the primary node: the step's stdout log
shows the job's summary, and the step fails exactly when the job exits non-zero. In cluster mode
YARN reports an application whose main method ends in System.exit (as the job's does) as FAILED,
even after a complete run.
EOF
}

cluster_id= jar= artifacts= release_label=$DEFAULT_RELEASE_LABEL spark_conf="$TRAILTRIM_HOME/conf/spark-emr.conf" name=trailtrim
deploy_mode=client action_on_failure=CONTINUE execution_role= wait=0 dry_run=0
AWS=(aws)
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    --wait) wait=1; shift; continue ;;
    --dry-run) dry_run=1; shift; continue ;;
    --cluster-id | --jar | --artifacts | --release-label | --spark-conf | --name | --deploy-mode | \
      --action-on-failure | \
      --execution-role-arn | --region | --profile)
      (($# >= 2)) && [[ -n $2 && $2 != --* ]] || die "$1 needs a value (see --help)" ;;
    *) die "unknown option '$1'; the job's own flags go after -- (see --help)" ;;
  esac
  case $1 in
    --cluster-id) cluster_id=$2 ;;
    --jar) jar=$2 ;;
    --artifacts) artifacts=$2 ;;
    --release-label) release_label=$2 ;;
    --spark-conf) spark_conf=$2 ;;
    --name) name=$2 ;;
    --deploy-mode) deploy_mode=$2 ;;
    --action-on-failure) action_on_failure=$2 ;;
    --execution-role-arn) execution_role=$2 ;;
    --region | --profile) AWS+=("$1" "$2") ;;
  esac
  shift 2
done
job_flags=("$@")

[[ -n $cluster_id ]] || die "--cluster-id is required (see --help)"
[[ -n $jar || -n $artifacts ]] || die "give --jar s3://... (a jar in S3) or --artifacts s3://... (build and upload it)"
[[ -z $jar || -z $artifacts ]] || die "give --jar or --artifacts, not both"
[[ -z $jar || $jar == s3://?* ]] || die "--jar must be an s3:// URI, got '$jar'"
select_release "$release_label"
[[ -z $jar ]] || check_jar_matches_release "$jar"
case $deploy_mode in client | cluster) ;; *) die "--deploy-mode must be client or cluster, got '$deploy_mode'" ;; esac
case $action_on_failure in
  CONTINUE | CANCEL_AND_WAIT | TERMINATE_CLUSTER) ;;
  *) die "--action-on-failure must be CONTINUE, CANCEL_AND_WAIT or TERMINATE_CLUSTER, got '$action_on_failure'" ;;
esac
check_job_flags ${job_flags[@]+"${job_flags[@]}"}
read_spark_conf "$spark_conf"

if [[ -n $artifacts ]]; then
  upload_jar "$artifacts" "$dry_run"
  jar=$JAR_URI
fi

# The AWS CLI turns a Type=Spark step into command-runner.jar running "spark-submit ARGS".
step_args=(--deploy-mode "$deploy_mode" --class "$TRAILTRIM_MAIN_CLASS")
for setting in "${SPARK_CONF[@]}"; do
  step_args+=(--conf "$setting")
done
step_args+=("$jar" "${job_flags[@]}")
steps="[{\"Type\":\"Spark\",\"Name\":$(json_string "$name"),\"ActionOnFailure\":\"$action_on_failure\",\"Args\":$(json_array "${step_args[@]}")}]"

add_steps=("${AWS[@]}" emr add-steps --cluster-id "$cluster_id" --steps "$steps")
if [[ -n $execution_role ]]; then
  add_steps+=(--execution-role-arn "$execution_role")
fi
add_steps+=(--query 'StepIds[0]' --output text)

if ((dry_run)); then
  shell_command "${add_steps[@]}"
  if ((wait)); then
    echo "# then, every 30 s until the step ends:"
    shell_command "${AWS[@]}" emr describe-step --cluster-id "$cluster_id" --step-id STEP_ID \
      --query Step.Status.State --output text
  fi
  exit 0
fi

step_id=$("${add_steps[@]}")
echo "$step_id"
((wait)) || exit 0

# Not "aws emr wait step-complete": that waiter gives up after 30 minutes, and a run over months
# of logs can take longer.
last=
while :; do
  state=$("${AWS[@]}" emr describe-step --cluster-id "$cluster_id" --step-id "$step_id" \
    --query Step.Status.State --output text)
  if [[ $state != "$last" ]]; then
    echo "$SCRIPT_NAME: step $step_id is $state" >&2
    last=$state
  fi
  case $state in
    COMPLETED) exit 0 ;;
    FAILED | CANCELLED | INTERRUPTED)
      "${AWS[@]}" emr describe-step --cluster-id "$cluster_id" --step-id "$step_id" \
        --query Step.Status.FailureDetails --output json >&2 || true
      exit 1 ;;
  esac
  sleep "${TRAILTRIM_POLL_SECONDS:-30}"
done
