"""Small answers syndet works out once per machine and keeps in the user's cache folder (here, in
the first stage that needs it, below every later stage that uses it).

Some answers cost far more to work out than to read: which code points are letters (a pattern run
over all of Unicode), the LSH banding datasketch chooses for a threshold (a numeric search, behind
an import of SciPy), and what the evidence catalogue's patterns require and how they are best
scanned (each pattern parsed). An array is kept as one ``.npy`` file (read with pickling refused);
answers worked out one key at a time are appended to one JSON Lines file (:class:`Memo`). The files
are in ``$SYNDET_CACHE_DIR``, else ``$XDG_CACHE_HOME/syndet``, else ``~/.cache/syndet``, named after
what they depend on, so that another Python, Unicode table or library version gets files of its
own. A file that cannot be read, that fails the caller's check, or that cannot be written only
costs the time of working the answer out again: a cache never fails a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


def folder() -> Path:
    """The cache folder: ``$SYNDET_CACHE_DIR``, else ``$XDG_CACHE_HOME/syndet``, else ``~/.cache/syndet``."""
    own = os.environ.get("SYNDET_CACHE_DIR")
    if own:
        return Path(own)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "syndet"


def cached_array(name: str, depends_on: str, make: Callable[[], np.ndarray],
                 sound: Callable[[np.ndarray], bool]) -> np.ndarray:
    """The array kept under ``name`` for ``depends_on``, or ``make()``'s, which is then kept.

    Args:
        name: What the array is (the start of its file name).
        depends_on: Everything the answer depends on, as text (hashed into the file name).
        make: Works the array out.
        sound: Whether an array read from the file is one ``make`` could have given.
    """
    key = hashlib.sha256(f"{name}|{depends_on}".encode()).hexdigest()[:16]
    try:
        path = folder() / f"{name}-{key}.npy"
    except (RuntimeError, KeyError):  # no home folder to be found (a user with no passwd entry)
        return make()
    try:
        found = np.load(path, allow_pickle=False)
        if isinstance(found, np.ndarray) and sound(found):  # not an archive of several arrays
            return found
    except (OSError, ValueError, EOFError):  # absent, unreadable, cut short or not an array file
        pass
    made = make()
    _save(path, made)
    return made


def _save(path: Path, array: np.ndarray) -> None:
    """Write ``array`` to ``path`` whole (a temporary file renamed over it) or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".npy")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            np.save(out, array, allow_pickle=False)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


MEMO_MAX_BYTES = 8 << 20
"""A memo file grown past this (processes appending the same answers for years) is started again."""


class Memo:
    """Answers worked out one key at a time, kept between runs in one JSON Lines file.

    Each answer is appended as one line (``[key, value]``) by the process that worked it out, in
    one write to a file opened for appending, so processes sharing the folder (forked workers, two
    runs at once) never mix their lines; the file is read once, when a process first asks. A line
    that does not parse is passed over, and the caller checks every value it takes.

    Args:
        name: What the answers are (the start of the file name).
        depends_on: Everything the answers depend on, as text (hashed into the file name).
    """

    def __init__(self, name: str, depends_on: str) -> None:
        self._stem = f"{name}-{hashlib.sha256(f'{name}|{depends_on}'.encode()).hexdigest()[:16]}"
        self._path: Path | None = None
        self._known: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        """The value kept for ``key``, or None."""
        self._read()
        return self._known.get(key)

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` (JSON) for ``key``, here and in the file."""
        path = self._read()
        self._known[key] = value
        if path is None:
            return
        # A newline first too: a line another process left cut short (killed mid-write) ends there.
        line = ("\n" + json.dumps([key, value], ensure_ascii=True, separators=(",", ":")) + "\n").encode()
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
            if path.exists() and path.stat().st_size > MEMO_MAX_BYTES:
                flags |= os.O_TRUNC
            fd = os.open(path, flags, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def _read(self) -> Path | None:
        """The file, read once (again if the folder moved); None when there is no folder."""
        path = self._where()
        if path is not None and path != self._path:
            self._path, self._known = path, _read_memo(path)
        return path

    def _where(self) -> Path | None:
        try:
            return folder() / f"{self._stem}.jsonl"
        except (RuntimeError, KeyError):  # no home folder to be found
            return None


def _read_memo(path: Path) -> dict[str, Any]:
    """The key-value lines of a memo file (the last line of a key wins); an absent, unreadable or
    oversized file holds nothing, and a line that is not a ``[key, value]`` pair is passed over."""
    try:
        if path.stat().st_size > MEMO_MAX_BYTES:
            return {}
        raw = path.read_bytes()
    except OSError:
        return {}
    lines = [line for line in raw.split(b"\n") if line.strip()]
    try:  # every line whole: read as one array, at once
        items = json.loads(b"[" + b",".join(lines) + b"]")
    except (ValueError, RecursionError):  # a line cut short or damaged: each line on its own
        items = []
        for line in lines:
            with contextlib.suppress(ValueError, RecursionError):
                items.append(json.loads(line))
    out: dict[str, Any] = {}
    for item in items:
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str):
            out[item[0]] = item[1]
    return out
