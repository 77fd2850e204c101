"""JSON Lines articles: one JSON object per line, from a file or a stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from syndet.models import Article
from syndet.read.common import Warn, opt_str

JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN_NAME = "<stdin>"


def read_jsonl(path: Path, warn: Warn) -> Iterator[Article]:
    """Every article in a JSON Lines file; bad lines are reported and skipped."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return
    with handle:
        yield from read_jsonl_stream(handle, str(path), warn)


def read_jsonl_stream(stream: BinaryIO, name: str, warn: Warn) -> Iterator[Article]:
    """Every article in a binary stream of JSON Lines (a file, standard input), each as its line
    arrives; problems name ``name:line``."""
    problems = 0
    count = 0
    for lineno, raw in enumerate(stream, 1):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problems += 1
            warn(f"{where}: not valid UTF-8 (byte {exc.start}), line skipped")
            continue
        except json.JSONDecodeError as exc:
            problems += 1
            if problems == 1 and lineno == 1 and b"\x00" in raw:
                warn(f"{name}: binary file, skipped")
                return
            warn(f"{where}: invalid JSON ({exc.msg}, column {exc.colno}), line skipped")
            continue
        article = _article_from_record(record, where, warn)
        if article is not None:
            count += 1
            yield article
    if count == 0 and problems == 0:
        warn(f"{name}: no articles in {'input' if name == STDIN_NAME else 'file'}")


def parse_jsonl_line(raw: bytes, where: str, warn: Warn) -> Article | None:
    """One JSON Lines record as an article, for records that arrive one by one (standard input).

    Problems are reported through ``warn`` as for a ``.jsonl`` file, naming ``where`` (``<stdin>:3``).
    """
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        warn(f"{where}: not valid UTF-8 (byte {exc.start}), line skipped")
        return None
    except json.JSONDecodeError as exc:
        warn(f"{where}: invalid JSON ({exc.msg}, column {exc.colno}), line skipped")
        return None
    return _article_from_record(record, where, warn)


def _article_from_record(record: Any, where: str, warn: Warn) -> Article | None:
    if not isinstance(record, dict):
        warn(f"{where}: expected a JSON object, got {type(record).__name__}, line skipped")
        return None
    if record.get("type", "article") != "article":
        return None
    ident, text = record.get("id"), record.get("text")
    if not isinstance(ident, (str, int)) or isinstance(ident, bool) or str(ident) == "":
        warn(f"{where}: missing or invalid 'id', line skipped")
        return None
    if not isinstance(text, str):
        warn(f"{where}: missing or invalid 'text', line skipped")
        return None
    if not text.strip():
        warn(f"{where}: empty 'text', line skipped")
        return None
    return Article(
        id=str(ident),
        text=text,
        title=opt_str(record.get("title")),
        source=opt_str(record.get("source") or record.get("outlet")),
        published=opt_str(record.get("published")),
        url=opt_str(record.get("url")),
        path=where,
        author=opt_str(record.get("author")),
    )
