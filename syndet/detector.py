"""Run the whole pipeline over a set of articles: the one place the stages meet."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from syndet.align import WordStream, align, verified, word_stream
from syndet.cluster import build_passages
from syndet.index import MemoryIndex
from syndet.models import Alignment, Article, Paragraph, Passage
from syndet.segment import compile_chrome, learn_chrome, mark_learned, split_paragraphs
from syndet.settings import Settings
from syndet.shingle import hash_texts
from syndet.signature import permutations, signatures
from syndet.sources import read_articles

Progress = Callable[[str, int, int], None]
Warn = Callable[[str], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class ScanResult:
    """Everything a scan found, ready for a reporter.

    Attributes:
        articles: The articles read, in input order.
        paragraphs: Paragraphs of each article (chrome flagged).
        passages: Shared passages, largest first.
        alignments: The pairwise runs the passages were built from.
        warnings: Problems with the input (each file named once).
        stats: Counts and timings of the run.
    """

    articles: tuple[Article, ...]
    paragraphs: dict[str, tuple[Paragraph, ...]]
    passages: tuple[Passage, ...]
    alignments: tuple[Alignment, ...]
    warnings: tuple[str, ...] = ()
    stats: dict[str, float] = field(default_factory=dict)

    def article(self, article_id: str) -> Article:
        """The article with this id."""
        return self._by_id()[article_id]

    def _by_id(self) -> dict[str, Article]:
        cache: dict[str, Article] | None = self.__dict__.get("_by_id_cache")
        if cache is None:
            cache = {a.id: a for a in self.articles}
            object.__setattr__(self, "_by_id_cache", cache)
        return cache

    def content_chars(self, article_id: str) -> int:
        """Characters of the article's paragraphs that are not chrome."""
        return sum(p.end - p.start for p in self.paragraphs[article_id] if not p.chrome)

    def shared_chars(self, article_id: str) -> int:
        """Characters of the article covered by at least one passage."""
        spans = sorted((s.start, s.end) for p in self.passages for s in p.spans if s.article_id == article_id)
        total, reach = 0, -1
        for start, end in spans:
            start = max(start, reach)
            if end > start:
                total += end - start
                reach = end
        return total

    def shared_fraction(self, article_id: str) -> float:
        """Share of the article's content covered by passages (0..1)."""
        content = self.content_chars(article_id)
        return min(1.0, self.shared_chars(article_id) / content) if content else 0.0


class Detector:
    """Finds the passages that articles share.

    Args:
        settings: Effective settings (see :mod:`syndet.config` to read them from YAML).
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._chrome = compile_chrome(self.settings.segment.chrome_patterns)

    def scan_paths(self, paths: Iterable[Path], progress: Progress | None = None,
                   warn: Warn | None = None) -> ScanResult:
        """Read every article under ``paths`` and scan them (see :meth:`scan`)."""
        warnings: list[str] = []

        def _warn(message: str) -> None:
            warnings.append(message)
            if warn:
                warn(message)

        report = progress or _no_progress
        articles = []
        for article in read_articles(paths, self.settings.input, _warn):
            articles.append(article)
            if len(articles) % 1000 == 0:
                report("read", len(articles), 0)
        result = self.scan(articles, progress)
        return ScanResult(result.articles, result.paragraphs, result.passages, result.alignments,
                          tuple(warnings), result.stats)

    def segment(self, articles: Sequence[Article]) -> dict[str, tuple[Paragraph, ...]]:
        """Paragraphs of each article, with configured and learnt chrome flagged."""
        seg = self.settings.segment
        paras = [split_paragraphs(a, self._chrome) for a in articles]
        if seg.learn_chrome:
            learned = learn_chrome(articles, paras, seg.learn_min_articles, seg.learn_max_words)
            paras = [mark_learned(a, p, learned) for a, p in zip(articles, paras, strict=False)]
        return {a.id: tuple(p) for a, p in zip(articles, paras, strict=False)}

    def scan(self, articles: Sequence[Article], progress: Progress | None = None) -> ScanResult:
        """Find the passages shared by two or more of ``articles``."""
        report = progress or _no_progress
        st = self.settings
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        paragraphs = self.segment(articles)
        timings["segment_s"] = time.perf_counter() - t0

        owner: list[int] = []
        texts: list[str] = []
        for k, article in enumerate(articles):
            for para in paragraphs[article.id]:
                if not para.chrome:
                    owner.append(k)
                    texts.append(article.text[para.start:para.end])
        t0 = time.perf_counter()
        hashes: list[np.ndarray] = []
        step = 20000
        for lo in range(0, len(texts), step):
            hashes.extend(hash_texts(texts[lo:lo + step], st.shingle.size, st.shingle.seed))
            report("hash", min(lo + step, len(texts)), len(texts))
        timings["hash_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        sigs = signatures(hashes, permutations(st.minhash.num_perm, st.minhash.seed))
        timings["minhash_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        index = MemoryIndex(st.lsh.threshold, st.minhash.num_perm, st.minhash.seed)
        nonempty = np.flatnonzero([len(h) > 0 for h in hashes]) if hashes else np.empty(0, dtype=np.int64)
        index.add(nonempty, sigs[nonempty] if len(nonempty) else sigs)
        article_pairs: dict[tuple[int, int], int] = defaultdict(int)
        checked: set[tuple[int, int]] = set()
        candidates = 0
        for x, y in index.candidate_pairs(st.lsh.max_bucket):
            ka, kb = owner[x], owner[y]
            if ka == kb or (x, y) in checked:
                continue
            checked.add((x, y))
            candidates += 1
            pair = (ka, kb) if ka < kb else (kb, ka)
            if verified(hashes[x], hashes[y], st.verify):
                article_pairs[pair] += 1
        timings["lsh_s"] = time.perf_counter() - t0
        del checked, sigs, index

        t0 = time.perf_counter()
        streams: dict[int, WordStream] = {}

        def stream(k: int) -> WordStream:
            if k not in streams:
                art = articles[k]
                streams[k] = word_stream(art, paragraphs[art.id], st.shingle.size, st.shingle.seed)
            return streams[k]

        alignments: list[Alignment] = []
        for n, (ka, kb) in enumerate(sorted(article_pairs), 1):
            alignments.extend(align(stream(ka), stream(kb), st.verify))
            if n % 1000 == 0:
                report("align", n, len(article_pairs))
        order = {a.id: k for k, a in enumerate(articles)}
        passages = build_passages(alignments, st.verify.min_merge_overlap, order)
        timings["align_s"] = time.perf_counter() - t0
        stats: dict[str, float] = {
            "articles": len(articles),
            "paragraphs": sum(len(p) for p in paragraphs.values()),
            "content_paragraphs": len(texts),
            "candidate_pairs": candidates,
            "article_pairs": len(article_pairs),
            "passages": len(passages),
            **timings,
        }
        return ScanResult(tuple(articles), paragraphs, tuple(passages), tuple(alignments), (), stats)
