# syntax=docker/dockerfile:1.7
# MotoVaultPro image: one static-ish binary and the precompressed web bundle on a minimal base,
# running as the numeric user 10001 with a read-only root filesystem (writes go to the data dir
# volume only). See docs/deploy.md.
#
#   docker build -t motovault .                          # full build (server + web app)
#   docker build --target runtime-prebuilt \
#     --build-context prebuilt=DIR -t motovault .        # package host-built artifacts (CI)
#
# Base images are build arguments so offline builds can use local bases.
ARG RUST_IMAGE=docker.io/library/rust:1.95-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

# ---- builder: the server (profile `container`: size-optimised, stripped) and the web app ------
FROM ${RUST_IMAGE} AS builder
ARG TRUNK_VERSION=0.21.14
ARG WASM_BINDGEN_VERSION=0.2.130
ARG BINARYEN_VERSION=132.0.0
ENV CARGO_TARGET_DIR=/build/target \
    TRUNK_SKIP_VERSION_CHECK=true \
    PATH=/opt/binaryen/node_modules/.bin:/usr/local/cargo/bin:$PATH
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Debian's binaryen is too old (it corrupts the wasm): wasm-opt comes from npm, pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends brotli ca-certificates gzip nodejs npm pkg-config \
    && rm -rf /var/lib/apt/lists/*
RUN npm install --prefix /opt/binaryen --no-audit --no-fund "binaryen@${BINARYEN_VERSION}"
# Tools already in the base (a local CI builder base) are kept; otherwise installed at their pins.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    test -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" \
      || rustup target add wasm32-unknown-unknown; \
    trunk --version 2>/dev/null | grep -q "${TRUNK_VERSION}" \
      || cargo install trunk --version "${TRUNK_VERSION}" --locked; \
    wasm-bindgen --version 2>/dev/null | grep -q "${WASM_BINDGEN_VERSION}" \
      || cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}"
WORKDIR /src
COPY . .
# At most one `sharing=locked` cache per step: buildah 1.28 (Debian 12) releases only one lock of
# a step, so a second locked cache deadlocks the next step that mounts it. The registry cache is
# shared; cargo locks its package cache itself.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target,sharing=locked \
    cargo build --profile container --locked -p motovault-api \
    && install -D -m 0755 /build/target/container/motovault /out/usr/local/bin/motovault
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target-wasm,sharing=locked \
    CARGO_TARGET_DIR=/build/target-wasm trunk build --release --offline \
    && scripts/precompress-web.sh dist \
    && mkdir -p /out/usr/share/motovault /out/var/lib/motovault \
    && cp -a dist /out/usr/share/motovault/dist

# ---- runtime base: everything but the artifacts -----------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime-base
LABEL org.opencontainers.image.title="MotoVaultPro" \
      org.opencontainers.image.description="Self-hosted vehicle maintenance, fuel and cost tracker" \
      org.opencontainers.image.licenses="MIT"
ENV MOTOVAULT__SERVER__HOST=0.0.0.0 \
    MOTOVAULT__SERVER__PORT=8080 \
    MOTOVAULT__DATA_DIR=/var/lib/motovault \
    MOTOVAULT__WEB__DIST_DIR=/usr/share/motovault/dist
EXPOSE 8080
# No HEALTHCHECK: Kubernetes probes /health/live and /health/ready (see the Helm chart).
ENTRYPOINT ["/usr/local/bin/motovault"]
CMD ["serve"]

# ---- runtime-prebuilt: artifacts built on the host (named build context `prebuilt`: motovault,
# dist/ already precompressed, data/ an empty directory) ----------------------------------------
# `prebuilt` is a named build context (--build-context), not a stage: hadolint cannot know it.
FROM runtime-base AS runtime-prebuilt
# hadolint ignore=DL3022
COPY --from=prebuilt --chmod=0755 motovault /usr/local/bin/motovault
# hadolint ignore=DL3022
COPY --from=prebuilt dist /usr/share/motovault/dist
# hadolint ignore=DL3022
COPY --from=prebuilt --chown=10001:10001 data /var/lib/motovault
USER 10001:10001
VOLUME ["/var/lib/motovault"]

# ---- runtime (default target) -----------------------------------------------------------------
FROM runtime-base AS runtime
COPY --from=builder /out/usr /usr
COPY --from=builder --chown=10001:10001 /out/var/lib/motovault /var/lib/motovault
USER 10001:10001
VOLUME ["/var/lib/motovault"]
