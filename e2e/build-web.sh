#!/usr/bin/env bash
# Builds the web client into <repo>/dist with Trunk, offline, with the pinned tools:
#   trunk 0.21.14 and wasm-bindgen-cli 0.2.130 in ~/.cargo/bin, wasm-opt (binaryen 132) from
#   e2e/node_modules/.bin (run `npm ci` in e2e/ first; never Debian's binaryen).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="$here/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${WEB_CARGO_TARGET_DIR:-/var/tmp/motovault-target-wasm}"
export TRUNK_SKIP_VERSION_CHECK=true
for tool in trunk wasm-bindgen wasm-opt; do
  command -v "$tool" >/dev/null || { echo "missing $tool on PATH" >&2; exit 1; }
done
wasm-opt --version | grep -q 'version 132' || { echo "wasm-opt must be binaryen 132" >&2; exit 1; }
cd "$root"
trunk build --release --offline "$@"
# The output directory: dist/ unless `--dist DIR` was given.
out=dist prev=
for arg in "$@"; do
  [ "$prev" = --dist ] && out="$arg"
  prev="$arg"
done
ls -l "$out"
