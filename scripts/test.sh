#!/usr/bin/env bash
# One command: every check and test, on SQLite and on PostgreSQL, plus the browser tests.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)

ensure_build_tools
ensure_browser
ensure_python_tools
ensure_postgres
ensure_redis
ensure_promtool
# Every test that needs an outside tool must find it here (no quiet skips in CI).
export CI_REQUIRE_ALL=1

log "formatting and lints"
cargo fmt --all -- --check
cargo clippy -p motovault-shared -p motovault-migration -p motovault-api --all-targets -- -D warnings
CARGO_TARGET_DIR="$CARGO_TARGET_DIR_WASM" cargo clippy -p motovault-web --target wasm32-unknown-unknown -- -D warnings

log "shared is wasm-clean: builds for wasm32 and pulls in no sea-orm, actix or tokio"
CARGO_TARGET_DIR="$CARGO_TARGET_DIR_WASM" cargo check -p motovault-shared --target wasm32-unknown-unknown
if cargo tree -p motovault-shared --target wasm32-unknown-unknown -e normal --prefix none \
  | grep -E '^(sea-orm|sea-query|sqlx|actix|tokio)[ -]'; then
  echo "motovault-shared depends on a server-only crate (listed above)" >&2
  exit 1
fi

log "dropping test databases left by earlier runs"
psql -h 127.0.0.1 -U postgres -d test -Atc "select datname from pg_database where datname like 'mvtest\_%' or datname like 'motovault\_migration\_%'" \
  | while read -r db; do psql -h 127.0.0.1 -U postgres -d test -qc "drop database if exists \"$db\" with (force)"; done

log "unit and integration tests on SQLite"
cargo test -p motovault-shared -p motovault-migration -p motovault-api

log "web client unit tests (host)"
CARGO_TARGET_DIR="$CARGO_TARGET_DIR_WASM" cargo test -p motovault-web

log "integration tests on PostgreSQL"
TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo test -p motovault-api --test api

log "attachment suites with S3 object storage (a real SeaweedFS)"
TEST_S3=1 cargo test -p motovault-api --test api -- attachments:: tax:: plans:: compat_admin::

log "three replicas behind nginx: failures, outages, one job run (docs/cluster.md)"
bash scripts/cluster-test.sh

log "browser tests (Playwright + Chromium) against the real binary"
build_web
bytes=$(bundle_bytes)
budget=$(( 600 * 1024 ))
log "web app initial transfer: $bytes bytes brotli (budget $budget)"
[ "$bytes" -le "$budget" ] || { echo "the web bundle exceeds its size budget" >&2; exit 1; }
cargo build -p motovault-api
export MOTOVAULT_BIN="$CARGO_TARGET_DIR/debug/motovault"
(cd e2e && npx playwright test)
log "browser tests on PostgreSQL"
pgdb="mvtest_e2e_$$"
psql -h 127.0.0.1 -U postgres -d test -qc "create database $pgdb"
(cd e2e && E2E_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$pgdb" npx playwright test --project=desktop)
psql -h 127.0.0.1 -U postgres -d test -qc "drop database if exists $pgdb with (force)"

log "deployment: Helm chart checks and the container image run read-only as non-root (docs/deploy.md)"
bash scripts/check-deploy.sh

log "all tests passed in $(( $(date +%s) - started )) s"
