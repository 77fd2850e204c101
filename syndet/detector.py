"""Run the whole pipeline over a set of articles: the one place the stages meet."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from syndet.align import WordStream, align, word_stream
from syndet.attribute import attribute, origin_shares
from syndet.cluster import build_passages
from syndet.evidence import Catalogue, load_catalogue
from syndet.index import MemoryIndex, overlaps
from syndet.models import Alignment, Article, Paragraph, Passage, Span, covered_chars
from syndet.parallel import hash_paragraphs, resolve_jobs
from syndet.segment import compile_chrome, learn_chrome, mark_learned, split_paragraphs
from syndet.settings import Settings
from syndet.signature import permutations, signatures_flat
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
        return covered_chars((s.start, s.end) for _, s in self.copies_in(article_id))

    def copies_in(self, article_id: str) -> tuple[tuple[Passage, Span], ...]:
        """Every passage copy in the article, as (passage, span), in passage order."""
        cache: dict[str, list[tuple[Passage, Span]]] | None = self.__dict__.get("_copies_cache")
        if cache is None:
            cache = defaultdict(list)
            for passage in self.passages:
                for span in passage.spans:
                    cache[span.article_id].append((passage, span))
            object.__setattr__(self, "_copies_cache", cache)
        return tuple(cache.get(article_id, ()))

    def shared_fraction(self, article_id: str) -> float:
        """Share of the article's content covered by passages (0..1)."""
        content = self.content_chars(article_id)
        return min(1.0, self.shared_chars(article_id) / content) if content else 0.0

    def origin_shares(self, article_id: str) -> list[tuple[str, float]]:
        """Share of the article's content syndicated from each origin, largest first ("62% AP")."""
        return origin_shares(self.copies_in(article_id), article_id, self.content_chars(article_id))


class Detector:
    """Finds the passages that articles share.

    Args:
        settings: Effective settings (see :mod:`syndet.config` to read them from YAML).
        catalogue: Evidence catalogue; read from ``settings.attribute`` on first use when None.
    """

    def __init__(self, settings: Settings | None = None, catalogue: Catalogue | None = None) -> None:
        self.settings = settings or Settings()
        self._chrome = compile_chrome(self.settings.segment.chrome_patterns)
        self._catalogue = catalogue

    @property
    def catalogue(self) -> Catalogue:
        """The evidence catalogue passages are attributed with (raises ConfigError if unreadable)."""
        if self._catalogue is None:
            at = self.settings.attribute
            self._catalogue = load_catalogue(Path(at.catalogue) if at.catalogue else None,
                                             [Path(p) for p in at.extra_catalogues])
        return self._catalogue

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
        content = len(texts)
        jobs = resolve_jobs(st.jobs, sum(map(len, texts)))
        flat, offsets = hash_paragraphs(texts, st.shingle.size, st.shingle.seed, jobs,
                                        lambda done: report("hash", done, content))
        del texts
        timings["hash_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        # Only paragraphs with words get a signature (an empty one would share every bucket); their
        # shingles are contiguous in ``flat``, so their offsets are the starts plus the final end.
        nonempty = np.flatnonzero(np.diff(offsets))
        sigs = signatures_flat(flat, np.append(offsets[nonempty], offsets[-1]),
                               permutations(st.minhash.num_perm, st.minhash.seed), threads=jobs)
        timings["minhash_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        index = MemoryIndex(st.lsh.threshold, st.minhash.num_perm, st.minhash.seed)
        index.add(nonempty, sigs)
        del sigs
        pairs = index.candidate_pairs(st.lsh.max_bucket)
        del index
        owners = np.asarray(owner, dtype=np.int64)
        pairs = pairs[owners[pairs[:, 0]] != owners[pairs[:, 1]]]
        candidates = len(pairs)
        containment, jaccard = overlaps(flat, offsets, pairs)
        keep = (containment >= st.verify.min_containment) | (jaccard >= st.verify.min_jaccard)
        linked = np.sort(owners[pairs[keep]], axis=1)
        codes, counts = np.unique(linked[:, 0] * len(articles) + linked[:, 1], return_counts=True)
        article_pairs = {(int(c) // len(articles), int(c) % len(articles)): int(n)
                         for c, n in zip(codes.tolist(), counts.tolist(), strict=True)}
        timings["lsh_s"] = time.perf_counter() - t0
        del pairs, flat

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
        t0 = time.perf_counter()
        passages = list(attribute(passages, articles, paragraphs, self.catalogue, st.attribute))
        timings["attribute_s"] = time.perf_counter() - t0
        stats: dict[str, float] = {
            "articles": len(articles),
            "paragraphs": sum(len(p) for p in paragraphs.values()),
            "content_paragraphs": content,
            "candidate_pairs": candidates,
            "article_pairs": len(article_pairs),
            "passages": len(passages),
            **timings,
        }
        return ScanResult(tuple(articles), paragraphs, tuple(passages), tuple(alignments), (), stats)
