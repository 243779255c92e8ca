#!/usr/bin/env bash
# The same evaluations as opa_simple_policy and opa_complex_policy, timed by the real OPA
# (`opa bench`, in-process Go evaluation with a prepared query) for the README's reference
# column. Prints "name ns_per_op eval_median_ns" lines: the mean wall time per iteration
# (T/N) and OPA's own median query-eval timer, each the middle of --count 3 runs.
# Needs jq and Go (via scripts/install_opa.sh).
set -euo pipefail

crate="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$crate/../.." && pwd)"
opa="${OPA_BIN:-$("$repo/scripts/install_opa.sh")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Same inputs as benches/opa_benchmarks.rs.
echo '{"user": {"id": "alice", "roles": ["developer"]}, "action": "tool:invoke"}' >"$work/simple.json"
jq '.input' "$crate/fixtures/cases/developer_high_allowed.json" >"$work/complex.json"
mkdir "$work/complex_policies"
cp "$crate/policies/data.json" "$work/complex_policies/"
for f in "$crate"/policies/*.rego; do
  [[ "$f" == *_test.rego ]] || cp "$f" "$work/complex_policies/"
done

bench() { # name input query policy-path...
  local name="$1" input="$2" query="$3"; shift 3
  local args=()
  for p in "$@"; do args+=(-d "$p"); done
  "$opa" bench --format json --count 3 "${args[@]}" -i "$input" "$query" | jq -rs --arg name "$name" '
    def mid(f): map(f) | sort | .[length / 2 | floor] | floor;
    "\($name) \(mid(.T / .N)) \(mid(.Extra["histogram_timer_rego_query_eval_ns_median"]))"' 
}

bench opa_simple_policy "$work/simple.json" data.sark.simple.allow "$crate/policies/simple.rego"
bench opa_complex_policy "$work/complex.json" data.sark.authz.decision "$work/complex_policies"
