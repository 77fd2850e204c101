#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install syndet into it with the extras named as arguments.
# Usage: scripts/setup.sh [EXTRA ...]    e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    echo "syndet needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

if [ ! -x .venv/bin/python ]; then
    py=$(find_python)
    "$py" -m venv .venv || {
        echo "could not create .venv: install the venv module (Debian: apt-get install python3-venv)" >&2
        exit 1
    }
fi
extras=$(IFS=,; echo "$*")
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
# The build backend's notices are kept out of the way; on a failure the whole log is shown.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec" >"$log" 2>&1; then
    cat "$log" >&2
    echo "installing syndet into .venv failed (see above)" >&2
    exit 1
fi
