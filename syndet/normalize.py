"""Normalise text into comparable words, keeping each word's offset in the original.

Two copies of one story differ in ways a reader does not notice: curly or straight quotes, dashes,
case, "U.S." or "US", "don't" or "don’t", stripped punctuation. Words are folded so that all of
these compare equal. ``words`` is the fast path used for hashing; ``words_with_offsets`` yields the
same words with their character ranges, for building passages (a test pins the two together).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

# One character to one character, so that offsets survive the mapping.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
})
# A word: letters and digits, with inner apostrophes ("don't"); or an initialism written with dots
# ("U.S.", "a.m."), whose letters form one word. Dots and apostrophes are then dropped.
_TOKEN = re.compile(r"(?<![^\W_])(?<![^\W_]')(?:[^\W\d_]\.){2,}(?![^\W_])(?:'[^\W_]+)*|[^\W_]+(?:'[^\W_]+)*")


def fold(text: str) -> str:
    """Map quotes, dashes and odd spaces to ASCII and lower-case, keeping the length when possible."""
    return text.translate(_FOLD).lower()


def _finish(word: str) -> str:
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word).casefold()
    return word


def words(text: str) -> list[str]:
    """Normalised words of ``text``, in order (the hashing hot path)."""
    folded = fold(text)
    if len(folded) != len(text):  # a rare letter whose lower case is longer: take the exact path
        return words_with_offsets(text)[0]
    found = _TOKEN.findall(folded)
    if "." in folded or "'" in folded:
        found = [w.replace(".", "").replace("'", "") if ("." in w or "'" in w) else w for w in found]
    if folded.isascii():
        return found
    return [_finish(w) for w in found]


def words_with_offsets(text: str, start: int = 0, end: int | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Normalised words of ``text[start:end]`` with their ``[start, end)`` offsets in ``text``.

    Returns:
        The words (equal to ``words(text[start:end])``), their start offsets and their end offsets.
    """
    segment = text[start:end]
    folded = fold(segment)
    if len(folded) != len(segment):  # a rare letter whose lower case is longer
        folded = segment.translate(_FOLD)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _TOKEN.finditer(folded):
        token = match.group()
        if "." in token:
            token = token.replace(".", "")
        if "'" in token:
            token = token.replace("'", "")
        out.append(_finish(token.lower()))
        starts.append(match.start() + start)
        ends.append(match.end() + start)
    return out, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
