"""Linked articles cut into batches of whole connected groups, each aligned, clustered and
attributed alone (:func:`syndet.engines.component.settle`) and written as sorted runs.

A batch holds about ``batch_chars`` characters of text; a connected group is never cut, so one
group larger than that is a batch of its own. With several workers, whole batches are settled side
by side, one per forked worker (each on one core, so both cores stay busy through the parts of a
batch that are sequential); with one, a batch's per-article and per-pair steps are spread instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from syndet.detector import Detector, pair_alignments
from syndet.engines.bounded.runs import Runs
from syndet.engines.bounded.spill import ArticleStore
from syndet.engines.component import Component, records, settle
from syndet.match.align import WordStream, word_stream
from syndet.match.components import component_roots
from syndet.models import Alignment
from syndet.workers import fork_map

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Batches:
    """Which articles and article pairs each batch holds.

    Attributes:
        count: Number of batches.
        settled: Which articles are in a batch (the others share nothing).
        members: Article numbers, batch after batch, ascending inside each.
        article_cuts: Where each batch's articles start in ``members`` (and where the last ends).
        left, right, by_shingles: The article pairs, batch after batch, in code order inside each.
        pair_cuts: Where each batch's pairs start (and where the last ends).
    """

    count: int
    settled: np.ndarray
    members: np.ndarray
    article_cuts: np.ndarray
    left: np.ndarray
    right: np.ndarray
    by_shingles: np.ndarray
    pair_cuts: np.ndarray

    @classmethod
    def cut(cls, codes: np.ndarray, by_shingles: np.ndarray, chars: np.ndarray, batch_chars: int) -> Batches:
        """Batches of the pairs ``codes`` (``left * articles + right``, sorted) of articles with
        ``chars`` characters each: connected groups in the order of their first article, a new
        batch begun once one holds ``batch_chars``."""
        n_articles = len(chars)
        left, right = codes // max(1, n_articles), codes % max(1, n_articles)
        roots = component_roots(n_articles, left, right)
        settled = np.zeros(n_articles, dtype=bool)
        settled[left] = settled[right] = True
        members = np.flatnonzero(settled)
        group_chars = np.bincount(roots[members], weights=chars[members], minlength=n_articles)
        batch_of_group = np.full(n_articles, -1, dtype=np.int64)
        batch, size = 0, 0.0
        firsts = np.flatnonzero(np.bincount(roots[members], minlength=n_articles))
        for g in firsts.tolist():
            if size >= batch_chars:
                batch, size = batch + 1, 0.0
            batch_of_group[g] = batch
            size += group_chars[g]
        count = batch + 1 if len(firsts) else 0
        article_batch = batch_of_group[roots[members]]
        by_article = np.argsort(article_batch, kind="stable")
        pair_batch = batch_of_group[roots[left]]
        by_pair = np.argsort(pair_batch, kind="stable")
        return cls(count, settled, members[by_article],
                   np.searchsorted(article_batch[by_article], np.arange(count + 1)),
                   left[by_pair], right[by_pair], by_shingles[by_pair],
                   np.searchsorted(pair_batch[by_pair], np.arange(count + 1)))

    def articles(self, batch: int) -> list[int]:
        """The article numbers of a batch, ascending."""
        return [int(k) for k in self.members[self.article_cuts[batch]:self.article_cuts[batch + 1]]]

    def pairs(self, batch: int) -> tuple[list[int], list[int], list[bool]]:
        """A batch's article pairs: left articles, right articles, which only shared shingles link."""
        lo, hi = self.pair_cuts[batch], self.pair_cuts[batch + 1]
        return self.left[lo:hi].tolist(), self.right[lo:hi].tolist(), self.by_shingles[lo:hi].tolist()


@dataclass(frozen=True)
class Settled:
    """What settling one batch gave: its passages and duplicate groups, and seconds spent aligning
    and settling."""

    batch: int
    passages: int
    duplicates: int
    align_s: float
    settle_s: float


def settle_batches(batches: Batches, store: ArticleStore, detector: Detector, runs: Runs, with_text: bool,
                   jobs: int, report: Progress) -> list[Settled]:
    """Settle every batch, ``jobs`` at a time on forked workers when there are enough batches to
    share (else one at a time, each spreading its own steps over ``jobs`` workers); the runs are
    written by whoever settled the batch. Results in batch order."""

    def one(batch: int) -> Settled:
        return settle_batch(batch, batches, store, detector, runs, with_text, 1 if side_by_side else jobs)

    side_by_side = jobs > 1 and batches.count >= 2 * jobs
    if side_by_side:
        return fork_map(one, batches.count, jobs, chunk=1, done=lambda n: report("attribute", n, batches.count))
    out = []
    for b in range(batches.count):
        out.append(one(b))
        report("attribute", b + 1, batches.count)
    return out


def settle_batch(batch: int, batches: Batches, store: ArticleStore, detector: Detector, runs: Runs,
                 with_text: bool, jobs: int) -> Settled:
    """Align the pairs of one batch, settle it and write its records as runs."""
    t0 = time.perf_counter()
    component, align_s = _aligned_and_settled(batches, batch, store, detector, jobs)
    kinds: dict[str, list[tuple[Any, str]]] = {"articles": [], "passages": [], "pairs": [], "duplicates": []}
    for kind, key, line in records(component, None, with_text):
        kinds[kind].append((key, line))
    passage_keys = [key for key, _ in component.passages]
    runs.add("passage-keys", batch, ((key, str(n)) for n, key in enumerate(passage_keys, 1)))
    runs.add("passages", batch, ((passage_keys[int(k) - 1], line) for k, line in kinds["passages"]))
    for kind in ("articles", "pairs", "duplicates"):
        runs.add(kind, batch, kinds[kind])
    settle_s = time.perf_counter() - t0 - align_s
    return Settled(batch, len(component.passages), len(component.duplicates), align_s, settle_s)


def _aligned_and_settled(batches: Batches, batch: int, store: ArticleStore, detector: Detector, jobs: int
                         ) -> tuple[Component, float]:
    """A batch's component and the seconds its alignment took."""
    st = detector.settings
    t0 = time.perf_counter()
    numbers = batches.articles(batch)
    left, right, by_shingles = batches.pairs(batch)
    articles = store.articles(numbers)
    paragraphs = store.paragraphs(numbers, articles)
    place = {k: n for n, k in enumerate(numbers)}
    size, seed = st.shingle.size, st.shingle.seed

    def arrays(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        built = word_stream(articles[n], paragraphs[articles[n].id], size, seed)
        return built.starts, built.ends, built.hashes

    streams = [WordStream(a.id, a.text, starts, ends, hashes, size)
               for a, (starts, ends, hashes) in zip(articles, fork_map(arrays, len(articles), jobs), strict=True)]

    def align(n: int) -> list[Alignment]:
        return pair_alignments(streams[place[left[n]]], streams[place[right[n]]], st.verify, by_shingles[n],
                               st.lsh.shingle_run_extra)

    keyed = [((ka, kb, n), al)
             for ka, kb, runs in zip(left, right, fork_map(align, len(left), jobs, chunk=512), strict=True)
             for n, al in enumerate(runs)]
    words = {s.article_id: s.words for s in streams}
    order = {a.id: k for a, k in zip(articles, numbers, strict=True)}
    by_id = {s.article_id: s for s in streams}
    align_s = time.perf_counter() - t0
    found = settle(articles, paragraphs, keyed, words, order, st, detector.catalogue, jobs, by_id.__getitem__)
    return found, align_s
