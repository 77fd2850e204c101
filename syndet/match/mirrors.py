"""Cut the alignments of duplicates where the other copies' text begins and ends.

A mirror of a page (the same article under another header) aligns with its twin over the whole
page: the outlet's own lede, the agency copy it carries and its page tail in one run. Clustered as
it is, that run would join the agency passage and carry the outlet's own words into it, so adding
a mirror would change the passages of every other copy. Cut where the alignments of either
article with any other article begin and end, each piece joins the passage it lies in (the
mirror then only adds its own copy to them), and text that only the duplicates share is a passage
of its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from syndet.match.align import Piece, WordStream, alignments_of, matched_pieces
from syndet.models import Alignment, Pair
from syndet.settings import VerifySettings


def cut_duplicates(alignments: Sequence[Alignment], figures: Sequence[Pair], stream_of: Callable[[str], WordStream],
                   settings: VerifySettings, known: Mapping[frozenset[str], Sequence[Piece]] | None = None
                   ) -> list[tuple[int, Alignment]]:
    """The alignments to cluster: those of two duplicates (each with at least
    ``settings.duplicate_at`` of its content in the other) cut where any other alignment of either
    article begins or ends, the rest as they are.

    Args:
        alignments: A scan's alignments (or those of one connected group of articles).
        figures: The pair figures of ``alignments`` (:func:`syndet.match.pairs.pair_figures`).
        stream_of: The word stream of an article, by id.
        settings: Verification settings (``duplicate_at``, ``min_passage_words``, ``max_gap_words``).
        known: The matched pieces of pairs already aligned (left article first), not computed again.

    Returns:
        ``(position of the alignment it came from, alignment)``, in the order of ``alignments``.
    """
    duplicates = {frozenset(p.articles) for p in figures if min(p.containment) >= settings.duplicate_at}
    if not duplicates:
        return list(enumerate(alignments))
    of_pair: dict[frozenset[str], list[int]] = defaultdict(list)
    edges: dict[str, list[tuple[str, int, int]]] = defaultdict(list)  # article -> (other article, span)
    for k, al in enumerate(alignments):
        left, right = al.left, al.right
        of_pair[frozenset((left.article_id, right.article_id))].append(k)
        edges[left.article_id].append((right.article_id, left.start, left.end))
        edges[right.article_id].append((left.article_id, right.start, right.end))
    bounds = _Bounds(edges)
    replaced: dict[int, list[Alignment]] = {}
    for pair in duplicates:
        first = alignments[of_pair[pair][0]]
        a, b = stream_of(first.left.article_id), stream_of(first.right.article_id)
        cuts, cuts_b = bounds.cuts(a, b.article_id), bounds.cuts(b, a.article_id)
        if not (cuts or cuts_b):  # the two share text with no other article
            continue
        pieces = (known or {}).get(pair)
        if pieces is None:
            pieces = matched_pieces(a, b)
        cuts |= _through(pieces, cuts_b)
        if cuts:
            # Only the text before and after all that the duplicates share with others: a part of
            # the story between (a paragraph the other copies dropped) stays with the story.
            ends = sorted({min(cuts), max(cuts)})
            replaced.update(_cut_pair(a, b, pieces, ends, [(k, alignments[k]) for k in of_pair[pair]], settings))
    out: list[tuple[int, Alignment]] = []
    for k, al in enumerate(alignments):
        out.extend((k, piece) for piece in replaced.get(k, (al,)))
    return out


class _Bounds:
    """Where the spans of each article's alignments begin and end, in its words (found once per
    article, however many duplicates it has)."""

    def __init__(self, edges: Mapping[str, list[tuple[str, int, int]]]) -> None:
        self.edges = edges
        self.words: dict[str, tuple[list[str], np.ndarray]] = {}

    def cuts(self, stream: WordStream, twin: str) -> set[int]:
        """Word positions of ``stream`` where a span shared with an article other than ``twin``
        begins or ends (a cut falls before the word at that position)."""
        aid = stream.article_id
        if aid not in self.words:
            items = self.edges.get(aid, [])
            starts = np.array([lo for _, lo, _ in items], dtype=np.int64)
            ends = np.array([hi for _, _, hi in items], dtype=np.int64)
            self.words[aid] = ([other for other, _, _ in items],
                               np.stack([np.searchsorted(stream.starts, starts, "left"),
                                         np.searchsorted(stream.ends, ends, "right")], axis=1))
        others, words = self.words[aid]
        keep = [k for k, other in enumerate(others) if other != twin]
        return set(words[keep].ravel().tolist())


def _through(pieces: Sequence[Piece], cuts_b: set[int]) -> set[int]:
    """Cuts in the second article moved to the first through the matched pieces (a cut between
    pieces moves to the start of the next piece in the second article's order)."""
    by_b = sorted((j, i, n) for i, j, n in pieces)
    starts = [j for j, _, _ in by_b]
    out: set[int] = set()
    for d in cuts_b:
        k = bisect_right(starts, d) - 1
        if k >= 0 and d < by_b[k][0] + by_b[k][2]:
            out.add(by_b[k][1] + d - by_b[k][0])
        elif k + 1 < len(by_b):
            out.add(by_b[k + 1][1])
    return out


def _cut_pair(a: WordStream, b: WordStream, pieces: Sequence[Piece], cuts: Sequence[int],
              originals: Sequence[tuple[int, Alignment]], settings: VerifySettings) -> dict[int, list[Alignment]]:
    """Each original alignment of the pair as the stretches of its pieces between ``cuts``; a
    piece of fewer than ``min_passage_words`` matched words between two cuts is left out (the
    other copies' alignments hold its text, or it is too short to report)."""
    out: dict[int, list[Alignment]] = {}
    firsts = [p[0] for p in pieces]
    for k, al in originals:
        lo = int(np.searchsorted(a.starts, al.left.start, "left"))
        hi = int(np.searchsorted(a.ends, al.left.end, "right"))
        if not any(lo < c < hi for c in cuts):
            continue  # nothing to cut inside this one
        inside = [p for p in pieces[bisect_left(firsts, lo):bisect_left(firsts, hi)] if p[0] + p[2] <= hi]
        segments: dict[int, list[Piece]] = defaultdict(list)
        for piece in _split(inside, cuts):
            segments[bisect_right(cuts, piece[0])].append(piece)
        found = [x for _, seg in sorted(segments.items()) for x in alignments_of(a, b, seg, settings)]
        if len(found) > 1:
            out[k] = found
    return out


def _split(pieces: Sequence[Piece], cuts: Sequence[int]) -> list[Piece]:
    """Pieces (sorted by their first word) split at every cut that falls inside one."""
    out: list[Piece] = []
    for i, j, n in pieces:
        at = i
        for c in cuts[bisect_left(cuts, i + 1):bisect_left(cuts, i + n)]:
            out.append((at, j + at - i, c - at))
            at = c
        out.append((at, j + at - i, i + n - at))
    return out
