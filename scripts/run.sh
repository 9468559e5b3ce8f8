#!/usr/bin/env bash
# One command: install what is missing, build, and start MotoVaultPro on SQLite with no
# configuration. Any MOTOVAULT__* variable you export is honoured (see README).
source "$(dirname "$0")/lib.sh"

ensure_build_tools
build_web
log "building the server (release)"
(cd "$ROOT" && cargo build --release -p motovault-api)

cd "$ROOT"
host="${MOTOVAULT__SERVER__HOST:-127.0.0.1}"
port="${MOTOVAULT__SERVER__PORT:-8080}"
export MOTOVAULT__WEB__DIST_DIR="${MOTOVAULT__WEB__DIST_DIR:-$ROOT/dist}"
export MOTOVAULT__LOG__FORMAT="${MOTOVAULT__LOG__FORMAT:-pretty}"
log "MotoVaultPro: http://$host:$port  (data in ${MOTOVAULT__DATA_DIR:-./data}; Ctrl-C stops)"
exec "$CARGO_TARGET_DIR/release/motovault" serve
