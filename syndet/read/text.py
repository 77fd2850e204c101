"""Plain-text and Markdown articles, with optional YAML front matter for their metadata."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from syndet.models import Article
from syndet.read.common import Warn, decode, opt_str, read_bytes
from syndet.settings import InputSettings
from syndet.yamlfile import YAMLBoundError, load_bounded

FRONT_MATTER_BYTES = 64 * 1024
"""Largest front matter block read (a block holds a few lines of metadata)."""
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


def read_text_file(path: Path, rel: str, settings: InputSettings, warn: Warn) -> Article | None:
    """The article in one text file (id from front matter, else ``rel``), or None (reported)."""
    data = read_bytes(path, settings.max_file_mb, warn)
    if data is None:
        return None
    return text_article(data, path, rel, settings, warn)


def text_article(data: bytes, path: Path | str, rel: str, settings: InputSettings, warn: Warn) -> Article | None:
    """The article a text file's bytes hold (see :func:`read_text_file`); ``path`` names it."""
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
        title=opt_str(meta.get("title")),
        source=opt_str(meta.get("source") or meta.get("outlet")),
        published=opt_str(meta.get("published") or meta.get("date")),
        url=opt_str(meta.get("url")),
        path=str(path),
        body_start=body_start,
    )


def _front_matter(text: str, path: Path | str, warn: Warn) -> tuple[dict[str, Any], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    import yaml  # only needed for files that have front matter

    try:
        _, meta = load_bounded(match.group(1) or "", FRONT_MATTER_BYTES)
    except YAMLBoundError as exc:
        warn(f"{path}:2: front matter refused ({exc}), read as text")
        return {}, 0
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 2}" if mark is not None else ""
        warn(f"{path}{line}: front matter is not valid YAML, read as text")
        return {}, 0
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        warn(f"{path}:2: front matter is not a mapping, read as text")
        return {}, 0
    return meta, match.end()
