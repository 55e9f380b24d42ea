# syntax=docker/dockerfile:1
# redis-server 7.0 with the ACD module, for primaries, replicas, Sentinels and cluster nodes alike.
# Build from the repository root:  docker build -f docker/redis.Dockerfile -t acd-redis .
# docker/redis-entrypoint.sh (the entrypoint) says how a container chooses its role.

ARG RUST_VERSION=1.95
ARG REDIS_VERSION=7.0.15

# --- build libacd.so ---
FROM rust:${RUST_VERSION}-bookworm AS build
# bindgen, run by the redis-module crate's build script, needs libclang.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libclang-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Every workspace member's manifest and sources must be present for cargo to load the workspace.
COPY Cargo.toml Cargo.lock ./
COPY core core
COPY module module
COPY client client
COPY tests tests
RUN cargo build --release --locked -p acd-module \
    && cp target/release/libacd.so /libacd.so

# --- runtime: the official Redis image (Debian bookworm, same glibc as the build stage) ---
FROM redis:${REDIS_VERSION}-bookworm
COPY --from=build /libacd.so /usr/local/lib/redis/modules/libacd.so
COPY docker/redis-entrypoint.sh /usr/local/bin/acd-redis-entrypoint
COPY docker/cluster-create.sh /usr/local/bin/acd-cluster-create
RUN chmod 0755 /usr/local/bin/acd-redis-entrypoint /usr/local/bin/acd-cluster-create
EXPOSE 6379 26379
ENTRYPOINT ["acd-redis-entrypoint"]
CMD ["server"]
