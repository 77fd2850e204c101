"""Saved news pages: the article's text and metadata, extracted with trafilatura.

Offsets of an article read from a page point into the extracted text (``Article.text``), never
into the markup: ``syndet extract PAGE`` prints that text, and the JSON report carries it with
``--with-text``. Navigation, share bars, related links and footers are gone before segmentation;
character references are decoded. Needs the ``html`` extra (``pip install 'syndet[html]'``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syndet.models import Article
from syndet.read.common import MissingExtra, Warn, one_line, read_bytes
from syndet.settings import InputSettings

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
INSTALL_HINT = "pip install 'syndet[html]'"
MIN_WORDS = 8
"""Fewer words than this is not an article: the extractor falls back to menus and link lists."""

# Publication time with its hour, from the page's own metadata; trafilatura's date keeps the day only.
_PUBLISHED = [
    re.compile(r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
               r"""datePublished|pubdate|publishdate|date)["'][^>]*content\s*=\s*["']([^"']{8,40})["']""", re.I),
    re.compile(r"""<meta[^>]+content\s*=\s*["']([^"']{8,40})["'][^>]*(?:property|name|itemprop)\s*=\s*"""
               r"""["'](?:article:published_time|og:published_time|datePublished)["']""", re.I),
    re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"'),
]
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\Z")


@dataclass(frozen=True)
class Page:
    """What was extracted from one page."""

    text: str
    title: str | None
    author: str | None
    sitename: str | None
    url: str | None
    published: str | None


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError:
        raise MissingExtra(f"reading HTML needs trafilatura: {INSTALL_HINT}") from None
    # Its own diagnostics (e.g. "discarding data") would otherwise reach standard error unasked.
    logger = logging.getLogger("trafilatura")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return trafilatura


def extract_page(html: bytes | str, url: str | None = None) -> Page | None:
    """The main text and metadata of a page, or None when it holds no article text.

    Args:
        html: The page as fetched (bytes: the encoding is read from the page) or as text.
        url: Where it was fetched from, if known (used when the page names no canonical URL).

    Raises:
        MissingExtra: trafilatura is not installed.
    """
    trafilatura = _trafilatura()
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True, include_images=False, include_links=False)
    if doc is None or not (doc.text or "").strip():
        return None
    paragraphs = [" ".join(line.split()) for line in doc.text.split("\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    if len(text.split()) < MIN_WORDS:
        return None
    head = html[:200_000].decode("utf-8", "replace") if isinstance(html, bytes) else html[:200_000]
    return Page(text=text, title=one_line(doc.title), author=one_line(doc.author), sitename=one_line(doc.sitename),
                url=one_line(doc.url) or url, published=_published(head) or one_line(doc.date))


def read_html_file(path: Path, rel: str, settings: InputSettings, warn: Warn) -> Article | None:
    """The article in one saved page (id ``rel``), or None (reported) when the page has none."""
    data = read_bytes(path, settings.max_file_mb, warn)
    if data is None:
        return None
    page = extract_page(data)
    if page is None:
        warn(f"{path}: no article text found in the page, skipped")
        return None
    return page_article(page, rel, str(path))


def page_article(page: Page, ident: str, where: str, published: str | None = None) -> Article:
    """An article from an extracted page; ``published`` is used when the page states no date."""
    return Article(id=ident, text=page.text, title=page.title, source=page.sitename,
                   published=page.published or published, url=page.url, path=where, author=page.author)


def _published(head: str) -> str | None:
    for pattern in _PUBLISHED:
        match = pattern.search(head)
        if match and _ISO.match(match.group(1).strip()):
            return match.group(1).strip()
    return None
