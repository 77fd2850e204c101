"""Normalise text into comparable words, keeping each word's offset in the original.

Two copies of one story differ in ways a reader does not notice: curly or straight quotes, dashes,
case, "U.S." or "US", "don't" or "don’t", stripped punctuation. Words are folded so that all of
these compare equal. ``words`` is the fast path used for hashing; ``words_with_offsets`` yields the
same words with their character ranges, for building passages (a test pins the two together).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from syndet.text.cache import cached_array
from syndet.text.literals import code_points

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
# The first alternative of _TOKEN alone: the initialisms of a text without combining marks.
_INITIALISM = re.compile(r"(?<![^\W_])(?<![^\W_]')(?:[^\W\d_]\.){2,}(?![^\W_])(?:'[^\W_]+)*")
# Beyond ASCII: a combining mark (a Devanagari virama or vowel sign, an Arabic diacritic, a Thai
# vowel, an accent written apart) stays inside its word; scripts written without spaces between
# words (Chinese, Japanese kana and kanji, Thai, Lao, Khmer, Myanmar) give one token per character
# (with its marks), so that shingles of them are runs of characters and offsets stay exact.
# COMBINING_MARKS (character-class ranges) also gives the catalogue its script-aware boundaries.
COMBINING_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
         "\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0711\u0730-\u074a\u0900-\u0903\u093a-\u094f"
         "\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7\u09e2\u09e3\u0a01-\u0a51\u0a70\u0a71"
         "\u0a75\u0a81-\u0acd\u0ae2\u0ae3\u0b01-\u0b57\u0b62\u0b63\u0b82-\u0bd7\u0c00-\u0c56"
         "\u0c62\u0c63\u0c81-\u0cd6\u0ce2\u0ce3\u0d00-\u0d57\u0d62\u0d63\u0d81-\u0ddf\u0e31"
         "\u0e33\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb3\u0eb4-\u0ebc\u0ec8-\u0ecd\u0f18\u0f19\u0f35\u0f37\u0f39"
         "\u0f71-\u0f84\u102b-\u103e\u1056-\u1059\u17b4-\u17d3\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d"
         "\u20d0-\u20ff\u302a-\u302f\u3099\u309a\ufe20-\ufe2f")
_SPACELESS = ("\u0e00-\u0e30\u0e32\u0e3f-\u0e46\u0e4f-\u0e7f\u0e80-\u0eb0\u0eb2\u0ebd-\u0ec7"
              "\u0ece-\u0eff\u1000-\u102a\u103f-\u1055\u105a-\u109f\u1780-\u17b3\u17d4-\u17ff"
              "\u3005-\u3007\u3040-\u3096\u309d-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
              "\U00020000-\U0002fa1f")
_LETTER = rf"(?:(?![{_SPACELESS}])[^\W_]|[{COMBINING_MARKS}])"
# Thai and Lao AM (U+0E33, U+0EB3) count as a mark of the letter before, and so does the pair
# NIKHAHIT + AA that NFKC turns AM into, so that every Unicode form cuts the same characters.
_CHAR = rf"[{_SPACELESS}](?:\u0e4d\u0e32|\u0ecd\u0eb2|[{COMBINING_MARKS}])*"
_WIDE = re.compile(rf"{_CHAR}|{_LETTER}+(?:'{_LETTER}+)*")
_WIDE_TOKEN = re.compile(rf"(?<![^\W_])(?<![^\W_]')(?:[^\W\d_]\.){{2,}}(?![^\W_])(?:'[^\W_]+)*|"
                         rf"{_CHAR}|{_LETTER}+(?:'{_LETTER}+)*")


_SPECIAL = re.compile(f"[{COMBINING_MARKS}{_SPACELESS}]")
_SPECIAL_FROM = 0x300  # no character below this is one _SPECIAL matches (a test checks it)


def _holds_special(codes: np.ndarray) -> bool:
    """Whether the text of these code points holds a character :data:`_SPECIAL` matches (a
    combining mark, a letter of a script written without spaces): looked for among its distinct
    characters from U+0300 on, a few dozen in a text of thousands (curly quotes, dashes), where a
    search of the whole text tries the expression's long class at every character."""
    high = codes[codes >= _SPECIAL_FROM]
    return bool(len(high)) and _SPECIAL.search("".join(map(chr, set(high.tolist())))) is not None


def _pattern(folded: str) -> re.Pattern[str]:
    """The word pattern for a text: the script-aware one where the text holds a combining mark or a
    letter of a script without spaces, else the plain one (the same words, found faster)."""
    initials = _INITIAL_HINT.search(folded) is not None
    if folded.isascii() or not _holds_special(code_points(folded)):
        return _TOKEN if initials else _WORD
    return _WIDE_TOKEN if initials else _WIDE
_ODD_PAIRS = tuple((chr(c), str(v)) for c, v in _FOLD.items())


def fold(text: str) -> str:
    """Map quotes, dashes and odd spaces to ASCII and lower-case, keeping the length when possible."""
    if not text.isascii():  # str.translate looks up every character; a search for each odd one is faster
        for odd, plain in _ODD_PAIRS:
            if odd in text:
                text = text.replace(odd, plain)
    return text.lower()


def fold_in_place(text: str) -> str | None:
    """:func:`fold` of ``text`` when every character keeps its place, so that a slice of it is the
    fold of the same slice of ``text``; None when a letter lower-cases into two or the text holds
    a capital sigma (whose lower case depends on the letter after it)."""
    folded = fold(text)
    return folded if len(folded) == len(text) and "\u03a3" not in text else None


def _finish(word: str) -> str:
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word).casefold()
        if any(ch.isspace() for ch in word):  # a few compatibility letters expand to text with spaces
            word = "".join(word.split())
        if "\u200c" in word or "\u200d" in word:  # joiners shape the letters, they are not part of the word
            word = word.replace("\u200c", "").replace("\u200d", "")
    return word


def words(text: str) -> list[str]:
    """Normalised words of ``text``, in order (the hashing hot path)."""
    folded = fold(text)
    if len(folded) != len(text):  # a rare letter whose lower case is longer: take the exact path
        return words_with_offsets(text)[0]
    found = _pattern(folded).findall(folded)
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
    matches = list(_pattern(folded).finditer(folded))
    out = [m.group() for m in matches]
    if "." in folded or "'" in folded:
        out = [w.replace(".", "").replace("'", "") if ("." in w or "'" in w) else w for w in out]
    if not lowered:
        out = [w.lower() for w in out]
    if not folded.isascii():
        out = [_finish(w) for w in out]
    spans = np.array([m.span() for m in matches], dtype=np.int64).reshape(-1, 2) + start
    return out, spans[:, 0].copy(), spans[:, 1].copy()


_LETTERS: np.ndarray | None = None
_APOSTROPHE, _SPACE = ord("'"), ord(" ")
_LETTER_PATTERN = r"[^\W_]+"


def letter_table() -> np.ndarray:
    """Which code points ``[^\\W_]`` matches (letters and digits), as a boolean table over all of
    Unicode, worked out by the pattern itself so that array code and the patterns cannot disagree.

    Running the pattern over every code point takes some 40 ms, so its runs (a few hundred) are
    kept in the cache folder (:mod:`syndet.text.cache`), named after this Python and its Unicode
    version, and read from there by later processes."""
    global _LETTERS
    if _LETTERS is None:
        table = np.zeros(0x110000, dtype=bool)
        for lo, hi in _letter_runs().tolist():
            table[lo:hi] = True
        _LETTERS = table
    return _LETTERS


def _letter_runs() -> np.ndarray:
    """``(n, 2)`` ``int64`` ``[start, end)`` runs of the code points :data:`_LETTER_PATTERN` matches."""

    def make() -> np.ndarray:
        every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        return np.array([m.span() for m in re.finditer(_LETTER_PATTERN, every)], dtype=np.int64).reshape(-1, 2)

    def sound(runs: np.ndarray) -> bool:
        return bool(runs.dtype == np.int64 and runs.ndim == 2 and runs.shape[1] == 2 and len(runs)
                    and runs[0, 0] >= 0 and runs[-1, 1] <= 0x110000 and (runs[:, 0] < runs[:, 1]).all()
                    and (runs[1:, 0] > runs[:-1, 1]).all())

    return cached_array("letters", f"{sys.version}|{unicodedata.unidata_version}|{_LETTER_PATTERN}", make, sound)


def separated(ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` ranges are in order with at least one character between each two
    (then no word found in the whole text can run from one into the next)."""
    return all(lo > hi for (lo, _), (_, hi) in zip(ranges[1:], ranges, strict=False))


def words_in(text: str, ranges: Sequence[tuple[int, int]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """:func:`words_with_offsets` of each ``[start, end)`` range of ``text``, one after another.

    A range holding no combining mark and no letter of a script written without spaces has only
    plain words (runs of letters and digits joined by inner apostrophes) and initialisms ("U.S.",
    found by their own pattern); those are found for all such ranges at once, with array
    operations on the folded text, and are the very words and offsets the pattern gives. Any
    other range, and any text whose folding is not one character for one (or depends on context:
    capital sigma), goes through :func:`words_with_offsets`.
    """
    folded = fold_in_place(text)
    if folded is None:
        return _words_each(text, ranges)
    if not separated(ranges):  # out of order, overlapping or touching: each on its own
        return _words_each(text, ranges)
    wide = not folded.isascii()
    codes = code_points(folded)
    if not _holds_special(codes):  # the common case: looked for once in the whole text
        plain = [True] * len(ranges)
    else:
        plain = [_SPECIAL.search(folded, lo, hi) is None for lo, hi in ranges]
        if not any(plain):
            return _words_each(text, ranges)
    easy_ranges = [r for r, easy in zip(ranges, plain, strict=True) if easy]
    initialisms = _initialisms(folded, easy_ranges) if _INITIAL_HINT.search(folded) else []
    from syndet.text import kernels  # numba loads on first use

    bounds = np.array(easy_ranges, dtype=np.int64).reshape(-1, 2)
    kept_codes, starts, ends, beyond_mask = kernels.word_runs(
        codes, letter_table(), bounds, _APOSTROPHE, np.array(initialisms, dtype=np.int64).reshape(-1, 2), _SPACE)
    beyond = np.flatnonzero(beyond_mask).tolist() if wide else []
    kept = kept_codes.tobytes().decode("utf-32-le", "surrogatepass") if wide else kept_codes.tobytes().decode("ascii")
    found = kept.replace("'", "").replace(".", "").split() if initialisms else kept.replace("'", "").split()
    if len(found) != len(starts):  # pragma: no cover - a word always holds a letter
        return _words_each(text, ranges)
    for k in beyond:  # words beyond ASCII take NFKC and case folding, as the pattern's words do
        found[k] = _finish(found[k])
    if all(plain):
        return found, starts.astype(np.int64), ends.astype(np.int64)
    out: list[str] = []
    out_starts: list[np.ndarray] = []
    out_ends: list[np.ndarray] = []
    for (lo, hi), easy in zip(ranges, plain, strict=True):
        if easy:
            a, b = np.searchsorted(starts, lo), np.searchsorted(starts, hi)
            out.extend(found[a:b])
            out_starts.append(starts[a:b])
            out_ends.append(ends[a:b])
        else:
            w, s, e = words_with_offsets(text, lo, hi)
            out.extend(w)
            out_starts.append(s)
            out_ends.append(e)
    return out, np.concatenate(out_starts).astype(np.int64), np.concatenate(out_ends).astype(np.int64)


def _initialisms(folded: str, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the initialisms ("U.S.", "a.m.") of each range are, each range read alone (as the
    pattern reads it: the letter before a range does not count).

    The matches ``_INITIALISM.finditer`` gives, found from the hints instead of trying the pattern
    (whose look-behinds ``re`` cannot skip ahead by) at every character: an initialism opens with a
    letter and then holds a hint (".s."), so each starts one character before a hint, and only
    there is the pattern tried.
    """
    out: list[tuple[int, int]] = []
    for lo, hi in ranges:
        hint = _INITIAL_HINT.search(folded, lo + 1, hi)
        if hint is None:
            continue
        part = folded[lo:hi]  # read alone: the look-behinds must not see the text before the range
        at: int | None = hint.start() - lo
        while at is not None:
            m = _INITIALISM.match(part, at - 1)
            if m is not None:
                out.append((lo + m.start(), lo + m.end()))
            nxt = _INITIAL_HINT.search(part, m.end() + 1 if m is not None else at + 1)  # the next one starts past it
            at = None if nxt is None else nxt.start()
    return out


class Words(NamedTuple):
    """The normalised words of an article's content, with their offsets (read-only)."""

    tokens: tuple[str, ...]
    starts: np.ndarray
    ends: np.ndarray


@lru_cache(maxsize=256)
def content_words(text: str, ranges: tuple[tuple[int, int], ...]) -> Words:
    """:func:`words_in`, kept for the texts seen last: an article's word stream (for alignment)
    and its layout (for the edit checks) read the same words, found once."""
    tokens, starts, ends = words_in(text, ranges)
    starts.flags.writeable = False
    ends.flags.writeable = False
    return Words(tuple(tokens), starts, ends)


def _words_each(text: str, ranges: Sequence[tuple[int, int]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    out: list[str] = []
    starts: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
    ends: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
    for lo, hi in ranges:
        w, s, e = words_with_offsets(text, lo, hi)
        out.extend(w)
        starts.append(s)
        ends.append(e)
    return out, np.concatenate(starts), np.concatenate(ends)
