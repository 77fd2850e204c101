#!/usr/bin/env bash
# Start the Redis server the tests and benchmarks use: 127.0.0.1:6399, no persistence, data dir var/redis.
# Idempotent: installs Debian's redis-server if it is missing and does nothing if one already answers.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${SYNDET_REDIS_PORT:-6399}"

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        echo "redis-server is not installed and this user cannot install it (apt-get install redis-server)" >&2
        exit 1
    fi
    as_root=""
    [ "$(id -u)" -ne 0 ] && as_root="sudo"
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq redis-server >/dev/null
fi

if [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" = "PONG" ]; then
    exit 0
fi

dir="$PWD/var/redis"
mkdir -p "$dir"
redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis-$PORT.pid" --logfile "$dir/redis-$PORT.log" \
    --save "" --appendonly no --protected-mode yes

for _ in $(seq 1 100); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" = "PONG" ]; then
        exit 0
    fi
    sleep 0.1
done
echo "redis-server did not answer PING on 127.0.0.1:$PORT (see $dir/redis-$PORT.log)" >&2
exit 1
