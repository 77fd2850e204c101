"""With lsh.shingle_pairs (the default), a verbatim run is found wherever it sits: inside a long
paragraph, or in texts without any paragraph break, between otherwise unrelated articles."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import story

from syndet.cli import main
from syndet.detector import Detector
from syndet.models import Article
from syndet.settings import Settings


def words(seed: int, n: int) -> list[str]:
    return " ".join(story(seed, paragraphs=1 + n // 40, words=40).split()).split()[:n]


def planted(k: int, n: int, breaks: bool, length: int = 15) -> list[Article]:
    rng = random.Random(k)
    run = words(10_000 + k, length)
    out = []
    for side in (0, 1):
        body = words(20_000 + 2 * k + side, n)
        at = rng.randrange(len(body) + 1)
        text = " ".join(body[:at] + run + body[at:]) + "."
        if breaks:
            text = story(30_000 + 2 * k + side, 2) + "\n" + text + "\n\n" + story(40_000 + 2 * k + side, 1)
        out.append(Article("ab"[side], text))
    return out


ON = dataclasses.replace(Settings(), lsh=dataclasses.replace(Settings().lsh, shingle_pairs=True))


@pytest.mark.parametrize("n", [20, 100, 1000])
@pytest.mark.parametrize("breaks", [True, False], ids=["in-a-paragraph", "no-breaks"])
def test_a_planted_run_is_found_anywhere(n: int, breaks: bool) -> None:
    for k in range(5):
        arts = planted(100 * n + k, n, breaks)
        result = Detector(ON).scan(arts)
        (passage,) = [p for p in result.passages if set(p.article_ids) == {"a", "b"}]
        assert 15 <= passage.words <= 17
        for span in passage.spans:
            text = arts["ab".index(span.article_id)].text
            assert text[span.start:span.end].split()[:3] == words(10_000 + 100 * n + k, 3)


OFF = dataclasses.replace(Settings(), lsh=dataclasses.replace(Settings().lsh, shingle_pairs=False))


def test_a_ten_word_run_needs_the_run_extra_lowered_too() -> None:
    """min_passage_words 10 alone still asks a pair linked only by shingles for a run of 13 words;
    with lsh.shingle_run_extra 0 a planted 10-word run is found."""
    short = dataclasses.replace(Settings(), verify=dataclasses.replace(Settings().verify, min_passage_words=10))
    exact = dataclasses.replace(short, lsh=dataclasses.replace(short.lsh, shingle_run_extra=0))
    for k in range(4):
        arts = planted(500 + k, 300, breaks=False, length=10)
        assert not [p for p in Detector(short).scan(arts).passages if set(p.article_ids) == {"a", "b"}]
        (passage,) = [p for p in Detector(exact).scan(arts).passages if set(p.article_ids) == {"a", "b"}]
        assert 10 <= passage.words <= 12


def test_scan_min_words_finds_runs_of_that_length_anywhere(tmp_path: Path) -> None:
    """``syndet scan --min-words 10`` reports a 10-word run shared inside long paragraphs of two
    otherwise unrelated articles; at the default it is too short."""
    for k in range(3):
        folder = tmp_path / str(k)
        folder.mkdir()
        for art in planted(700 + k, 300, breaks=True, length=10):
            (folder / f"{art.id}.txt").write_text(art.text, encoding="utf-8")
        for flags, found in (([], 0), (["--min-words", "10"], 1)):
            result = CliRunner().invoke(main, ["scan", str(folder), "--format", "json", "-q", *flags])
            assert result.exit_code == 0, result.output
            shared = [p for p in json.loads(result.stdout)["passages"]
                      if {c["article"] for c in p["copies"]} == {"a.txt", "b.txt"}]
            assert len(shared) == found


def test_paragraph_signatures_alone_miss_a_run_inside_a_long_paragraph() -> None:
    arts = planted(7, 300, breaks=False)
    assert not [p for p in Detector(OFF).scan(arts).passages if set(p.article_ids) == {"a", "b"}]
    assert [p for p in Detector().scan(arts).passages if set(p.article_ids) == {"a", "b"}]


def test_quotation_fragments_joined_across_a_gap_are_not_a_run() -> None:
    """Two short fragments a second story shares with the first, ten words apart, are not reuse
    when nothing else links the two (the geneva-2022 corpus has such a pair: 001 and 004)."""
    first = words(900, 10)  # each fragment shorter than a run, together enough shingles to pair
    second = words(901, 10)
    gap_a, gap_b = words(902, 4), words(903, 4)
    a = " ".join(words(904, 60) + first + gap_a + second + words(905, 60)) + "."
    b = " ".join(words(906, 60) + first + gap_b + second + words(907, 60)) + "."
    assert not Detector().scan([Article("a", a), Article("b", b)]).passages


def test_a_phrase_in_more_articles_than_max_shingle_df_pairs_nothing() -> None:
    phrase = words(555, 20)

    def carrying(count: int) -> list[Article]:
        out = []
        for n in range(count):  # inside a long paragraph of its own, so paragraph signatures miss it
            body = words(600 + n, 200)
            out.append(Article(f"s{n}", " ".join(body[:90] + phrase + body[90:]) + ".\n"))
        return out

    assert Detector(ON).scan(carrying(40)).passages == ()  # 40 articles > lsh.max_shingle_df (20)
    few = Detector(ON).scan(carrying(6)).passages
    assert few and {a for p in few for a in p.article_ids} == {f"s{n}" for n in range(6)}


def test_a_lightly_edited_stretch_in_texts_without_breaks_is_found() -> None:
    """A 200-word stretch with a word changed every eight words holds no unbroken run of 15 words;
    inside two long texts with no paragraph breaks only shared shingles link them, and the long
    edited stretch still counts (a few scattered phrases would not)."""
    shared = words(60_000, 200)
    edited = [w + "x" if k % 8 == 7 else w for k, w in enumerate(shared)]
    arts = []
    for side, stretch in enumerate((shared, edited)):
        body = words(70_000 + side, 600)
        arts.append(Article("ab"[side], " ".join(body[:300] + stretch + body[300:]) + "."))
    result = Detector().scan(arts)
    (passage,) = [p for p in result.passages if set(p.article_ids) == {"a", "b"}]
    assert passage.words >= 150
    (pair,) = result.pairs
    assert 0.05 <= pair.edit_ratio <= 0.2
    assert passage.edit_ratio == pair.edit_ratio
    assert all(p.edit_ratio == 0.0 for p in Detector().scan([arts[0], Article("c", arts[0].text)]).passages)


def test_a_stock_phrase_in_unrelated_stories_pairs_none_of_them() -> None:
    """Two stories, each run by three outlets, share one 14-word phrase: the phrase is a
    ``stock_phrase`` passage, the copies of each story stay pairs, and no article of one story is
    paired with an article of the other."""
    phrase = "The company did not immediately respond to a request for comment on the matter."
    arts = []
    for s in (0, 1):
        body = story(80_000 + s, paragraphs=4)
        paras = body.split("\n\n") if "\n\n" in body else body.split("\n")
        for c in range(3):
            own = story(90_000 + 10 * s + c, paragraphs=1)
            arts.append(Article(f"s{s}c{c}", "\n\n".join([own, *paras[:2], phrase, *paras[2:]]) + "\n"))
    result = Detector().scan(arts)
    stock = [p for p in result.passages if p.attribution and p.attribution.kind == "stock_phrase"]
    assert len(stock) == 1 and len(set(stock[0].article_ids)) == 6
    assert stock[0].attribution is not None and "2 stories" in stock[0].attribution.evidence[0].detail
    pairs = {frozenset(p.articles) for p in result.pairs}
    assert all(a[1] == b[1] for a, b in (sorted(pair) for pair in pairs))  # same story only
    assert len(pairs) == 6  # the three copies of each story, pairwise
