"""Verify candidates on their real shingles and align two articles into shared passages.

Alignment runs over each article's whole stream of content words (chrome left out), not over
paragraphs, so a paragraph that one copy split in two, or two that it merged, still line up as one
run. Matching n-gram starts form diagonals; the longest diagonals are taken first, one-to-one, so
text repeated inside one article (a repeated headline, a summary box) is matched once; runs in
the same order separated by a few changed words are joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from syndet.hashing.arrays import distinct
from syndet.hashing.shingle import shingle_hashes
from syndet.models import Alignment, Article, Paragraph, Span
from syndet.settings import VerifySettings
from syndet.text.normalize import content_words
from syndet.text.segment import content_ranges

Piece = tuple[int, int, int]
"""Words ``i..i+n`` of one article that are words ``j..j+n`` of another: ``(i, j, n)``."""
_MAX_REPEATS = 16
_OPENERS = frozenset("\"'“‘«([")
_CLOSERS = frozenset("\"'”’».,;:!?)]…")  # a shingle seen more often than this in one article is too common to anchor on


@dataclass(frozen=True)
class WordStream:
    """An article's content words with their offsets and n-gram hashes.

    Attributes:
        article_id: The article.
        starts: Start offset of each word in the article text.
        ends: End offset of each word.
        hashes: Hash of the n-gram starting at each word (one hash if there are fewer than n words).
        size: n.
    """

    article_id: str
    text: str
    starts: np.ndarray
    ends: np.ndarray
    hashes: np.ndarray
    size: int

    @property
    def words(self) -> int:
        """Number of content words."""
        return len(self.starts)

    @property
    def hash_order(self) -> np.ndarray:
        """``argsort`` of :attr:`hashes`, worked out on first use and kept (an article is aligned
        with several others)."""
        found: np.ndarray | None = self.__dict__.get("_hash_order")
        if found is None:
            found = np.argsort(self.hashes)
            object.__setattr__(self, "_hash_order", found)
        return found


def word_stream(article: Article, paragraphs: Sequence[Paragraph], size: int, seed: int) -> WordStream:
    """Build the word stream of an article from its non-chrome paragraphs."""
    tokens, starts, ends = content_words(article.text, content_ranges(paragraphs))
    return WordStream(article.id, article.text, starts, ends, shingle_hashes(tokens, size, seed), size)


def similarity(left: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """Exact ``(containment, jaccard)`` of two shingle-hash sets; containment is over the smaller."""
    a = distinct(left)
    b = distinct(right)
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / min(len(a), len(b)), inter / (len(a) + len(b) - inter)


def _diagonal_runs(ha: np.ndarray, hb: np.ndarray) -> np.ndarray:
    """Maximal runs ``(i, j, length)`` of consecutive equal hashes along diagonals."""
    if len(ha) == 0 or len(hb) == 0:
        return np.empty((0, 3), dtype=np.int64)
    order = np.argsort(hb, kind="stable")
    sorted_b = hb[order]
    lo = np.searchsorted(sorted_b, ha, "left")
    hi = np.searchsorted(sorted_b, ha, "right")
    counts = hi - lo
    counts[counts > _MAX_REPEATS] = 0
    total = int(counts.sum())
    if total == 0:
        return np.empty((0, 3), dtype=np.int64)
    ii = np.repeat(np.arange(len(ha), dtype=np.int64), counts)
    first = np.repeat(lo, counts)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    jj = order[first + within].astype(np.int64)
    diag = jj - ii
    idx = np.lexsort((ii, diag))
    ii, jj, diag = ii[idx], jj[idx], diag[idx]
    new_run = np.ones(total, dtype=bool)
    new_run[1:] = (diag[1:] != diag[:-1]) | (ii[1:] != ii[:-1] + 1)
    starts = np.flatnonzero(new_run)
    lengths = np.diff(np.append(starts, total))
    return np.stack([ii[starts], jj[starts], lengths], axis=1)


def _take_one_to_one(runs: np.ndarray, a: WordStream, b: WordStream) -> list[tuple[int, int, int]]:
    """Longest runs first; each word of either article is used by at most one piece."""
    size = a.size
    occ_a = np.zeros(a.words, dtype=bool)
    occ_b = np.zeros(b.words, dtype=bool)
    word_len = np.minimum(runs[:, 2] + size - 1, np.minimum(a.words - runs[:, 0], b.words - runs[:, 1]))
    pieces: list[tuple[int, int, int]] = []
    # Longest first; among equals the earliest, so a lead paragraph wins over a later summary box.
    for k in np.lexsort((runs[:, 1], runs[:, 0], -word_len)):
        i, j, n = int(runs[k, 0]), int(runs[k, 1]), int(word_len[k])
        free = ~(occ_a[i:i + n] | occ_b[j:j + n])
        if free.all():
            best_at, best_len = 0, n
        else:
            best_at, best_len = _longest_true(free)
        if best_len < min(size, n):
            continue
        i, j = i + best_at, j + best_at
        occ_a[i:i + best_len] = True
        occ_b[j:j + best_len] = True
        pieces.append((i, j, best_len))
    return pieces


def _longest_true(mask: np.ndarray) -> tuple[int, int]:
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    if len(edges) == 0:
        return 0, 0
    begins, finishes = edges[::2], edges[1::2]
    k = int(np.argmax(finishes - begins))
    return int(begins[k]), int(finishes[k] - begins[k])


def matched_pieces(a: WordStream, b: WordStream) -> list[Piece]:
    """The words two articles share, as pieces ``(i, j, n)``: words ``i..i+n`` of ``a`` are words
    ``j..j+n`` of ``b``; each word of either is in at most one piece; sorted by ``i``. Computed by
    the compiled loops of :mod:`syndet.match.kernels`; :func:`reference_pieces` is the same in
    array operations (and serves pairs too long for the compiled loops' sort keys)."""
    if len(a.hashes) == 0 or len(b.hashes) == 0:
        return []
    if (a.words + 1) * (b.words + 1) * (max(a.words, b.words) + a.size + 1) >= 1 << 62:
        return reference_pieces(a, b)
    from syndet.match import kernels  # numba loads on first use

    runs = kernels.diagonal_runs(a.hashes, b.hashes, a.hash_order, b.hash_order, _MAX_REPEATS)
    if len(runs) == 0:
        return []
    return [(i, j, n) for i, j, n in kernels.one_to_one(runs, a.words, b.words, a.size).tolist()]


def reference_pieces(a: WordStream, b: WordStream) -> list[Piece]:
    """:func:`matched_pieces` in array operations."""
    runs = _diagonal_runs(a.hashes, b.hashes)
    if len(runs) == 0:
        return []
    return sorted(_take_one_to_one(runs, a, b))


def align(a: WordStream, b: WordStream, settings: VerifySettings) -> list[Alignment]:
    """Shared passages of two articles, each at least ``min_passage_words`` matched words."""
    return alignments_of(a, b, matched_pieces(a, b), settings)


def alignments_of(a: WordStream, b: WordStream, pieces: Sequence[Piece],
                  settings: VerifySettings) -> list[Alignment]:
    """The stretches of ``pieces`` (sorted by ``i``) with at least ``min_passage_words`` matched words."""
    out = []
    for a0, a1, b0, b1, matched in _stretches(pieces, settings.max_gap_words):
        if matched < settings.min_passage_words:
            continue
        out.append(Alignment(_span(a, a0, a1), _span(b, b0, b1),
                             words=matched, left_words=a1 - a0, right_words=b1 - b0))
    return out


def _stretches(pieces: Sequence[tuple[int, int, int]], gap: int) -> list[list[int]]:
    """Join matched pieces (in the first copy's order) into stretches ``[a_start, a_end, b_start,
    b_end, matched]``: a piece joins the stretch before it when the text between them is at most
    ``gap`` words in each copy, in the same order (a changed word, a dropped clause) or swapped (two
    sentences or paragraphs a copy put the other way round). A joined stretch is tried against the
    one before it again, so a swap that closes a gap joins all three."""
    out: list[list[int]] = []
    for i, j, n in pieces:
        out.append([i, i + n, j, j + n, n])
        while len(out) >= 2:
            h, g = out[-2], out[-1]
            touch_a = 0 <= g[0] - h[1] <= gap
            touch_b = 0 <= g[2] - h[3] <= gap or 0 <= h[2] - g[3] <= gap
            if not (touch_a and touch_b):
                break
            h[1], h[2], h[3], h[4] = max(h[1], g[1]), min(h[2], g[2]), max(h[3], g[3]), h[4] + g[4]
            out.pop()
    return out


def _span(stream: WordStream, first: int, stop: int) -> Span:
    """The span of words ``[first, stop)``, widened over the quotes and punctuation that hug it."""
    text = stream.text
    start, end = int(stream.starts[first]), int(stream.ends[stop - 1])
    while start > 0 and text[start - 1] in _OPENERS:
        start -= 1
    while end < len(text) and text[end] in _CLOSERS:
        end += 1
    return Span(stream.article_id, start, end)
