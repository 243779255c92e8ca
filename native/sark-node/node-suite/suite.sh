#!/usr/bin/env bash
# The whole Node suite as one command, for the Action's node-bench-command
# (`npm run bench:node`): builds the addon when it is missing, runs the
# comparisons and the memory tests, and merges both into one results file at
# $BENCH_ACTION_OUTPUT (default reports/performance/node_suite.json).
# Arguments go to the comparisons (--quick); BENCH_ACTION_QUICK=1 works too.
# A failed memory check is recorded in the results (the claims show it), not
# turned into a failed command that would lose every other figure.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="${BENCH_ACTION_OUTPUT:-reports/performance/node_suite.json}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if ! ls native/sark-node/sark-node.*.node >/dev/null 2>&1; then
  npm run --silent build:addon
fi
node --import tsx native/sark-node/node-suite/node_bench.ts -o "$tmp/node.json" "$@"
if ! node --expose-gc --import tsx native/sark-node/node-suite/memory.ts -o "$tmp/memory.json"; then
  [ -s "$tmp/memory.json" ] || { echo "node suite: the memory tests failed before writing results" >&2; exit 1; }
  echo "node suite: a memory check failed; it is in the results" >&2
fi
mkdir -p "$(dirname "$out")"
node dist/cli.js parse "$tmp/node.json" "$tmp/memory.json" -o "$out"
