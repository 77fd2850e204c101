#!/usr/bin/env bash
# Install syndet with its test tools and the services its tests use, then lint, type-check and test.
# Extra arguments go to pytest. A Redis server this script starts is stopped again when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
started_redis=0
if ! bash scripts/services/redis.sh status; then
    started_redis=1
fi
trap '[ "$started_redis" = 1 ] && bash scripts/services/redis.sh stop' EXIT
for service in scripts/services/*.sh; do
    [ -e "$service" ] && bash "$service"
done
.venv/bin/ruff check syndet tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
