#!/usr/bin/env bash
# Installs a pinned OPA into <repo>/.tools/bin with the Go toolchain and prints its path.
# Idempotent: an existing binary of the pinned version is reused without touching the network.
# Override the version with OPA_VERSION=vX.Y.Z (must exist on the Go module proxy).
set -euo pipefail

OPA_VERSION="${OPA_VERSION:-v1.22.3}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${OPA_BIN_DIR:-$repo_root/.tools/bin}"
opa_bin="$bin_dir/opa"

installed_version() {
  # `opa version` prints "Version: 1.22.3"; compare without the leading v.
  "$opa_bin" version 2>/dev/null | awk -F': ' '/^Version:/ {print $2; exit}'
}

if [[ -x "$opa_bin" && "$(installed_version)" == "${OPA_VERSION#v}" ]]; then
  echo "$opa_bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install_opa.sh: Go toolchain not found; install Go >= 1.23 or put opa ${OPA_VERSION} at $opa_bin" >&2
  exit 1
fi

mkdir -p "$bin_dir"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# CGO off: a static binary, and no C toolchain needed on CI runners.
if ! CGO_ENABLED=0 GOBIN="$bin_dir" go install "github.com/open-policy-agent/opa@${OPA_VERSION}" >"$log" 2>&1; then
  echo "install_opa.sh: go install github.com/open-policy-agent/opa@${OPA_VERSION} failed: $(tail -n 1 "$log")" >&2
  exit 1
fi

if [[ "$(installed_version)" != "${OPA_VERSION#v}" ]]; then
  echo "install_opa.sh: installed $opa_bin does not report version ${OPA_VERSION#v}" >&2
  exit 1
fi
echo "$opa_bin"
