"""Web archives (WARC, and the older ARC): every HTML page a crawl fetched becomes an article.

Records are streamed with warcio (ARC records are read as WARC), so an archive of any size is read
in constant memory. A page's id is ``<capture time>/<URI>`` (as the Wayback Machine writes it), its
``published`` the page's own date, else the capture time. Records that are not an HTML response
with status 200 (requests, metadata, redirects, images, revisits) are skipped and counted. Needs the
``warc`` extra (``pip install 'syndet[warc]'``).
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from syndet.models import Article
from syndet.read.common import MissingExtra, Warn, first_line
from syndet.read.html import extract_page, page_article
from syndet.settings import InputSettings

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_archive(path: Path, settings: InputSettings, warn: Warn, skipped: Counter[str]) -> Iterator[Article]:
    """Every HTML page in a web archive, in record order; what is not one is counted in ``skipped``.

    A record larger than ``input.max_file_mb`` is skipped with a warning; an archive that breaks
    off is reported with the number of records read before the break.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise MissingExtra("reading web archives needs warcio: pip install 'syndet[warc]'") from None
    logger = logging.getLogger("warcio")  # its notes on odd records would reach standard error unasked
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    limit = int(settings.max_file_mb * 1024 * 1024)
    pages = records = 0
    try:
        handle = path.open("rb")
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return
    try:
        start = _start(handle)
    except (OSError, zlib.error, EOFError) as exc:
        handle.close()
        warn(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}")
        return
    if not start.startswith((b"WARC/", b"filedesc://")):
        handle.close()
        warn(f"{path}: not a web archive (no WARC or ARC record at its start), skipped")
        return
    with handle:
        try:
            for record in ArchiveIterator(handle, arc2warc=True):
                records += 1
                article = _page(record, path, records, limit, warn, skipped)
                if article is not None:
                    pages += 1
                    yield article
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            warn(f"{path}: web archive unreadable after {records} records ({first_line(exc)}), rest skipped")
            return
    if pages == 0:
        warn(f"{path}: no HTML pages in {records} archive records")


def _page(record: Any, path: Path, n: int, limit: int, warn: Warn, skipped: Counter[str]) -> Article | None:
    if record.rec_type != "response" or record.http_headers is None:
        skipped[f"warc {record.rec_type or 'unknown'} records"] += 1
        return None
    status = record.http_headers.get_statuscode()
    mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if status != "200" or mime not in _HTML_TYPES:
        skipped["warc responses that are not HTML pages (status 200)"] += 1
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    date = record.rec_headers.get_header("WARC-Date") or ""
    body = record.content_stream().read(limit + 1)
    if len(body) > limit:
        warn(f"{path}: record {n} ({uri}) is larger than input.max_file_mb, skipped")
        return None
    page = extract_page(body, url=uri or None)
    if page is None:
        skipped["warc HTML pages with no article text"] += 1
        return None
    stamp = "".join(ch for ch in date if ch.isdigit())[:14]
    ident = f"{stamp}/{uri}" if stamp else uri or f"{path.name}:{n}"
    article = page_article(page, ident, f"{path}:record {n}", published=date or None)
    if uri:  # the address it was fetched from, not a canonical one the page may claim
        article = replace(article, url=uri)
    return article


def _start(handle: BinaryIO) -> bytes:
    """The first bytes of the archive's first record (decompressed when the file is gzipped); the
    handle is left at the start."""
    head = handle.read(4096)
    handle.seek(0)
    if head.startswith(b"\x1f\x8b"):
        return zlib.decompressobj(31).decompress(head, 64)
    return head.lstrip(b"\r\n")[:64]
