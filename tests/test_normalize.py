"""Normalisation folds what copies change and keeps every word's place in the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.text.normalize import _FOLD, fold, words, words_with_offsets

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
