"""The located words the edit checks search are exactly the words a word stream aligns (the word
pattern of :mod:`syndet.text.normalize`) in each content paragraph, whatever the script, the marks or
the paragraphs' edges."""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.attribution.edits import SPLIT_SIDE_WORDS, Layout, Layouts, layout, splits
from syndet.models import Article, Paragraph
from syndet.text.normalize import words_with_offsets
from syndet.text.segment import split_paragraphs

MARK = re.compile(r"[“«„]|(?:^|(?<=\s))\"")
PIECES = ["a", "B", "'", "’", " ", "\n", "\n\n", "é", "ß", "İ", "x'", "'y", "_", "3", "क्ष", "ि", "日本", "ـ",
          "\u200d", "“", '"', "«", "„", "- ", "• ", "Leave a Reply", "ﬁ", "Ⅻ", "²", "don’t", "U.S.", "a.m.", "‘"]


def reference(text: str, paragraphs: list[Paragraph]) -> tuple[str, list[int], list[int], list[int], list[int]]:
    """Words found paragraph by paragraph with the pattern, as the layout must hold them."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    first: list[int] = []
    for para in paragraphs:
        if not para.chrome and para.end > para.start:
            found, lo, hi = words_with_offsets(text, para.start, para.end)
            if found:
                first.append(len(spans))
                words += found
                spans += zip(lo.tolist(), hi.tolist(), strict=True)
    first.append(len(spans))
    starts = [lo for lo, _ in spans]
    opens: list[int] = []
    for m in MARK.finditer(text):
        k = bisect_left(starts, m.end())
        if k < len(starts) and not text[m.end():starts[k]].strip() and (m.group() != '"' or starts[k] == m.end()) \
                and (not opens or opens[-1] != k):
            opens.append(k)
    return " " + " ".join(words) + " ", starts, [hi for _, hi in spans], first, opens


def check(text: str, paragraphs: list[Paragraph]) -> None:
    got = layout(Article("x", text), paragraphs)
    joined, starts, ends, first, opens = reference(text, paragraphs)
    assert got.joined == joined
    assert (list(got.starts), list(got.ends), list(got.para_first), list(got.opens)) == (starts, ends, first, opens)
    assert [joined[o:s - 1] for o, s in zip(got.offsets, got.stops, strict=True)] == joined[1:-1].split(" ") \
        if starts else got.joined == "  "


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.lists(st.booleans(), max_size=12))
def test_layout_holds_the_words_of_each_content_paragraph(parts: list[str], chrome: list[bool]) -> None:
    text = "".join(parts)
    paragraphs = split_paragraphs(Article("x", text))
    marked = [Paragraph(p.article_id, p.index, p.start, p.end, chrome[k] if k < len(chrome) else False)
              for k, p in enumerate(paragraphs)]
    check(text, marked)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30), st.sets(st.integers(0, 200), max_size=4))
def test_paragraphs_with_no_gap_never_share_a_word(parts: list[str], cuts: set[int]) -> None:
    text = "".join(parts)
    edges = sorted({c for c in cuts if c < len(text)} | {0, len(text)})
    check(text, [Paragraph("x", k, lo, hi) for k, (lo, hi) in enumerate(pairwise(edges)) if hi > lo])


def test_a_real_paragraph() -> None:
    text = "GENEVA (AP) — “We’re not there,” said Wendy Sherman.\n\nThe U.S. and Russia's envoys met \"today\"."
    check(text, split_paragraphs(Article("x", text)))
    assert layout(Article("x", text), split_paragraphs(Article("x", text))).joined.startswith(" geneva ap were not")


def test_a_kept_layout_answers_only_for_the_same_text() -> None:
    """A cache kept across filter checks: an id whose text changed gets the layout of its new text."""
    kept = Layouts(capacity=2)
    first = Article("x", "One two three four five.\n")
    changed = Article("x", "Six seven eight.\n")
    assert kept.get(first, split_paragraphs(first)) is kept.get(first, split_paragraphs(first))
    again = kept.get(changed, split_paragraphs(changed))
    assert again == layout(changed, split_paragraphs(changed)) != layout(first, split_paragraphs(first))
    for n in range(3):  # the oldest beyond the capacity goes
        other = Article(f"o{n}", f"Other text {n}.\n")
        kept.get(other, split_paragraphs(other))
    assert kept.get(changed, split_paragraphs(changed)) is not again


def every_break(x: Layout, rx: tuple[int, int], y: Layout, ry: tuple[int, int]) -> int:
    """:func:`splits` as a loop over every paragraph break of ``y``, each tried against the range."""
    side = SPLIT_SIDE_WORDS
    count = 0
    for b in y.para_first[1:-1]:
        if b - side < ry[0] or b + side > ry[1]:
            continue
        at = x.find(y.gram(b - side, b + side), rx[0], rx[1])
        if at is not None and x.paragraph_of(at) == x.paragraph_of(at + 2 * side - 1):
            count += 1
    return count


WORDS = ["talks", "in", "geneva", "ended", "without", "a", "deal", "on", "friday"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60), st.sets(st.integers(1, 59), max_size=8),
       st.sets(st.integers(1, 59), max_size=8), st.tuples(st.integers(0, 70), st.integers(0, 70)),
       st.tuples(st.integers(0, 70), st.integers(0, 70)))
def test_splits_counts_the_breaks_of_the_range_as_a_loop_over_every_break(
        words: list[str], x_cuts: set[int], y_cuts: set[int], rx: tuple[int, int], ry: tuple[int, int]) -> None:
    """Only the breaks inside the copy's range are looked at: the count is the loop's over all of them."""
    def article(ident: str, cuts: set[int]) -> Layout:
        text = "".join(("\n\n" if k in cuts else " ") + w if k else w for k, w in enumerate(words)) + "\n"
        return layout(Article(ident, text), split_paragraphs(Article(ident, text)))

    x, y = article("x", x_cuts), article("y", y_cuts)
    rx = (min(rx[0], rx[1], x.words), min(max(rx), x.words))  # ranges of words each article holds
    ry = (min(ry[0], ry[1], y.words), min(max(ry), y.words))
    assert splits(x, rx, y, ry) == every_break(x, rx, y, ry)
    assert splits(x, (0, x.words), y, (0, y.words)) == every_break(x, (0, x.words), y, (0, y.words))
