"""Progress on standard error: quiet for short runs, sparse lines in logs, one live line on a terminal."""

from __future__ import annotations

import io

import pytest

from syndet import progress as progress_module
from syndet.progress import StderrProgress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", fake)
    return fake


def test_a_log_gets_a_line_every_five_seconds_after_the_first_five(clock: Clock) -> None:
    log = io.StringIO()
    progress = StderrProgress(log)
    for second in range(12):
        clock.now = 100.0 + second
        progress("filter", second * 10, 0)
    assert log.getvalue() == "filtering articles: 50\nfiltering articles: 100\n"


def test_a_terminal_gets_one_live_line_that_close_clears(clock: Clock) -> None:
    tty = Terminal()
    progress = StderrProgress(tty)
    progress("hash", 1, 4)  # within the first second: nothing
    clock.now += 2
    progress("hash", 2, 4)
    progress("hash", 4, 4)  # the last step is always shown
    progress.close()
    assert tty.getvalue() == ("\r\033[Khashing paragraphs: 2/4 (50%)\r\033[Khashing paragraphs: 4/4 (100%)"
                              "\r\033[K")
