"""What one connected group of articles shares, worked out on one executor.

Every step after alignment (clustering spans into passages, attribution, pair figures, duplicate
groups) only relates articles that share text, so the answer for a connected group of articles is
the whole scan's answer restricted to that group: :func:`group_of` runs the local engine's own
functions on one group.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from syndet.attribution.evidence import Catalogue
from syndet.detector import Detector
from syndet.engines.component import Component, Record, lone_record, settle
from syndet.engines.component import records as component_records
from syndet.engines.spark import tasks
from syndet.models import Alignment, Span
from syndet.settings import Settings

_CATALOGUES: dict[tuple[str | None, tuple[str, ...]], Catalogue] = {}


def _catalogue(settings: Settings) -> Catalogue:
    """The evidence catalogue on an executor, read once per worker (as the local engine reads it)."""
    at = settings.attribute
    key = (at.catalogue, tuple(at.extra_catalogues))
    if key not in _CATALOGUES:
        _CATALOGUES[key] = Detector(settings).catalogue
    return _CATALOGUES[key]


def group_of(item: tuple[int, tuple[Iterable[Any], Iterable[Any]]], settings: Settings, problems: Any = None
             ) -> tuple[int, Component]:
    """Passages (with their sort keys), pairs and duplicate groups of one connected component."""
    comp, (aligned_rows, article_rows) = item
    rows = sorted((r.asDict() for r in article_rows), key=lambda r: r["k"])
    articles = [tasks.article_of(r) for r in rows]
    paragraphs = {a.id: tasks.unpack_paragraphs(a.id, r["paras"]) for a, r in zip(articles, rows, strict=True)}
    ident = {r["k"]: a.id for a, r in zip(articles, rows, strict=True)}
    order = {a.id: r["k"] for a, r in zip(articles, rows, strict=True)}
    keys: list[tuple[int, int, int]] = []
    alignments: list[Alignment] = []
    words: dict[str, int] = {}
    for r in sorted(aligned_rows, key=lambda r: (r.ka, r.kb, r.n)):
        keys.append((r.ka, r.kb, r.n))
        a, b = ident[r.ka], ident[r.kb]
        alignments.append(Alignment(Span(a, r.left_start, r.left_end), Span(b, r.right_start, r.right_end),
                                    r.words, r.left_words, r.right_words))
        words[a], words[b] = r.wa, r.wb
    catalogue = _catalogue(settings)
    done = settle(articles, paragraphs, list(zip(keys, alignments, strict=True)), words, order, settings, catalogue)
    if problems is not None and catalogue.pattern_problems():
        problems.add({(1_000_000 + n, m) for n, m in enumerate(catalogue.pattern_problems())})
    return comp, done


def records(item: tuple[int, tuple[Component, dict[int, int] | None]]) -> list[Record]:
    """``(kind, sort key, JSON line)`` of a component's articles, passages, pairs and duplicates."""
    _, (component, numbers) = item
    return component_records(component, numbers)


def lone_article(row: dict[str, Any]) -> Record:
    """The article record of an article that shares nothing."""
    article = tasks.article_of(row)
    return "articles", row["k"], lone_record(article, tasks.unpack_paragraphs(article.id, row["paras"]))
