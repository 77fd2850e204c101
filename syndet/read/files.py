"""Find article files under the given paths and read each with the reader its format calls for.

Formats, by file name: plain text and Markdown (``.txt``, ``.md``, ``.markdown``), JSON Lines
(``.jsonl``, ``.ndjson``), news pages (``.html``, ``.htm``, ``.xhtml``), web archives (``.warc``,
``.warc.gz``, ``.arc``, ``.arc.gz``), tables (``.csv``, ``.tsv``, ``.tab``, ``.parquet``) and feeds
(``.rss``, ``.atom``, and ``.xml`` files that hold a feed). A file named on the command line with
another ending is recognised by its content, or reported as a format not understood. The path
``-`` is standard input, read as JSON Lines.

A file or line that cannot be used is reported once through ``warn`` and skipped; reading goes on.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from syndet.display import printable
from syndet.errors import InputError
from syndet.models import Article
from syndet.read.common import MissingExtra, Warn, clean_article, first_line
from syndet.read.feeds import FEED_SUFFIXES, looks_like_feed, read_feed
from syndet.read.html import HTML_SUFFIXES, read_html_file
from syndet.read.jsonl import JSONL_SUFFIXES, STDIN_NAME, read_jsonl, read_jsonl_stream
from syndet.read.tables import CSV_SUFFIXES, PARQUET_SUFFIXES, read_delimited, read_parquet
from syndet.read.text import read_text_file
from syndet.read.warc import WARC_SUFFIXES, read_archive
from syndet.settings import InputSettings

STDIN = Path("-")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
FORMATS = ("text (.txt, .md)", "JSON Lines (.jsonl)", "HTML pages (.html, .htm)",
           "web archives (.warc, .warc.gz, .arc)", "tables (.csv, .tsv, .parquet)", "feeds (.rss, .atom, .xml)")
_SNIFF = 4096


def format_of(path: Path, head: bytes | None = None) -> str | None:
    """The format a file is read as (``text``, ``jsonl``, ``html``, ``warc``, ``csv``, ``parquet``,
    ``feed``), from its name, else from its first bytes ``head`` when given; None if not understood."""
    name = path.name.lower()
    for fmt, suffixes in (("warc", WARC_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("html", HTML_SUFFIXES),
                          ("csv", CSV_SUFFIXES), ("parquet", PARQUET_SUFFIXES), ("feed", FEED_SUFFIXES),
                          ("text", TEXT_SUFFIXES)):
        if name.endswith(suffixes):
            return fmt
    if head is None:
        return None
    if name.endswith(".xml"):
        return "feed" if looks_like_feed(head) else None
    return sniff(head)


def sniff(head: bytes) -> str | None:
    """The format of a file from its first bytes; None for binary data that no reader takes."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"warc/", b"\x1f\x8b")) and b"warc/" in head[:_SNIFF].lower():
        return "warc"
    if start.startswith(b"par1"):
        return "parquet"
    if start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<") and b"<body" in start):
        return "html"
    if start.startswith(b"<?xml") or start.startswith((b"<rss", b"<feed")):
        return "feed" if looks_like_feed(head) else None
    if start.startswith(b"{"):
        return "jsonl"
    if b"\x00" in head or start.startswith(b"\x1f\x8b"):
        return None
    return "text"


def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a glob where ``**`` spans folders and ``*`` stays inside one, matched on POSIX paths."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            close = pattern.index("]", i + 2)
            body = pattern[i + 1:close]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def find_files(roots: Iterable[Path], settings: InputSettings, warn: Warn | None = None) -> list[tuple[Path, Path]]:
    """List ``(root, file)`` pairs to read, sorted, honouring include and exclude globs.

    A root that is a file is read whatever the globs say: the user named it. A directory where no
    file matches is reported through ``warn``. ``-`` (standard input) is passed through as it is.

    Raises:
        InputError: A root does not exist.
    """
    include = [glob_regex(p) for p in settings.include]
    exclude = [glob_regex(p) for p in settings.exclude]
    found: list[tuple[Path, Path]] = []
    def unreadable(exc: OSError) -> None:
        if warn:
            warn(f"{printable(str(exc.filename))}: cannot read folder: {exc.strerror or exc}, skipped")

    for root in roots:
        if root == STDIN:
            found.append((root, root))
            continue
        if root.is_file():
            found.append((root.parent, root))
            continue
        if not root.is_dir():
            if root.exists() or root.is_symlink():
                found.append((root.parent, root))  # a FIFO, a device, a dangling link: reported when read
                continue
            raise InputError(f"{printable(str(root))}: no such file or directory")
        before = len(found)
        for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if any(r.match(rel) for r in include) and not any(r.match(rel) for r in exclude):
                    found.append((root, path))
        if warn and len(found) == before:
            warn(f"{root}: no files match input.include ({', '.join(settings.include)}) less input.exclude")
    return found


def read_articles(roots: Iterable[Path], settings: InputSettings, warn: Warn,
                  skipped: Counter[str] | None = None) -> Iterator[Article]:
    """Yield every readable article under ``roots``; unusable files and lines go to ``warn``.

    Args:
        roots: Directories (read recursively through the include globs), files, or ``-``.
        settings: How files are found and read.
        warn: Receives one line per problem, naming the file (and line, record or row).
        skipped: Counts what was passed over without a warning (web-archive records that are not
            pages, files whose reader is not installed), by kind.
    """
    seen: set[str] = set()
    tally: Counter[str] = skipped if skipped is not None else Counter()
    missing: dict[str, str] = {}
    for root, path in find_files(roots, settings, warn):
        articles = iter(_read_one(root, path, settings, warn, tally, missing))
        while True:
            try:
                raw = next(articles)
            except StopIteration:
                break
            except Exception as exc:  # one bad file never stops the run, whatever went wrong in it
                warn(f"{printable(str(path))}: cannot be read ({type(exc).__name__}: {first_line(exc)}), "
                     "rest of the file skipped")
                break
            article = clean_article(raw, warn)
            if article is None:
                continue
            if article.id in seen:
                warn(f"{article.path}: duplicate article id '{article.id}', skipped")
                continue
            seen.add(article.id)
            yield article
    for fmt, message in missing.items():
        if tally[f"{fmt} files (reader not installed)"] > 1:
            warn(f"{tally[f'{fmt} files (reader not installed)']} {fmt} files skipped in all: {message}")


def _read_one(root: Path, path: Path, settings: InputSettings, warn: Warn, tally: Counter[str],
              missing: dict[str, str]) -> Iterable[Article]:
    if path == STDIN:
        return read_jsonl_stream(sys.stdin.buffer, STDIN_NAME, warn, settings.max_file_mb)
    if not path.is_file():  # a FIFO or a device would block or never end
        warn(f"{printable(str(path))}: not a regular file, skipped")
        return ()
    rel = printable(path.relative_to(root).as_posix())
    fmt = format_of(path)
    if fmt is None:
        head = _head(path, warn)
        if head is None:
            return ()
        fmt = format_of(path, head)
        if fmt is None:
            warn(f"{path}: format not understood, skipped (syndet reads {', '.join(FORMATS)})")
            return ()
    if fmt in missing:
        tally[f"{fmt} files (reader not installed)"] += 1
        return ()
    return _guarded(fmt, path, rel, settings, warn, tally, missing)


def _guarded(fmt: str, path: Path, rel: str, settings: InputSettings, warn: Warn, tally: Counter[str],
             missing: dict[str, str]) -> Iterator[Article]:
    """The reader's articles; a missing optional library is reported once for its format."""
    try:
        if fmt == "text":
            article = read_text_file(path, rel, settings, warn)
            yield from [article] if article else []
        elif fmt == "jsonl":
            yield from read_jsonl(path, warn, settings.max_file_mb)
        elif fmt == "html":
            article = read_html_file(path, rel, settings, warn)
            yield from [article] if article else []
        elif fmt == "warc":
            yield from read_archive(path, settings, warn, tally)
        elif fmt == "csv":
            yield from read_delimited(path, rel, settings, warn)
        elif fmt == "parquet":
            yield from read_parquet(path, rel, settings, warn)
        elif fmt == "feed":
            yield from read_feed(path, rel, settings, warn)
    except MissingExtra as exc:
        missing[fmt] = str(exc)
        tally[f"{fmt} files (reader not installed)"] += 1
        warn(f"{path}: skipped: {exc}")


def _head(path: Path, warn: Warn) -> bytes | None:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF)
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return None
