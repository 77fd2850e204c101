"""Sorted runs of report records on disk, merged back in report order.

Each batch of the bounded-memory scan writes its records of each kind sorted by their sort key;
the report is then written by merging the runs, so no more than one line of each run is held.
A line is ``key<TAB>batch<TAB>payload``: the key as JSON (a number or a list), the batch the
record came from (its passages are numbered inside it until the merge numbers them all), and the
record itself as JSON (JSON escapes tabs and line breaks inside strings).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

Entry = tuple[Any, int, str]
"""``(sort key, batch, payload)``; keys of one kind compare with each other (numbers or lists)."""


def _plain(key: Any) -> Any:
    """The key as JSON gives it back (tuples as lists), so that written and read keys compare alike."""
    if isinstance(key, tuple | list):
        return [_plain(k) for k in key]
    return key


class Runs:
    """Sorted runs of each kind of record, in one folder, each file named by its kind, batch and
    part (so that forked workers can write runs side by side)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def add(self, kind: str, batch: int, items: Iterable[tuple[Any, str]], part: int = 0) -> None:
        """Write one run of ``(key, payload)`` items (any order)."""
        ordered = sorted(((_plain(key), payload) for key, payload in items), key=lambda kp: kp[0])
        if not ordered:
            return
        with (self.folder / f"{kind}-{batch}-{part}.run").open("w", encoding="utf-8") as out:
            for key, payload in ordered:
                out.write(f"{json.dumps(key, ensure_ascii=False)}\t{batch}\t{payload}\n")

    def merged(self, kind: str) -> Iterator[Entry]:
        """Every entry of ``kind`` in key order."""
        return heapq.merge(*(_read(path) for path in sorted(self.folder.glob(f"{kind}-*.run"))), key=lambda e: e[0])


def _read(path: Path) -> Iterator[Entry]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            key, batch, payload = line.rstrip("\n").split("\t", 2)
            yield json.loads(key), int(batch), payload
