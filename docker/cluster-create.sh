#!/bin/sh
# One-shot job of the compose `scale` profile: creates the Redis Cluster from ACD_CLUSTER_NODES ("ip:port ...",
# primaries first), one replica per primary, unless the nodes already form a cluster (so re-running the job on a
# restarted stack changes nothing). REDIS_PASSWORD, when set, authenticates redis-cli.
set -eu

nodes=${ACD_CLUSTER_NODES:?ACD_CLUSTER_NODES is required}
if [ -n "${REDIS_PASSWORD:-}" ]; then
    REDISCLI_AUTH=$REDIS_PASSWORD
    export REDISCLI_AUTH
fi

for node in $nodes; do
    tries=0
    until [ "$(redis-cli -h "${node%:*}" -p "${node##*:}" PING 2>/dev/null)" = "PONG" ]; do
        tries=$((tries + 1))
        if [ "$tries" -ge 60 ]; then
            echo "cluster-create: $node did not answer PING in 60 s" >&2
            exit 1
        fi
        sleep 1
    done
done

first=${nodes%% *}
assigned=$(redis-cli -h "${first%:*}" -p "${first##*:}" CLUSTER INFO | tr -d '\r' |
    sed -n 's/^cluster_slots_assigned://p')
if [ "${assigned:-0}" != "0" ]; then
    echo "cluster-create: the cluster exists ($assigned slots assigned); nothing to do"
    exit 0
fi

# shellcheck disable=SC2086 # one argument per node
exec redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes
