#!/usr/bin/env bash
# Benchmarks the release server with a real load generator (wrk) on loopback, over PostgreSQL
# seeded with a realistic dataset, without and with Redis (sessions + two-level cache), next to
# a plain actix-web handler returning a constant (api/examples/constant.rs) in the same run.
# Not a test: it prints a Markdown table (docs/figures.md keeps the last one).
#
#   scripts/bench.sh                                  # 2,000 users, 5,000 vehicles, 1,000,000 fuel records
#   DURATION=3 BENCH_FUEL=20000 BENCH_PROFILE=debug scripts/bench.sh   # a quick dry run
#
# Knobs: DURATION (s per wrk run, 10), CONNECTIONS (32), BENCH_USERS (2000), BENCH_VEHICLES
# (5000), BENCH_FUEL (1000000), BENCH_GARAGE (20 vehicles of the benchmark user), BENCH_HEAVY
# (3000 fuel records on its first vehicle), BENCH_PROFILE (release), BENCH_BASE_URL
# (postgres://postgres@127.0.0.1:5432/test: a fresh database is created next to it and dropped),
# BENCH_BIN_DIR (a folder with built `motovault` and `constant`: skips the build).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export PATH="$PATH:/usr/sbin:/sbin"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
USERS="${BENCH_USERS:-2000}"
VEHICLES="${BENCH_VEHICLES:-5000}"
FUEL="${BENCH_FUEL:-1000000}"
GARAGE="${BENCH_GARAGE:-20}"
HEAVY="${BENCH_HEAVY:-3000}"
PROFILE="${BENCH_PROFILE:-release}"
BASE_URL="${BENCH_BASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
PASSWORD="bench password"

apt_install wrk curl
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
ensure_postgres

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bins="${BENCH_BIN_DIR:-}" # a folder holding `motovault` and `constant` already built: no build
if [ -z "$bins" ]; then
  log "building the server and the baseline example ($PROFILE)"
  if [ "$PROFILE" = release ]; then
    cargo build --release -p motovault-api --bin motovault --examples
  else
    cargo build -p motovault-api --bin motovault --examples
  fi
  bins="$CARGO_TARGET_DIR/$PROFILE"
  constant_bin="$bins/examples/constant"
fi
work="$(mktemp -d)"
# Copies: other builds may replace the binaries during the run.
cp "$bins/motovault" "${constant_bin:-$bins/constant}" "$work/"
db="mvbench_$$"
db_url="${BASE_URL%/*}/$db"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$BASE_URL" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql "$BASE_URL" -qc "create database $db"
sql() { psql "$db_url" -v ON_ERROR_STOP=1 -qAt "$@"; }

# --- the server -----------------------------------------------------------------------------
PORT="$(free_port)"
base="http://127.0.0.1:$PORT"
server_pid=""
start_server() { # [extra VAR=value …]
  env MOTOVAULT__SERVER__PORT="$PORT" MOTOVAULT__DATA_DIR="$work/data" \
    MOTOVAULT__WEB__DIST_DIR="$work/dist" MOTOVAULT__DATABASE__URL="$db_url" \
    MOTOVAULT__LOG__LEVEL=warn MOTOVAULT__JOBS__ENABLED=false "$@" \
    "$work/motovault" serve >>"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  until curl -fs "$base/health/ready" >/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$work/server.log"; exit 1; }
    sleep 0.01
  done
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }
rss_mib() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$1/status") / 1024 )); }

t0=$(date +%s%N)
start_server
t1=$(date +%s%N)
startup_ms=$(( (t1 - t0) / 1000000 ))
sleep 1
idle_rss=$(rss_mib "$server_pid")
curl -fs -H 'content-type: application/json' -d "{\"username\":\"root\",\"password\":\"$PASSWORD\"}" \
  "$base/api/v1/setup" >/dev/null

# --- the dataset, in SQL (generate_series): every user has root's password hash -------------
log "seeding $USERS users, $VEHICLES vehicles, $FUEL fuel records"
s0=$(date +%s)
sql -v users="$USERS" -v vehicles="$VEHICLES" -v fuel="$FUEL" -v garage="$GARAGE" -v heavy="$HEAVY" <<'SQL'
BEGIN;
INSERT INTO users (username, username_normalized, password_hash, created_at, updated_at)
SELECT 'bench', 'bench', password_hash, now(), now() FROM users WHERE id = 1;
INSERT INTO users (username, username_normalized, password_hash, created_at, updated_at)
SELECT 'user' || g, 'user' || g, r.password_hash, now(), now()
FROM generate_series(1, :users) g, (SELECT password_hash FROM users WHERE id = 1) r;
-- The benchmark user's garage first (BENCH-*), then everyone else's vehicles.
INSERT INTO vehicles (year, make, model, license_plate, fuel_type, vehicle_identifier,
                      dashboard_metrics, created_at, updated_at)
SELECT 2000 + g % 25, (ARRAY['Toyota','Honda','Ford','Mazda','BMW'])[1 + g % 5], 'Model ' || g % 40,
       CASE WHEN g <= :garage THEN 'BENCH-' ELSE 'PL-' END || g, 'gasoline', 'LicensePlate', '',
       now(), now()
FROM generate_series(1, :vehicles) g;
INSERT INTO vehicle_collaborators (vehicle_id, user_id, created_at)
SELECT v.id,
       CASE WHEN v.license_plate LIKE 'BENCH-%' THEN (SELECT id FROM users WHERE username = 'bench')
            ELSE (SELECT min(id) FROM users WHERE username LIKE 'user%') + v.id % :users END,
       now()
FROM vehicles v;
-- :heavy records on the garage's first vehicle, the rest spread evenly over all others, each
-- vehicle's odometer and date rising with its own sequence number n.
WITH heavy AS (SELECT min(id) AS id FROM vehicles WHERE license_plate LIKE 'BENCH-%'),
     others AS (SELECT array_agg(id ORDER BY id) AS ids FROM vehicles
                WHERE id <> (SELECT id FROM heavy))
INSERT INTO fuel_records (vehicle_id, date, odometer, fuel_consumed, cost, is_fill_to_full,
                          missed_fuel_up, notes, created_at, updated_at)
SELECT CASE WHEN g <= :heavy THEN h.id ELSE o.ids[1 + g % cardinality(o.ids)] END,
       date '2010-01-01' + (x.n * 3 / 2)::int,
       1000 + x.n * 320,
       (30 + g % 25) * 10000,
       (45 + g % 40) * 10000 + (g % 100) * 100,
       g % 13 <> 0, false, '', now(), now()
FROM generate_series(1, :fuel) g, heavy h, others o,
     LATERAL (SELECT CASE WHEN g <= :heavy THEN g
                          ELSE (g - :heavy) / cardinality(o.ids) END AS n) x;
COMMIT;
ANALYZE;
SQL
seed_secs=$(( $(date +%s) - s0 ))
vid=$(sql -c "select min(id) from vehicles where license_plate like 'BENCH-%'")
other_vid=$(sql -c "select max(id) from vehicles where license_plate like 'BENCH-%'")
counts=$(sql -c "select (select count(*) from users), (select count(*) from vehicles), (select count(*) from fuel_records), (select count(*) from fuel_records where vehicle_id = $vid)" | tr '|' ' ')
log "seeded in ${seed_secs}s: users vehicles fuel heavy = $counts"

jar="$work/cookies"
me=$(curl -fs -c "$jar" -H 'content-type: application/json' \
  -d "{\"username\":\"bench\",\"password\":\"$PASSWORD\"}" "$base/api/v1/auth/login")
csrf=$(printf '%s' "$me" | sed -n 's/.*"csrfToken":"\([0-9a-f]*\)".*/\1/p')
cookie="motovault_session=$(awk '/motovault_session/ {print $7}' "$jar")"
key=$(curl -fs -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"name":"bench","role":"editor"}' "$base/api/v1/api-keys" | sed -n 's/.*"secret":"\([0-9a-f]*\)".*/\1/p')
[ -n "$key" ] && [ -n "$csrf" ] || { echo "could not sign in as the benchmark user" >&2; exit 1; }
stop_server

# --- wrk ------------------------------------------------------------------------------------
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %.0f %.2f %.2f %.2f %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout))
end
LUA
cat "$work/report.lua" >"$work/post.lua"
cat >>"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-api-key"] = os.getenv("BENCH_KEY")
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"date":"2024-06-01","odometer":%d,"fuelConsumed":42.5,"cost":71.3,"notes":"wrk"}', 900000 + n)
  return wrk.format(nil, nil, nil, body)
end
LUA

# PostgreSQL's counters of the benchmark database: transactions (each statement outside an
# explicit transaction is one) and rows read. Backends report them when idle (≤ 10 s later).
pg_counters() { sql -F ' ' -c "select xact_commit + xact_rollback, tup_returned + tup_fetched from pg_stat_database where datname = '$db'"; }

rows=()
run() { # label mode url [lua]: GETs carry the session cookie, the POST script the API key
  local label="$1" mode="$2" url="$3" lua="${4:-$work/report.lua}" out before after auth=()
  [ -z "${4:-}" ] && auth=(-H "cookie: $cookie")
  before=$(pg_counters)
  out=$(BENCH_KEY="$key" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s "${auth[@]}" -s "$lua" "$url" | grep '^BENCH')
  sleep 11
  after=$(pg_counters)
  # shellcheck disable=SC2086
  set -- $out $before $after
  local req=$2 xact=$(( ${10} - $8 )) tup=$(( ${11} - $9 ))
  rows+=("| $label | $mode | $3 | $4 | $5 | $6 | $(awk -v a="$xact" -v r="$req" 'BEGIN {printf "%.2f", r ? a / r : 0}') | $(awk -v a="$tup" -v r="$req" 'BEGIN {printf "%.0f", r ? a / r : 0}') | $7 |")
  log "$label ($mode): $3 req/s, p50 $4 ms, p95 $5 ms, p99 $6 ms, errors $7"
}

endpoints() { # mode
  local api="$base/api/v1"
  sleep 11 # the start-up's statements reach pg_stat_database before the first "before"
  run "GET /api/v1/auth/me (the session lookup alone)" "$1" "$api/auth/me"
  run "GET /api/v1/vehicles (garage of $GARAGE)" "$1" "$api/vehicles"
  run "GET /api/v1/vehicle-summaries (garage of $GARAGE)" "$1" "$api/vehicle-summaries"
  run "GET /api/v1/vehicles/{id}/summary ($HEAVY fill-ups)" "$1" "$api/vehicles/$vid/summary"
  run "GET /api/v1/vehicles/{id}/fuel-records ($HEAVY fill-ups)" "$1" "$api/vehicles/$vid/fuel-records"
  run "POST /api/v1/vehicles/{id}/fuel-records (API key)" "$1" "$api/vehicles/$other_vid/fuel-records" "$work/post.lua"
  sql -c "delete from fuel_records where notes = 'wrk'" >/dev/null
}

log "without Redis"
start_server
endpoints "no Redis"
load_rss=$(rss_mib "$server_pid")
stop_server

log "with Redis (own redis-server)"
rport="$(free_port)"
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=("$!")
until redis-cli -p "$rport" ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
start_server MOTOVAULT__REDIS__URL="redis://127.0.0.1:$rport/0" MOTOVAULT__REDIS__KEY_PREFIX="bench:"
endpoints "Redis"
cache_lines=$(curl -fs "$base/metrics" 2>/dev/null | grep -E '^motovault_cache_[a-z_]+(\{[^}]*\})? ' || true)
stop_server

log "baseline: a plain actix-web handler"
cport="$(free_port)"
"$work/constant" "$cport" &
pids+=("$!")
until curl -fs "http://127.0.0.1:$cport/" >/dev/null; do sleep 0.01; done
rows_before=${#rows[@]}
run "GET / constant (api/examples/constant.rs)" "plain actix-web" "http://127.0.0.1:$cport/"
baseline=$(printf '%s' "${rows[$rows_before]}" | awk -F'|' '{gsub(/ /, "", $4); print $4}')

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk -t2 -c$CONNECTIONS, ${DURATION}s per row, on the same cores as the server; binaries from $bins."
echo "Dataset: users vehicles fuel_records heavy-vehicle = $counts (seeded in ${seed_secs}s). Start to ready: ${startup_ms} ms; idle RSS ${idle_rss} MiB; RSS after the runs ${load_rss} MiB."
echo
echo "| request | mode | req/s | p50 ms | p95 ms | p99 ms | DB xact/req | rows read/req | errors | of baseline |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for r in "${rows[@]}"; do
  rps=$(printf '%s' "$r" | awk -F'|' '{gsub(/ /, "", $4); print $4}')
  echo "$r $(awk -v a="$rps" -v b="$baseline" 'BEGIN {printf "%.1f %%", b ? 100 * a / b : 0}') |"
done
if [ -n "$cache_lines" ]; then
  echo
  echo "Cache counters after the Redis runs (/metrics):"
  printf '%s\n' "$cache_lines" | sed 's/^/    /'
fi
