"""The public API is what ``syndet.__all__`` lists, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

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
