#!/usr/bin/env bash
# Instructions per warm `get` under Valgrind's Callgrind, which counts instructions and so
# does not depend on machine load (wall time does). Builds examples/profile_get.rs in the
# `profiling` profile (release + line tables) and prints, for each PEER, the instructions per
# get; with --annotate, also the top functions of the last peer.
# Usage: callgrind.sh [--annotate] [PEER...]   (default: lru clock s3fifo quick_cache)
set -euo pipefail
annotate=false
if [[ "${1:-}" == "--annotate" ]]; then annotate=true; shift; fi
peers=("$@")
[[ ${#peers[@]} -gt 0 ]] || peers=(lru clock s3fifo quick_cache)
n=100000
native="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not found (Debian: apt-get install valgrind)" >&2; exit 2; }
(cd "$native" && cargo build -q --profile profiling -p sark-cache --example profile_get)
bin="${CARGO_TARGET_DIR:-$native/target}/profiling/examples/profile_get"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for peer in "${peers[@]}"; do
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" \
    --toggle-collect='profile_get::measured*' "$bin" "$peer" "$n" 2>"$out/log" >/dev/null \
    || { cat "$out/log" >&2; exit 1; }
  total="$(awk '/^summary:/ {print $2}' "$out/cg.out")"
  echo "$peer: $((total / n)) instructions per get ($total / $n)"
done
if $annotate; then
  callgrind_annotate --inclusive=yes "$out/cg.out" 2>/dev/null | sed -n '1,50p' | cut -c1-200
fi
