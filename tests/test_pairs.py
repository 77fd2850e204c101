"""Pairs carry their own figures, and the same text twice is a duplicate group."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import article, story

from syndet.cli import main
from syndet.detector import Detector
from syndet.models import Article, Passage

WIRE = ("LONDON, March 20 (Reuters) - " + story(850, 1).strip() + "\n\n" + story(851, 1).strip() + "\n\n"
        + story(852, 1).strip() + "\n\nReporting by Jane Doe; Editing by John Roe\n")


def outlets() -> list[Article]:
    body = WIRE.split("\n\n")
    a = article("outlet-a", "Our own lede about the markets this morning, written here.\n\n" + story(860, 1)
                + "\n" + "\n\n".join(body[:3]) + "\n\nShare this article\n\nRelated: " + story(861, 1))
    b = article("outlet-b", story(862, 2) + "\n" + "\n\n".join(body[1:3]) + "\n\n" + story(863, 1))
    return [article("reuters", WIRE), a, b]


def mirror(of: Article) -> Article:
    return article("mirror-a", "Mirror of outlet-a, archived copy\n\n" + of.text)


def test_pair_figures_are_the_pairs_own() -> None:
    result = Detector().scan(outlets())
    by_pair = {frozenset(p.articles): p for p in result.pairs}
    wire_b = by_pair[frozenset(("reuters", "outlet-b"))]
    wire_a = by_pair[frozenset(("reuters", "outlet-a"))]
    assert wire_b.words < wire_a.words  # outlet-b took two of the three paragraphs
    share_b = wire_b.containment[wire_b.articles.index("outlet-b")]
    share_wire = wire_b.containment[wire_b.articles.index("reuters")]
    assert 0 < share_b < 1 and share_wire < 1
    for p in result.pairs:
        assert all(0 <= c <= 1 for c in p.containment) and p.score == max(p.containment)
    for a in result.articles:
        assert result.shared_fraction(a.id) <= 1.0


def test_a_mirror_is_a_duplicate() -> None:
    base = outlets()
    without = Detector().scan(base)
    with_mirror = Detector().scan([*base, mirror(base[1])])
    assert [g.articles for g in with_mirror.duplicates] == [("outlet-a", "mirror-a")]
    assert with_mirror.duplicates[0].similarity >= 0.9
    assert without.duplicates == ()
    for p in with_mirror.passages:
        if "reuters" in p.article_ids:
            assert p.attribution is not None and (p.attribution.kind, p.attribution.origin) == ("agency", "Reuters")
            assert p.attribution.source_article == "reuters"
    for a in with_mirror.articles:
        assert with_mirror.shared_fraction(a.id) <= 1.0


def _without(passage: Passage, article_id: str) -> tuple[object, ...]:
    att = passage.attribution
    assert att is not None
    spans = tuple(s for s in passage.spans if s.article_id != article_id)
    return spans, att.kind, att.origin, att.source_article, att.confidence


def test_a_mirror_changes_no_other_passage() -> None:
    base = outlets()
    without = Detector().scan(base)
    with_mirror = Detector().scan([*base, mirror(base[1])])
    before = {_without(p, "") for p in without.passages}
    after = [p for p in with_mirror.passages if set(p.article_ids) - {"outlet-a", "mirror-a"}]
    # Each passage of the other copies comes back as it was, the mirror's copy added beside its twin's.
    assert {_without(p, "mirror-a") for p in after} == before
    for p in after:
        assert ("outlet-a" in p.article_ids) == ("mirror-a" in p.article_ids)
    # What only the page and its mirror share (the outlet's own lede and tail) is a passage of its own.
    own = [p for p in with_mirror.passages if set(p.article_ids) == {"outlet-a", "mirror-a"}]
    assert own and all(p.spans[0].end <= 394 or p.spans[0].start >= 1393 for p in own)
    lede = next(p for p in own if p.spans[0].start == 0)
    assert lede.attribution is not None and lede.attribution.kind == "republished"
    assert lede.attribution.origin != "Reuters"


def test_duplicates_and_pair_figures_in_the_reports(tmp_path: Path) -> None:
    base = outlets()
    folder = tmp_path / "c"
    folder.mkdir()
    for a in [*base, mirror(base[1])]:
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(folder), "--format", "json", "-q"])
    data = json.loads(result.stdout)
    assert data["duplicates"] == [{"articles": ["mirror-a.txt", "outlet-a.txt"], "similarity": data["duplicates"][0]
                                   ["similarity"]}]
    for pair in data["pairs"]:
        assert set(pair) == {"articles", "passages", "words", "containment", "score", "edit_ratio"}
        assert 0 <= pair["edit_ratio"] < 1
        assert pair["score"] == max(pair["containment"])
    text = CliRunner().invoke(main, ["scan", str(folder), "-q"]).stdout
    assert "Duplicates (the same text)\n  mirror-a.txt = outlet-a.txt  (similarity " in text
