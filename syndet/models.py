"""Frozen records that travel through the pipeline, from articles to decisions."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One news article as read from a source.

    Attributes:
        id: Unique identifier within a scan (file path relative to the scanned root, or the JSONL id).
        text: The full original text; every offset in syndet points into it.
        title: Headline, if known.
        source: Outlet or agency name, if known.
        published: ISO 8601 publication time, if known.
        url: Canonical address, if known.
        path: File the article came from (with ``:line`` for JSON Lines), for messages.
        body_start: Offset where the article body starts (after YAML front matter, if any).
        author: Byline, if known.
    """

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None
    body_start: int = 0
    author: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of an article with its exact character range in ``Article.text``.

    Attributes:
        article_id: Owning article.
        index: Position of the paragraph within the article, from 0.
        start: Offset of the first character.
        end: Offset one past the last character.
        chrome: True for page furniture ("Leave a Reply", share prompts) kept for offsets but not matched.
    """

    article_id: str
    index: int
    start: int
    end: int
    chrome: bool = False


@dataclass(frozen=True)
class Span:
    """A character range ``[start, end)`` of one article's text."""

    article_id: str
    start: int
    end: int

    @property
    def length(self) -> int:
        """Number of characters covered."""
        return self.end - self.start


@dataclass(frozen=True)
class Alignment:
    """One verified shared run between two articles, before clustering.

    Attributes:
        left: The span in the first article.
        right: The span in the second article.
        words: Number of words the two spans share in order.
        left_words: Number of words the left span covers.
        right_words: Number of words the right span covers.
    """

    left: Span
    right: Span
    words: int
    left_words: int
    right_words: int

    @property
    def stretch(self) -> int:
        """Words of the stretch on its longer side (at least the words shared)."""
        return max(self.words, self.left_words, self.right_words)


def edit_ratio(alignments: Iterable[Alignment]) -> float:
    """Share of the words inside the stretches of ``alignments`` that are not matched, rounded."""
    matched = stretch = 0
    for al in alignments:
        matched += al.words
        stretch += al.stretch
    return round(1.0 - matched / stretch, 4) if stretch else 0.0


@dataclass(frozen=True)
class Evidence:
    """One observation that supports an attribution.

    Attributes:
        kind: What was observed, e.g. ``dateline``, ``credit``, ``earliest``, ``edit:quotes_stripped``.
        article_id: Article the observation was made in.
        detail: Human-readable text of the observation (the matched line, the edit seen).
        span: Where in the article it was seen, if it has a place.
        agency: The agency or wire service it points to, if any.
    """

    kind: str
    article_id: str
    detail: str
    span: Span | None = None
    agency: str | None = None


@dataclass(frozen=True)
class Attribution:
    """Where a passage most likely came from, and why.

    Attributes:
        kind: ``agency``, ``press_release``, ``quote``, ``republished`` or ``unknown``.
        origin: Agency or wire name (``AP``), or the outlet of the source copy, or None.
        source_article: Article judged to hold the original copy, if one could be told apart.
        confidence: 0..1, how strongly the evidence supports the kind and origin.
        evidence: The observations that decided it.
    """

    kind: str
    origin: str | None
    source_article: str | None
    confidence: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A stretch of text shared by two or more articles: one cluster of copies.

    Attributes:
        id: Stable identifier within one report.
        spans: One or more spans per article, sorted by article then offset.
        words: Words of the longest copy.
        attribution: Origin and evidence, once attributed.
        edit_ratio: Share of the words inside the aligned stretches of its copies that are not
            matched (words a light rewrite changed, added or dropped; 0 for verbatim copies).
    """

    id: str
    spans: tuple[Span, ...]
    words: int
    attribution: Attribution | None = None
    edit_ratio: float = 0.0

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The distinct articles holding a copy, in span order."""
        return tuple(dict.fromkeys(s.article_id for s in self.spans))


@dataclass(frozen=True)
class Pair:
    """Two articles that share text, with figures of their own (not of the passages they are in).

    Attributes:
        articles: The two article ids, in scan order.
        words: Words the two share with each other, in order.
        containment: Share of each article's content words found in the other, in the order of
            ``articles``: asymmetric, so a short copy of a long story is near 1 on its side.
        edit_ratio: Share of the words of the stretches the two share (on the longer side) that
            are not matched: words changed, added or dropped inside them (0 for a verbatim copy).
    """

    articles: tuple[str, str]
    words: int
    containment: tuple[float, float]
    edit_ratio: float = 0.0

    @property
    def score(self) -> float:
        """How much one of the two is derived from the other (0..1): the larger containment."""
        return max(self.containment)


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles that are the same text (exact or near-exact: a mirror with its own header).

    Attributes:
        articles: The ids, in scan order.
        similarity: The lowest containment between two of them.
    """

    articles: tuple[str, ...]
    similarity: float


@dataclass(frozen=True)
class Decision:
    """What a pre-ingest filter decided for one article.

    Attributes:
        article_id: The article checked.
        action: ``accept``, ``flag`` or ``reject``.
        seen_fraction: Share of the article's text already present in the index.
        passages: Shared passages found, with their attribution.
        matches: Indexed articles sharing text with it, best first, with the shared fraction.
        already_indexed: ``same`` when an article with this id and the same text is in the index,
            ``changed`` when one with this id holds another text (an update), else None. The
            indexed article with its own id is never counted among the matches.
    """

    article_id: str
    action: str
    seen_fraction: float
    passages: tuple[Passage, ...] = ()
    matches: tuple[tuple[str, float], ...] = field(default_factory=tuple)
    already_indexed: str | None = None


def covered_chars(ranges: Iterable[tuple[int, int]]) -> int:
    """Characters covered by the union of ``[start, end)`` ranges (overlaps counted once)."""
    total, reach = 0, -1
    for start, end in sorted(ranges):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def clip(ranges: Iterable[tuple[int, int]], within: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` ranges that lie inside ``within`` (sorted, non-overlapping
    ranges such as an article's content paragraphs), so that the gaps between paragraphs and the
    page chrome never count as shared text."""
    starts = [lo for lo, _ in within]
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        k = max(0, bisect_right(starts, start) - 1)
        while k < len(within) and within[k][0] < end:
            lo, hi = max(start, within[k][0]), min(end, within[k][1])
            if hi > lo:
                out.append((lo, hi))
            k += 1
    return out
