#!/usr/bin/env bash
# A team's view of one role in trailtrim's output: get, diff, check, apply, rollback. See --help.
# Self-contained (bash, the AWS CLI, python3): copy it anywhere.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: trailtrim-policy.sh COMMAND --output URI --role ARN [options]

One role's latest suggestion from trailtrim's output (found through latest.json), and the way to
put it in place and back.

  get        print the suggested policy (the parts of a split one, one after the other)
  diff       the role's live policies against the suggestion: a unified diff of canonical JSON
  check      IAM Access Analyzer on the suggestion: validate-policy, and check-no-new-access
             against the role's live policies (exit 1 when it finds new access or errors)
  apply      run the role's apply plan (apply/<account>/<role>/apply.sh): puts the suggestion,
             then deletes/detaches what it replaces; changes nothing without --yes
  rollback   run rollback.sh: gives the role back the policies it had; nothing without --yes

  --output URI         trailtrim's --output: a local folder or s3://bucket/prefix
  --role ARN           the role, arn:aws:iam::<account>:role/[path/]<name>
  --run-id ID          a given run instead of the latest
  --yes                apply/rollback: make the changes
  --dry-run            print the IAM, Access Analyzer and plan-script commands instead of running
                       them (the output itself is still read); diff then compares the role's
                       policies as the run's snapshot saw them (the plan's before/)
  --profile P, --region R, --endpoint-url URL
                       passed to every aws command (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_IAM
                       and the other AWS CLI settings work too)
  -h, --help           this text
EOF
}

die() {
  echo "trailtrim-policy: $*" >&2
  exit 2
}

command=${1:-}
case $command in
  -h | --help) usage; exit 0 ;;
  get | diff | check | apply | rollback) shift ;;
  '') usage >&2; exit 2 ;;
  *) die "unknown command '$command': use get, diff, check, apply or rollback (see --help)" ;;
esac
output= role_arn= run_id= yes=0 dry_run=0
aws_options=()
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --yes) yes=1; shift; continue ;;
    --dry-run) dry_run=1; shift; continue ;;
    --output | --role | --run-id | --profile | --region | --endpoint-url)
      (($# >= 2)) && [[ -n $2 ]] || die "$1 needs a value (see --help)" ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  case $1 in
    --output) output=${2%/} ;;
    --role) role_arn=$2 ;;
    --run-id) run_id=$2 ;;
    *) aws_options+=("$1" "$2") ;;
  esac
  shift 2
done
[[ -n $output ]] || die "--output is required: the folder or s3:// URI trailtrim wrote to"
[[ -n $role_arn ]] || die "--role is required: the role's ARN"
[[ $role_arn =~ ^arn:[a-z-]+:iam::[0-9]{12}:role/.+ ]] ||
  die "--role must be a role ARN like arn:aws:iam::111122223333:role/my-role, got '$role_arn'"
if ((yes)) && [[ $command != apply && $command != rollback ]]; then
  die "--yes is for apply and rollback only"
fi
command -v python3 >/dev/null 2>&1 || die "python3 is needed to read trailtrim's JSON; install it"
command -v aws >/dev/null 2>&1 || [[ $output != s3://* ]] || die "the AWS CLI (aws) is needed to read $output"

work=$(mktemp -d "${TMPDIR:-/tmp}/trailtrim-policy.XXXXXX")
keep_work=0
cleanup() {
  ((keep_work)) || rm -rf "$work"
}
trap cleanup EXIT

aws_cli() {
  aws ${aws_options[@]+"${aws_options[@]}"} "$@"
}

# One word as it can be pasted into a shell: as it is, or single-quoted.
quote_word() {
  case $1 in
    '' | *[!A-Za-z0-9_./:=@%+,-]*) printf "'%s'" "${1//\'/\'\"\'\"\'}" ;;
    *) printf '%s' "$1" ;;
  esac
}

# An aws command as it can be pasted into a shell.
show() {
  local line=aws word
  for word in ${aws_options[@]+"${aws_options[@]}"} "$@"; do
    line="$line $(quote_word "$word")"
  done
  echo "$line"
}

# Runs a command on IAM or Access Analyzer, or with --dry-run prints it.
run() {
  if ((dry_run)); then
    show "$@"
  else
    aws_cli "$@"
  fi
}

# Copies a file of the output (path relative to --output) to $2; fails with the reason in $work/fetch-error.
fetch() {
  if [[ $output == s3://* ]]; then
    aws_cli s3 cp --only-show-errors "$output/$1" "$2" >/dev/null 2>"$work/fetch-error"
  elif [[ -f $output/$1 ]]; then
    cp "$output/$1" "$2"
  else
    echo "no such file" >"$work/fetch-error"
    return 1
  fi
}

fetch_error() {
  tr '\n' ' ' <"$work/fetch-error"
}

# JSON helpers, one python3 process each: json_get FILE KEY prints a top-level string.
json_get() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# The plan folder of a role: apply/<account>/<role>/, each named as trailtrim's SafeNames does.
plan_folder() {
  python3 - "$1" <<'PY'
import hashlib, re, sys
def segment(name):
    if name == "":
        return "~empty"
    dot = name.rfind(".part-")
    part_dot = dot if dot >= 0 and re.fullmatch("[0-9]+", name[dot + 6:]) else -1
    out = []
    for i, c in enumerate(name):
        if (c.isascii() and (c.isalnum() or c in "+=,@_-")) or (c == "." and i > 0 and i != part_dot):
            out.append(c)
        else:
            out.append("".join("%%%02X" % b for b in c.encode("utf-8")))
    encoded = "".join(out)
    if len(encoded) <= 120:
        return encoded
    keep = 120 - 1 - 16
    keep = keep - 1 if encoded[keep - 1] == "%" else keep - 2 if encoded[keep - 2] == "%" else keep
    digest = hashlib.sha256(name.encode("utf-16-be")).hexdigest()[:16].upper()
    return encoded[:keep] + "~" + digest
arn = sys.argv[1]
print("apply/" + segment(arn.split(":", 5)[4]) + "/" + segment(arn[arn.rindex("/") + 1:]) + "/")
PY
}

# The run and the role's plan.
if [[ -z $run_id ]]; then
  fetch latest.json "$work/latest.json" ||
    die "cannot read $output/latest.json ($(fetch_error)): does --output point at trailtrim's output?"
  run_id=$(json_get "$work/latest.json" runId)
fi
run_path="runs/$run_id"
plan="$run_path/$(plan_folder "$role_arn")"
if [[ $output == s3://* ]]; then
  aws_cli s3 cp --only-show-errors "$output/$run_path/_SUCCESS" - >/dev/null 2>&1 ||
    die "run $run_id is not complete in $output (no _SUCCESS)"
  fetch "$plan"manifest.json "$work/manifest.json" ||
    die "run $run_id has no plan for $role_arn: it suggests nothing for the role (why: $output/$run_path/roles/)"
  mkdir -p "$work/plan"
  aws_cli s3 cp --only-show-errors --recursive "$output/$plan" "$work/plan" >/dev/null ||
    die "cannot copy the plan $output/$plan"
  plan_dir="$work/plan"
else
  [[ -f $output/$run_path/_SUCCESS ]] || die "run $run_id is not complete in $output (no _SUCCESS)"
  [[ -f $output/$plan/manifest.json ]] ||
    die "run $run_id has no plan for $role_arn: it suggests nothing for the role (why: $output/$run_path/roles/)"
  plan_dir=$(cd "$output/$plan" && pwd)
fi
role_name=$(json_get "$plan_dir/manifest.json" roleName)

# Prints the manifest's policies of one side: kind, name or ARN, file; one a line, tab-separated.
policies_of() {
  python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))[sys.argv[2]]:
    print(p["kind"], p.get("arn") or p["name"], p["file"], sep="\t")' "$plan_dir/manifest.json" "$1"
}

# The role's live policies, in the layout of a manifest side, documents in $work/live/.
read_live() {
  local names arns name arn version i=0
  mkdir -p "$work/live"
  : >"$work/live/list"
  names=$(aws_cli iam list-role-policies --role-name "$role_name" --query 'PolicyNames[]' --output text)
  for name in $names; do
    [[ $name == None ]] && continue
    i=$((i + 1))
    aws_cli iam get-role-policy --role-name "$role_name" --policy-name "$name" --query PolicyDocument \
      --output json >"$work/live/$i.json"
    printf 'inline\t%s\t%s\n' "$name" "$work/live/$i.json" >>"$work/live/list"
  done
  arns=$(aws_cli iam list-attached-role-policies --role-name "$role_name" --query 'AttachedPolicies[].PolicyArn' \
    --output text)
  for arn in $arns; do
    [[ $arn == None ]] && continue
    i=$((i + 1))
    version=$(aws_cli iam get-policy --policy-arn "$arn" --query Policy.DefaultVersionId --output text)
    aws_cli iam get-policy-version --policy-arn "$arn" --version-id "$version" --query PolicyVersion.Document \
      --output json >"$work/live/$i.json"
    printf 'managed\t%s\t%s\n' "$arn" "$work/live/$i.json" >>"$work/live/list"
  done
}

# The commands read_live runs, for --dry-run.
show_live_reads() {
  show iam list-role-policies --role-name "$role_name" --query 'PolicyNames[]' --output text
  show iam get-role-policy --role-name "$role_name" --policy-name NAME --query PolicyDocument --output json
  show iam list-attached-role-policies --role-name "$role_name" --query 'AttachedPolicies[].PolicyArn' --output text
  show iam get-policy --policy-arn ARN --query Policy.DefaultVersionId --output text
  show iam get-policy-version --policy-arn ARN --version-id VERSION --query PolicyVersion.Document --output json
}

# The current side: the live role, or with --dry-run the plan's before/ (the run's snapshot).
current_side() {
  if ((dry_run)); then
    policies_of before | while IFS=$'\t' read -r kind name file; do
      printf '%s\t%s\t%s\n' "$kind" "$name" "$plan_dir/$file"
    done
  else
    cat "$work/live/list"
  fi
}

suggested_side() {
  policies_of after | while IFS=$'\t' read -r kind name file; do
    printf '%s\t%s\t%s\n' "$kind" "$name" "$plan_dir/$file"
  done
}

case $command in
  get)
    suggested_side | while IFS=$'\t' read -r _ _ file; do
      cat "$file"
    done
    ;;

  diff)
    if ((dry_run)); then
      echo "# would read the role's live policies with:"
      show_live_reads | sed 's/^/#   /'
      echo "# and compares here the policies the run's snapshot saw (before/) instead:"
      current_label="before: $role_name in the snapshot of run $run_id"
    else
      read_live
      current_label="live: $role_name"
    fi
    current_side >"$work/current"
    suggested_side >"$work/suggested"
    python3 - "$work/current" "$work/suggested" "$current_label" "suggested: $role_name by run $run_id" <<'PY'
import difflib, json, sys, urllib.parse
def load(path):
    value = json.load(open(path))
    return json.loads(urllib.parse.unquote(value)) if isinstance(value, str) else value
ORDER = ["Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
         "Resource", "NotResource", "Condition"]
def canonical(value):
    # IAM's own key order first (Sid, Effect, Action, Resource, Condition), any other key after, sorted.
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
        return {k: canonical(value[k]) for k in keys}
    return [canonical(v) for v in value] if isinstance(value, list) else value
def text(listing):
    lines = []
    for row in open(listing).read().splitlines():
        kind, name, path = row.split("\t")
        lines.append("# %s policy %s" % (kind, name))
        lines.extend(json.dumps(canonical(load(path)), indent=2).splitlines())
    return lines
diff = list(difflib.unified_diff(text(sys.argv[1]), text(sys.argv[2]), sys.argv[3], sys.argv[4], lineterm="", n=3))
for line in diff:
    print(line)
if not diff:
    print("trailtrim-policy: no difference: the role holds exactly the suggestion", file=sys.stderr)
PY
    ;;

  check)
    keep_work=$dry_run
    if ((dry_run)); then
      echo "# would read the role's live policies with:"
      show_live_reads | sed 's/^/#   /'
      echo "# and check against them; here against the policies the run's snapshot saw (before/), in $work"
    else
      read_live
    fi
    current_side >"$work/current"
    suggested_side >"$work/suggested"
    # One document per side: check-no-new-access compares two policies, the role has several.
    python3 - "$work/current" "$work/existing.json" "$work/suggested" "$work/new.json" <<'PY'
import json, sys, urllib.parse
def load(path):
    value = json.load(open(path))
    return json.loads(urllib.parse.unquote(value)) if isinstance(value, str) else value
for listing, target in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    statements = []
    for row in open(listing).read().splitlines():
        statement = load(row.split("\t")[2]).get("Statement", [])
        for s in statement if isinstance(statement, list) else [statement]:
            s = dict(s)
            s.pop("Sid", None)  # Sids of different policies may repeat
            statements.append(s)
    json.dump({"Version": "2012-10-17", "Statement": statements}, open(target, "w"), indent=2)
PY
    status=0
    while IFS=$'\t' read -r _ name file; do
      ((dry_run)) || echo "trailtrim-policy: validate-policy on $name ($(basename "$file")):"
      findings=$(run accessanalyzer validate-policy --policy-type IDENTITY_POLICY --policy-document "file://$file" \
        --query 'findings[].[findingType,issueCode,findingDetails]' --output text)
      if ((dry_run)); then
        echo "$findings"
      elif [[ -z $findings ]]; then
        echo "  no findings"
      else
        echo "$findings" | sed 's/^/  /'
        if grep -qE '^(ERROR|SECURITY_WARNING)' <<<"$findings"; then
          status=1
        fi
      fi
    done <"$work/suggested"
    ((dry_run)) || echo "trailtrim-policy: check-no-new-access of the suggestion against the role's live policies:"
    verdict=$(run accessanalyzer check-no-new-access --policy-type IDENTITY_POLICY \
      --existing-policy-document "file://$work/existing.json" --new-policy-document "file://$work/new.json" \
      --query '[result,message]' --output text)
    if ((dry_run)); then
      echo "$verdict"
    else
      echo "  $verdict"
      [[ $verdict == PASS* ]] || status=1
    fi
    exit $status
    ;;

  apply | rollback)
    script=$([[ $command == apply ]] && echo apply.sh || echo rollback.sh)
    flags=()
    ((yes)) && flags+=(--yes)
    if ((dry_run)); then
      [[ $output == s3://* ]] && keep_work=1
      line="bash $(quote_word "$plan_dir/$script")"
      for word in ${flags[@]+"${flags[@]}"} ${aws_options[@]+"${aws_options[@]}"}; do
        line="$line $(quote_word "$word")"
      done
      echo "$line"
    else
      bash "$plan_dir/$script" ${flags[@]+"${flags[@]}"} ${aws_options[@]+"${aws_options[@]}"}
    fi
    ;;
esac
