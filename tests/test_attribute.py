"""Attribution: kind, origin, source copy and evidence of each shared passage.

Synthetic articles carry made-up text (see ``conftest.story``) so that only the copied paragraphs
are shared; the signs under test (datelines, credit lines, quotation marks) are written around them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article, story

from syndet.attribution.evidence import load_catalogue
from syndet.detector import Detector
from syndet.errors import ConfigError
from syndet.models import Article, Passage
from syndet.result import ScanResult
from syndet.settings import AttributeSettings, Settings

AP_A, AP_B = "003_a116120311b8510c.txt", "004_fd3b9aa19fe5f73c.txt"
VOA = "000_35191ae9f111ca43.txt"

STORY = ("Officials from both countries met for nearly seven hours on Monday in an attempt to ease tensions "
         "along the border, but neither side reported any breakthrough after the closed-door session ended.\n\n"
         "The talks were the first of three rounds planned for this week, with a second meeting scheduled in "
         "Brussels on Wednesday and a third in Vienna on Thursday involving a wider group of governments.\n\n"
         "Analysts said the outcome would depend largely on whether troops stationed near the frontier were "
         "pulled back in the coming days, a step both capitals have so far refused to take without guarantees.\n")
SECOND = ("Grain exporters warned that river ports closed since the autumn floods would stay shut until the "
          "damaged loading cranes were replaced, leaving thousands of tonnes of wheat stranded in silos.\n\n"
          "Shipping companies have asked the transport ministry for emergency permits to move cargo by rail "
          "instead, although the line to the coast is already running close to its capacity this winter.\n")
QUOTE = ("“We will not accept any agreement that leaves our neighbours without a voice at the table, and we "
         "will keep talking for as long as it takes to reach one,” the minister said.")


def scan(*articles: Article, **attribute: object) -> ScanResult:
    settings = Settings(attribute=AttributeSettings(**attribute))  # type: ignore[arg-type]
    return Detector(settings).scan(articles)


def only_passages(result: ScanResult, *ids: str) -> list[Passage]:
    found = [p for p in result.passages if set(p.article_ids) == set(ids)]
    assert found, [p.article_ids for p in result.passages]
    return found


def kinds(passage: Passage) -> set[str]:
    assert passage.attribution is not None
    return {e.kind for e in passage.attribution.evidence}


# --- the sample corpus ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def geneva_result(geneva: Path) -> ScanResult:
    return Detector().scan_paths([geneva])


def test_geneva_ap_copy_is_attributed_to_ap_with_003_as_source(geneva_result: ScanResult) -> None:
    ap = only_passages(geneva_result, AP_A, AP_B)
    assert len(ap) >= 4
    seen: set[str] = set()
    for passage in ap:
        att = passage.attribution
        assert att is not None
        assert (att.kind, att.origin, att.source_article) == ("agency", "AP", AP_A), passage
        datelines = [e for e in att.evidence if e.kind == "dateline"]
        assert [(e.article_id, e.agency, e.detail) for e in datelines] == [(AP_A, "AP", "GENEVA (AP) —")]
        seen |= kinds(passage)
        for e in att.evidence:
            if e.kind.startswith("edit:"):
                assert e.article_id == AP_B  # the edits are seen in the republication
    assert {"edit:quotes_stripped", "edit:abbreviation", "edit:paragraphs_split"} <= seen
    us = [e.detail for p in ap for e in p.attribution.evidence if e.kind == "edit:abbreviation"]  # type: ignore[union-attr]
    assert us and all("“U.S.” rewritten as “US”" in d for d in us)


def test_geneva_sherman_overlap_is_a_quote(geneva_result: ScanResult) -> None:
    quotes = only_passages(geneva_result, VOA, AP_B)
    for passage in quotes:
        att = passage.attribution
        assert att is not None
        assert (att.kind, att.origin, att.source_article) == ("quote", None, None)
        assert "quote:context" in kinds(passage)
    words = " ".join(geneva_result.article(VOA).text[s.start:s.end] for p in quotes for s in p.spans
                     if s.article_id == VOA)
    assert "about NATO without NATO" in words and "significant costs and consequences" in words


def test_geneva_origin_shares(geneva_result: ScanResult) -> None:
    shares = dict(geneva_result.origin_shares(AP_B))
    assert set(shares) == {"AP"} and 0.3 < shares["AP"] <= geneva_result.shared_fraction(AP_B)
    assert geneva_result.origin_shares(VOA) == []  # quotations are not syndicated text


# --- each agency's dateline and credit forms -----------------------------------------------------

AGENCIES = [
    ("AP", "GENEVA (AP) — ", "Associated Press writers Jane Doe in Paris and John Roe in Rome contributed to "
                             "this report."),
    ("Reuters", "LONDON, Jan 10 (Reuters) - ", "Reporting by Jane Doe; Editing by John Roe"),
    ("AFP", "PARIS (AFP) - ", "burs-mm/ach"),
    ("AFP", "PARIS, France (AFP) -- ", "— With AFP"),
    ("dpa", "Berlin (dpa) - ", "(dpa)"),
    ("PA", "LONDON (PA) - ", "By PA Reporters"),
    ("Bloomberg", "(Bloomberg) -- ", "To contact the reporter on this story: Jane Doe in London at jdoe@example.com"),
    ("UPI", "WASHINGTON, Jan. 10 (UPI) -- ", "Copyright 2022 United Press International, Inc. All Rights Reserved."),
    ("Xinhua", "BEIJING, Jan. 10 (Xinhua) -- ", "Source: Xinhua"),
    ("PTI", "New Delhi, Jan 10 (PTI) ", "PTI ABC DEF"),
    ("IANS", "New Delhi, Jan 10 (IANS) ", "--IANS\nsan/pgh"),
    ("ANI", "New Delhi [India], Jan 10 (ANI): ", "(ANI)"),
]


@pytest.mark.parametrize(("agency", "dateline", "credit"), AGENCIES,
                         ids=[f"{a[0]}-{n}" for n, a in enumerate(AGENCIES)])
@pytest.mark.parametrize("sign", ["dateline", "credit"])
def test_agency_signs(agency: str, dateline: str, credit: str, sign: str) -> None:
    lead = dateline if sign == "dateline" else ""
    tail = f"\n{credit}\n" if sign == "credit" else ""
    original = article("wire", f"{lead}{STORY}\n{story(1, 2)}{tail}")
    copy = article("site", f"{story(2, 2)}\n{STORY.replace('Monday', 'Monday,')}\n{story(3, 1)}")
    result = scan(original, copy, article("other", story(4, 3)))
    passages = only_passages(result, "wire", "site")
    for passage in passages:
        att = passage.attribution
        assert att is not None
        assert (att.kind, att.origin, att.source_article) == ("agency", agency, "wire"), att
        expected = "dateline" if sign == "dateline" else {"credit", "copyright", "signoff"}
        found = {e.kind for e in att.evidence if e.agency == agency and e.article_id == "wire"}
        assert found & ({expected} if isinstance(expected, str) else expected), att.evidence
    assert dict(result.origin_shares("site"))[agency] > 0.3


def test_self_reference_points_at_the_agency() -> None:
    text = STORY.replace("ended.", "ended, a senior diplomat told Reuters.")
    result = scan(article("a", text + story(5, 2)), article("b", story(6, 2) + text))
    for passage in result.passages:
        att = passage.attribution
        assert att is not None and (att.kind, att.origin) == ("agency", "Reuters")
        assert "self_reference" in kinds(passage)


def test_a_lone_weak_sign_names_no_agency() -> None:
    result = scan(article("a", STORY + "\njm/ach\n"), article("b", story(27, 1) + "\n" + STORY + story(28, 1)))
    att = only_passages(result, "a", "b")[0].attribution
    assert att is not None and att.kind == "republished" and "signoff" not in kinds(only_passages(result, "a", "b")[0])
    att = only_passages(scan(article("a", STORY + "\njm/ach\n"), article("b", story(27, 1) + "\n" + STORY),
                             agency_min_score=0.5), "a", "b")[0].attribution
    assert att is not None and (att.kind, att.origin) == ("agency", "AFP")


def test_feed_notice_marks_the_copy() -> None:
    notice = "(This story has not been edited by our staff and is auto-generated from a syndicated feed.)"
    result = scan(article("orig", STORY + story(7, 1)), article("feed", STORY + notice + "\n"))
    att = only_passages(result, "orig", "feed")[0].attribution
    assert att is not None and (att.kind, att.origin, att.source_article) == ("agency", None, "orig")
    assert any(e.kind == "feed_notice" and e.article_id == "feed" for e in att.evidence)


# --- press releases ------------------------------------------------------------------------------

RELEASE = ("Acme Robotics (NASDAQ: ACME) today announced a new warehouse robot that can sort parcels of any "
           "shape at twice the speed of its previous model, with shipments to customers starting in March.\n\n"
           "The company said the robot uses a camera system trained on millions of packages and can be installed "
           "in existing sorting centres in a single weekend without changes to the conveyor belts.\n")


@pytest.mark.parametrize(("dateline", "wire"), [
    ("NEW YORK, Jan. 10, 2022 /PRNewswire/ -- ", "PR Newswire"),
    ("SAN FRANCISCO--(BUSINESS WIRE)--", "Business Wire"),
    ("BOSTON, Jan. 10, 2022 (GLOBE NEWSWIRE) -- ", "GlobeNewswire"),
])
def test_press_release_wires(dateline: str, wire: str) -> None:
    result = scan(article("release", dateline + RELEASE + "\nAbout Acme Robotics\n\n" + story(8, 1)),
                  article("blog", story(9, 1) + "\n" + RELEASE))
    att = only_passages(result, "release", "blog")[0].attribution
    assert att is not None and (att.kind, att.origin, att.source_article) == ("press_release", wire, "release")
    assert {"dateline", "press_phrase"} <= {e.kind for e in att.evidence}


def test_press_release_without_a_wire() -> None:
    text = RELEASE + "\nAbout Acme Robotics\n\nMedia Contact: press@example.com\n"
    result = scan(article("a", text), article("b", story(10, 1) + "\n" + RELEASE))
    att = only_passages(result, "a", "b")[0].attribution
    assert att is not None and (att.kind, att.origin) == ("press_release", None)
    assert any("today announced" in e.detail for e in att.evidence)


# --- quotations ----------------------------------------------------------------------------------

def test_shared_quote_with_different_prose_is_a_quote() -> None:
    a = article("a", story(11, 2) + "\n" + QUOTE + "\n\n" + story(12, 2))
    stripped = QUOTE.replace("“", "").replace("”", "").replace("the minister said", "she said")
    b = article("b", story(13, 2) + "\n" + stripped + "\n\n" + story(14, 2))
    att = only_passages(scan(a, b), "a", "b")[0].attribution
    assert att is not None and (att.kind, att.origin, att.source_article) == ("quote", None, None)
    assert {e.kind for e in att.evidence} == {"quote:marks", "quote:attribution", "quote:context"}


@pytest.mark.parametrize("gap", ["", "\n\n" + "Meanwhile in other news, the weather stayed dry. " * 2])
def test_shared_quote_next_to_shared_prose_is_agency_copy(gap: str) -> None:
    body = STORY + "\n" + QUOTE + gap + "\n\n" + SECOND
    a = article("wire", "GENEVA (AP) — " + body + "\n" + story(15, 1))
    b = article("site", story(16, 1) + "\n" + body.replace("“", "").replace("”", ""))
    result = scan(a, b)
    assert result.passages
    for passage in result.passages:
        att = passage.attribution
        assert att is not None and (att.kind, att.origin, att.source_article) == ("agency", "AP", "wire"), passage


# --- two agencies in one article, republication, unknown ------------------------------------------

def test_article_citing_two_agencies_for_different_passages() -> None:
    ap = article("ap", "BRUSSELS (AP) — " + STORY + "\n" + story(17, 1))
    reuters = article("reuters", "MOSCOW, Jan 10 (Reuters) - " + SECOND + "\n" + story(18, 1))
    mixed = article("mixed", story(19, 1) + "\nBRUSSELS (AP) — " + STORY + "\nMOSCOW, Jan 10 (Reuters) - "
                    + SECOND + "\nThis report contains content from the Associated Press and Reuters.\n")
    result = scan(ap, reuters, mixed)
    for passage in only_passages(result, "ap", "mixed"):
        assert passage.attribution is not None and passage.attribution.origin == "AP"
    for passage in only_passages(result, "reuters", "mixed"):
        assert passage.attribution is not None and passage.attribution.origin == "Reuters"
    shares = dict(result.origin_shares("mixed"))
    assert set(shares) == {"AP", "Reuters"} and shares["AP"] > shares["Reuters"] > 0.2


def test_outlet_to_outlet_copy_is_republished() -> None:
    original = article("planet", STORY + story(20, 1), source="Daily Planet", published="2022-01-10T08:00:00Z")
    copy = article("bugle", STORY.replace("closed-door", "closed door") + "\n" + story(21, 1) + "\n" + story(26, 1),
                   source="Bugle",
                   published="2022-01-10T11:30:00Z")
    att = only_passages(scan(original, copy), "planet", "bugle")[0].attribution
    assert att is not None and (att.kind, att.origin, att.source_article) == ("republished", "Daily Planet", "planet")
    assert [e.kind for e in att.evidence] == ["earliest"]
    later = article("bugle", copy.text, source="Bugle", published="2022-03-01T11:30:00Z")
    att = only_passages(scan(original, later, time_window_hours=24), "planet", "bugle")[0].attribution
    assert att is not None and (att.kind, att.source_article) == ("republished", "planet")  # no cliff
    assert [e.kind for e in att.evidence] == ["earliest"]


def test_a_credit_to_several_agencies_leaves_the_story_to_the_outlet() -> None:
    note = "\nThis report contains material from Reuters and AFP.\n"
    original = article("planet", STORY + story(20, 1) + note, source="Daily Planet", published="2022-01-10T08:00:00Z")
    mirror = article("bugle", story(21, 1) + "\n" + STORY + story(26, 1) + note, source="Bugle",
                     published="2022-01-10T11:30:00Z")
    att = only_passages(scan(original, mirror), "planet", "bugle")[0].attribution
    assert att is not None and (att.kind, att.origin, att.source_article) == ("republished", "Daily Planet", "planet")
    credits = [e for e in att.evidence if e.kind == "credit"]
    assert {e.article_id for e in credits} == {"planet", "bugle"}
    assert all(e.agency is None and "Reuters and AFP" in e.detail for e in credits)
    # One agency named alone is still credited with the story.
    alone = [article(a.id, a.text.replace("Reuters and AFP", "AFP"), source=a.source, published=a.published)
             for a in (original, mirror)]
    att = only_passages(scan(*alone), "planet", "bugle")[0].attribution
    assert att is not None and (att.kind, att.origin) == ("agency", "AFP")
    # And an agency's own dateline still names it when the note credits others too.
    dated = [article(a.id, a.text.replace(STORY, "MOSCOW, Jan 10 (Reuters) - " + STORY), source=a.source,
                     published=a.published) for a in (original, mirror)]
    att = only_passages(scan(*dated), "planet", "bugle")[0].attribution
    assert att is not None and (att.kind, att.origin) == ("agency", "Reuters")


def test_trimmed_copy_points_at_the_longer_story() -> None:
    original = article("long", STORY + "\n" + SECOND)
    trimmed = article("short", story(22, 1) + "\n" + STORY)
    att = only_passages(scan(original, trimmed), "long", "short")[0].attribution
    assert att is not None and att.source_article == "long"
    assert any(e.kind == "edit:trimmed_end" and e.article_id == "short" for e in att.evidence)
    assert any(e.kind == "edit:lead_added" and e.article_id == "short" for e in att.evidence)  # its paragraph on top


def test_short_passage_without_evidence_is_unknown() -> None:
    line = "the committee will publish its final recommendations on the new canal route before the summer"
    result = scan(article("a", story(23, 1) + f"\n{line}.\n"), article("b", story(24, 1) + f"\n{line}!\n"))
    att = only_passages(result, "a", "b")[0].attribution
    assert att is not None and (att.kind, att.origin, att.source_article) == ("unknown", None, None)


# --- the catalogue -------------------------------------------------------------------------------

def test_user_adds_an_agency(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("agencies:\n  - name: ANSA\n    tags: [ANSA]\n    aliases: [ANSA]\n", encoding="utf-8")
    result = scan(article("wire", "ROME (ANSA) - " + STORY), article("site", story(25, 1) + "\n" + STORY),
                  extra_catalogues=[str(extra)])
    att = only_passages(result, "wire", "site")[0].attribution
    assert att is not None and (att.kind, att.origin, att.source_article) == ("agency", "ANSA", "wire")
    assert "ANSA" in load_catalogue(None, [extra]).sources and "AP" in load_catalogue(None, [extra]).sources


@pytest.mark.parametrize(("text", "message"), [
    ("agencies:\n  - name: X\n    tags: [X]\n    credits: ['(unclosed']\n",
     ":2: 'agencies.X' has an invalid regular expression '(unclosed': missing ), unterminated subpattern"),
    ("agences: []\n", ":1: unknown key 'agences' (known: agencies, feed_notices, press_phrases, press_wires, "
                      "republisher_marks, "
                      "signoffs, templates, weights)"),
    ("agencies:\n  - name: X\n    colour: red\n", ":2: unknown key 'agencies.X.colour' (known: aliases, credits, "
                                                  "datelines, name, tags)"),
    ("agencies: [\n", ":2: invalid YAML: "),
])
def test_bad_catalogue_is_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_catalogue(None, [bad])
    assert str(err.value).startswith(f"{bad}{message}")


def test_missing_catalogue_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="evidence catalogue not found"):
        scan(article("a", STORY), catalogue=str(tmp_path / "none.yaml"))
