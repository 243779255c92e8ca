#!/usr/bin/env bash
# Records the instruction-count corpus: repeated runs of this project's gungraun
# benches (sark-cache and sark-opa, Valgrind) on this machine, and runs of two
# real code changes, under evaluation/verdicts/corpus-instructions/; then
# `npm run bench:verdicts` judges them beside the wall-time corpus.
#
#   evaluation/verdicts/record-instructions.sh [--runs 6] [--changed-runs 3] [--out DIR]
#
# Unchanged runs: the whole gungraun suite of native/ (`*_instructions`).
# Changed runs: sark-cache's suite built with the cargo feature
# `inject-slowdown` (the change the Criterion corpus holds) and with
# `inject-small-slowdown` (about 2% of a get's instructions); both change the
# three benches that call `get` (warm hit, miss, 100K entries) and no other.
# Cost: each run's wall time, and one Criterion quick run of the same crates
# (0.2 s warm-up, 0.5 s measurement, 20 samples) for comparison.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=6
changed_runs=3
out=evaluation/verdicts/corpus-instructions
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --changed-runs) changed_runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "record-instructions.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "record-instructions.sh: valgrind is not installed (scripts/setup.sh)" >&2; exit 2; }
command -v gungraun-runner >/dev/null || { echo "record-instructions.sh: gungraun-runner is not installed (scripts/setup.sh)" >&2; exit 2; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out/runs" "$out/changed"
rm -f "$out"/runs/*.json.gz "$out"/changed/*.json.gz

record() { # record <gungraun-home> <target .json.gz>
  node dist/cli.js parse "$1" -o "$1.json"
  npx --no-install tsx evaluation/verdicts/compact.ts "$1.json" "$2"
}
seconds() { # seconds <command...>: runs it, prints its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$start $end" | awk '{printf "%.1f", $2 - $1}'
}
suite() { (cd native && GUNGRAUN_HOME="$1" cargo bench --workspace --bench '*_instructions' --quiet -- --save-summary=json); }
cache_suite() { (cd native && GUNGRAUN_HOME="$1" cargo bench -p sark-cache --bench cache_instructions --features "$2" --quiet -- --save-summary=json); }

(cd native && cargo bench --workspace --bench '*_instructions' --no-run --quiet)
times=()
for i in $(seq -w 1 "$runs"); do
  echo "run $i/$runs (load $(cut -d' ' -f1 /proc/loadavg))"
  times+=("$(seconds suite "$scratch/run-$i")")
  record "$scratch/run-$i" "$out/runs/run-$i.json.gz"
done
for feature in inject-slowdown inject-small-slowdown; do
  (cd native && cargo bench -p sark-cache --bench cache_instructions --features "$feature" --no-run --quiet)
  for i in $(seq -w 1 "$changed_runs"); do
    echo "$feature run $i/$changed_runs"
    cache_suite "$scratch/$feature-$i" "$feature" >/dev/null
    record "$scratch/$feature-$i" "$out/changed/$feature-$i.json.gz"
  done
done

(cd native && cargo bench --workspace --bench '*_benchmarks' --no-run --quiet)
criterion_seconds=$(seconds bash -c "cd native && CRITERION_HOME='$scratch/criterion' cargo bench --workspace --bench '*_benchmarks' --quiet -- --warm-up-time 0.2 --measurement-time 0.5 --sample-size 20 --noplot")

cpu=$(node -e "console.log(require('os').cpus()[0].model.trim() + ', ' + require('os').cpus().length + ' cores')")
cat > "$out/meta.json" <<JSON
{
  "provenance": "Recorded $(date -u +%Y-%m-%d) by evaluation/verdicts/record-instructions.sh on $cpu (a shared VM, load $(cut -d' ' -f1 /proc/loadavg) at the end), commit $(git rev-parse --short HEAD), $(valgrind --version), $(gungraun-runner --version): $runs runs of every gungraun bench in native/, and $changed_runs runs each of sark-cache's suite built with inject-slowdown and with inject-small-slowdown.",
  "changed": ["cache_instructions/cache_get_warm/sark_cache.hit", "cache_instructions/cache_get_miss/sark_cache.miss", "cache_instructions/cache_scaling_get/sark_cache.entries_100k"],
  "suiteSeconds": [$(IFS=,; echo "${times[*]}")],
  "criterionQuickSeconds": $criterion_seconds
}
JSON
echo "Corpus written to $out; evaluate it with: npm run bench:verdicts"
