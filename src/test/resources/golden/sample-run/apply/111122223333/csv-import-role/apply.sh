#!/usr/bin/env bash
# trailtrim apply plan: replaces the role's policies with trailtrim's suggestion.
#
# First the suggestion goes on (so the role never holds less than it): suggested.json as one inline
# policy, or the suggested.part-N.json files as managed policies created and attached. Then the
# inline policies of before/ are deleted and its managed policies detached (never deleted: other
# roles may use them). The permissions boundary stays. rollback.sh undoes it.
#
# Reads the role first and skips what is already done, so running it again changes nothing.
# Without --yes it changes nothing and prints what it would do (reading the role needs only
# iam:List*/Get* permissions).
#
# Usage: bash apply.sh [--yes] [AWS CLI options such as --profile NAME, --region R, --endpoint-url URL]

role_arn='arn:aws:iam::111122223333:role/service-role/csv-import-role'
role_name='csv-import-role'
# The suggestion: one inline policy, or managed policies.
new_inline_name='trailtrim-least-privilege'
new_inline_file='suggested.json'
new_managed_names=()
new_managed_paths=()
new_managed_arns=()
new_managed_files=()
new_managed_descriptions=()
# What the role held (before/). The permissions boundary (none) is never touched.
old_inline_names=('csv-import')
old_inline_files=('before/inline-1.json')
old_managed_names=('AWSLambdaBasicExecutionRole')
old_managed_paths=('/service-role/')
old_managed_arns=('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')
old_managed_files=('before/managed-1.json')
old_managed_aws=('true')

set -euo pipefail
set -f  # names and ARNs are split on white space below, never expanded as globs
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
yes=false
aws_options=()
for argument in "$@"; do
  case "$argument" in
    --yes) yes=true ;;
    --help | -h) sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | cut -c3-; exit 0 ;;
    *) aws_options+=("$argument") ;;
  esac
done
changes=0

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

# An AWS CLI command as it can be pasted into a shell.
show() {
  local line=aws word
  for word in ${aws_options[@]+"${aws_options[@]}"} "$@"; do
    line="$line $(quote_word "$word")"
  done
  echo "    $line"
}

# Makes a change with --yes; without it, says what it would do.
change() {
  local what=$1
  shift
  changes=$((changes + 1))
  if $yes; then
    echo "trailtrim: $what"
    show "$@"
    aws_cli "$@" >/dev/null
  else
    echo "trailtrim: would $what"
    show "$@"
  fi
}

# A change that removes something: already gone (NoSuchEntity) counts as done.
remove() {
  local what=$1 error
  shift
  changes=$((changes + 1))
  if ! $yes; then
    echo "trailtrim: would $what"
    show "$@"
    return 0
  fi
  echo "trailtrim: $what"
  show "$@"
  if ! error=$(aws_cli "$@" 2>&1 >/dev/null); then
    case "$error" in
      *NoSuchEntity*) echo "trailtrim: already gone" ;;
      *) echo "$error" >&2; return 1 ;;
    esac
  fi
}

# Whether the first argument equals one of the others.
has() {
  local needle=$1 item
  shift
  for item in "$@"; do
    if [[ $item == "$needle" ]]; then
      return 0
    fi
  done
  return 1
}

# The role's inline policy names and attached policy ARNs (IAM names and ARNs hold no white space).
read_role() {
  local listing word
  live_inline=()
  live_attached=()
  listing=$(aws_cli iam list-role-policies --role-name "$role_name" --query 'PolicyNames[]' --output text)
  for word in $listing; do
    [[ $word == None ]] || live_inline+=("$word")
  done
  listing=$(aws_cli iam list-attached-role-policies --role-name "$role_name" \
    --query 'AttachedPolicies[].PolicyArn' --output text)
  for word in $listing; do
    [[ $word == None ]] || live_attached+=("$word")
  done
}

inline_document() {
  aws_cli iam get-role-policy --role-name "$role_name" --policy-name "$1" --query PolicyDocument --output json
}

managed_document() {
  local version
  version=$(aws_cli iam get-policy --policy-arn "$1" --query Policy.DefaultVersionId --output text)
  aws_cli iam get-policy-version --policy-arn "$1" --version-id "$version" --query PolicyVersion.Document \
    --output json
}

# Whether a managed policy exists; any error but NoSuchEntity stops the script.
policy_exists() {
  local error
  if error=$(aws_cli iam get-policy --policy-arn "$1" 2>&1 >/dev/null); then
    return 0
  fi
  case "$error" in
    *NoSuchEntity*) return 1 ;;
    *) echo "$error" >&2; exit 1 ;;
  esac
}

# Whether the document IAM returned (stdin) equals the file's. Without python3 they count as
# different: the document is put again, which changes nothing.
same_document() {
  if ! command -v python3 >/dev/null 2>&1; then
    cat >/dev/null
    return 1
  fi
  python3 -c '
import json, sys, urllib.parse
def load(text):
    value = json.loads(text)
    return json.loads(urllib.parse.unquote(value)) if isinstance(value, str) else value
try:
    same = load(sys.stdin.read()) == load(open(sys.argv[1]).read())
except ValueError:
    same = False
sys.exit(0 if same else 1)
' "$1"
}

# Makes a file the default version of a managed policy; IAM keeps five versions, so the
# oldest goes first when it has five.
set_default_document() {
  local arn=$1 file=$2 versions word count=0 oldest=""
  versions=$(aws_cli iam list-policy-versions --policy-arn "$arn" \
    --query 'Versions[?!IsDefaultVersion].VersionId' --output text)
  for word in $versions; do
    [[ $word == None ]] && continue
    count=$((count + 1))
    if [[ -z $oldest || ${word#v} -lt ${oldest#v} ]]; then
      oldest=$word
    fi
  done
  if [[ $count -ge 4 ]]; then
    remove "delete version $oldest of $arn (IAM keeps five)" iam delete-policy-version --policy-arn "$arn" \
      --version-id "$oldest"
  fi
  change "make $file the default version of $arn" iam create-policy-version --policy-arn "$arn" \
    --policy-document "file://$here/$file" --set-as-default
}

finish() {
  if [[ $changes -eq 0 ]]; then
    echo "trailtrim: nothing to change"
  elif $yes; then
    echo "trailtrim: done, $changes changes"
  else
    echo "trailtrim: $changes changes to make; run again with --yes to make them"
  fi
}

echo "trailtrim: apply plan for $role_arn"
$yes || echo "trailtrim: dry run: nothing changes without --yes"
read_role

# 1. The suggestion goes on first, so the role never holds less than it.
if [[ -n $new_inline_name ]]; then
  if has "$new_inline_name" ${live_inline[@]+"${live_inline[@]}"} \
    && inline_document "$new_inline_name" | same_document "$here/$new_inline_file"; then
    echo "trailtrim: inline policy $new_inline_name already holds $new_inline_file"
  else
    change "put $new_inline_file as inline policy $new_inline_name" iam put-role-policy --role-name "$role_name" \
      --policy-name "$new_inline_name" --policy-document "file://$here/$new_inline_file"
  fi
fi
for ((i = 0; i < ${#new_managed_arns[@]}; i++)); do
  arn=${new_managed_arns[i]}
  file=${new_managed_files[i]}
  if ! policy_exists "$arn"; then
    change "create managed policy $arn from $file" iam create-policy --policy-name "${new_managed_names[i]}" \
      --path "${new_managed_paths[i]}" --policy-document "file://$here/$file" \
      --description "${new_managed_descriptions[i]}"
  elif managed_document "$arn" | same_document "$here/$file"; then
    echo "trailtrim: managed policy $arn already holds $file"
  else
    set_default_document "$arn" "$file"
  fi
  if has "$arn" ${live_attached[@]+"${live_attached[@]}"}; then
    echo "trailtrim: $arn is already attached"
  else
    change "attach $arn" iam attach-role-policy --role-name "$role_name" --policy-arn "$arn"
  fi
done

# 2. Then what it replaces comes off.
for ((i = 0; i < ${#old_inline_names[@]}; i++)); do
  name=${old_inline_names[i]}
  if [[ $name == "$new_inline_name" ]]; then
    continue
  elif has "$name" ${live_inline[@]+"${live_inline[@]}"}; then
    remove "delete inline policy $name" iam delete-role-policy --role-name "$role_name" --policy-name "$name"
  else
    echo "trailtrim: inline policy $name is already gone"
  fi
done
for ((i = 0; i < ${#old_managed_arns[@]}; i++)); do
  arn=${old_managed_arns[i]}
  if has "$arn" ${new_managed_arns[@]+"${new_managed_arns[@]}"}; then
    continue
  elif has "$arn" ${live_attached[@]+"${live_attached[@]}"}; then
    remove "detach $arn" iam detach-role-policy --role-name "$role_name" --policy-arn "$arn"
  else
    echo "trailtrim: $arn is already detached"
  fi
done

# 3. What the plan does not know (added after the snapshot) stays, and is named.
for name in ${live_inline[@]+"${live_inline[@]}"}; do
  if [[ $name != "$new_inline_name" ]] && ! has "$name" ${old_inline_names[@]+"${old_inline_names[@]}"}; then
    echo "trailtrim: warning: inline policy $name is not in before/ (added after the snapshot?); left as it is"
  fi
done
for arn in ${live_attached[@]+"${live_attached[@]}"}; do
  if ! has "$arn" ${old_managed_arns[@]+"${old_managed_arns[@]}"} ${new_managed_arns[@]+"${new_managed_arns[@]}"}; then
    echo "trailtrim: warning: $arn is not in before/ (attached after the snapshot?); left attached"
  fi
done
finish
