#!/usr/bin/env bash
# The three-replica proof (issue 6, docs/cluster.md): real PostgreSQL, Redis, SeaweedFS, nginx
# and three `motovault serve` processes on loopback; logs in, uploads, streams live updates,
# kills and drains replicas under write load, stops Redis and S3, counts job runs. Exits
# non-zero when any promise is broken. Extra arguments go to e2e/cluster/cluster_test.py
# (e.g. --keep to keep the logs).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export PATH="$PATH:/usr/sbin:/sbin"

command -v nginx >/dev/null 2>&1 || apt_install nginx-light
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
command -v psql >/dev/null 2>&1 || apt_install postgresql-client
ensure_python_tools
ensure_postgres

log "building the server (debug)"
cargo build -p motovault-api
bin="$CARGO_TARGET_DIR/debug/motovault"
# A copy: other builds may replace the binary while the replicas restart.
copy="$(mktemp -d)/motovault"
trap 'rm -rf "$(dirname "$copy")"' EXIT
cp "$bin" "$copy"

log "three replicas behind nginx"
python3 e2e/cluster/cluster_test.py --bin "$copy" "$@"
