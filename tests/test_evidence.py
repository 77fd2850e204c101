"""The evidence catalogue's screens: passing over rules that cannot match never loses a sign."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import article
from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.attribution.evidence import (
    LINES,
    Catalogue,
    LineOpener,
    Rule,
    Sign,
    WordOpener,
    _case_variants,
    _joint_credits,
    _keep,
    article_signs,
    kept_choices,
    kept_scan,
    line_starts,
    load_catalogue,
    matches,
    required_choices,
    scan_strategy,
)
from syndet.models import Article, Paragraph
from syndet.settings import Settings
from syndet.text.patterns import Pattern
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
    _joint_credits(found)
    return tuple(sorted(found.values(), key=lambda s: (s.evidence.span.start if s.evidence.span else -1,
                                                       s.evidence.kind)))


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"^[^\n/]{0,80}?/\s*(?:ТАСС|TASS)\s*/", 0, (("тасс", "tass"),)),
    (r"[-–—]\s*(?:РИА\s+Новости|RIA\s+Novosti)\b", 0, (("новости", "novosti"),)),  # each branch's longest run
    (r"(?:©|\(c\)|\bcopyright\b)\s*\d{4}", re.I, (("©", "(c)", "copyright"),)),  # beyond ASCII from one character
    (r"\b(?:syndicated|wire)\s+(?:feed|service)\b", 0, (("feed", "service"), ("syndicated", "wire"))),
    (r"(?:alpha|beta)\s+gamma", 0, (("gamma",), ("alpha", "beta"))),
    (r"(?:alpha|be)\s+gamma", 0, (("gamma",),)),  # a branch with nothing to screen with: no choice
    (r"(?:alpha|gamma)\s+gamma", 0, (("gamma",),)),  # a choice holding a literal every match has says nothing
    (r"^[^\n]{0,20}?中新(?:社|网)", 0, (("中新",),)),
    (r"Prıncıples", re.I, (("principles",),)),  # the dotless i, which re matches for i, compared as an i
])
def test_required_choices_are_in_every_match(pattern: str, flags: int, expected: tuple[tuple[str, ...], ...]) -> None:
    assert required_choices(re.compile(pattern, flags)) == expected


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
    singles = [choice[0] for choice in required_choices(re.compile(pattern, flags)) if len(choice) == 1]
    assert sorted(singles) == sorted(expected)


def test_screened_signs_equal_unscreened_on_the_sample_corpus(geneva: Path) -> None:
    total = 0
    for path in sorted(geneva.glob("*.txt")):
        art = article(path.name, path.read_text(encoding="utf-8"))
        paragraphs = split_paragraphs(art, CHROME)
        screened = article_signs(art, paragraphs, CATALOGUE, 8)
        assert screened == unscreened(art, paragraphs, CATALOGUE, 8)
        total += len(screened)
    assert total >= 2  # the AP dateline of 003 and the AFP sign-off of 002 at least



def test_a_credit_line_naming_two_agencies_is_one_sign_naming_none(geneva: Path) -> None:
    path = geneva / "000_35191ae9f111ca43.txt"  # "This report contains content from Agence France-Presse and Reuters."
    art = article(path.name, path.read_text(encoding="utf-8"))
    signs = article_signs(art, split_paragraphs(art, CHROME), CATALOGUE, 8)
    credits = [s for s in signs if s.evidence.kind == "credit"]
    assert len(credits) == 1
    assert credits[0].evidence.agency is None and credits[0].weight == 0.0
    assert "Agence France-Presse and Reuters" in credits[0].evidence.detail


SIGN_LINES = [
    "GENEVA (AP) — The talks began.", "LONDON, Jan 10 (Reuters) - Prices rose.", "PARIS (AFP) - Calm returned.",
    "Associated Press writer Jim Heintz in Moscow contributed to this report.",
    "Reporting by Jane Roe; Editing by John Doe", "This report contains content from Agence France-Presse.",
    "burs-mm/ach", "Copyright 2022 The Associated Press. All rights reserved.", "the minister told Reuters.",
    "ACME Corp today announced a new plant (NASDAQ: ACME).", "With AFP", "(ANI)", "Xinhua",
    "This story has been auto-generated from a syndicated feed.", "About Acme Corp",
    "told the\nAssociated Press on Monday", "the (AP) — wire", "US officials said", "AP\n",
    "xthis story was first published by", "this article was originally published on", "About Acme\nAbout Beta",
    "Media Contacts\nPress Inquiries", "pm/nhj", "burs-pm/nhj\n", "forward-looking statements",
    "Monday (Jan 9)", "xMonday (Jan 9)", "SUNDAY(Dec 25)", "ſunday (Feb 2)", "a syndicated feed without changes",
    "spoke to the Associated Press", "seen by AP", "was obtained by Reuters", "ACME yesterday announced",
    "MOSCOW, Jan 10 /TASS/. Talks began.", "МОСКВА, 10 января - РИА Новости. Текст", "RAMALLAH, Jan 10 WAFA - Text",
    "This story came from a syndicated feed without edits", "Reportıng by Jane Roe; Editing by John Doe",
    "Associated Press writer Jim Heintz in Moscow contrıbuted to this report.", "© 2022 Reuters",
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


def test_every_letter_that_matches_an_ascii_letter_with_case_ignored_is_looked_for() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for flags in (re.IGNORECASE, re.IGNORECASE | re.ASCII):
            assert set(re.findall(re.escape(letter), every, flags)) <= set(_case_variants(letter, flags))


def test_bundled_rules_use_each_scan() -> None:
    scans = [rule.scan for rule in CATALOGUE.rules]
    assert sum(isinstance(s, LineOpener) for s in scans) >= 10
    assert sum(isinstance(s, WordOpener) for s in scans) >= 10
    assert sum(s is None for s in scans) >= 10


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(SIGN_LINES) | st.text(alphabet="abc ()-—\n.AP", max_size=30),
                min_size=1, max_size=8),
       st.sampled_from(["\n", "\n\n", " "]), st.integers(0, 40), st.integers(0, 400))
def test_each_scan_finds_what_finditer_finds(lines: list[str], sep: str, lo: int, length: int) -> None:
    """Every rule, over the whole text and over a range starting anywhere (mid-line, mid-word)."""
    text = sep.join(lines)
    starts = line_starts(text)
    for a, b in ((0, len(text)), (min(lo, len(text)), min(lo + length, len(text)))):
        for rule in CATALOGUE.rules:
            want = [m.span() for m in rule.pattern.finditer(text, a, b)]
            assert [m.span() for m in matches(rule, text, a, b, starts)] == want, rule.pattern.pattern


# Patterns opening with ``^`` that can match empty, run past a newline or end at one: the cases
# where finding the next line start by its newline could slip.
_OPENERS = [r"^(?:ab)?", r"^a[^\n]*\n", r"^\s*b", r"(?i)^A\b", r"^(?=a)", r"^(?<=\n)c", r"^\n"]


@settings(max_examples=120, deadline=None)
@given(st.text(alphabet="ab c\n", max_size=40), st.integers(0, 45), st.integers(0, 45),
       st.sampled_from(_OPENERS), st.booleans())
def test_line_scans_find_what_finditer_finds(text: str, lo: int, hi: int, source: str, trusted: bool) -> None:
    """A bundled ``^`` pattern is found by its newline, a user's line by line: both as finditer."""
    lo, hi = sorted((min(lo, len(text)), min(hi, len(text))))
    rule = Rule("signoff", "AP", "agency", Pattern(source, re.MULTILINE, trusted=trusted), 1.0)
    assert isinstance(rule.scan, LineOpener) if trusted else rule.scan == LINES
    want = [m.span() for m in re.compile(source, re.MULTILINE).finditer(text, lo, hi)]
    assert [m.span() for m in matches(rule, text, lo, hi, line_starts(text))] == want


@settings(max_examples=120, deadline=None)
@given(st.text(alphabet="aAb_c é\nſKİı|k(:-", max_size=40), st.integers(0, 45), st.integers(0, 45),
       st.sampled_from([r"\bab?", r"\ba\b", r"\bc[ab]*", r"\b_a", r"\bé", r"\b(?-i:Ab)c?", r"\b(?-i:ab)\b",
                        r"\b(?-i:a\ b)\s*", r"\b(?i:é)", r"\b(?-i:A)(?-i:b)", r"\b(?:ab|ca|b\s*a)\b",
                        r"\b(?:a|b)c", r"\b(?:a*b|c)", r"\b(?:a|b)*c", r"\b(?:a\|b|c)", r"\b(?:ſ|k|i)",
                        r"\b(?:ab|ca)\s*\(c?", r"\ba\s+-b", r"\b(?-i:Ab)\s?:", r"\b(?:a|b)\s*\(\s*(?:a|c)\)"]),
       st.sampled_from([0, re.IGNORECASE, re.ASCII]))
def test_word_opener_finds_what_finditer_finds(text: str, lo: int, hi: int, source: str, flags: int) -> None:
    """A bundled pattern opening with a word boundary, its boundary checked after its first letter
    (or after a group of literal text, an agency's name): the same matches, over a range starting
    anywhere (the letter before the range still counts)."""
    lo, hi = sorted((min(lo, len(text)), min(hi, len(text))))
    rule = Rule("signoff", "AP", "agency", Pattern(source, flags, trusted=True), 1.0)
    assert isinstance(rule.scan, WordOpener) or ("é" in source and flags == re.ASCII) or "(?:" in source
    if isinstance(rule.scan, WordOpener) and re.search(r"\\\(|\?:$|-b$", source):
        assert rule.scan.tail is not None  # what follows the word opens with a rare character
    want = [m.span() for m in re.compile(source, flags).finditer(text, lo, hi)]
    assert [m.span() for m in matches(rule, text, lo, hi, line_starts(text))] == want


def _same_scan(a: object, b: object) -> bool:
    """Two scans built alike: the same kind, the same expressions (their text and flags)."""
    def shape(how: object) -> object:
        if isinstance(how, LineOpener):
            return ("line", how.opener.pattern, how.opener.flags)
        if isinstance(how, WordOpener):
            tail = (how.tail.pattern, how.tail.flags) if how.tail is not None else None
            return ("word", how.pattern.pattern, how.pattern.flags, tail)
        return how
    return shape(a) == shape(b)


def test_screens_and_scans_read_back_from_the_cache_are_the_ones_worked_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bundled rule's screen and scan, kept in an empty cache folder, then read back by a
    catalogue that cannot parse a pattern: the same answers, and the rules' own patterns untouched."""
    import syndet.attribution.evidence as evidence

    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    worked = load_catalogue()
    rules = [*worked.datelines, *worked.rules]
    want = [(required_choices(r.pattern), scan_strategy(r.pattern)) for r in rules]
    for rule in rules:
        kept_choices(rule.pattern)
        kept_scan(rule.pattern)
    assert next(tmp_path.glob("patterns-*.jsonl")).stat().st_size > 0

    def unparsable(*_: object) -> None:
        raise AssertionError("a kept answer was worked out again")

    monkeypatch.setattr(evidence, "_NOTES", evidence.Memo("patterns", f"{evidence._NOTES_FORMAT}|{sys.version}"))
    monkeypatch.setattr(evidence, "_parsed", unparsable)
    read = load_catalogue()
    for rule, (choices, scan) in zip([*read.datelines, *read.rules], want, strict=True):
        assert rule.screen == (tuple(c for c in choices if len(c) == 1) if rule.needle is not None or any(
            len(c) == 1 for c in choices) else tuple(c for c in choices if len(c) <= 3))
        assert _same_scan(rule.scan, scan), rule.pattern.pattern


@pytest.mark.parametrize("recipe", [["word", 0, 0, False], ["group", 999, 1, True], ["line"], ["words", 0, 0, 1],
                                    ["what"], ["group", "3", 1, False], []])
def test_a_kept_scan_that_does_not_fit_its_pattern_is_worked_out_again(
        recipe: list[object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import syndet.attribution.evidence as evidence

    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    pattern = Pattern(r"(?:Reuters|AFP)\s+reported", re.IGNORECASE, trusted=True)
    evidence._NOTES.put(evidence._note_key("s", pattern), recipe)
    assert kept_scan(pattern) is None  # no \b, no ^: run as it is


def test_a_users_pattern_is_never_rewritten_on_a_kept_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's pattern runs with its time budget: a kept answer that would compile it as one of
    syndet's own (a damaged or foreign cache file) is not taken."""
    import syndet.attribution.evidence as evidence

    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    pattern = Pattern(r"\bstory\s+by\b", re.IGNORECASE)
    evidence._NOTES.put(evidence._note_key("s", pattern), ["word", 0, 0, False])
    assert kept_scan(pattern) is None
    lines = Pattern(r"^From\s+\w+", re.MULTILINE)
    evidence._NOTES.put(evidence._note_key("s", lines), ["line"])
    assert kept_scan(lines) == LINES


def test_the_bundled_catalogue_reads_the_same_with_libyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue syndet ships is read by libyaml (when PyYAML has it): the same data and the
    same line for every key as PyYAML's own parser, which every other file still goes through."""
    import yaml

    from syndet.attribution.evidence import DEFAULT_CATALOGUE
    from syndet.yamlfile import read_mapping

    slow = read_mapping(DEFAULT_CATALOGUE, "evidence catalogue")
    assert read_mapping(DEFAULT_CATALOGUE, "evidence catalogue", trusted=True) == slow
    assert len(slow[1]) > 300  # a line for every key of every entry

    def refused(*_: object) -> None:
        raise AssertionError("a user's file went to libyaml")

    monkeypatch.setattr(yaml, "CSafeLoader", refused, raising=False)
    extra = tmp_path / "agencies.yaml"
    extra.write_text("signoffs:\n  - pattern: '^ends here$'\n    origin: AP\n", encoding="utf-8")
    assert read_mapping(extra, "evidence catalogue")[1]["signoffs.0.pattern"] == 2
    with pytest.raises(AssertionError, match="libyaml"):
        load_catalogue()  # the bundled one does use it


def test_the_lines_of_each_entry_are_found_in_one_pass() -> None:
    """Where each agency's and wire's keys were written, gathered for all entries at once, is what
    looking for each entry's own keys gives (``agencies.1`` does not take ``agencies.10``'s)."""
    from syndet.attribution.evidence import DEFAULT_CATALOGUE, _entries
    from syndet.yamlfile import read_mapping

    def _sub(lines: dict[str, int], prefix: str) -> dict[str, int]:  # one entry's keys, looked for alone
        out = {k[len(prefix) + 1:]: v for k, v in lines.items() if k.startswith(prefix + ".")}
        if prefix in lines:
            out[""] = lines[prefix]
        return out

    data, lines = read_mapping(DEFAULT_CATALOGUE, "evidence catalogue")
    made = {f"agencies.{n}": 10 + n for n in range(12)}
    made.update({f"agencies.{n}.name": 40 + n for n in range(12)}, **{"agencies.1.tags.0": 70, "agencies.10.tags.3": 71,
                                                                     "agencies": 1, "press_wires.1.name": 80})
    for mapping, sections in ((lines, {k: len(data[k]) for k in ("agencies", "press_wires")}),
                              (made, {"agencies": 12, "press_wires": 2})):
        for section, count in sections.items():
            found = _entries(mapping, section)
            for n in range(count):
                assert found.get(str(n), {}) == _sub(mapping, f"{section}.{n}")
    assert _entries(made, "agencies")["1"] == {"": 11, "name": 41, "tags.0": 70}
