# syntax=docker/dockerfile:1
# keepalived for the HAProxy pair. Runs in its HAProxy's network namespace (compose network_mode
# "service:haproxy-a") with NET_ADMIN and NET_RAW, reading haproxy/keepalived.conf; the config id
# (--config-id lb-a or lb-b) is the command. curl is the track script's probe of HAProxy's /health.
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends keepalived curl \
    && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["keepalived", "--dont-fork", "--log-console", "--no-syslog", "--vrrp", "--use-file", "/etc/keepalived/keepalived.conf"]
CMD ["--config-id", "lb-a"]
