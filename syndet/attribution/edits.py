"""One-way edits between two copies of a story, each checked word for word.

Every edit is looked for in the words themselves, not in counts: a copy cut short must end at a
place the other copy goes on from; a split must break, in the copy, a run of words that the other
prints inside one paragraph; stripped quotation marks must be the same quoted words printed
without their marks (a copy that left the quoted paragraph out stripped nothing); a lead-in must
stand, in paragraphs of its own, before the words the other copy opens the story with. Words are
compared casefolded and without punctuation, so a check does not depend on marks another edit
changed.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from syndet.models import Article, Paragraph
from syndet.text.literals import code_points
from syndet.text.normalize import content_words
from syndet.text.segment import content_ranges

_MARK = re.compile(r"[“«„\"]")  # a straight mark opens only at the start or after a space (checked apart:
# a look-behind in the pattern is tried at every character, and costs more than the rest of a layout)
GRAM = 5
"""Words a located run holds (a run this long found in the other copy is the same place)."""
SPLIT_SIDE_WORDS = 3
"""Words on each side of a break that the other copy must print in one paragraph."""
LEAD_MIN_WORDS = 4
"""Words a copy must print, in paragraphs of their own, before the story for a lead-in (a lead of its
own, or page furniture the page put there)."""
QUOTES_MIN = 2
"""Quotations a copy must print without their marks for the marks to count as stripped."""
_SPACE = ord(" ")


@dataclass(frozen=True)
class Layout:
    """The content words of an article, located: what the checks search.

    Attributes:
        joined: The normalised words (:func:`syndet.text.normalize.content_words`, the words a
            word stream aligns) joined by single spaces, with a space at each end.
        offsets: Where each word starts in ``joined``.
        stops: Where each word ends in ``joined``, with the space after it.
        starts: Where each word starts in the article's text.
        ends: Where each word ends in the article's text.
        para_first: The first word of each content paragraph, and the word count at the end.
        opens: The words a quotation mark opens.
    """

    joined: str
    offsets: array[int]
    stops: array[int]
    starts: array[int]
    ends: array[int]
    para_first: tuple[int, ...]
    opens: tuple[int, ...]

    @property
    def words(self) -> int:
        return len(self.starts)

    def range(self, start: int, end: int) -> tuple[int, int]:
        """The words inside the characters ``[start, end)``, as a ``[lo, hi)`` word range."""
        return bisect_left(self.starts, start), bisect_right(self.ends, end)

    def gram(self, lo: int, hi: int) -> str:
        """The words ``[lo, hi)`` as a search key (spaces around)."""
        return self.joined[self.offsets[lo] - 1: self.stops[hi - 1]] if lo < hi else ""

    def find(self, key: str, lo: int = 0, hi: int | None = None) -> int | None:
        """The first word of the first run ``key`` (from :meth:`gram`) inside words ``[lo, hi)``."""
        hi = self.words if hi is None else hi
        if not key or lo >= hi:
            return None
        at = self.joined.find(key, self.offsets[lo] - 1, self.stops[hi - 1])
        return None if at < 0 else bisect_left(self.offsets, at + 1)

    def paragraph_of(self, word: int) -> int:
        return bisect_right(self.para_first, word) - 1

    def paragraph_start(self, word: int) -> bool:
        return _member(self.para_first, word)

    def opens_quote(self, word: int) -> bool:
        return _member(self.opens, word)


def _member(values: Sequence[int], value: int) -> bool:
    k = bisect_left(values, value)
    return k < len(values) and values[k] == value


def _ints(values: np.ndarray) -> array[int]:
    out = array("i")
    out.frombytes(np.ascontiguousarray(values, dtype=np.int32).tobytes())
    return out


def layout(article: Article, paragraphs: Sequence[Paragraph]) -> Layout:
    """The located content words of an article (chrome paragraphs left out): the words its word
    stream aligns (folded quotes and case, initialisms and apostrophes closed up), found once for
    both."""
    text = article.text
    content = content_ranges(paragraphs)
    tokens, starts_np, ends_np = content_words(text, content)
    joined = " " + " ".join(tokens) + " "
    # Word k lies between the k-th and the next space of ``joined`` (content words hold none).
    spaces = np.flatnonzero(code_points(joined) == _SPACE) if tokens else np.zeros(1, dtype=np.int64)
    if len(spaces) != len(tokens) + 1:  # pragma: no cover - content words are never empty and hold no space
        spaces = np.r_[0, np.cumsum(np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens)) + 1)]
    firsts = np.searchsorted(starts_np, [lo for lo, _ in content]) if content else np.empty(0, dtype=np.int64)
    para_first = [int(k) for k, (_, hi) in zip(firsts, content, strict=True)
                  if k < len(starts_np) and starts_np[k] < hi]
    para_first.append(len(starts_np))
    starts = _ints(starts_np)
    opens: list[int] = []
    for m in _MARK.finditer(text):
        if m.group() == '"' and m.start() and not text[m.start() - 1].isspace():
            continue
        k = bisect_left(starts, m.end())
        touching = k < len(starts) and not text[m.end():starts[k]].strip()
        if touching and (m.group() != '"' or starts[k] == m.end()) and (not opens or opens[-1] != k):
            opens.append(k)
    return Layout(joined, _ints(spaces[:-1] + 1), _ints(spaces[1:] + 1), starts, _ints(ends_np),
                  tuple(para_first), tuple(opens))


class Layouts:
    """Layouts of the articles seen lately (an article is in many passages; the newest
    ``capacity`` are kept, so memory does not grow with the corpus). A layout is reused only for
    the same id and text, so a cache kept across scans or filter checks never answers for an
    article that changed."""

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._kept: OrderedDict[str, tuple[str, Layout]] = OrderedDict()

    def get(self, article: Article, paragraphs: Sequence[Paragraph]) -> Layout:
        found = self._kept.get(article.id)
        if found is not None and found[0] == article.text:
            self._kept.move_to_end(article.id)
            return found[1]
        made = layout(article, paragraphs)
        self._kept[article.id] = (article.text, made)
        self._kept.move_to_end(article.id)
        if len(self._kept) > self._capacity:
            self._kept.popitem(last=False)
        return made


@dataclass(frozen=True)
class Edit:
    """An edit a copy made: its kind (``edit:...``) and what shows it."""

    kind: str
    detail: str


def one_way_edits(x: Layout, rx: tuple[int, int], y: Layout, ry: tuple[int, int], x_id: str, y_id: str,
                  trim_min_words: int, end_slack_words: int) -> list[Edit]:
    """The edits that show ``y`` was made from ``x`` (never the other way: call again swapped).

    Args:
        x: The copy read as the original.
        rx: Its words holding the passage (``[lo, hi)``).
        y: The copy read as the one made from it.
        ry: Its words holding the passage.
        x_id: Article id of ``x`` (for the details).
        y_id: Article id of ``y``.
        trim_min_words: Words ``x`` must go on for after the place ``y`` ends.
        end_slack_words: Words ``y`` may have after the passage and still end the story there.
    """
    out: list[Edit] = []
    if trimmed(x, y, ry, trim_min_words, end_slack_words):
        out.append(Edit("edit:trimmed_end", f"{y_id} ends where {x_id} goes on"))
    lead = lead_in(x, rx, y, end_slack_words)
    if lead:
        out.append(Edit("edit:lead_added", f"{y_id} puts {lead} words of its own before the story {x_id} opens with"))
    breaks = splits(x, rx, y, ry)
    if breaks:
        out.append(Edit("edit:paragraphs_split", f"{breaks} paragraph{'s' if breaks > 1 else ''} of {x_id} split "
                        f"in {y_id}"))
    here, kept = quotes(x, rx, y, ry)
    if here and kept * 2 < here:  # most of the quotations both print
        # two quotations at least, counted over the whole articles: one alone may be a quote the
        # copy re-typed, and the story's other quotations may sit in another passage
        stripped = here if here >= QUOTES_MIN else quotes(x, (0, x.words), y, (0, y.words))[0]
        if stripped >= QUOTES_MIN:
            out.append(Edit("edit:quotes_stripped", f"quotation marks stripped: {here} quotation"
                            f"{'s' if here > 1 else ''} of {x_id} printed without them in {y_id}"
                            + (f", {kept} with them" if kept else "")))
    return out


def trimmed(x: Layout, y: Layout, ry: tuple[int, int], trim_min_words: int, slack: int) -> bool:
    """``y`` ends the story at a place from which ``x`` goes on for ``trim_min_words`` or more."""
    lo, hi = ry
    if y.words - hi > slack or hi - lo < GRAM:
        return False
    for back in (0, GRAM):  # the last words, or the ones before them if an edit touched the end
        if hi - back - GRAM < lo:
            break
        at = x.find(y.gram(hi - back - GRAM, hi - back))
        if at is not None:
            return x.words - (at + GRAM + back) >= trim_min_words
    return False


def lead_in(x: Layout, rx: tuple[int, int], y: Layout, slack: int) -> int:
    """Words ``y`` prints in paragraphs of its own before the words ``x`` opens the story with (0
    when ``x`` does not open its article with the story, or ``y`` adds nothing before it)."""
    lo, hi = rx
    if lo > slack or hi - lo < GRAM:
        return 0
    at = y.find(x.gram(lo, lo + GRAM))
    if at is None or at < LEAD_MIN_WORDS or not y.paragraph_start(at):
        return 0
    return at


def splits(x: Layout, rx: tuple[int, int], y: Layout, ry: tuple[int, int]) -> int:
    """Paragraph breaks of ``y`` inside the passage that fall where ``x`` prints the words on both
    sides in one paragraph."""
    lo, hi = ry
    side = SPLIT_SIDE_WORDS
    count = 0
    firsts = y.para_first  # the breaks are the firsts but the first one and the end
    for b in firsts[max(1, bisect_left(firsts, lo + side)):min(len(firsts) - 1, bisect_right(firsts, hi - side))]:
        at = x.find(y.gram(b - side, b + side), rx[0], rx[1])
        if at is not None and x.paragraph_of(at) == x.paragraph_of(at + 2 * side - 1):
            count += 1
    return count


def quotes(x: Layout, rx: tuple[int, int], y: Layout, ry: tuple[int, int]) -> tuple[int, int]:
    """(quotations ``x`` opens with a mark that ``y`` prints without one, those ``y`` prints with
    one) among the quotations of the passage that both print."""
    stripped = kept = 0
    lo, hi = rx
    for i in x.opens[bisect_left(x.opens, lo):bisect_left(x.opens, hi - GRAM + 1)]:
        at = y.find(x.gram(i, i + GRAM), ry[0], ry[1])
        if at is None:
            continue  # the copy does not print this quotation: nothing was stripped from it
        if y.opens_quote(at):
            kept += 1
        else:
            stripped += 1
    return stripped, kept
