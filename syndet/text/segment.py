"""Cut an article into paragraphs with exact offsets, and recognise page chrome.

Paragraphs are blocks separated by blank lines; a text with no blank lines has one paragraph per
line, and a line that starts with a bullet always starts a paragraph. Page chrome ("Leave a Reply",
share prompts, "Source link") is kept with its offsets but flagged so it never counts as shared text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence, Set

from syndet.models import Article, Paragraph
from syndet.settings import DEFAULT_CHROME
from syndet.text.normalize import fold, fold_in_place
from syndet.text.patterns import Pattern, PatternError

_BLANK = re.compile(r"\n[ \t\r\f\v]*\n")
_BULLET = re.compile(r"^[ \t]*(?:[•·▪◦‣●*+]|-(?=\s)|\d{1,2}[.)](?=\s))", re.M)
_LEAD = re.compile(r"^[\s•·▪◦‣●*+\-]+")


def compile_chrome(patterns: Iterable[str]) -> list[Pattern]:
    """Compile chrome patterns (case-insensitive, matched against the folded paragraph text); a
    pattern that is not one of the defaults runs with a bounded cost (:mod:`syndet.text.patterns`).

    Raises:
        PatternError: A pattern does not compile (the message names its place in the list).
    """
    out: list[Pattern] = []
    bundled: list[str] = []
    for n, source in enumerate(patterns):
        where = f"segment.chrome_patterns[{n}]"
        if source in DEFAULT_CHROME:
            bundled.append(source)
            continue
        try:
            out.append(Pattern(source, re.IGNORECASE, where=where))
        except PatternError as exc:
            raise PatternError(f"'{where}': {exc}") from None
    if bundled:  # the bundled ones as one pattern: a paragraph is chrome if any of them is found
        out.insert(0, Pattern("|".join(f"(?:{s})" for s in bundled), re.IGNORECASE, trusted=True,
                              where="segment.chrome_patterns"))
    return out


def chrome_key(text: str) -> str:
    """The form of a line used to match chrome: folded, bullets and outer spaces removed."""
    return _key_of_folded(fold(text))


def _key_of_folded(folded: str) -> str:
    return " ".join(_LEAD.sub("", folded).split())


def split_paragraphs(article: Article, chrome: Sequence[Pattern | re.Pattern[str]] = (),
                     keys: list[str] | None = None) -> list[Paragraph]:
    """Split ``article.text`` (from ``body_start``) into paragraphs with exact offsets.

    Args:
        article: The article.
        chrome: Compiled chrome patterns (see :func:`compile_chrome`).
        keys: When given, each paragraph's :func:`chrome_key` is appended to it, so that
            :func:`learn_chrome` and :func:`mark_learned` need not fold the text again.
    """
    text = article.text
    body = article.body_start
    has_blank = _BLANK.search(text, body) is not None
    spans: list[tuple[int, int]] = []
    block_start = body
    blocks: list[tuple[int, int]] = []
    if has_blank:
        for match in _BLANK.finditer(text, body):
            blocks.append((block_start, match.start()))
            block_start = match.end()
        blocks.append((block_start, len(text)))
    else:
        blocks.append((body, len(text)))
    for lo, hi in blocks:
        spans.extend(_split_block(text, lo, hi, by_line=not has_blank))
    # The text folded once and each line's key cut from it, where folding keeps every character
    # in place: the keys :func:`chrome_key` gives each line.
    folded = fold_in_place(text) if len(spans) > 1 else None
    out = []
    for index, (lo, hi) in enumerate(spans):
        key = _key_of_folded(folded[lo:hi]) if folded is not None else chrome_key(text[lo:hi])
        if keys is not None:
            keys.append(key)
        is_chrome = any(p.search(key) for p in chrome)
        out.append(Paragraph(article.id, index, lo, hi, is_chrome))
    return out


def _split_block(text: str, lo: int, hi: int, by_line: bool) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = lo
    pos = lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        line_end = hi if nl < 0 else nl
        if pos > start and (by_line or _BULLET.match(text, pos, line_end)):
            pieces.append((start, pos))
            start = pos
        pos = line_end + 1
    pieces.append((start, hi))
    out = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def learn_chrome(
    articles: Sequence[Article],
    paragraphs: Sequence[Sequence[Paragraph]],
    min_articles: int,
    max_words: int,
    keys: Sequence[Sequence[str]] | None = None,
) -> set[str]:
    """Short lines that many articles of one outlet repeat: that outlet's page furniture.

    Only articles with a known ``source`` take part, so wire copy republished by many outlets
    (each repeating the same paragraph) is never mistaken for one outlet's chrome.

    Args:
        keys: Each article's paragraph keys, when :func:`split_paragraphs` collected them.

    Returns:
        Chrome keys (see :func:`chrome_key`) as ``"outlet\\x00key"``.
    """
    seen: dict[str, set[str]] = defaultdict(set)
    for n, (article, paras) in enumerate(zip(articles, paragraphs, strict=False)):
        if not article.source:
            continue
        outlet = article.source.casefold()
        for k, para in enumerate(paras):
            key = keys[n][k] if keys is not None else chrome_key(article.text[para.start:para.end])
            if key and key.count(" ") < max_words:
                seen[f"{outlet}\x00{key}"].add(article.id)
    return {k for k, ids in seen.items() if len(ids) >= min_articles}


def mark_learned(article: Article, paras: list[Paragraph], learned: Set[str],
                 keys: Sequence[str] | None = None) -> list[Paragraph]:
    """Flag as chrome the paragraphs of ``article`` that its outlet repeats (see :func:`learn_chrome`);
    ``keys``: the paragraphs' keys, when :func:`split_paragraphs` collected them."""
    if not learned or not article.source:
        return paras
    outlet = article.source.casefold()
    out = []
    for k, para in enumerate(paras):
        if para.chrome:
            out.append(para)
            continue
        key = keys[k] if keys is not None else chrome_key(article.text[para.start:para.end])
        if f"{outlet}\x00{key}" in learned:
            para = Paragraph(para.article_id, para.index, para.start, para.end, True)
        out.append(para)
    return out


def content_ranges(paragraphs: Sequence[Paragraph]) -> tuple[tuple[int, int], ...]:
    """The ``[start, end)`` of each paragraph that is not chrome and holds text."""
    return tuple((p.start, p.end) for p in paragraphs if not p.chrome and p.end > p.start)
