"""Small arrays syndet works out once per machine and keeps in the user's cache folder (here, in
the first stage that needs it, below every later stage that uses it).

Some answers cost far more to work out than to read: which code points are letters (a pattern run
over all of Unicode) and the LSH banding datasketch chooses for a threshold (a numeric search,
behind an import of SciPy). Each is kept as one ``.npy`` file (read with pickling refused) in
``$SYNDET_CACHE_DIR``, else ``$XDG_CACHE_HOME/syndet``, else ``~/.cache/syndet``, named after
what it depends on, so that another Python, Unicode table or library version gets a file of its
own. A file that cannot be read, that fails the caller's check, or that cannot be written only
costs the time of working the answer out again: a cache never fails a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

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
