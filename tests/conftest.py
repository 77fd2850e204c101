"""Shared fixtures: the bundled sample corpus and small article builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndet.models import Article

ROOT = Path(__file__).resolve().parent.parent
GENEVA = ROOT / "examples" / "geneva-2022"


@pytest.fixture(scope="session")
def geneva() -> Path:
    """The five real articles on the Geneva talks shipped with the project."""
    return GENEVA


def article(ident: str, text: str, **meta: str) -> Article:
    """An in-memory article."""
    return Article(id=ident, text=text, **meta)  # type: ignore[arg-type]
