#!/usr/bin/env bash
# Install syndet with its test tools and the services its tests use, then lint, type-check and test.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
for service in scripts/services/*.sh; do
    [ -e "$service" ] && bash "$service"
done
.venv/bin/ruff check syndet tests benchmarks
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
