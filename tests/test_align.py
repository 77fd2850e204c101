"""Passages survive split and merged paragraphs; repeats inside one article are not syndication."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.detector import Detector
from syndet.match.align import WordStream, matched_pieces, reference_pieces, word_stream
from syndet.models import Article
from syndet.text.normalize import words


def prose(seed: int, sentences: int = 4) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        n = rng.randint(9, 16)
        ws = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(1, 3)))
              for _ in range(n)]
        out.append(" ".join(ws).capitalize() + ".")
    return " ".join(out)


P = [prose(i) for i in range(8)]


def scan(*texts: str) -> list[tuple[tuple[str, ...], list[str]]]:
    arts = [Article(f"a{i}", t) for i, t in enumerate(texts)]
    result = Detector().scan(arts)
    return [(p.article_ids, [result.article(s.article_id).text[s.start:s.end] for s in p.spans])
            for p in result.passages]


def test_identical_paragraph_run_is_one_passage() -> None:
    found = scan("\n\n".join([P[0], P[1], P[2]]), "\n\n".join([P[5], P[1], P[2], P[6]]))
    assert len(found) == 1
    ids, texts = found[0]
    assert ids == ("a0", "a1")
    assert texts[0] == texts[1] == P[1] + "\n\n" + P[2]


def test_split_paragraph_is_one_passage() -> None:
    halves = P[1].split(". ", 2)
    split = halves[0] + ".\n\n" + ". ".join(halves[1:])
    found = scan("\n\n".join([P[0], P[1], P[2]]), "\n\n".join([P[5], split, P[2], P[6]]))
    assert len(found) == 1
    assert found[0][1][0] == P[1] + "\n\n" + P[2]
    assert found[0][1][1] == split + "\n\n" + P[2]


def test_merged_paragraphs_are_one_passage() -> None:
    found = scan("\n\n".join([P[0], P[1], P[2], P[3]]), "\n\n".join([P[6], P[1] + " " + P[2], P[3]]))
    assert len(found) == 1
    assert found[0][1][0] == "\n\n".join([P[1], P[2], P[3]])


def test_small_edits_join_but_inserted_paragraph_splits() -> None:
    edited = P[2].replace(P[2].split()[5], "changed", 1)
    found = scan("\n\n".join([P[1], P[2], P[3]]), "\n\n".join([P[1], edited, P[7], P[3]]))
    assert len(found) == 2
    assert found[0][1][1] == P[1] + "\n\n" + edited
    assert found[1][1][1] == P[3]


def test_text_repeated_inside_one_article_is_not_reported() -> None:
    assert scan("\n\n".join([P[0], P[1], P[0], P[2]]), P[3]) == []


def test_repeated_headline_matches_once() -> None:
    found = scan("\n\n".join([P[0], P[0], P[1]]), "\n\n".join([P[0], P[1]]))
    assert len(found) == 1
    assert [t.count(P[0]) for t in found[0][1]] == [1, 1]


def test_three_copies_make_one_cluster() -> None:
    shared = "\n\n".join([P[1], P[2]])
    found = scan(P[0] + "\n\n" + shared, shared + "\n\n" + P[5], P[6] + "\n\n" + shared + "\n\n" + P[7])
    assert len(found) == 1
    assert found[0][0] == ("a0", "a1", "a2")
    assert found[0][1] == [shared, shared, shared]


def test_a_trimmed_copy_joins_the_full_story() -> None:
    full = "\n\n".join([P[1], P[2], P[3]])
    found = scan(P[0] + "\n\n" + full, full + "\n\n" + P[5], P[6] + "\n\n" + P[1])
    assert len(found) == 1
    assert found[0][0] == ("a0", "a1", "a2")
    assert found[0][1] == [full, full, P[1]]


def test_a_phrase_two_stories_share_does_not_chain_them() -> None:
    phrase = "a spokesperson for the organisation for economic cooperation and development said on monday"
    one = "\n\n".join([P[1], phrase.capitalize() + ".", P[2]])
    two = "\n\n".join([P[3], phrase.capitalize() + ".", P[4]])
    found = scan(one, P[0] + "\n\n" + one, two, two + "\n\n" + P[5])
    assert sorted(ids for ids, _ in found) == [("a0", "a1"), ("a0", "a1", "a2", "a3"), ("a2", "a3")]
    (shared,) = [texts for ids, texts in found if len(ids) == 4]
    assert {t.lower() for t in shared} == {phrase + "."}


def test_swapped_sentences_are_one_stretch() -> None:
    """A copy that swapped two sentences of a paragraph and changed a word shares one stretch, with
    its matched words below the words it spans."""
    sentences = [x.strip() + "." for x in P[1].split(".") if x.strip()]
    assert len(sentences) >= 3
    swapped = [sentences[0], sentences[2], sentences[1], *sentences[3:]]
    copy = " ".join(swapped)
    found = scan(P[0] + "\n\n" + P[1], copy + "\n\n" + P[3])
    assert found == [(("a0", "a1"), [P[1], copy])]
    result = Detector().scan([Article("a0", P[0] + "\n\n" + P[1]), Article("a1", copy + "\n\n" + P[3])])
    (pair,) = result.pairs
    assert pair.edit_ratio < 0.2
    (passage,) = result.passages
    assert passage.edit_ratio == pair.edit_ratio  # one pair: the passage's stretches are the pair's


def test_us_and_quotes_edits_still_match() -> None:
    original = "“We will not back down,” the U.S. envoy said. " + P[1]
    copy = "We will not back down, the US envoy said. " + P[1]
    found = scan(P[0] + "\n\n" + original, copy + "\n\n" + P[3])
    assert len(found) == 1
    assert found[0][1] == [original, copy]


def _holds(seq: list[str], run: list[str]) -> bool:
    return any(seq[k:k + len(run)] == run for k in range(len(seq) - len(run) + 1))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=6), min_size=2, max_size=4))
def test_reported_spans_are_the_shared_text(layout: list[list[int]]) -> None:
    texts = ["\n\n".join(P[i] for i in paras) for paras in layout]
    arts = [Article(f"a{i}", t) for i, t in enumerate(texts)]
    result = Detector().scan(arts)
    size = Detector().settings.shingle.size
    for al in result.alignments:
        left = words(result.article(al.left.article_id).text[al.left.start:al.left.end])
        right = words(result.article(al.right.article_id).text[al.right.start:al.right.end])
        # each span opens and ends with words of the other (in place, or as runs a copy swapped)
        for one, other in ((left, right), (right, left)):
            assert _holds(other, one[:size]) and _holds(other, one[-size:])
        assert len(left) == al.left_words and len(right) == al.right_words
    for passage in result.passages:
        assert len(passage.article_ids) >= 2
        for span in passage.spans:
            chunk = result.article(span.article_id).text[span.start:span.end]
            assert chunk == chunk.strip() and words(chunk)


def _stream(hashes: list[int]) -> WordStream:
    none = np.zeros(len(hashes) + 4, dtype=np.int64)
    return WordStream("x", "", none, none, np.asarray(hashes, dtype=np.uint32), 5)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=70), st.lists(st.integers(0, 12), max_size=70),
       st.integers(0, 60), st.integers(0, 60), st.integers(0, 40))
def test_compiled_pieces_equal_the_array_reference(a: list[int], b: list[int], at_a: int, at_b: int,
                                                   copied: int) -> None:
    """The compiled loops give the reference's pieces, also with heavy repeats (a small vocabulary)
    and a copied run planted in both."""
    run = [100 + k for k in range(copied)]
    left, right = _stream(a[:at_a] + run + a[at_a:]), _stream(b[:at_b] + run + b[at_b:])
    assert matched_pieces(left, right) == reference_pieces(left, right)
    assert matched_pieces(right, left) == reference_pieces(right, left)


def test_compiled_pieces_equal_the_reference_on_real_copies(geneva: Path) -> None:
    detector = Detector()
    result = detector.scan_paths([geneva])
    streams = [word_stream(a, result.paragraphs[a.id], 5, 0) for a in result.articles]
    assert any(matched_pieces(x, y) for x in streams for y in streams if x is not y)
    for x in streams:
        for y in streams:
            assert matched_pieces(x, y) == reference_pieces(x, y)
