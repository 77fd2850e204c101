"""The located words the edit checks search are exactly the words a word stream aligns (the word
pattern of :mod:`syndet.text.normalize`) in each content paragraph, whatever the script, the marks or
the paragraphs' edges."""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.attribution.edits import Layouts, layout
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
