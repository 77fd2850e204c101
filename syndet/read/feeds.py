"""RSS and Atom feeds: one article per item, its text from the item's content (else its summary).

Parsed with feedparser (``pip install 'syndet[feeds]'``). The item's HTML becomes plain text; its
id is the item's guid (else its link), ``published`` its publication (else update) time in UTC,
``source`` the feed's title.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from syndet.models import Article
from syndet.read.common import MissingExtra, Warn, one_line, read_bytes
from syndet.read.markup import html_to_text
from syndet.settings import InputSettings

FEED_SUFFIXES = (".rss", ".atom")


def looks_like_feed(head: bytes) -> bool:
    """Whether the start of an XML file is an RSS or Atom document."""
    sample = head[:4096].lower()
    return b"<rss" in sample or b"<feed" in sample or b"<rdf:rdf" in sample


def read_feed(path: Path, rel: str, settings: InputSettings, warn: Warn) -> Iterator[Article]:
    """Every item of a feed that has text; an unparseable feed is one warning."""
    try:
        import feedparser
    except ImportError:
        raise MissingExtra("reading RSS and Atom feeds needs feedparser: pip install 'syndet[feeds]'") from None
    data = read_bytes(path, settings.max_file_mb, warn)
    if data is None:
        return
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        why = f" ({str(problem).splitlines()[0][:200]})" if problem else ""
        warn(f"{path}: no feed items{why}, skipped")
        return
    source = one_line(parsed.get("feed", {}).get("title"))
    for n, entry in enumerate(entries, 1):
        article = _item(entry, n, rel, source, f"{path}:item {n}", warn)
        if article is not None:
            yield article


def _item(entry: Any, n: int, rel: str, source: str | None, where: str, warn: Warn) -> Article | None:
    body = ""
    for content in entry.get("content") or []:
        if content.get("value"):
            body = content["value"]
            break
    body = body or entry.get("summary") or ""
    text = html_to_text(body)
    if not text:
        warn(f"{where}: item has no text, skipped")
        return None
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp) if stamp else None
    ident = one_line(entry.get("id")) or one_line(entry.get("link")) or f"{rel}#{n}"
    return Article(id=ident, text=text, title=one_line(entry.get("title")), source=source, published=published,
                   url=one_line(entry.get("link")), path=where, author=one_line(entry.get("author")))
