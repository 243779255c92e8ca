#!/usr/bin/env bash
# Prints the medians of the last `cargo bench -p sark-cache` run as the README's two Markdown
# tables: time per operation for the single-threaded groups, throughput (M ops/s) for the
# concurrent ones; one column per cache, in the benchmarks' peer order.
# Usage: bench_table.sh [CRITERION_DIR]   (default: $CARGO_TARGET_DIR/criterion or ../target/criterion)
set -euo pipefail
crate="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-${CARGO_TARGET_DIR:-$crate/../target}/criterion}"
[[ -d "$dir" ]] || { echo "bench_table.sh: no Criterion output at $dir (run cargo bench -p sark-cache first, or pass the directory)" >&2; exit 2; }
peers=(sark_cache sark_cache_lru moka quick_cache lru_mutex dashmap)

# One line per measurement: row<TAB>peer<TAB>median ns<TAB>elements per iteration (or empty).
rows="$(find "$dir" -path '*/new/benchmark.json' | while read -r bj; do
  jq -r --slurpfile est "${bj%benchmark.json}estimates.json" '
    select(.group_id | startswith("cache_"))
    # BenchmarkId::from_parameter(peer) has no function id: the peer is the value.
    | [ (if .function_id and .value_str then "\(.group_id)/\(.value_str)" else .group_id end),
        .function_id // (.value_str // ""),
        ($est[0].median.point_estimate | tostring),
        ((.throughput.Elements // "") | tostring) ] | @tsv' "$bj"
done)"

table() { # $1 = "time" or "throughput", $2 = the first header cell
  printf '| %s |' "$2"; printf ' %s |' "${peers[@]}"; echo
  printf '|---'; printf '|---%.0s' "${peers[@]}"; echo '|'
  echo "$rows" | awk -F'\t' -v mode="$1" -v peers="${peers[*]}" '
    BEGIN { n = split(peers, p, " ") }
    { conc = ($1 ~ /concurrent/) }
    (mode == "time" && !conc) || (mode == "throughput" && conc) {
      if (mode == "time") v = ($3 >= 1000 ? sprintf("%.2f µs", $3 / 1000) : sprintf("%.1f ns", $3));
      else v = sprintf("%.2f", $4 / $3 * 1e3);
      cell[$1, $2] = v; if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 }
    }
    END {
      for (i = 1; i <= m; i++) {
        line = "| " order[i]
        for (j = 1; j <= n; j++) line = line " | " ((order[i], p[j]) in cell ? cell[order[i], p[j]] : "n/a")
        print line " |"
      }
    }' | sort -V
}
table time "group (median time per op)"
echo
table throughput "group (throughput, median, M ops/s)"
