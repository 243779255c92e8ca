#!/usr/bin/env bash
# Instructions per evaluation under Valgrind's Callgrind, which counts instructions and so
# does not depend on machine load (wall time does). Builds examples/profile_eval.rs in the
# `profiling` profile (release + line tables), runs RULE N times and prints the instruction
# count per evaluation; with --annotate, also the top functions (inclusive and self).
# Usage: callgrind.sh [--annotate] [RULE [N [CASE]]]
set -euo pipefail
annotate=false
if [[ "${1:-}" == "--annotate" ]]; then annotate=true; shift; fi
rule="${1:-data.sark.authz.decision}"
n="${2:-200}"
case="${3:-developer_high_allowed}"
native="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not found (Debian: apt-get install valgrind)" >&2; exit 2; }
(cd "$native" && cargo build -q --profile profiling -p sark-opa --example profile_eval)
bin="${CARGO_TARGET_DIR:-$native/target}/profiling/examples/profile_eval"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" \
  --toggle-collect='profile_eval::measured*' "$bin" "$rule" "$n" "$case" 2>"$out/log" >/dev/null \
  || { cat "$out/log" >&2; exit 1; }
total="$(awk '/^summary:/ {print $2}' "$out/cg.out")"
echo "$rule ($case): $((total / n)) instructions per evaluation ($total / $n)"
if $annotate; then
  callgrind_annotate --inclusive=yes "$out/cg.out" 2>/dev/null | sed -n '1,60p' | cut -c1-200
  echo "--- self ---"
  callgrind_annotate "$out/cg.out" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n '1,45p' | cut -c1-200
  if [[ -n "${KEEP:-}" ]]; then cp "$out/cg.out" "$KEEP"; fi
fi
