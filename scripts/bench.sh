#!/usr/bin/env bash
# Benchmarks the release server with a real load generator (wrk) on loopback, and measures
# start-up time to /health/ready and idle memory. Bounded: each wrk run lasts DURATION seconds.
#   scripts/bench.sh            # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB scripts/bench.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
DURATION="${DURATION:-10}"
PORT="${BENCH_PORT:-18480}"
apt_install wrk curl
cargo build --release -p motovault-api >/dev/null 2>&1
bin="$CARGO_TARGET_DIR/release/motovault"
data="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null; rm -rf "$data"' EXIT

export MOTOVAULT__SERVER__PORT="$PORT" MOTOVAULT__DATA_DIR="$data" MOTOVAULT__LOG__LEVEL=warn
[ -n "${BENCH_DATABASE_URL:-}" ] && export MOTOVAULT__DATABASE__URL="$BENCH_DATABASE_URL"
t0=$(date +%s%N)
"$bin" serve >"$data/server.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null; do sleep 0.01; done
t1=$(date +%s%N)
echo "start to ready: $(( (t1 - t0) / 1000000 )) ms"
sleep 1
echo "idle RSS: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"

base="http://127.0.0.1:$PORT/api/v1"
jar="$data/cookies"
me=$(curl -fs -c "$jar" -H 'content-type: application/json' \
  -d '{"username":"bench","password":"bench password"}' "$base/setup")
csrf=$(printf '%s' "$me" | sed -n 's/.*"csrfToken":"\([0-9a-f]*\)".*/\1/p')
cookie="motovault_session=$(awk '/motovault_session/ {print $7}' "$jar")"
post() { curl -fs -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -d "$2" "$base$1"; }
vid=$(post /vehicles '{"year":2020,"make":"Bench","model":"Mark"}' | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
for i in $(seq 1 100); do
  post "/vehicles/$vid/fuel-records" "{\"date\":\"2024-01-01\",\"odometer\":$((1000 + i * 300)),\"fuelConsumed\":10.5,\"cost\":38.25,\"isFillToFull\":$([ $((i % 4)) -eq 0 ] && echo false || echo true)}" >/dev/null
done

run() {
  echo "--- $1"
  wrk -t2 -c32 -d"${DURATION}s" --latency -H "cookie: $cookie" "$2" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx'
}
run "GET /health/live" "http://127.0.0.1:$PORT/health/live"
run "GET /api/v1/vehicles" "$base/vehicles"
run "GET /api/v1/vehicles/{id}/fuel-records (100 fill-ups, economy computed)" "$base/vehicles/$vid/fuel-records"
echo "RSS after load: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
