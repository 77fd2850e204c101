"""``python -m syndet``: the same command as ``syndet``."""

from __future__ import annotations

from syndet.cli import main

if __name__ == "__main__":
    main(prog_name="syndet")
