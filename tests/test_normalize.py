"""Normalisation folds what copies change and keeps every word's place in the original."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import MonkeyPatch

from syndet.text.normalize import (
    _FOLD,
    _INITIALISM,
    _initialisms,
    fold,
    letter_table,
    words,
    words_in,
    words_with_offsets,
)

TEXT = st.lists(
    st.sampled_from([*list("abcXYZ ..,'’“”—-\n\tİßﬁé½0123_"), "U.S.", "don’t", "a.m.", "U.S.’s"]),
    max_size=40,
).map("".join)


def test_copy_edits_compare_equal() -> None:
    original = "“The U.S. won’t back down,” Blinken said — on Sunday."
    copy = "The US wont back down, Blinken said - on Sunday"
    assert words(original) == words(copy) == ["the", "us", "wont", "back", "down", "blinken", "said",
                                              "on", "sunday"]


def test_unicode_is_nfkc_folded() -> None:
    assert words("ＧＥＮＥＶＡ ﬁnal Straße") == ["geneva", "final", "strasse"]


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_offsets_path_equals_fast_path(text: str) -> None:
    found, starts, ends = words_with_offsets(text)
    assert found == words(text)
    assert len(starts) == len(ends) == len(found)
    for word, lo, hi in zip(found, starts, ends, strict=False):
        assert 0 <= lo < hi <= len(text)
        assert words(text[lo:hi]) == [word]
    assert list(starts) == sorted(starts)


def test_offsets_are_relative_to_whole_text() -> None:
    text = "xx Hello U.S. world"
    found, starts, ends = words_with_offsets(text, 3, len(text))
    assert found == ["hello", "us", "world"]
    assert [text[a:b] for a, b in zip(starts, ends, strict=False)] == ["Hello", "U.S.", "world"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from([*"aZ .'-\u00e9\u0130", *(chr(c) for c in _FOLD)]), max_size=30))
def test_fold_maps_every_odd_character(text: str) -> None:
    assert fold(text) == text.translate(_FOLD).lower()


def test_initialisms_found_with_and_without_other_dots() -> None:
    assert words("Talks ended. U.S. and E.U. officials left.") == ["talks", "ended", "us", "and", "eu",
                                                                   "officials", "left"]
    assert words("v1.2.3 at 10 a.m. sharp") == ["v1", "2", "3", "at", "10", "am", "sharp"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab.'1 _é", "u.s."]), max_size=30), st.integers(0, 40), st.integers(0, 40))
def test_initialisms_found_from_their_hints_equal_the_pattern_everywhere(parts: list[str], lo: int, hi: int) -> None:
    text = "".join(parts)
    lo, hi = min(lo, len(text)), min(max(lo, hi), len(text))
    expected = [(lo + m.start(), lo + m.end()) for m in _INITIALISM.finditer(text[lo:hi])]
    assert _initialisms(text, [(lo, hi)]) == expected


_PIECES = ["a", "B", "'", "’", " ", "\n", "\n\n", "é", "ß", "İ", "x'", "'y", "_", "3", "क्ष", "ि", "日本", "ـ",
           "\u200d", "“", '"', "- ", "• ", "U.S.", "a.m.", ".", "€", "£", "ﬁ", "Ⅻ", "²", "Σ", "ΟΔΟΣ", "K", "Ǆ",
           "e\u0301", "don’t", "Geneva", "A.", "z.", "1.", "'s", "U.S.A", "x.y.", "é."]


def _each(text: str, ranges: list[tuple[int, int]]) -> tuple[list[str], list[int], list[int]]:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for lo, hi in ranges:
        w, s, e = words_with_offsets(text, lo, hi)
        out += w
        starts += s.tolist()
        ends += e.tolist()
    return out, starts, ends


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sets(st.integers(0, 300), max_size=6),
       st.lists(st.booleans(), max_size=8))
def test_words_of_many_ranges_equal_the_pattern_range_by_range(parts: list[str], cuts: set[int],
                                                               keep: list[bool]) -> None:
    text = "".join(parts)
    edges = sorted({c for c in cuts if c < len(text)} | {0, len(text)})
    ranges = [(lo, hi) for k, (lo, hi) in enumerate(pairwise(edges)) if k >= len(keep) or keep[k]]
    got = words_in(text, ranges)
    assert (got[0], got[1].tolist(), got[2].tolist()) == _each(text, ranges)
    gapped = [(lo + 1, hi) for lo, hi in ranges if hi > lo + 1]  # with a character between ranges
    got = words_in(text, gapped)
    assert (got[0], got[1].tolist(), got[2].tolist()) == _each(text, gapped)


def test_words_of_a_news_paragraph_found_at_once() -> None:
    text = "Title\n\nGENEVA — The envoys’ talks didn't end, officials said.\n\nCosts rose 5% to €3bn, the U.S. said."
    first = text.index("GENEVA")
    second = text.index("Costs")
    found, starts, ends = words_in(text, [(first, second - 2), (second, len(text))])
    assert found[:6] == ["geneva", "the", "envoys", "talks", "didnt", "end"]
    assert "us" in found and [text[s:e] for s, e in zip(starts, ends, strict=True)][3] == "talks"


def _reference_runs(codes: np.ndarray, ranges: Sequence[tuple[int, int]], apostrophes: Sequence[int],
                    whole: Sequence[tuple[int, int]] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The compiled loop's reference, in array operations: the words ``[^\\W_]+(?:'[^\\W_]+)*``
    (``'`` any of ``apostrophes``) inside ``ranges`` of a text given as code points, all at once:
    ``(letter, starts, ends)``, where ``letter`` marks the characters inside a word. ``ranges``
    must be separated (a character at least between two). Each ``[start, end)`` of
    ``whole`` is one word as it stands (an initialism with its dots), with no letter or joining
    apostrophe next to it.
    """
    within = np.zeros(len(codes), dtype=bool)
    for lo, hi in ranges:
        within[lo:hi] = True
    letter = letter_table()[codes] & within
    if len(codes) > 2:  # an apostrophe between two letters joins them
        mid = codes[1:-1]
        mark = mid == apostrophes[0]
        for other in apostrophes[1:]:
            mark |= mid == other
        letter[1:-1] |= mark & letter[:-2] & letter[2:] & within[1:-1]
    for lo, hi in whole:
        letter[lo:hi] = True
    change = np.diff(letter.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return letter, np.flatnonzero(change == 1), np.flatnonzero(change == -1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", "'", " ", "\n", "é", "日", "3", "_", ".", "-", "x'y", "\u0301"]),
                max_size=60),
       st.sets(st.integers(0, 70), max_size=6), st.lists(st.booleans(), max_size=8), st.booleans())
def test_compiled_word_runs_equal_the_array_reference(parts: list[str], cuts: set[int], keep: list[bool],
                                                      joined: bool) -> None:
    from syndet.text.kernels import word_runs

    text = "".join(parts)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    edges = sorted({c for c in cuts if c < len(text)} | {0, len(text)})
    ranges = [(lo + 1, hi) for k, (lo, hi) in enumerate(pairwise(edges)) if (k >= len(keep) or keep[k]) and hi > lo + 1]
    whole = [(lo, lo + 2) for lo, hi in ranges if joined and hi - lo >= 4 and not text[lo + 2:lo + 3].isalnum()
             and (lo == 0 or not text[lo - 1].isalnum()) and text[lo + 1] != "'"][:2]
    letter, starts, ends = _reference_runs(codes, ranges, (ord("'"),), whole)
    kept, k_starts, k_ends, wide = word_runs(codes, letter_table(), np.array(ranges, dtype=np.int64).reshape(-1, 2),
                                            ord("'"), np.array(whole, dtype=np.int64).reshape(-1, 2), 32)
    assert k_starts.tolist() == starts.tolist() and k_ends.tolist() == ends.tolist()
    assert kept.tolist() == np.where(letter, codes, 32).tolist()
    assert wide.tolist() == [bool((codes[s:e] > 127).any()) for s, e in zip(starts, ends, strict=True)]


def _letters_by_pattern() -> np.ndarray:
    import re

    every = "".join(map(chr, range(0x110000)))
    table = np.zeros(0x110000, dtype=bool)
    for m in re.finditer(r"[^\W_]", every):
        table[m.start()] = True
    return table


def test_the_letter_table_is_kept_in_the_cache_folder_and_read_back(tmp_path: Path, monkeypatch: MonkeyPatch
                                                                   ) -> None:
    """The first process works the table out and keeps its runs in one file; the next reads the
    same table from there, and it is the pattern's own, code point for code point."""
    from syndet.text import normalize

    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(normalize, "_LETTERS", None)
    made = letter_table().copy()
    kept = list((tmp_path / "cache").glob("letters-*.npy"))
    assert len(kept) == 1 and not list((tmp_path / "cache").glob(".*"))
    monkeypatch.setattr(normalize, "re", None)  # reading the file must not run the pattern
    monkeypatch.setattr(normalize, "_LETTERS", None)
    assert np.array_equal(letter_table(), made)
    assert np.array_equal(made, _letters_by_pattern())


@pytest.mark.parametrize("content", [b"not an array", b"", "object"])
def test_a_damaged_letter_cache_is_passed_over_and_replaced(tmp_path: Path, monkeypatch: MonkeyPatch,
                                                            content: bytes | str) -> None:
    from syndet.text import normalize

    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(normalize, "_LETTERS", None)
    want = letter_table().copy()
    (path,) = tmp_path.glob("letters-*.npy")
    if content == "object":  # an array of another shape (pickled objects are never loaded)
        np.save(path, np.array([[5, 3, 1]], dtype=np.int64))
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    monkeypatch.setattr(normalize, "_LETTERS", None)
    assert np.array_equal(letter_table(), want)
    runs = np.load(path, allow_pickle=False)
    assert runs.shape[1] == 2 and len(runs) > 100  # written again whole


def test_no_character_below_the_first_special_one_is_special() -> None:
    from syndet.text.normalize import _SPECIAL, _SPECIAL_FROM

    assert not any(_SPECIAL.match(chr(c)) for c in range(_SPECIAL_FROM))
    assert _SPECIAL.match(chr(_SPECIAL_FROM))  # a combining grave accent


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab .\u00e9\u201c\u2014\u0301\u0e01\u4e2d\ud800\U0001f600")), max_size=40))
def test_a_text_holds_a_special_character_exactly_when_the_expression_finds_one(text: str) -> None:
    from syndet.text.literals import code_points
    from syndet.text.normalize import _SPECIAL, _holds_special

    assert _holds_special(code_points(text)) == (_SPECIAL.search(text) is not None)
