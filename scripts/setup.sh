#!/usr/bin/env bash
# Installs what the tests and benchmarks need on a fresh Debian machine:
# npm packages, Node 24 (the Actions runtime) beside the system Node, and the
# Rust toolchain's components. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: jq (the OPA cross-check), redis-server (the Node comparison suite),
# chromium (the tests that render the Mermaid charts and the dashboard), valgrind
# (gungraun's instruction counts).
missing=()
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install ${missing[*]} (Debian: sudo apt-get install ${missing[*]})" >&2
    exit 2
  fi
fi

# gungraun-runner at the locked gungraun version: a cold build takes ~15
# minutes, so it starts in the background now; only the step that needs it
# waits (scripts/gungraun-runner.sh --wait). Skipped when the right one is there.
if command -v cargo >/dev/null 2>&1; then
  bash scripts/gungraun-runner.sh --start
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# pytest-benchmark (PyPI) for the Python example's end-to-end test (test/e2e/lang-python.test.ts),
# into the python3 that `pytest` runs; Debian's own package where pip may not install.
if ! python3 -c 'import pytest_benchmark' >/dev/null 2>&1; then
  if ! python3 -m pip install --quiet --disable-pip-version-check 'pytest-benchmark==5.*' >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pytest-benchmark >/dev/null
    else
      echo "setup: please install pytest-benchmark (pip install pytest-benchmark)" >&2
      exit 2
    fi
  fi
fi

# Node 24 runs the bundled action as GitHub's runner would (runs.using: node24).
if [ ! -x .tools/node24/node_modules/node/bin/node ]; then
  npm install --prefix .tools/node24 --no-save --no-audit --no-fund node@24 >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust with rustup (https://rustup.rs) first" >&2
  exit 2
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

