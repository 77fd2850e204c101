"""JSON Lines articles: one JSON object per line, from a file or a stream.

Each line is one unit: a line that is not valid UTF-8, not JSON, nested too deeply, larger than
``input.max_file_mb``, or not an article record is one warning naming ``file:line``, and reading
goes on with the next line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from syndet.models import Article
from syndet.read.common import Warn, opt_str

JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN_NAME = "<stdin>"
_CHUNK = 1 << 20


def read_jsonl(path: Path, warn: Warn, max_line_mb: float = 64.0) -> Iterator[Article]:
    """Every article in a JSON Lines file; bad lines are reported and skipped."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return
    with handle:
        yield from read_jsonl_stream(handle, str(path), warn, max_line_mb)


def read_jsonl_stream(stream: BinaryIO, name: str, warn: Warn, max_line_mb: float = 64.0) -> Iterator[Article]:
    """Every article in a binary stream of JSON Lines (a file, standard input), each as its line
    arrives; problems name ``name:line``. A line longer than ``max_line_mb`` is skipped without
    being held in memory."""
    limit = int(max_line_mb * 1024 * 1024)
    problems = 0
    count = 0
    lineno = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            break
        lineno += 1
        where = f"{name}:{lineno}"
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # the rest of the long line, a chunk at a time
                raw = stream.readline(_CHUNK)
            problems += 1
            warn(f"{where}: line larger than input.max_file_mb ({max_line_mb:g} MB), skipped")
            continue
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        record, problem = _parse(raw)
        if problem is not None:
            problems += 1
            if problems == 1 and lineno == 1 and b"\x00" in raw and name != STDIN_NAME:
                warn(f"{name}: binary file, skipped")
                return
            warn(f"{where}: {problem}, line skipped")
            continue
        article = _article_from_record(record, where, warn)
        if article is not None:
            count += 1
            yield article
    if count == 0 and problems == 0:
        warn(f"{name}: no articles in {'input' if name == STDIN_NAME else 'file'}")


def article_from_line(raw: bytes, where: str, warn: Warn) -> Article | None:
    """The article one non-blank line holds, or None (reported through ``warn`` as ``where``)."""
    record, problem = _parse(raw)
    if problem is not None:
        warn(f"{where}: {problem}, line skipped")
        return None
    return _article_from_record(record, where, warn)


def _parse(raw: bytes) -> tuple[Any, str | None]:
    """The line's JSON value, or what is wrong with the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not valid UTF-8 (byte {exc.start})"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON ({exc.msg}, column {exc.colno})"
    except RecursionError:
        return None, "JSON nested too deeply"
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return None, f"invalid JSON ({str(exc).splitlines()[0][:120]})"


def _article_from_record(record: Any, where: str, warn: Warn) -> Article | None:
    if not isinstance(record, dict):
        warn(f"{where}: expected a JSON object, got {_kind(record)}, line skipped")
        return None
    if record.get("type", "article") != "article":
        return None
    ident, text = record.get("id"), record.get("text")
    if ident is None or ident == "":
        warn(f"{where}: missing 'id', line skipped")
        return None
    if not isinstance(ident, (str, int)) or isinstance(ident, bool):
        warn(f"{where}: 'id' must be a string or a whole number, not {_kind(ident)}, line skipped")
        return None
    if text is None:
        warn(f"{where}: missing 'text', line skipped")
        return None
    if not isinstance(text, str):
        warn(f"{where}: 'text' must be a string, not {_kind(text)}, line skipped")
        return None
    if not text.strip():
        warn(f"{where}: empty 'text', line skipped")
        return None
    try:
        return Article(
            id=str(ident),
            text=text,
            title=_field(record, "title"),
            source=_field(record, "source") or _field(record, "outlet"),
            published=_field(record, "published"),
            url=_field(record, "url"),
            path=where,
            author=_field(record, "author"),
        )
    except ValueError as exc:  # str() of a number beyond the digit limit
        warn(f"{where}: unusable field ({str(exc).splitlines()[0][:120]}), line skipped")
        return None


def _field(record: dict[str, Any], name: str) -> str | None:
    """A metadata field as text; containers are not metadata and are dropped."""
    value = record.get(name)
    if isinstance(value, (dict, list)):
        return None
    return opt_str(value)


def _kind(value: Any) -> str:
    return {"dict": "an object", "list": "a list", "str": "a string", "bool": "true/false", "NoneType": "null",
            "int": "a number", "float": "a fractional number"}.get(type(value).__name__, type(value).__name__)
