"""What one connected group of articles shares: the stages after alignment, for a part of a scan.

Every step after alignment (clustering spans into passages, attribution, pair figures, duplicate
groups) only relates articles that share text, so the answer for a set of whole connected groups
of articles is the whole scan's answer restricted to that set. The Spark engine settles one group
per task and the bounded-memory local engine a batch of groups at a time; both call :func:`settle`,
then number the passages over the whole scan by their sort keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from syndet.attribution.attribute import attribute
from syndet.attribution.evidence import Catalogue
from syndet.detector import reported_pairs
from syndet.match.align import WordStream, word_stream
from syndet.match.cluster import cluster_passages, passage_order
from syndet.match.mirrors import cut_duplicates
from syndet.match.pairs import duplicate_groups, pair_figures, twin_of
from syndet.models import Alignment, Article, DuplicateGroup, Pair, Paragraph, Passage
from syndet.report.json import to_json
from syndet.result import ScanResult
from syndet.settings import Settings

AlignmentKey = tuple[int, int, int]
"""Where an alignment sorts in the local engine's list: (left article, right article, its number in the pair)."""


@dataclass(frozen=True)
class Component:
    """What one connected group of articles (or a batch of whole groups) shares: its articles,
    alignments, passages (numbered inside the group, each with its global sort key), pairs and
    duplicate groups."""

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

    def result(self, numbers: Mapping[int, int] | None = None) -> ScanResult:
        """The component as a scan result, its passages numbered as ``numbers`` says (their place
        in the group -> their number in the whole scan; the group's own numbers without it)."""
        passages = tuple(replace(p, id=f"P{numbers[n] if numbers else n + 1}")
                         for n, (_, p) in enumerate(self.passages))
        return ScanResult(self.articles, self.paragraphs, passages, self.alignments, pairs=self.pairs,
                          duplicates=self.duplicates)


def settle(articles: Sequence[Article], paragraphs: dict[str, tuple[Paragraph, ...]],
           keyed: Sequence[tuple[AlignmentKey, Alignment]], words: Mapping[str, int], order: dict[str, int],
           settings: Settings, catalogue: Catalogue, jobs: int = 1,
           stream_of: Callable[[str], WordStream] | None = None) -> Component:
    """Passages (with their sort keys), attribution, pairs and duplicate groups of whole connected
    groups of articles.

    Args:
        articles: The groups' articles, in input order.
        paragraphs: Their paragraphs, chrome flagged.
        keyed: The groups' alignments with their :data:`AlignmentKey`, in key order.
        words: Content words of each aligned article.
        order: Each article's place in the whole input.
        settings: Effective settings.
        catalogue: The evidence catalogue.
        jobs: Worker processes for attribution.
        stream_of: The word stream of an article by id, when the caller keeps them (built again
            otherwise).
    """
    st = settings
    by_id = {a.id: a for a in articles}
    alignments = [al for _, al in keyed]
    all_figures = pair_figures(alignments, words, order)
    streams = stream_of or (lambda ident: word_stream(by_id[ident], paragraphs[ident], st.shingle.size,
                                                     st.shingle.seed))
    cut = cut_duplicates(alignments, all_figures, streams, st.verify)
    found = cluster_passages([al for _, al in cut], st.verify.min_merge_overlap, order)
    # A piece cut from an alignment sorts where that alignment sorts, as in the local engine's list.
    cut_keys = [(*keyed[k][0], m) for m, (k, _) in enumerate(cut)]
    ranked = sorted(((p, passage_order(p, cut_keys[first])) for p, first in found), key=lambda pk: pk[1])
    passages = [replace(p, id=f"P{n}") for n, (p, _) in enumerate(ranked, 1)]
    twins = twin_of(duplicate_groups(all_figures, st.verify.duplicate_at, order))
    done = attribute(passages, articles, paragraphs, catalogue, st.attribute, jobs=jobs, twins=twins)
    figures, groups = reported_pairs(done, all_figures, order, st.verify.duplicate_at)
    return Component(tuple(articles), paragraphs, tuple(alignments),
                     tuple((key, p) for p, (_, key) in zip(done, ranked, strict=True)),
                     tuple(figures), tuple(groups), order)


Record = tuple[str, Any, str]
"""``(kind, sort key, JSON line)`` of one record of the report."""


def records(component: Component, numbers: Mapping[int, int] | None = None, with_text: bool = False) -> list[Record]:
    """The report records of a component's articles, passages, pairs and duplicates, each with the
    key it sorts by in the whole report (articles by input order, passages by number, pairs most
    shared first, duplicate groups by their first article)."""
    data = to_json(component.result(numbers or {}), with_text)
    order = component.order
    out: list[Record] = []
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


def lone_record(article: Article, paragraphs: tuple[Paragraph, ...], with_text: bool = False) -> str:
    """The report record (JSON line) of an article that shares nothing."""
    result = ScanResult((article,), {article.id: paragraphs}, (), ())
    return json.dumps(to_json(result, with_text)["articles"][0], ensure_ascii=False)
