"""Find and read articles: plain text, Markdown (optional YAML front matter) and JSON Lines.

A file that cannot be used is reported once through ``warn`` and skipped; reading goes on. Text is
decoded as UTF-8 first (a BOM is honoured), then with the configured fallback encodings, which is
reported because offsets then refer to the re-decoded text.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from syndet.errors import InputError
from syndet.models import Article
from syndet.settings import InputSettings

Warn = Callable[[str], None]
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_BINARY_SNIFF = 8192
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


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
    file matches is reported through ``warn``.

    Raises:
        InputError: A root does not exist.
    """
    include = [glob_regex(p) for p in settings.include]
    exclude = [glob_regex(p) for p in settings.exclude]
    found: list[tuple[Path, Path]] = []
    for root in roots:
        if root.is_file():
            found.append((root.parent, root))
            continue
        if not root.is_dir():
            raise InputError(f"{root}: no such file or directory")
        before = len(found)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if any(r.match(rel) for r in include) and not any(r.match(rel) for r in exclude):
                    found.append((root, path))
        if warn and len(found) == before:
            warn(f"{root}: no files match input.include ({', '.join(settings.include)}) less input.exclude")
    return found


def read_articles(roots: Iterable[Path], settings: InputSettings, warn: Warn) -> Iterator[Article]:
    """Yield every readable article under ``roots``; unusable files and lines go to ``warn``."""
    seen: set[str] = set()
    for root, path in find_files(roots, settings, warn):
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() in JSONL_SUFFIXES:
            articles: Iterable[Article] = _read_jsonl(path, warn)
        else:
            article = _read_text_file(path, rel, settings, warn)
            articles = [article] if article else []
        for article in articles:
            if article.id in seen:
                warn(f"{article.path}: duplicate article id '{article.id}', skipped")
                continue
            seen.add(article.id)
            yield article


def decode(data: bytes, path: Path, encodings: Iterable[str], warn: Warn) -> str | None:
    """Decode bytes as UTF-8 (or the BOM's encoding), then the fallbacks; None if binary."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:_BINARY_SNIFF]:
        warn(f"{path}: binary file, skipped")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    for codec in encodings:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            break
        warn(f"{path}: not valid UTF-8 (byte {first_error.start}), read as {codec}")
        return text
    warn(f"{path}: not valid UTF-8 (byte {first_error.start}) and not text in {', '.join(encodings)}, skipped")
    return None


def _looks_binary(text: str) -> bool:
    """Whether decoded text is mostly control or unassigned characters (a wrong guess of encoding)."""
    sample = text[:_BINARY_SNIFF]
    odd = sum(1 for ch in sample
              if ch not in "\t\n\r\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    return odd > max(2, len(sample) // 50)


def _read_bytes(path: Path, limit_mb: float, warn: Warn) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > limit_mb * 1024 * 1024:
            warn(f"{path}: {size / 1048576:.1f} MB is larger than input.max_file_mb ({limit_mb:g}), skipped")
            return None
        return path.read_bytes()
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return None


def _read_text_file(path: Path, rel: str, settings: InputSettings, warn: Warn) -> Article | None:
    data = _read_bytes(path, settings.max_file_mb, warn)
    if data is None:
        return None
    text = decode(data, path, settings.encodings, warn)
    if text is None:
        return None
    meta, body_start = _front_matter(text, path, warn)
    if not text[body_start:].strip():
        warn(f"{path}: empty article, skipped")
        return None
    return Article(
        id=str(meta.get("id") or rel),
        text=text,
        title=_opt_str(meta.get("title")),
        source=_opt_str(meta.get("source") or meta.get("outlet")),
        published=_opt_str(meta.get("published") or meta.get("date")),
        url=_opt_str(meta.get("url")),
        path=str(path),
        body_start=body_start,
    )


def _front_matter(text: str, path: Path, warn: Warn) -> tuple[dict[str, Any], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    import yaml  # only needed for files that have front matter

    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 2}" if mark is not None else ""
        warn(f"{path}{line}: front matter is not valid YAML, read as text")
        return {}, 0
    if not isinstance(meta, dict):
        warn(f"{path}:2: front matter is not a mapping, read as text")
        return {}, 0
    return meta, match.end()


def _read_jsonl(path: Path, warn: Warn) -> Iterator[Article]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return
    problems = 0
    count = 0
    with handle:
        for lineno, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                problems += 1
                warn(f"{where}: not valid UTF-8 (byte {exc.start}), line skipped")
                continue
            except json.JSONDecodeError as exc:
                problems += 1
                if problems == 1 and lineno == 1 and b"\x00" in raw:
                    warn(f"{path}: binary file, skipped")
                    return
                warn(f"{where}: invalid JSON ({exc.msg}, column {exc.colno}), line skipped")
                continue
            article = _article_from_record(record, where, warn)
            if article is not None:
                count += 1
                yield article
    if count == 0 and problems == 0:
        warn(f"{path}: no articles in file")


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
        title=_opt_str(record.get("title")),
        source=_opt_str(record.get("source") or record.get("outlet")),
        published=_opt_str(record.get("published")),
        url=_opt_str(record.get("url")),
        path=where,
    )


def _opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
