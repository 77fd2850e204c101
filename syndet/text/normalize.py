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
# The second alternative alone, and what any initialism contains: a text without ``.x.`` has no
# initialism, so the simpler pattern finds the same words faster.
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_INITIAL_HINT = re.compile(r"\.[^\W\d_]\.")
_ODD = re.compile("[" + "".join(chr(c) for c in _FOLD) + "]")
_ODD_MAP = {chr(c): v for c, v in _FOLD.items()}


def fold(text: str) -> str:
    """Map quotes, dashes and odd spaces to ASCII and lower-case, keeping the length when possible."""
    if not text.isascii():  # str.translate looks up every character; a regex visits only the odd ones
        text = _ODD.sub(_odd, text)
    return text.lower()


def _odd(match: re.Match[str]) -> str:
    return _ODD_MAP[match.group()]


def _finish(word: str) -> str:
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word).casefold()
        if not word.isalnum():  # a few compatibility letters expand to text with spaces: one word stays one
            word = "".join(word.split())
    return word


def words(text: str) -> list[str]:
    """Normalised words of ``text``, in order (the hashing hot path)."""
    folded = fold(text)
    if len(folded) != len(text):  # a rare letter whose lower case is longer: take the exact path
        return words_with_offsets(text)[0]
    found = (_TOKEN if _INITIAL_HINT.search(folded) else _WORD).findall(folded)
    if "." in folded or "'" in folded:
        found = [w.replace(".", "").replace("'", "") if ("." in w or "'" in w) else w for w in found]
    if folded.isascii():
        return found
    return [_finish(w) for w in found]


def normal(text: str) -> str:
    """The normalised words of ``text`` joined by single spaces: what the hashing core reads."""
    return " ".join(words(text))


def words_with_offsets(text: str, start: int = 0, end: int | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Normalised words of ``text[start:end]`` with their ``[start, end)`` offsets in ``text``.

    Returns:
        The words (equal to ``words(text[start:end])``), their start offsets and their end offsets.
    """
    segment = text[start:end]
    folded = fold(segment)
    lowered = len(folded) == len(segment)
    if not lowered:  # a rare letter whose lower case is longer: lower each word instead
        folded = segment.translate(_FOLD)
    matches = list((_TOKEN if _INITIAL_HINT.search(folded) else _WORD).finditer(folded))
    out = [m.group() for m in matches]
    if "." in folded or "'" in folded:
        out = [w.replace(".", "").replace("'", "") if ("." in w or "'" in w) else w for w in out]
    if not lowered:
        out = [w.lower() for w in out]
    if not folded.isascii():
        out = [_finish(w) for w in out]
    spans = np.array([m.span() for m in matches], dtype=np.int64).reshape(-1, 2) + start
    return out, spans[:, 0].copy(), spans[:, 1].copy()
