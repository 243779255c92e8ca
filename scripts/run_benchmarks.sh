#!/usr/bin/env bash
# SARK's local benchmark run: Criterion benches of the Rust crates, the Node
# comparisons (sark-cache vs Redis vs lru-cache, sark-opa vs OPA over HTTP) and
# the addon's memory-leak tests, merged into one results file and reported
# against bench.claims.json.
#   scripts/run_benchmarks.sh             everything, full length
#   scripts/run_benchmarks.sh --quick     everything, short (Criterion 0.2 s warm-up / 0.5 s measurement, fewer Node samples)
#   scripts/run_benchmarks.sh --rust-only only cargo bench
#   scripts/run_benchmarks.sh --node-only only the Node comparisons and memory tests
#   scripts/run_benchmarks.sh --memory    only the memory tests (add --soak for 1,000,000 operations each)
#   scripts/run_benchmarks.sh --instructions  also the gungraun benches (instruction counts under Valgrind)
# Env: REDIS_URL / OPA_URL use running servers instead of starting redis-server /
# opa on 127.0.0.1. Writes reports/performance/benchmark_<ts>.json,
# benchmark_report_<ts>.md, latest_benchmark_report.md and criterion_<ts>/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

quick=false rust=true node=true memory=true soak=false instructions=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --rust-only) node=false memory=false ;;
    --node-only) rust=false ;;
    --memory) rust=false node=false ;;
    --soak) soak=true ;;
    --instructions) instructions=true ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_benchmarks.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$rust" = false ] && [ "$node" = false ] && [ "$memory" = false ]; then
  echo "run_benchmarks.sh: --rust-only excludes --node-only and --memory; pick one" >&2
  exit 2
fi

ts="$(date +%Y%m%d_%H%M%S)"
out="$repo/reports/performance"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
started=$SECONDS
current_step=""

step() {
  current_step="$1"
  printf '\n==> %s (%ds)\n' "$1" $((SECONDS - started))
}
fail() {
  echo "run_benchmarks.sh: step '$current_step' failed${1:+: $1}; no report written" >&2
  exit 1
}
# `run CMD...`: the step fails with its name, never a half-empty report.
run() { "$@" || fail "'$*' exited with $?"; }

step "Installing npm dependencies"
run bash scripts/setup.sh

if [ "$node" = true ] || [ "$memory" = true ]; then
  step "Building the sark-node addon (napi build, profile addon)"
  addon="native/sark-node/sark-node.$(node -p 'process.platform + "-" + process.arch')-gnu.node"
  newest_src="$(find native/sark-node/src native/sark-node/Cargo.toml native/sark-cache/src native/sark-opa/src -newer "$addon" -print -quit 2>/dev/null || true)"
  if [ ! -f "$addon" ] || [ -n "$newest_src" ]; then
    (cd native/sark-node && run npx napi build --platform --profile addon --target-dir "$repo/native/target")
  else
    echo "up to date: $addon"
  fi
fi

if [ "$node" = true ]; then
  step "Redis and OPA for the comparisons"
  if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      run apt-get install -y -q redis-server >/dev/null
    else
      fail "redis-server not found: apt-get install -y redis-server, or set REDIS_URL"
    fi
  fi
  if [ -z "${OPA_URL:-}" ]; then
    # No OPA is not fatal: the Node suite falls back to sark-opa serve and records why.
    if opa_bin="$(bash scripts/install_opa.sh 2>"$work/opa.err")"; then
      export OPA_BIN="$opa_bin"
    else
      echo "OPA unavailable ($(tail -n 1 "$work/opa.err")); the policy comparison will use sark-opa serve" >&2
    fi
  fi
fi

inputs=()
if [ "$rust" = true ]; then
  step "cargo bench (Criterion, $([ "$quick" = true ] && echo quick || echo full))"
  export CRITERION_HOME="$work/criterion"
  criterion_flags=()
  [ "$quick" = true ] && criterion_flags=(--warm-up-time 0.2 --measurement-time 0.5 --sample-size 20)
  (cd native && run cargo bench --bench '*_benchmarks' -- "${criterion_flags[@]}")
  [ -d "$CRITERION_HOME" ] || fail "cargo bench wrote nothing to $CRITERION_HOME"
  inputs+=("$CRITERION_HOME")
fi

if [ "$instructions" = true ]; then
  step "cargo bench (gungraun: instruction counts under Valgrind)"
  command -v valgrind >/dev/null 2>&1 || fail "valgrind is not installed (scripts/setup.sh installs it)"
  command -v gungraun-runner >/dev/null 2>&1 || fail "gungraun-runner is not installed (scripts/setup.sh installs the locked version)"
  (cd native && GUNGRAUN_HOME="$work/gungraun" run cargo bench --bench '*_instructions' -- --save-summary=json)
  inputs+=("$work/gungraun")
fi

quick_flag=()
[ "$quick" = true ] && quick_flag=(--quick)

if [ "$node" = true ]; then
  step "Node comparisons (tinybench)"
  run node --import tsx native/sark-node/node-suite/node_bench.ts "${quick_flag[@]}" -o "$work/node.json"
  inputs+=("$work/node.json")
fi

memory_failed=false
if [ "$memory" = true ]; then
  step "Memory-leak tests (node --expose-gc)"
  soak_flag=()
  [ "$soak" = true ] && soak_flag=(--soak)
  # A failed check is a result: it goes into the report, and the script exits 1 after writing it.
  node --expose-gc --import tsx native/sark-node/node-suite/memory.ts "${soak_flag[@]}" -o "$work/memory.json" || memory_failed=true
  [ -s "$work/memory.json" ] || fail "the memory tests wrote no results"
  inputs+=("$work/memory.json")
fi

step "Merging results and writing the report"
previous="$(ls -1 "$out"/benchmark_[0-9]*_[0-9]*.json 2>/dev/null | sort | tail -n 1 || true)"
results="$out/benchmark_$ts.json"
report="$out/benchmark_report_$ts.md"
run node dist/cli.js parse "${inputs[@]}" -o "$results"
run node dist/cli.js report "$results" --claims bench.claims.json -o "$report"
if [ -n "$previous" ]; then
  # The 10 older local runs are the base's history: their run-to-run spread keeps
  # this machine's drift from reading as regressions (as the action does with its baseline).
  # The third-party caches beside sark-cache measure this machine's drift between the runs.
  controls=()
  for glob in 'cache_*/moka' 'cache_*/moka/*' 'cache_*/quick_cache' 'cache_*/quick_cache/*' \
    'cache_*/lru_mutex' 'cache_*/lru_mutex/*' 'cache_*/dashmap' 'cache_*/dashmap/*'; do
    controls+=(--controls "$glob")
  done
  {
    printf '\n---\n\n## Compared with the previous run (%s)\n\n' "$(basename "$previous")"
    node dist/cli.js compare "$previous" "$results" --history-dir "$out" --history-match "benchmark_*.json" --history-count 10 "${controls[@]}" --no-fail || fail "compare against $previous"
  } >>"$report"
fi
cp "$report" "$out/latest_benchmark_report.md"
if [ "$rust" = true ]; then
  cp -r "$CRITERION_HOME" "$out/criterion_$ts"
fi

printf '\nDone in %ds.\n  results: %s\n  report:  %s\n' $((SECONDS - started)) "$results" "$report"
[ "$rust" = true ] && printf '  criterion HTML: %s\n' "$out/criterion_$ts/report/index.html"
grep -m1 -E 'claims? (met|failed|missing)|claim' "$report" || true
if [ "$memory_failed" = true ]; then
  echo "run_benchmarks.sh: the memory-leak tests failed (see the Checks table in $report)" >&2
  exit 1
fi
