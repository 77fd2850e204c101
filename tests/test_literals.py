"""Literals found in one pass: the answers ``in`` gives, for any text and any set of literals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.attribution.evidence import load_catalogue
from syndet.text.literals import Literals, anchor

# Few characters, so literals do occur; ASCII, accented, CJK, astral and a lone surrogate, so the
# one-byte and the four-byte code point paths both run, and a literal may be wider than the text.
_CHARS = st.sampled_from(list("abAB .'\u00e9\u4e2d\U0001f600\ud800"))
_TEXT = st.text(_CHARS, max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=5), max_size=40), _TEXT)
def test_found_is_in_for_every_literal(literals: list[str], text: str) -> None:
    found = Literals(literals).found(text)
    assert found.tolist() == [lit in text for lit in Literals(literals).items]


def test_repeats_and_the_empty_string_are_dropped_and_numbers_follow_the_order_given() -> None:
    lits = Literals(["reuters", "", "afp", "reuters", "a"])
    assert lits.items == ("reuters", "afp", "a")
    assert "afp" in lits and "a" in lits and "ap" not in lits and "" not in lits
    assert lits.found("An AFP report, via Reuters").tolist() == [False, False, True]
    assert Literals([]).found("anything").tolist() == []


def test_many_literals_sharing_their_first_two_letters() -> None:
    """Literals in one bucket of the pass's table, and a text holding only some of them."""
    lits = Literals([f"re{c}" for c in "abcdefghijklmnopqrstuvwxyz"] + ["reuters", "reu"])
    text = "the reuters report, recast"
    assert lits.found(text).tolist() == [lit in text for lit in lits.items]


def test_every_tag_and_alias_of_the_bundled_catalogue_in_its_own_texts() -> None:
    """The catalogue's needles, looked for in a text made of every other one of them."""
    catalogue = load_catalogue()
    needles = sorted({r.needle for r in (*catalogue.datelines, *catalogue.rules) if r.needle})
    lits = Literals(needles)
    text = " | ".join(needles[::2])
    assert lits.found(text).tolist() == [lit in text for lit in lits.items]
    assert lits.found(text).sum() >= len(needles[::2])


def test_a_literal_is_looked_up_by_its_rarest_pair_and_found_wherever_it_stands() -> None:
    """Looked up by a pair in its middle, a literal is still found at the very start and end of a
    text, and not where the text ends inside it or starts past its first letters."""
    assert anchor("reuters") == 2  # "ut", not "re", "eu", "te", "er" or "rs"
    assert anchor("ap") == 0
    lits = Literals(["reuters", "xinhua", "told"])
    for text in ("reuters said", "said reuters", "euters", "reuter", "a reut", "ters", "xinhua", "toldreuters"):
        assert lits.found(text).tolist() == [lit in text for lit in lits.items], text
