"""One-way edits belong to the copy that made them, whichever article holds which text.

A real AP story (the sample corpus's 003 body) is the original; a copy applies a chosen set of
the edits republishers make. The two texts are scanned under both assignments of ids: the source
must be the article holding the original and every edit must be reported on the article holding
the copy, so swapping which article is the original moves every edit to the other article.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from syndet.detector import Detector
from syndet.models import Article

GENEVA = Path(__file__).resolve().parent.parent / "examples" / "geneva-2022" / "003_a116120311b8510c.txt"
_LINES = [line.strip() for line in GENEVA.read_text(encoding="utf-8").split("\n")[16:55] if line.strip()]
BODY = [line for line in _LINES if not line.startswith(("•", "What You Need"))]
EDITS = ("quotes", "us", "split", "trim")


def edited(paragraphs: list[str], edits: frozenset[str]) -> list[str]:
    out = list(paragraphs)
    if "quotes" in edits:
        out = [p.replace("“", "").replace("”", "") for p in out]
    if "us" in edits:
        out = [p.replace("U.S.", "US") for p in out]
    if "split" in edits:
        parts: list[str] = []
        for p in out:
            cut = p.find(". ", len(p) // 3)
            if cut > 0 and len(p.split()) > 40:
                parts += [p[:cut + 1], p[cut + 2:]]
            else:
                parts.append(p)
        out = parts
    if "trim" in edits:
        out = out[: max(3, len(out) * 3 // 5)]
    return out


def check(edits: frozenset[str], original_id: str, copy_id: str) -> None:
    copy_text = "\n\n".join(edited(BODY, edits)) + "\n"
    texts = {original_id: "\n\n".join(BODY) + "\n", copy_id: copy_text}
    result = Detector().scan([Article(i, texts[i]) for i in sorted(texts)])
    assert result.passages
    for passage in result.passages:
        att = passage.attribution
        assert att is not None
        for ev in att.evidence:
            if ev.kind.startswith("edit:"):
                assert ev.article_id == copy_id, (edits, ev)
        if any(ev.kind.startswith("edit:") for ev in att.evidence):
            assert att.source_article == original_id, (edits, att)
    kinds = {ev.kind for p in result.passages for ev in (p.attribution.evidence if p.attribution else ())}
    expected = {"quotes": "edit:quotes_stripped", "us": "edit:abbreviation", "split": "edit:paragraphs_split",
                "trim": "edit:trimmed_end"}
    for edit in edits:
        assert expected[edit] in kinds, (edits, kinds)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.frozensets(st.sampled_from(EDITS), min_size=1))
def test_every_edit_changes_owner_when_the_original_is_swapped(edits: frozenset[str]) -> None:
    check(edits, "x", "y")
    check(edits, "y", "x")


def test_a_copy_that_omits_the_quoted_paragraphs_strips_no_quotes() -> None:
    quoted = [p for p in BODY if "“" in p]
    plain = [p for p in BODY if "“" not in p]
    assert len(quoted) >= 3 and len(plain) >= 8
    original = Article("wire", "\n\n".join(BODY) + "\n")
    omitted = Article("site", "\n\n".join(plain) + "\n")
    result = Detector().scan([original, omitted])
    for passage in result.passages:
        kinds = {ev.kind for ev in passage.attribution.evidence} if passage.attribution else set()
        assert "edit:quotes_stripped" not in kinds, passage


def test_a_dangling_word_is_not_a_split_paragraph() -> None:
    original = Article("wire", "\n\n".join(BODY) + "\n")
    copy = [*BODY[:5], re.sub(r"\s+\S+$", "", BODY[5]), BODY[5].split()[-1], *BODY[6:]]
    result = Detector().scan([original, Article("site", "\n\n".join(copy) + "\n")])
    for passage in result.passages:
        kinds = {ev.kind for ev in passage.attribution.evidence} if passage.attribution else set()
        assert "edit:paragraphs_split" not in kinds


def _story(lead: str, paragraphs: list[str]) -> str:
    return "\n\n".join([lead + paragraphs[0], *paragraphs[1:]]) + "\n"


def test_a_republisher_mark_points_at_the_copy() -> None:
    body = [p.replace("on Monday", "on Monday", 1) for p in BODY[:10]]
    wire = Article("wire", _story("GENEVA (AP) — ", body))
    dated = [p.replace("on Monday", "on Monday (Jan 10)", 1) for p in body]
    site = Article("site", _story("GENEVA (AP) — ", dated) + "\n(With inputs from AP)\n")
    for order in ([wire, site], [site, wire]):
        result = Detector().scan(order)
        for passage in result.passages:
            assert passage.attribution is not None and passage.attribution.source_article == "wire"
            assert any(ev.kind == "republisher_mark" and ev.article_id == "site" for ev in passage.attribution.evidence)


def test_the_datelined_copy_is_the_source_without_any_dates() -> None:
    wire = Article("c-wire", _story("GENEVA (AP) — ", BODY[:12]))
    first = Article("a-site", _story("", BODY[:12]))
    second = Article("b-site", _story("", BODY[:12]) + "\n" + BODY[13] + "\n")
    result = Detector().scan([first, second, wire])
    main = max(result.passages, key=lambda p: p.words)
    assert set(main.article_ids) == {"a-site", "b-site", "c-wire"}
    assert main.attribution is not None
    assert (main.attribution.origin, main.attribution.source_article) == ("AP", "c-wire")


def test_time_first_with_no_cliff_and_earliest_names_the_earliest() -> None:
    text = _story("", BODY[:12])
    for gap_days in (0.02, 1, 20, 400):
        from datetime import UTC, datetime, timedelta

        t0 = datetime(2022, 1, 10, 9, tzinfo=UTC)
        later = (t0 + timedelta(days=gap_days)).isoformat()
        arts = [Article("late", text, published=later), Article("early", text, published=t0.isoformat()),
                Article("undated", text)]
        result = Detector().scan(arts)
        (passage,) = result.passages
        att = passage.attribution
        assert att is not None and att.source_article == "early", gap_days
        earliest = [ev for ev in att.evidence if ev.kind == "earliest"]
        assert len(earliest) == 1 and earliest[0].article_id == "early"


def test_same_day_dates_tie_and_fall_back_to_the_other_evidence() -> None:
    wire = Article("wire", _story("GENEVA (AP) — ", BODY[:12]), published="2022-01-10")
    site = Article("site", _story("", BODY[:12]), published="2022-01-10T06:00:00Z")
    (passage,) = Detector().scan([site, wire]).passages
    assert passage.attribution is not None and passage.attribution.source_article == "wire"
    assert not any(ev.kind == "earliest" for ev in passage.attribution.evidence)


def test_one_story_one_direction() -> None:
    """Two runs of one copied story, split by a paragraph the copy rewrote, name one source even
    when only one run carries the edit that tells them apart."""
    original = Article("orig", "\n\n".join(BODY[:14]) + "\n")
    copy_pars = [*BODY[:6], "A paragraph written by the outlet itself, about its own readers and nothing else.",
                 *[p.replace("“", "").replace("”", "") for p in BODY[7:14]]]
    copy = Article("copy", "\n\n".join(copy_pars) + "\n")
    result = Detector().scan([copy, original])
    pair = [p for p in result.passages if set(p.article_ids) == {"orig", "copy"}]
    assert len(pair) >= 2
    assert {p.attribution.source_article for p in pair if p.attribution} == {"orig"}


def _edit_kinds(result: object) -> dict[str, set[str]]:
    """Edit kinds shown, by the article they are shown on."""
    out: dict[str, set[str]] = {}
    for passage in result.passages:  # type: ignore[attr-defined]
        for ev in passage.attribution.evidence if passage.attribution else ():
            if ev.kind.startswith("edit:"):
                out.setdefault(ev.article_id, set()).add(ev.kind)
    return out


def test_a_dropped_paragraph_is_no_split() -> None:
    """A copy one paragraph short has one break fewer, and words within a tenth of the other's:
    still no split, since no break of either falls inside a paragraph of the other."""
    body = BODY[:12]
    original = Article("wire", "\n\n".join(body) + "\n")
    copy = Article("site", "\n\n".join(body[:5] + body[6:]) + "\n")
    shown = _edit_kinds(Detector().scan([original, copy]))
    assert "edit:paragraphs_split" not in shown.get("wire", set()) | shown.get("site", set())


def test_a_copy_cut_short_inside_one_passage_is_trimmed() -> None:
    """The original and a full reprint share the whole story, so the passage runs to the end of
    both; a third copy that stops after six paragraphs ends where the other two go on."""
    body = BODY[:12]
    original = Article("first", "\n\n".join(body) + "\n")
    full = Article("full", "\n\n".join(p.replace("“", "").replace("”", "") for p in body) + "\n")
    short = Article("short", "\n\n".join(body[:6]) + "\n")
    result = Detector().scan([original, full, short])
    main = max(result.passages, key=lambda p: len(p.article_ids))
    assert set(main.article_ids) == {"first", "full", "short"}
    assert "edit:trimmed_end" in _edit_kinds(result)["short"]


def test_a_lead_in_of_its_own_points_at_the_copy() -> None:
    body = BODY[:10]
    original = Article("first", "\n\n".join(body) + "\n")
    copy = Article("second", "A story now going the rounds of the press this week.\n\n" + "\n\n".join(body) + "\n")
    result = Detector().scan([copy, original])
    assert _edit_kinds(result) == {"second": {"edit:lead_added"}}
    assert all(p.attribution and p.attribution.source_article == "first" for p in result.passages)


def test_a_dateline_is_no_lead_in() -> None:
    """Words in front of the story inside its first paragraph (a dateline) are not a lead of its own."""
    body = BODY[:10]
    wire = Article("wire", _story("GENEVA, Switzerland, Jan 10 (AP) — ", body))
    site = Article("site", _story("", body))
    kinds = _edit_kinds(Detector().scan([wire, site]))
    assert "edit:lead_added" not in kinds.get("wire", set()) | kinds.get("site", set())


def test_an_undated_original_beats_a_dated_copy_its_edits_show() -> None:
    """Time orders the dated copies only: the earliest dated copy put a lead on top of the story and
    the later one was cut short, so the undated one that did neither is the original."""
    body = BODY[:12]
    original = Article("undated", "\n\n".join(body) + "\n", source="The Westport Express")
    lead = Article("early", "The following will interest our readers.\n\n" + "\n\n".join(body) + "\n",
                   source="The Dunmore Courier", published="1885-03-04")
    cut = Article("late", "\n\n".join(body[:7]) + "\n", source="The Halden Gazette", published="1885-03-20")
    result = Detector().scan([cut, lead, original])
    main = max(result.passages, key=lambda p: len(p.article_ids))
    assert set(main.article_ids) == {"undated", "early", "late"}
    assert main.attribution is not None and main.attribution.source_article == "undated"
    kinds = _edit_kinds(result)
    assert "undated" not in kinds and "edit:lead_added" in kinds["early"] and "edit:trimmed_end" in kinds["late"]


# The patterns behind two of the one-way edits are searched in a cheaper way than the plain
# ``finditer`` of their first form; the matches must be the same on any text.
_PLAIN_DOTTED = re.compile(r"([A-Z])(?<!\w[A-Z])\.([A-Z])\.")
_DOTTED_TEXT = st.text(alphabet="AUSBx. \n_é1", max_size=24)
_CREDIT_TEXT = st.lists(st.sampled_from(["From the Westport Express.", "(Courtesy of The Herald)", "from the AP",
                                         "This story first appeared in The Times.", "The mayor spoke.", "",
                                         "  [reprinted from Le Monde] ", "From the U.S. Desk", "from"]),
                        max_size=8).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(_DOTTED_TEXT)
@example("In the U.S.A. and the U.K., xU.S. and _A.B. but A.B.C.D. and é.U.S. 1U.S.")
def test_dotted_initialisms_are_those_the_plain_pattern_finds(text: str) -> None:
    from syndet.attribution.attribute import _DOTTED

    if "U.S.A." in text:  # the example: what it holds is found
        assert {m.group(1) + m.group(2) for m in _DOTTED.finditer(text)} == {"US", "UK", "AB", "CD"}
    assert [(m.group(1), m.group(2)) for m in _DOTTED.finditer(text)] == \
        [(m.group(1), m.group(2)) for m in _PLAIN_DOTTED.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(_CREDIT_TEXT, st.text(alphabet="ab \n.", max_size=6))
def test_credited_outlets_are_those_finditer_finds(lines: str, noise: str) -> None:
    from syndet.attribution.attribute import _FROM_OUTLET, _named_outlets, _outlet_key

    text = noise + lines
    assert _named_outlets(text) == tuple(_outlet_key(m.group("outlet")) for m in _FROM_OUTLET.finditer(text))
