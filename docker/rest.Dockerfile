# syntax=docker/dockerfile:1
# The client binaries: acd-rest (the REST shim, default target) and acd-sim (the simulator, target `sim`).
# Build from the repository root:
#   docker build -f docker/rest.Dockerfile -t acd-rest .
#   docker build -f docker/rest.Dockerfile --target sim -t acd-sim .

ARG RUST_VERSION=1.95

# --- build both binaries (the client crate does not link redis-module, so no libclang here) ---
FROM rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY core core
COPY module module
COPY client client
COPY tests tests
RUN cargo build --release --locked -p acd-client --bin acd-rest --bin acd-sim \
    && cp target/release/acd-rest target/release/acd-sim /usr/local/bin/

# --- common runtime: Debian slim, an unprivileged user, curl for the health check ---
FROM debian:bookworm-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 acd \
    && useradd --system --uid 10001 --gid 10001 --no-create-home acd
USER 10001:10001

# --- the simulator: docker run --rm acd-sim --redis redis://:PASSWORD@HOST:12000 ---
FROM runtime AS sim
COPY --from=build /usr/local/bin/acd-sim /usr/local/bin/acd-sim
ENTRYPOINT ["acd-sim"]

# --- the REST shim (default target), configured by REDIS_URL, ACD_CENTER, ACD_BIND ---
FROM runtime AS rest
COPY --from=build /usr/local/bin/acd-rest /usr/local/bin/acd-rest
ENV ACD_BIND=0.0.0.0:8000
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=2s --retries=3 CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8000/health"]
ENTRYPOINT ["acd-rest"]
