#!/usr/bin/env bash
# Records the verdict-quality corpus: repeated runs of this project's own
# Criterion benchmarks on this machine, stored compactly under
# evaluation/verdicts/corpus/, then `npm run bench:verdicts` judges them.
#
#   evaluation/verdicts/record.sh [--runs 10] [--changed-runs 5] [--out DIR]
#
# Runs are sequential on one build; the "changed" runs enable the cargo
# feature `inject-slowdown` of sark-cache's benchmarks, a real code change
# that slows one benchmark (cache_get_warm/sark_cache).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=10
changed_runs=5
out=evaluation/verdicts/corpus
criterion_args=(--warm-up-time 0.2 --measurement-time 0.5 --sample-size 30 --noplot)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --changed-runs) changed_runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "record.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

changed_benchmark='cache_get_warm/sark_cache'
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out/runs" "$out/changed"
rm -f "$out"/runs/*.json.gz "$out"/changed/*.json.gz

record() { # record <criterion-home> <target .json.gz>
  node dist/cli.js parse "$1" -o "$1.json"
  npx --no-install tsx evaluation/verdicts/compact.ts "$1.json" "$2"
}

(cd native && cargo bench --workspace --bench '*_benchmarks' --no-run --quiet)
for i in $(seq -w 1 "$runs"); do
  echo "run $i/$runs"
  (cd native && CRITERION_HOME="$scratch/run-$i" cargo bench --workspace --bench '*_benchmarks' --quiet -- "${criterion_args[@]}" >/dev/null)
  record "$scratch/run-$i" "$out/runs/run-$i.json.gz"
done
for i in $(seq -w 1 "$changed_runs"); do
  echo "changed run $i/$changed_runs"
  (cd native && CRITERION_HOME="$scratch/changed-$i" cargo bench -p sark-cache --bench cache_benchmarks --features inject-slowdown --quiet -- "${criterion_args[@]}" "^cache_get_warm/sark_cache\$" >/dev/null)
  record "$scratch/changed-$i" "$out/changed/changed-$i.json.gz"
done

cpu=$(node -e "console.log(require('os').cpus()[0].model.trim() + ', ' + require('os').cpus().length + ' cores')")
cat > "$out/meta.json" <<JSON
{
  "provenance": "Recorded $(date -u +%Y-%m-%d) by evaluation/verdicts/record.sh on $cpu (a shared VM), commit $(git rev-parse --short HEAD): $runs runs of every Criterion benchmark in native/ (criterion ${criterion_args[*]}), and $changed_runs runs of $changed_benchmark built with the inject-slowdown feature.",
  "changedBenchmark": "$changed_benchmark"
}
JSON
echo "Corpus written to $out; evaluate it with: npm run bench:verdicts"
