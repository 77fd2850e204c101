"""Progress on standard error for long runs: a live line on a terminal, sparse lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_LABELS = {"read": "reading articles", "hash": "hashing paragraphs", "align": "aligning article pairs",
           "add": "indexing articles", "filter": "filtering articles"}


class StderrProgress:
    """A callable ``(stage, done, total)`` that reports at most a few times a second."""

    def __init__(self, stream: TextIO | None = None, interval: float = 0.25) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.interval = interval if self.live else 5.0
        self.last = 0.0
        self.started = time.monotonic()
        self.dirty = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < (1.0 if self.live else self.interval):  # short runs stay quiet
            return
        if now - self.last < self.interval and not (total and done >= total):
            return
        self.last = now
        label = _LABELS.get(stage, stage)
        text = f"{label}: {done:,}/{total:,} ({done / total:.0%})" if total else f"{label}: {done:,}"
        if self.live:
            self.stream.write("\r\033[K" + text)
            self.dirty = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the live line, if one is shown."""
        if self.dirty:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.dirty = False
