"""What one connected group of articles shares, worked out on one executor.

Every step after alignment (clustering spans into passages, attribution, pair figures, duplicate
groups) only relates articles that share text, so the answer for a connected group of articles is
the whole scan's answer restricted to that group: :func:`group_of` runs the local engine's own
functions on one group.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from syndet.attribution.attribute import attribute
from syndet.attribution.evidence import Catalogue
from syndet.detector import Detector, reported_pairs
from syndet.engines.spark import tasks
from syndet.match.align import word_stream
from syndet.match.cluster import cluster_passages, passage_order
from syndet.match.mirrors import cut_duplicates
from syndet.match.pairs import duplicate_groups, pair_figures, twin_of
from syndet.models import Alignment, Article, DuplicateGroup, Pair, Paragraph, Passage, Span
from syndet.report.json import to_json
from syndet.result import ScanResult
from syndet.settings import Settings

_CATALOGUES: dict[tuple[str | None, tuple[str, ...]], Catalogue] = {}


def _catalogue(settings: Settings) -> Catalogue:
    """The evidence catalogue on an executor, read once per worker (as the local engine reads it)."""
    at = settings.attribute
    key = (at.catalogue, tuple(at.extra_catalogues))
    if key not in _CATALOGUES:
        _CATALOGUES[key] = Detector(settings).catalogue
    return _CATALOGUES[key]


@dataclass(frozen=True)
class Component:
    """What one connected group of articles shares: its articles, alignments, passages (numbered
    inside the group, each with its global sort key), pairs and duplicate groups."""

    articles: tuple[Article, ...]
    paragraphs: dict[str, tuple[Paragraph, ...]]
    alignments: tuple[Alignment, ...]
    passages: tuple[tuple[tuple[Any, ...], Passage], ...]
    pairs: tuple[Pair, ...]
    duplicates: tuple[DuplicateGroup, ...]
    order: dict[str, int]

    def light(self) -> Component:
        """The component without its articles (the driver has them already)."""
        return Component((), {}, self.alignments, self.passages, self.pairs, self.duplicates, self.order)

    def result(self, numbers: dict[int, int] | None = None) -> ScanResult:
        """The component as a scan result, its passages numbered as ``numbers`` says (their place
        in the group -> their number in the whole scan; the group's own numbers without it)."""
        passages = tuple(replace(p, id=f"P{numbers[n] if numbers else n + 1}")
                         for n, (_, p) in enumerate(self.passages))
        return ScanResult(self.articles, self.paragraphs, passages, self.alignments, pairs=self.pairs,
                          duplicates=self.duplicates)


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
    st = settings
    by_id = {a.id: a for a in articles}
    all_figures = pair_figures(alignments, words, order)
    cut = cut_duplicates(alignments, all_figures, lambda ident: word_stream(by_id[ident], paragraphs[ident],
                                                                            st.shingle.size, st.shingle.seed),
                         st.verify)
    found = cluster_passages([al for _, al in cut], st.verify.min_merge_overlap, order)
    # A piece cut from an alignment sorts where that alignment sorts, as in the local engine's list.
    cut_keys = [(*keys[k], m) for m, (k, _) in enumerate(cut)]
    ranked = sorted(((p, passage_order(p, cut_keys[first])) for p, first in found), key=lambda pk: pk[1])
    passages = [replace(p, id=f"P{n}") for n, (p, _) in enumerate(ranked, 1)]
    catalogue = _catalogue(settings)
    twins = twin_of(duplicate_groups(all_figures, st.verify.duplicate_at, order))
    done = attribute(passages, articles, paragraphs, catalogue, st.attribute, twins=twins)
    if problems is not None and catalogue.pattern_problems():
        problems.add({(1_000_000 + n, m) for n, m in enumerate(catalogue.pattern_problems())})
    figures, groups = reported_pairs(done, all_figures, order, st.verify.duplicate_at)
    return comp, Component(tuple(articles), paragraphs, tuple(alignments),
                           tuple((key, p) for p, (_, key) in zip(done, ranked, strict=True)),
                           tuple(figures), tuple(groups), order)


def records(item: tuple[int, tuple[Component, dict[int, int] | None]]) -> list[tuple[str, Any, str]]:
    """``(kind, sort key, JSON line)`` of a component's articles, passages, pairs and duplicates."""
    _, (component, numbers) = item
    data = to_json(component.result(numbers or {}))
    order = component.order
    out: list[tuple[str, Any, str]] = []
    for record in data["articles"]:
        out.append(("articles", order[record["id"]], json.dumps(record, ensure_ascii=False)))
    for record in data["passages"]:
        out.append(("passages", int(record["id"][1:]), json.dumps(record, ensure_ascii=False)))
    for record in data["pairs"]:
        a, b = record["articles"]
        out.append(("pairs", (-record["words"], order[a], order[b]), json.dumps(record, ensure_ascii=False)))
    for record in data["duplicates"]:
        out.append(("duplicates", order[record["articles"][0]], json.dumps(record, ensure_ascii=False)))
    return out


def lone_article(row: dict[str, Any]) -> tuple[str, Any, str]:
    """The article record of an article that shares nothing."""
    article = tasks.article_of(row)
    result = ScanResult((article,), {article.id: tasks.unpack_paragraphs(article.id, row["paras"])}, (), ())
    return "articles", row["k"], json.dumps(to_json(result)["articles"][0], ensure_ascii=False)
