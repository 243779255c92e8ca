#!/usr/bin/env bash
# Cross-checks `sark-opa eval` against the real `opa eval --format json` on every fixture
# case and query, and checks each case's recorded expectations against OPA itself.
# Exits non-zero on any difference. Needs jq and Go (for OPA, via scripts/install_opa.sh);
# set SARK_OPA_BIN to skip the cargo build, OPA_BIN to use an existing opa.
set -euo pipefail

crate="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$crate/../.." && pwd)"
policies="$crate/policies"
fixtures="$crate/fixtures"

opa="${OPA_BIN:-$("$repo/scripts/install_opa.sh")}"
if [[ -z "${SARK_OPA_BIN:-}" ]]; then
  (cd "$crate/.." && cargo build --quiet -p sark-opa --bin sark-opa)
  target="${CARGO_TARGET_DIR:-$crate/../target}"
  SARK_OPA_BIN="$target/debug/sark-opa"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

# OPA and sark-opa agree on the result shape; `location` is dropped because it only echoes
# the query text position.
normalize() { jq -S 'del(.result[]?.expressions[]?.location)' ; }

compare() { # name query input [extra flags...]
  local name="$1" query="$2" input="$3"; shift 3
  checks=$((checks + 1))
  "$opa" eval --format json "$@" -i "$input" "$query" | normalize >"$work/opa.json"
  "$SARK_OPA_BIN" eval "$@" -i "$input" "$query" | normalize >"$work/sark.json"
  if ! diff -u "$work/opa.json" "$work/sark.json" >"$work/diff"; then
    echo "DIFF $name: $query"; cat "$work/diff"; failures=$((failures + 1))
  fi
}

while IFS= read -r query; do queries+=("$query"); done < <(grep -v '^\s*$' "$fixtures/queries.txt")

for case in "$fixtures"/cases/*.json; do
  name="$(basename "$case" .json)"
  jq '.input' "$case" >"$work/input.json"
  for query in "${queries[@]}"; do
    compare "$name" "$query" "$work/input.json" -d "$policies"
  done
  # The recorded expectations (also asserted by the Rust tests) must be OPA's answers.
  while IFS= read -r query; do
    checks=$((checks + 1))
    expected="$(jq -c --arg q "$query" '.expect[$q]' "$case")"
    if ! "$opa" eval --format json -d "$policies" -i "$work/input.json" "$query" \
        | jq -e --argjson want "$expected" '.result[0].expressions[0].value == $want' >/dev/null; then
      echo "EXPECT $name: $query: opa does not give $expected"; failures=$((failures + 1))
    fi
  done < <(jq -r '.expect | keys[]' "$case")
  while IFS= read -r query; do
    checks=$((checks + 1))
    if [[ "$("$opa" eval --format json -d "$policies" -i "$work/input.json" "$query" | jq -c .)" != "{}" ]]; then
      echo "UNDEFINED $name: $query is defined under opa"; failures=$((failures + 1))
    fi
  done < <(jq -r '.undefined // [] | .[]' "$case")
done

for query in data.legacy.authz.allow data.legacy.authz.denials data.legacy.authz; do
  compare v0 "$query" "$fixtures/v0/input.json" --v0-compatible -d "$fixtures/v0"
done

echo "crosscheck: $checks checks, $failures differences (opa $("$opa" version | awk '/^Version/ {print $2}'))"
[[ "$failures" -eq 0 ]]
