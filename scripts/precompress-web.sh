#!/usr/bin/env bash
# Writes .br and .gz siblings next to every compressible file of a built web bundle (Trunk's
# dist/), so the server sends them as they are (api/src/http/spa.rs) instead of compressing each
# response. Used by the Dockerfile and scripts/check-deploy.sh. Needs `brotli` and `gzip`.
set -euo pipefail
dist="${1:?usage: precompress-web.sh DIST_DIR}"
find "$dist" -type f \( -name '*.html' -o -name '*.js' -o -name '*.mjs' -o -name '*.wasm' \
  -o -name '*.css' -o -name '*.svg' -o -name '*.json' -o -name '*.txt' \) -print0 |
  while IFS= read -r -d '' f; do
    brotli --force --best --keep --output="$f.br" "$f"
    gzip --force --best --keep --no-name "$f"
    # Same mtime as the original: the ETag of each representation then follows the release.
    touch -r "$f" "$f.br" "$f.gz"
  done
