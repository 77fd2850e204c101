"""Find article files under the given paths and read each with the reader its name calls for.

A file that cannot be used is reported once through ``warn`` and skipped; reading goes on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from syndet.errors import InputError
from syndet.models import Article
from syndet.read.common import Warn
from syndet.read.jsonl import JSONL_SUFFIXES, read_jsonl
from syndet.read.text import read_text_file
from syndet.settings import InputSettings


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
            articles: Iterable[Article] = read_jsonl(path, warn)
        else:
            article = read_text_file(path, rel, settings, warn)
            articles = [article] if article else []
        for article in articles:
            if article.id in seen:
                warn(f"{article.path}: duplicate article id '{article.id}', skipped")
                continue
            seen.add(article.id)
            yield article
