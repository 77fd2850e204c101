"""Paragraphs keep exact offsets; chrome is recognised but kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.models import Article
from syndet.settings import DEFAULT_CHROME
from syndet.text.segment import chrome_key, compile_chrome, learn_chrome, mark_learned, split_paragraphs

CHROME = compile_chrome(DEFAULT_CHROME)


def texts(article: Article) -> list[str]:
    return [article.text[p.start:p.end] for p in split_paragraphs(article, CHROME)]


def test_blank_lines_separate_paragraphs_and_bullets_start_new_ones() -> None:
    text = "Title\n\nFirst para\ncontinues here.\n\n  • Post author:\n  • Post category:News\n\nLast."
    a = Article("a", text)
    assert texts(a) == ["Title", "First para\ncontinues here.", "• Post author:", "• Post category:News",
                        "Last."]
    chrome = [p.chrome for p in split_paragraphs(a, CHROME)]
    assert chrome == [False, False, True, True, False]


def test_text_without_blank_lines_has_a_paragraph_per_line() -> None:
    assert texts(Article("a", "One.\nTwo.\r\nThree.")) == ["One.", "Two.", "Three."]


def test_front_matter_is_not_a_paragraph() -> None:
    text = "---\ntitle: X\n---\nBody one.\n\nBody two."
    a = Article("a", text, body_start=text.index("Body"))
    assert texts(a) == ["Body one.", "Body two."]


def test_default_chrome_lines() -> None:
    for line in ["Leave a Reply", "Trending Stories", "Post author: admin", "Source link", "Share this article",
                 "Subscribe to our newsletter"]:
        assert split_paragraphs(Article("a", f"Text.\n\n{line}"), CHROME)[1].chrome, line
    assert not split_paragraphs(Article("a", "Sources say the talks failed."), CHROME)[0].chrome


def test_learned_chrome_is_per_outlet() -> None:
    arts = [Article(f"a{i}", f"Story {i} body text here.\n\nDaily Planet: all the news", source="Planet")
            for i in range(4)]
    arts.append(Article("b", "Other.\n\nDaily Planet: all the news", source="Courier"))
    paras = [split_paragraphs(a, CHROME) for a in arts]
    learned = learn_chrome(arts, paras, min_articles=4, max_words=16)
    marked = [mark_learned(a, p, learned) for a, p in zip(arts, paras, strict=False)]
    assert [p[1].chrome for p in marked] == [True, True, True, True, False]
    assert not any(p[0].chrome for p in marked)
    keys: list[list[str]] = [[] for _ in arts]  # the keys collected while splitting: the same answer
    collected = [split_paragraphs(a, CHROME, k) for a, k in zip(arts, keys, strict=True)]
    assert keys[0] == ["story 0 body text here.", "daily planet: all the news"]
    assert learn_chrome(arts, collected, min_articles=4, max_words=16, keys=keys) == learned
    assert learn_chrome(arts, collected, min_articles=4, max_words=5, keys=keys) == learned  # 5 words
    assert learn_chrome(arts, collected, min_articles=4, max_words=4, keys=keys) == set()
    assert [mark_learned(a, p, learned, k) for a, p, k in zip(arts, collected, keys, strict=True)] == marked


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["word", " ", "\n", "\n\n", "• ", "\t", "Leave a Reply", "é"]), max_size=30))
def test_paragraph_offsets_cover_all_text_in_order(parts: list[str]) -> None:
    text = "".join(parts)
    paras = split_paragraphs(Article("a", text), CHROME)
    previous_end = 0
    for p in paras:
        chunk = text[p.start:p.end]
        assert chunk and chunk == chunk.strip()
        assert p.start >= previous_end
        assert not text[previous_end:p.start].strip()
        previous_end = p.end
    assert not text[previous_end:].strip()


def test_the_bundled_chrome_patterns_as_one_flag_what_each_flags() -> None:
    import re

    lines = ["Leave a Reply", "Trending now", "Post author: x", "Source link", "Share this article", "Tweet!",
             "Click here to subscribe", "Subscribe to our newsletter", "Follow us on X", "Read more: the story",
             "Advertisement", "12 comments", "Photo credit: AP", "Copyright 2024 ACME", "All rights reserved.",
             "Next article about", "You must be logged in to post", "Your email address will not be published",
             "The talks ended.", "advertisement here", "Share on", "Related", "", "• Share"]
    for line in lines + [f"{a} {b}" for a in lines for b in lines[:6]]:
        key = chrome_key(line)
        want = any(re.search(p, key, re.IGNORECASE) for p in DEFAULT_CHROME)
        assert any(p.search(key) for p in CHROME) == want, line


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Word", " ", "\n", "\n\n", "• ", "\u201cQuote\u201d", "\u2014", "ΟΔΟΣ", "Σ", "σ",
                                 "\u0130stanbul", "ADVERTISEMENT", "Leave a Reply", "\u00a0", "é"]), max_size=30))
def test_each_lines_chrome_key_is_the_one_its_own_text_gives(parts: list[str]) -> None:
    """Keys cut from the article folded once are the keys of each line folded alone, also where
    folding moves characters (a dotted capital I) or reads the next letter (a capital sigma)."""
    text = "".join(parts)
    keys: list[str] = []
    paras = split_paragraphs(Article("a", text), CHROME, keys)
    assert keys == [chrome_key(text[p.start:p.end]) for p in paras]
    assert [p.chrome for p in paras] == [any(c.search(k) for c in CHROME) for k in keys]
