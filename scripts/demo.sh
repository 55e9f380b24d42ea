#!/usr/bin/env bash
# Builds the module, starts a throw-away redis-server with it on a free port, and walks through
# a short contact-center scenario with redis-cli. Stops the server on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -p acd-module
dir=$(mktemp -d)
cp target/release/libacd.so "$dir/"
port=${ACD_DEMO_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
redis-server --port "$port" --bind 127.0.0.1 --save '' --dir "$dir" \
  --loadmodule "$dir/libacd.so" --daemonize yes --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

step() {
  printf '\n\033[1m> %s\033[0m\n' "$*"
  redis-cli -p "$port" "$@"
}

step ACD.AGENT.ADD demo alice SKILLS 2 english billing=5 META '{"name":"Alice"}'
step ACD.AGENT.ADD demo bob SKILLS 2 english spanish
step ACD.AGENT.ADD demo carla SKILLS 2 spanish support=3
step ACD.OPEN demo
step ACD.AGENTS demo STATE ready
step ACD.ENQUEUE demo call-1 SKILLS 2 english billing=4
step ACD.ENQUEUE demo call-2 SKILLS 1 spanish PRIORITY 5
step ACD.ENQUEUE demo chat-3 SKILLS 1 english
step ACD.ENQUEUE demo chat-4 SKILLS 1 support=3
step ACD.QUEUE demo
step ACD.COMPLETE demo call-1
step ACD.CONTACT.GET demo chat-3
step ACD.AGENT.GET demo alice
step ACD.STATS demo
step ACD.CLOSE demo
echo
echo "demo done (redis-server on port $port stopped)"
