#!/usr/bin/env bash
# The Redis server the tests and benchmarks use: 127.0.0.1:6399, no persistence, data dir var/redis.
#   redis.sh          start it (installs Debian's redis-server if missing; nothing if one answers)
#   redis.sh status   exit 0 if a server answers on the port
#   redis.sh stop     shut down the server answering on the port
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${SYNDET_REDIS_PORT:-6399}"
action="${1:-start}"

answers() {
    command -v redis-cli >/dev/null 2>&1 &&
        [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" = "PONG" ]
}

case "$action" in
    status) answers; exit $? ;;
    stop)
        if answers; then
            redis-cli -h 127.0.0.1 -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
            echo "stopped the Redis server on 127.0.0.1:$PORT"
        fi
        exit 0 ;;
    start) ;;
    *) echo "usage: redis.sh [start|status|stop]" >&2; exit 2 ;;
esac

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

if answers; then
    exit 0
fi

dir="$PWD/var/redis"
mkdir -p "$dir"
redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis-$PORT.pid" --logfile "$dir/redis-$PORT.log" \
    --save "" --appendonly no --protected-mode yes

for _ in $(seq 1 100); do
    if answers; then
        exit 0
    fi
    sleep 0.1
done
echo "redis-server did not answer PING on 127.0.0.1:$PORT (see $dir/redis-$PORT.log)" >&2
exit 1
