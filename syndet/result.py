"""What a scan found, with the per-article figures every report needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from syndet.attribution.attribute import origin_shares
from syndet.models import Alignment, Article, DuplicateGroup, Pair, Paragraph, Passage, Span, clip, covered_chars


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
        skipped: Inputs passed over without a warning, by kind (web-archive records that are not
            pages, files whose reader is not installed).
        pairs: Each pair of articles that share text, with its own figures, most shared first.
        duplicates: Groups of articles that are the same text.
    """

    articles: tuple[Article, ...]
    paragraphs: dict[str, tuple[Paragraph, ...]]
    passages: tuple[Passage, ...]
    alignments: tuple[Alignment, ...]
    warnings: tuple[str, ...] = ()
    stats: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    pairs: tuple[Pair, ...] = ()
    duplicates: tuple[DuplicateGroup, ...] = ()

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
        return sum(hi - lo for lo, hi in self.content_ranges(article_id))

    def content_ranges(self, article_id: str) -> list[tuple[int, int]]:
        """The ``[start, end)`` ranges of the article's paragraphs that are not chrome, in order."""
        cache: dict[str, list[tuple[int, int]]] | None = self.__dict__.get("_content_cache")
        if cache is None:
            cache = {}
            object.__setattr__(self, "_content_cache", cache)
        found = cache.get(article_id)
        if found is None:
            found = cache[article_id] = sorted((p.start, p.end) for p in self.paragraphs[article_id] if not p.chrome)
        return list(found)

    def covered(self, article_id: str, spans: Iterable[Span]) -> int:
        """Content characters of the article inside ``spans`` (gaps between paragraphs and chrome
        not counted, overlaps counted once): never more than :meth:`content_chars`."""
        return covered_chars(clip(((s.start, s.end) for s in spans), self.content_ranges(article_id)))

    def shared_chars(self, article_id: str) -> int:
        """Content characters of the article covered by at least one passage."""
        return self.covered(article_id, (s for _, s in self.copies_in(article_id)))

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
        return share(self.shared_chars(article_id), self.content_chars(article_id))

    def origin_shares(self, article_id: str) -> list[tuple[str, float]]:
        """Share of the article's content syndicated from each origin, largest first ("62% AP")."""
        return origin_shares(self.copies_in(article_id), article_id, self.content_ranges(article_id))


def share(shared: int, content: int) -> float:
    """``shared`` characters as a share of ``content`` characters (0..1; 0 for no content)."""
    return min(1.0, shared / content) if content else 0.0
