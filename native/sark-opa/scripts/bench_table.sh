#!/usr/bin/env bash
# Prints the Criterion medians of the last `cargo bench -p sark-opa` run as a Markdown table.
# Usage: bench_table.sh [CRITERION_DIR]   (default: $CARGO_TARGET_DIR/criterion or ../target/criterion)
set -euo pipefail
crate="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-${CARGO_TARGET_DIR:-$crate/../target}/criterion}"

echo "| benchmark | median | 95% CI of median | throughput (median) |"
echo "|---|---|---|---|"
find "$dir" -path '*/new/estimates.json' | sort -V | while read -r est; do
  id="$(jq -r '.full_id // empty' "${est%estimates.json}benchmark.json")"
  elements="$(jq -r '.throughput.Elements // empty' "${est%estimates.json}benchmark.json")"
  jq -r --arg id "$id" --arg el "$elements" '
    def human: if . >= 1e6 then "\(. / 1e6 * 100 | round / 100) ms"
               elif . >= 1e3 then "\(. / 1e3 * 100 | round / 100) µs"
               else "\(. * 100 | round / 100) ns" end;
    .median as $m
    | "| \($id) | \($m.point_estimate | human) | \($m.confidence_interval.lower_bound | human) – \($m.confidence_interval.upper_bound | human) | "
      + (if $el == "" then "" else "\(($el | tonumber) / $m.point_estimate * 1e9 | round) elem/s" end) + " |"
  ' "$est"
done
