#!/bin/sh
# Entrypoint of the acd-redis image: redis-server with the ACD module (`server`, the default) or a Sentinel
# (`sentinel`). Extra arguments after `server` go to redis-server (the cluster nodes pass their cluster options).
#
# Data nodes:
#   REDIS_PASSWORD     requirepass and masterauth, written to a config file (not visible in `ps`); letters,
#                      digits and . _ ~ - only
#   ACD_ANNOUNCE_HOST  this node's service name, announced to the primary so Sentinel reports names, not
#                      container addresses that change when a container is recreated
#   ACD_REPLICAOF      the service name of the primary to replicate on first boot (unset: start as primary)
#   ACD_SENTINELS      "host:port ..." of the Sentinels. When one of them names a primary other than this
#                      node, the node starts as its replica, whatever ACD_REPLICAOF says: an old primary that
#                      restarts after a failover must not boot as a second primary (HAProxy would send it writes
#                      for the ~10 s until Sentinel demotes it, and those writes would then be discarded).
#   ACD_MASTER_NAME    the Sentinel group (default acd)
# Sentinels:
#   ACD_PRIMARY_HOST   the primary to monitor at first boot; ACD_QUORUM (default 2);
#   ACD_DOWN_AFTER_MS  down-after-milliseconds (default 1000); REDIS_PASSWORD; ACD_MASTER_NAME
set -eu

module=/usr/local/lib/redis/modules/libacd.so
name=${ACD_MASTER_NAME:-acd}
mode=${1:-server}
[ $# -gt 0 ] && shift
umask 077
cd /data

# The password goes into redis:// URLs and into config files that Sentinel rewrites without quoting: allow only
# characters that need no escaping in either.
case "${REDIS_PASSWORD:-}" in
*[!A-Za-z0-9._~-]*)
    echo "acd-redis-entrypoint: REDIS_PASSWORD may contain only letters, digits and . _ ~ -" >&2
    exit 64
    ;;
esac

# Prints "host port" of the primary as the first Sentinel that answers knows it.
current_primary() {
    for sentinel in ${ACD_SENTINELS:-}; do
        reply=$(redis-cli -h "${sentinel%:*}" -p "${sentinel##*:}" --raw \
            SENTINEL get-master-addr-by-name "$name" 2>/dev/null | tr '\n' ' ') || continue
        host=${reply%% *}
        port=$(echo "$reply" | cut -d' ' -f2)
        if [ -n "$host" ] && [ -n "$port" ]; then
            echo "$host $port"
            return 0
        fi
    done
    return 1
}

case "$mode" in
server)
    conf=/data/acd.conf
    {
        echo "loadmodule $module"
        echo "appendonly yes"
        echo "repl-diskless-sync-delay 0"
        if [ -n "${REDIS_PASSWORD:-}" ]; then
            echo "requirepass $REDIS_PASSWORD"
            echo "masterauth $REDIS_PASSWORD"
        fi
        if [ -n "${ACD_ANNOUNCE_HOST:-}" ]; then
            echo "replica-announce-ip $ACD_ANNOUNCE_HOST"
        fi
        if primary=$(current_primary); then
            if [ "${primary% *}" != "${ACD_ANNOUNCE_HOST:-}" ]; then
                echo "replicaof $primary"
            fi
        elif [ -n "${ACD_REPLICAOF:-}" ]; then
            echo "replicaof $ACD_REPLICAOF 6379"
        fi
    } >"$conf"
    exec docker-entrypoint.sh redis-server "$conf" "$@"
    ;;
sentinel)
    # Sentinel rewrites its config file: generate it once, then let Sentinel own it.
    conf=/data/sentinel.conf
    if [ ! -f "$conf" ]; then
        {
            echo "port 26379"
            echo "sentinel resolve-hostnames yes"
            echo "sentinel announce-hostnames yes"
            echo "sentinel monitor $name ${ACD_PRIMARY_HOST:?ACD_PRIMARY_HOST is required} 6379 ${ACD_QUORUM:-2}"
            echo "sentinel down-after-milliseconds $name ${ACD_DOWN_AFTER_MS:-1000}"
            echo "sentinel failover-timeout $name 10000"
            echo "sentinel parallel-syncs $name 1"
            if [ -n "${REDIS_PASSWORD:-}" ]; then
                echo "sentinel auth-pass $name $REDIS_PASSWORD"
            fi
        } >"$conf"
    fi
    exec docker-entrypoint.sh redis-server "$conf" --sentinel "$@"
    ;;
*)
    exec "$mode" "$@"
    ;;
esac
