"""The evidence catalogue's screens: passing over rules that cannot match never loses a sign."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import article
from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.attribution.evidence import Catalogue, Sign, _keep, article_signs, load_catalogue, required_literals
from syndet.models import Article, Paragraph
from syndet.settings import Settings
from syndet.text.segment import compile_chrome, split_paragraphs

CATALOGUE = load_catalogue()
CHROME = compile_chrome(Settings().segment.chrome_patterns)


def unscreened(art: Article, paragraphs: Sequence[Paragraph], catalogue: Catalogue, lead: int) -> tuple[Sign, ...]:
    """The signs found by running every rule everywhere it may match: datelines at the start of each
    leading paragraph, rules naming a tag or alias in each paragraph, the others over the whole text."""
    found: dict[tuple[str, str | None, int], Sign] = {}
    text = art.text
    for para in paragraphs[:lead]:
        for rule in catalogue.datelines:
            m = rule.pattern.match(text, para.start, para.end)
            if m:
                _keep(found, rule, art.id, text, m.start(), m.end())
    start = paragraphs[0].start if paragraphs else art.body_start
    for rule in catalogue.rules:
        ranges = [(p.start, p.end) for p in paragraphs] if rule.needle else [(start, len(text))]
        for lo, hi in ranges:
            for m in rule.pattern.finditer(text, lo, hi):
                _keep(found, rule, art.id, text, m.start(), m.end())
    return tuple(sorted(found.values(), key=lambda s: (s.evidence.span.start if s.evidence.span else -1,
                                                       s.evidence.kind)))


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"\b(?:today|yesterday)\s+announced\b", 0, ("announced",)),
    (r"\bThomson\s+Reuters\s+Trust\s+Principles\b", re.I, ("principles", "reuters", "thomson", "trust")),
    (r"prnewswire\.com", 0, ("prnewswire.com",)),
    (r"\btold\s+(?:the\s+)?(?-i:Associated\ Press)\b", re.I, ("associated press", "told")),
    (r"^\W{0,4}(?-i:AP)\W{0,4}$", re.I, ()),  # too short to screen with
    (r"(?:burs?|bur)-[a-z]{1,5}", 0, ("bur",)),
    (r"(?:alpha|beta)\s+gamma", 0, ("gamma",)),  # a literal inside an alternative is not required
    (r"(?:wire\s+)?feed", 0, ("feed",)),  # nor one inside an optional group
])
def test_required_literals_are_in_every_match(pattern: str, flags: int, expected: tuple[str, ...]) -> None:
    assert sorted(required_literals(re.compile(pattern, flags))) == sorted(expected)


def test_screened_signs_equal_unscreened_on_the_sample_corpus(geneva: Path) -> None:
    total = 0
    for path in sorted(geneva.glob("*.txt")):
        art = article(path.name, path.read_text(encoding="utf-8"))
        paragraphs = split_paragraphs(art, CHROME)
        screened = article_signs(art, paragraphs, CATALOGUE, 8)
        assert screened == unscreened(art, paragraphs, CATALOGUE, 8)
        total += len(screened)
    assert total >= 2  # the AP dateline of 003 and the AFP sign-off of 002 at least


SIGN_LINES = [
    "GENEVA (AP) — The talks began.", "LONDON, Jan 10 (Reuters) - Prices rose.", "PARIS (AFP) - Calm returned.",
    "Associated Press writer Jim Heintz in Moscow contributed to this report.",
    "Reporting by Jane Roe; Editing by John Doe", "This report contains content from Agence France-Presse.",
    "burs-mm/ach", "Copyright 2022 The Associated Press. All rights reserved.", "the minister told Reuters.",
    "ACME Corp today announced a new plant (NASDAQ: ACME).", "With AFP", "(ANI)", "Xinhua",
    "This story has been auto-generated from a syndicated feed.", "About Acme Corp",
    "told the\nAssociated Press on Monday", "the (AP) — wire", "US officials said", "AP\n",
]


def test_a_sign_naming_an_agency_is_found_within_one_paragraph() -> None:
    for text, found in (("Intro.\n\nShe told the\nAssociated Press on Monday.\n", True),
                        ("Intro.\n\nShe told the\n\nAssociated Press on Monday.\n", False)):
        art = article("a", text)
        signs = article_signs(art, split_paragraphs(art, CHROME), CATALOGUE, 8)
        assert [s.evidence.kind for s in signs] == (["self_reference"] if found else [])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SIGN_LINES) | st.text(alphabet="abc ()-—\n.AP", max_size=30),
                min_size=1, max_size=8),
       st.sampled_from(["\n", "\n\n", " "]))
def test_screened_signs_equal_unscreened_on_any_mix(lines: list[str], sep: str) -> None:
    art = article("a", sep.join(lines))
    paragraphs = split_paragraphs(art, CHROME)
    assert article_signs(art, paragraphs, CATALOGUE, 8) == unscreened(art, paragraphs, CATALOGUE, 8)
