#!/usr/bin/env bash
# How much of the unsharded wall time the longest of n balanced shards takes,
# on SARK's Criterion suite with the quick settings of
# `scripts/run_benchmarks.sh --quick`. The whole suite runs once (its results
# are the baseline the plan balances by, as a shard job's baseline would be),
# then each shard's `cargo bench -- <filter>` runs one after another; the bench
# binaries are built first, outside every timing. docs/benchmarks.md records
# the figures.
#   evaluation/shard-balance.sh [N] [FILTER]   N shards (default 4); FILTER: a
#                                          Criterion regex selecting a subset
# Env: BENCH_TARGETS (default '*_benchmarks'), e.g. cache_benchmarks for
# sark-cache's suite alone. BENCH_BINS="crate-dir:binary ..." runs built bench
# binaries directly (as cargo does: cwd the crate, --bench) and skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-4}"
subset="${2:-}"
flags=(--warm-up-time 0.2 --measurement-time 0.5 --sample-size 20)
targets="${BENCH_TARGETS:-*_benchmarks}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
bench() { # bench CRITERION_HOME [FILTER]: one timed cargo bench, prints seconds
  local start end
  start="$(now)"
  if [ -n "${BENCH_BINS:-}" ]; then
    for pair in $BENCH_BINS; do
      (cd "native/${pair%%:*}" && CRITERION_HOME="$1" "${pair#*:}" --bench "${flags[@]}" ${2:+"$2"} >>"$1.log" 2>&1) || { tail -20 "$1.log" >&2; exit 1; }
    done
  else
    (cd native && CRITERION_HOME="$1" cargo bench --bench "$targets" -q -- "${flags[@]}" ${2:+"$2"} >"$1.log" 2>&1) || { tail -20 "$1.log" >&2; exit 1; }
  fi
  end="$(now)"
  echo "$end - $start" | bc
}

[ -n "${BENCH_BINS:-}" ] || (cd native && cargo bench --bench "$targets" --no-run -q) >/dev/null 2>&1
echo "load average before: $(load)"
whole="$(bench "$work/whole" "$subset")"
node dist/cli.js parse "$work/whole" -o "$work/whole.json" 2>/dev/null
count="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).benchmarks.length)' "$work/whole.json")"
echo "unsharded: $count benchmarks in ${whole} s (load $(load))"
longest=0
for i in $(seq 1 "$n"); do
  filter="$(node dist/cli.js shard --plan "$i/$n" "$work/whole.json" --output-format json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).filter))')"
  ids="$(node dist/cli.js shard --plan "$i/$n" "$work/whole.json" --output-format json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).ids.length))')"
  took="$(bench "$work/shard-$i" "$filter")"
  echo "shard $i/$n: $ids benchmarks in ${took} s (load $(load))"
  longest="$(echo "if ($took > $longest) $took else $longest" | bc)"
done
echo "longest shard / unsharded: $(echo "scale=3; $longest / $whole" | bc)"
