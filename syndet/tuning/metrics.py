"""Score detected passages against labelled ones: passages, article pairs and origins.

Labels name one passage per source paragraph while the detector joins adjacent paragraphs into
one passage and one cluster of copies, so passage accuracy is counted in characters, per article:

* a character of an article is *detected* when a detected passage covers it, *labelled* when a
  labelled passage covers it, and *correct* when a detected and a labelled passage both cover it
  and both also hold a copy in at least one same other article (the text is shared, and with an
  article it is really shared with);
* passage precision is correct / detected characters and passage recall correct / labelled
  characters, summed over all articles; F1 is their harmonic mean. Only non-whitespace characters
  count, so the blank line between two labelled paragraphs that one passage joins is no error.

A copy pair of a labelled passage (two of its copies, in two articles) is *found* when one detected
passage holds both articles and covers at least half of each copy; a labelled passage is found
when all its copy pairs are. Article pairs are scored as sets: a pair is labelled when some labelled
passage holds both articles, detected when the scan aligned the two (its pair figures), or, for
passages given without pair figures, when some detected passage holds both. (A passage of a whole
story joins every copy of it, also two copies that each took another part of the story and share
nothing with each other; their pair has no figures.) Origin and kind
are checked on each found labelled passage against the detected passage that covers most of it;
they are not applicable (None) when no detected passage carries an attribution.

An empty denominator scores 1.0 (nothing detected: no false detections; nothing labelled: nothing
missed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from syndet.models import Passage, Span
from syndet.tuning.labels import LabelledPassage

FOUND_SHARE = 0.5
"""Share of a labelled copy a detected passage must cover for the copy to count as found."""

Intervals = list[tuple[int, int]]
Pair = tuple[str, str]


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 from counts (characters or pairs).

    Attributes:
        correct: Amount both detected and labelled.
        detected: Total detected amount.
        labelled: Total labelled amount.
    """

    correct: int
    detected: int
    labelled: int

    @property
    def precision(self) -> float:
        """Share of the detected amount that is labelled."""
        return self.correct / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        """Share of the labelled amount that is detected."""
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Accuracy:
    """How many of the checked items were right."""

    correct: int
    total: int

    @property
    def value(self) -> float:
        """Share right (1.0 when nothing was checked)."""
        return self.correct / self.total if self.total else 1.0


@dataclass(frozen=True)
class Evaluation:
    """All scores of one run against one labelled corpus.

    Attributes:
        passages: Character-level passage score.
        pairs: Article-pair score.
        copy_pairs_found: Labelled copy pairs found.
        copy_pairs: Labelled copy pairs in all.
        found: Labelled passages found.
        labelled: Labelled passages in all.
        missed: Ids of labelled passages not found.
        false_pairs: Detected article pairs that share no labelled passage.
        origin: Origin accuracy over found passages labelled with an origin; None without attributions.
        kind: Kind accuracy over found passages; None without attributions.
        wrong_origin: ``(label id, labelled origin, detected origin)`` for each wrong origin.
        source: Source-article accuracy over found passages whose label names a source article.
        wrong_source: ``(label id, labelled source, detected source)`` for each wrong source.
        edit_owner: Of the one-way edits (``edit:...`` evidence) shown on an article of a found
            passage whose label names a source article, those shown on a copy, not on the source.
    """

    passages: Score
    pairs: Score
    copy_pairs_found: int
    copy_pairs: int
    found: int
    labelled: int
    missed: tuple[str, ...]
    false_pairs: tuple[Pair, ...]
    origin: Accuracy | None
    kind: Accuracy | None
    wrong_origin: tuple[tuple[str, str, str | None], ...] = ()
    source: Accuracy | None = None
    wrong_source: tuple[tuple[str, str, str | None], ...] = ()
    edit_owner: Accuracy | None = None


def evaluate(labels: Sequence[LabelledPassage], detected: Sequence[Passage],
             texts: Mapping[str, str], aligned: Iterable[tuple[str, str]] | None = None) -> Evaluation:
    """Score detected passages against labelled ones (see the module docstring for definitions).

    Args:
        labels: The labelled passages.
        detected: The passages a scan reported.
        texts: Text of every article, by id (to count non-whitespace characters).
        aligned: The article pairs the scan aligned (``ScanResult.pairs``' articles); None to take
            every two articles of a detected passage.
    """
    passages = _character_score(labels, detected, texts)
    lab_pairs = _pairs(labels)
    det_pairs = _pairs(detected) if aligned is None else {(a, b) if a <= b else (b, a) for a, b in aligned}
    pairs = Score(len(lab_pairs & det_pairs), len(det_pairs), len(lab_pairs))

    by_article: dict[str, list[tuple[int, Intervals]]] = defaultdict(list)
    for n, p in enumerate(detected):
        for article, spans in _regions(p.spans).items():
            by_article[article].append((n, spans))
    attributed = any(p.attribution is not None for p in detected)
    copy_found = copy_total = found = 0
    missed: list[str] = []
    origin_ok = origin_n = kind_ok = source_ok = source_n = owner_ok = owner_n = 0
    wrong: list[tuple[str, str, str | None]] = []
    wrong_source: list[tuple[str, str, str | None]] = []
    for label in labels:
        covering = [_covering(s, by_article) for s in label.spans]
        all_found = True
        candidates: set[int] = set()
        for (i, a), (j, b) in combinations(enumerate(label.spans), 2):
            if a.article_id == b.article_id:
                continue
            copy_total += 1
            common = set(covering[i]) & set(covering[j])
            if common:
                copy_found += 1
                candidates |= common
            else:
                all_found = False
        if not all_found or not candidates:
            missed.append(label.id)
            continue
        found += 1
        best = max(candidates, key=lambda n: (sum(c.get(n, 0) for c in covering), -n))
        attribution = detected[best].attribution
        got_kind = attribution.kind if attribution else None
        got_origin = attribution.origin if attribution else None
        kind_ok += got_kind == label.kind
        if label.origin is not None:
            origin_n += 1
            if got_origin is not None and got_origin.casefold() == label.origin.casefold():
                origin_ok += 1
            else:
                wrong.append((label.id, label.origin, got_origin))
        if label.source_article is not None and label.kind != "quote":
            source_n += 1
            got_source = attribution.source_article if attribution else None
            if got_source == label.source_article:
                source_ok += 1
            else:
                wrong_source.append((label.id, label.source_article, got_source))
            holders = {s.article_id for s in label.spans}
            for ev in attribution.evidence if attribution else ():
                if ev.kind.startswith("edit:") and ev.article_id in holders:
                    owner_n += 1
                    owner_ok += ev.article_id != label.source_article
    return Evaluation(
        passages=passages,
        pairs=pairs,
        copy_pairs_found=copy_found,
        copy_pairs=copy_total,
        found=found,
        labelled=len(labels),
        missed=tuple(missed),
        false_pairs=tuple(sorted(det_pairs - lab_pairs)),
        origin=Accuracy(origin_ok, origin_n) if attributed else None,
        kind=Accuracy(kind_ok, found) if attributed else None,
        wrong_origin=tuple(wrong) if attributed else (),
        source=Accuracy(source_ok, source_n) if attributed and source_n else None,
        wrong_source=tuple(wrong_source) if attributed else (),
        edit_owner=Accuracy(owner_ok, owner_n) if owner_n else None,
    )


def _covering(span: Span, by_article: dict[str, list[tuple[int, Intervals]]]) -> dict[int, int]:
    """Detected passages covering at least ``FOUND_SHARE`` of a labelled copy, with the overlap."""
    out = {}
    for n, spans in by_article.get(span.article_id, []):
        overlap = _intersection([(span.start, span.end)], spans)
        if overlap >= FOUND_SHARE * span.length:
            out[n] = overlap
    return out


def _regions(spans: Iterable[Span]) -> dict[str, Intervals]:
    by_article: dict[str, Intervals] = defaultdict(list)
    for s in spans:
        by_article[s.article_id].append((s.start, s.end))
    return {a: _merge(v) for a, v in by_article.items()}


def _pairs(groups: Iterable[LabelledPassage | Passage]) -> set[Pair]:
    """Article pairs (sorted ids) that share at least one passage."""
    out: set[Pair] = set()
    for g in groups:
        out.update(combinations(sorted(g.article_ids), 2))
    return out


def _by_article(groups: Iterable[LabelledPassage | Passage]) -> dict[str, list[tuple[int, int, frozenset[str]]]]:
    """Each article's copies: ``(start, end, the passage's articles)``."""
    out: dict[str, list[tuple[int, int, frozenset[str]]]] = defaultdict(list)
    for g in groups:
        members = frozenset(g.article_ids)
        for s in g.spans:
            out[s.article_id].append((s.start, s.end, members))
    return out


def _character_score(labels: Sequence[LabelledPassage], detected: Sequence[Passage],
                     texts: Mapping[str, str]) -> Score:
    lab, det = _by_article(labels), _by_article(detected)
    correct = labelled = found = 0
    for article in lab.keys() | det.keys():
        ink = _ink(texts[article])
        lab_copies, det_copies = lab.get(article, []), det.get(article, [])
        labelled += _weight(_merge([(a, b) for a, b, _ in lab_copies]), ink)
        found += _weight(_merge([(a, b) for a, b, _ in det_copies]), ink)
        both = [(max(ls, ds), min(le, de))
                for ls, le, lm in lab_copies for ds, de, dm in det_copies
                if min(le, de) > max(ls, ds) and len(lm & dm) > 1]
        correct += _weight(_merge(both), ink)
    return Score(correct, found, labelled)


_SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)  # none lie above U+3000


def _ink(text: str) -> np.ndarray:
    """Prefix counts of non-whitespace characters: ``ink[e] - ink[s]`` counts those in ``[s, e)``."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.concatenate(([0], np.cumsum(~np.isin(codes, _SPACES), dtype=np.int64)))


def _weight(intervals: Intervals, ink: np.ndarray) -> int:
    return int(sum(ink[end] - ink[start] for start, end in intervals))


def _merge(intervals: Intervals) -> Intervals:
    out: Intervals = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _intersection(left: Intervals, right: Intervals) -> int:
    """Characters two sorted, disjoint interval lists have in common."""
    total = i = j = 0
    while i < len(left) and j < len(right):
        lo = max(left[i][0], right[j][0])
        hi = min(left[i][1], right[j][1])
        if hi > lo:
            total += hi - lo
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return total
