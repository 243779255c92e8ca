#!/usr/bin/env bash
# The project's whole test suite, as CI runs it: installs what it needs, then
# type-checks, lints, checks dist/ is fresh, runs the TypeScript tests (unit and
# end-to-end against a loopback GitHub) and the Rust crates' lints and tests.
#   scripts/test.sh            everything
#   scripts/test.sh --ts-only  skip the Rust checks
set -euo pipefail
cd "$(dirname "$0")/.."

ts_only=false
for arg in "$@"; do
  case "$arg" in
    --ts-only) ts_only=true ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scripts/test.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }

step "Installing dependencies"
bash scripts/setup.sh

step "Type check"
npx tsc --noEmit

step "Lint (ESLint with typescript-eslint, and Prettier)"
npm run --silent lint

step "dist/ is fresh"
npm run --silent check-dist

step "TypeScript tests (Node $(node --version))"
node scripts/test.mjs

# Other projects' real outputs with what their own tests expect (issue #14).
# CI keeps a read-only copy of shared/ beside the clone; elsewhere point
# BENCH_CONFORMANCE at one, or the step is skipped.
conformance="${BENCH_CONFORMANCE:-../shared/conformance}"
step "Conformance with peers' outputs ($conformance)"
if [ -f "$conformance/check.py" ]; then
  python3 "$conformance/check.py" node dist/cli.js "$conformance/peer"
else
  echo "skipped: no $conformance/check.py (set BENCH_CONFORMANCE to a conformance directory to run it)"
fi

if [ "$ts_only" = false ]; then
  step "Rust: fmt, clippy, tests"
  (cd native && cargo fmt --all --check && cargo clippy --workspace --all-targets --quiet -- -D warnings && cargo test --workspace --quiet)

  step "Criterion counting harness (harness/criterion): fmt, clippy, tests under Valgrind"
  (cd harness/criterion && cargo fmt --check && cargo clippy --all-targets --quiet -- -D warnings && cargo test --quiet)

  step "Policies: opa check, opa test, and sark-opa eval against opa eval"
  opa=$(scripts/install_opa.sh)
  "$opa" check --strict native/sark-opa/policies
  "$opa" test native/sark-opa/policies
  OPA_BIN="$opa" bash native/sark-opa/scripts/crosscheck.sh
fi

# Last, so the runner's background install (started by setup.sh) overlaps
# everything above: the action's full mode with Valgrind and gungraun.
step "Instruction counts end to end (Valgrind, gungraun-runner)"
bash scripts/gungraun-runner.sh --wait
node scripts/test.mjs test/valgrind/*.test.ts
