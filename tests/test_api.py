"""The public API is what ``syndet.__all__`` lists, and importing it stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import syndet


def test_public_api_is_pinned() -> None:
    assert sorted(syndet.__all__) == sorted([
        "Alignment", "Article", "Attribution", "ConfigError", "Decision", "Detector", "Evidence", "Filter",
        "IndexError_", "InputError", "Paragraph", "Passage", "ScanResult", "Settings", "Span",
        "SyndetError", "__version__",
    ])
    for name in syndet.__all__:
        assert hasattr(syndet, name), name


def test_import_does_not_pull_cli_or_yaml() -> None:
    code = "import sys, syndet; print(sorted(m for m in ('click', 'yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_second_process_bands_signatures_without_importing_scipy(tmp_path: Path) -> None:
    """The banding datasketch chose is read from the cache folder: a later filter or scan starts
    without importing datasketch's LSH and SciPy behind it (about a second)."""
    code = ("import sys\nfrom syndet.settings import Settings\nfrom syndet.store.base import Banding\n"
            "from syndet.match.candidates import MemoryIndex\n"
            "print(Banding.for_settings(Settings()).b, MemoryIndex(0.3, 128, 1).bands,"
            " sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))")
    env = {**os.environ, "SYNDET_CACHE_DIR": str(tmp_path)}
    first, second = (subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                    env=env).stdout.strip() for _ in range(2))
    assert first == "37 (37, 3) ['datasketch', 'scipy']"
    assert second == "37 (37, 3) []"
