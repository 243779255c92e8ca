#!/usr/bin/env bash
# Records the evaluation of instruction counts on public crates' plain Criterion
# benches (docs/verdicts.md): per crate, test/valgrind/criterion-counts-e2e.test.ts
# runs the bundled action end to end against the loopback GitHub (two pushes of
# the crate as published, then a pull request with one injected change) and
# writes evaluation/verdicts/criterion-counts/<crate>.json, from which
# `npm run bench:verdicts` renders the section's table.
#
#   evaluation/verdicts/record-criterion-counts.sh [ryu] [unicode-xid] [anes]
#
# The crate comes from crates.io through `cargo vendor` (nothing of it is
# changed but the injected line of the pull request). BENCH_COUNTS_TARGET_ROOT
# (default: a temporary directory) holds one cargo target directory per crate,
# kept between recordings so Criterion builds once. Needs Valgrind and the
# bundle (npm run bundle).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=evaluation/verdicts/criterion-counts
crates=("$@")
[ ${#crates[@]} -eq 0 ] && crates=(ryu unicode-xid anes)
case "${crates[0]}" in -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
command -v valgrind >/dev/null || { echo "record-criterion-counts.sh: valgrind is not installed (scripts/setup.sh)" >&2; exit 2; }
targets=${BENCH_COUNTS_TARGET_ROOT:-${TMPDIR:-/tmp}/bench-counts-eval}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

vendor() { # vendor <name> <version>: the published package's files, in $scratch/<name>
  mkdir -p "$scratch/fetch-$1/src"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n' "$1" "$2" \
    > "$scratch/fetch-$1/Cargo.toml"
  touch "$scratch/fetch-$1/src/lib.rs"
  (cd "$scratch/fetch-$1" && cargo vendor --versioned-dirs --quiet vendor >/dev/null)
  cp -r "$scratch/fetch-$1/vendor/$1-$2" "$scratch/$1"
  rm -f "$scratch/$1/.cargo-checksum.json"
}

record() { # record <name> <version>, with the BENCH_COUNTS_* of the crate exported
  echo "recording $1 $2: start $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  BENCH_COUNTS_CRATE="$scratch/$1" BENCH_COUNTS_TARGET="$targets/$1" BENCH_COUNTS_REPORT="$here/$1.json" \
    BENCH_COUNTS_INPUTS=${BENCH_COUNTS_INPUTS:-'{"confirm":"false"}'} node scripts/test.mjs test/valgrind/criterion-counts-e2e.test.ts
  echo "recording $1 $2: end $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

inject() { # inject <id expected to fail> <ids the change is on (JSON)> <file> <line after which> <inserted line> <description>
  export BENCH_COUNTS_EXPECT=$1 BENCH_COUNTS_TOUCHED=$2 BENCH_COUNTS_CHANGE
  BENCH_COUNTS_CHANGE=$(python3 -c 'import json, sys; f, a, i, d = sys.argv[1:]; print(json.dumps({"file": f, "from": a, "to": a + i, "description": d}))' "${@:3}")
}

for crate in "${crates[@]}"; do
  unset BENCH_COUNTS_LOCK_NOTE
  case "$crate" in
    ryu)
      vendor ryu 1.0.23
      inject 'f64[e]/ryu' '["f64[0]/ryu","f64[short]/ryu","f64[e]/ryu","f64[max]/ryu"]' src/d2s.rs \
        $'pub fn d2d(ieee_mantissa: u64, ieee_exponent: u32) -> FloatingDecimal64 {\n' \
        $'    for i in 0..5u32 { core::hint::black_box(i); }\n' \
        '`d2d` (the f64 shortest representation): 5 `black_box` calls at its start'
      record ryu 1.0.23
      ;;
    unicode-xid)
      vendor unicode-xid 0.2.6
      # It ships no Cargo.lock (its .gitignore ignores one): the lock the action's build would generate, kept here.
      cp "$here/unicode-xid-0.2.6.Cargo.lock" "$scratch/unicode-xid/Cargo.lock"
      export BENCH_COUNTS_LOCK_NOTE="the package ships no Cargo.lock: $here/unicode-xid-0.2.6.Cargo.lock, made by cargo generate-lockfile"
      inject 'UnicodeXID/is_xid_continue/unicode' '["UnicodeXID/is_xid_continue/unicode"]' src/tables.rs \
        $'    pub fn XID_Continue(c: char) -> bool {\n' \
        $'        core::hint::spin_loop();\n' \
        '`XID_Continue` (the table lookup behind `is_xid_continue` for non-ASCII chars): one `core::hint::spin_loop()` at its start, a single `pause` instruction a call, the smallest step in a crate that forbids `unsafe`'
      record unicode-xid 0.2.6
      ;;
    anes)
      # Cargo.lock locks Criterion 0.3.0, which writes its results outside CRITERION_HOME (src/run/stray-criterion.ts).
      vendor anes 0.1.6
      export BENCH_COUNTS_CHANGE BENCH_COUNTS_EXPECT='advance and consume' \
        BENCH_COUNTS_TOUCHED='["advance and consume"]' \
        BENCH_COUNTS_INPUTS='{"confirm":"false","cargo-bench-args":"--features parser"}'
      # Six calls written out: a loop of them (for i in 0..7) changed how the function was optimized and the count
      # fell by a third, no model of a 2% change.
      BENCH_COUNTS_CHANGE=$(python3 -c 'import json; b = "".join(f"core::hint::black_box({i}u32); " for i in range(6)); print(json.dumps({"file": "src/parser.rs", "from": "self.provider.next()", "to": b + "self.provider.next()", "description": "`Parser::next` (the parsed sequences handed out one by one): 6 `black_box` calls before it takes the next one"}))')
      record anes 0.1.6
      unset BENCH_COUNTS_INPUTS
      ;;
    *) echo "record-criterion-counts.sh: unknown crate '$crate' (ryu, unicode-xid, anes)" >&2; exit 2 ;;
  esac
done
