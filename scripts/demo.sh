#!/usr/bin/env bash
# Install syndet into .venv and scan the bundled sample corpus (extra arguments go to `syndet scan`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/syndet scan examples/geneva-2022 "$@"
