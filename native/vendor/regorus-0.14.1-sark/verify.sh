#!/usr/bin/env bash
# Checks that this directory is exactly regorus 0.14.1 as published on crates.io plus sark.patch:
# fetches the crate with cargo (a scratch project pinned to =0.14.1; cargo verifies the
# registry checksum), unpacks it, applies the patch and compares every vendored file.
# Usage: verify.sh   (exit 0: identical; 1: a difference, printed)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sha=ec9c3ac0d614c8f87448b86c8ddef36c8affce3d2c5deea81b7c28c812e4bfb8   # crates.io checksum of regorus 0.14.1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/probe/src"
printf '[package]\nname = "probe"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nregorus = { version = "=0.14.1", default-features = false }\n' >"$work/probe/Cargo.toml"
: >"$work/probe/src/lib.rs"
(cd "$work/probe" && cargo fetch --quiet)
crate="$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/regorus-0.14.1.crate | head -n 1)"
echo "$sha  $crate" | sha256sum --check --quiet
tar -xzf "$crate" -C "$work"
(cd "$work/regorus-0.14.1" && patch --quiet -p1 <"$here/sark.patch")
status=0
for f in Cargo.toml build.rs LICENSE README.md src; do
  diff -r "$work/regorus-0.14.1/$f" "$here/$f" || status=1
done
[[ "$status" -eq 0 ]] && echo "verify.sh: vendored regorus = crates.io 0.14.1 + sark.patch"
exit "$status"
