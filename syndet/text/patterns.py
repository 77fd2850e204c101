"""Regular expressions with a bounded cost.

The bundled patterns (default chrome, the bundled catalogue) are syndet's own and run on Python's
``re``. A pattern a user supplies (a changed ``segment.chrome_patterns``, an extra or replaced
catalogue) could take exponential time on some line (``(a|aa)+$``), so it runs on the ``regex``
engine with a time limit per call and a budget for the whole run: the first call that exceeds
either switches the pattern off for the rest of the run, and the pattern says so once
(:attr:`Pattern.problem`), for the run's warnings.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any, cast

CALL_SECONDS = 0.05
"""Longest one search of a user pattern may take."""
RUN_SECONDS = 5.0
"""Time a user pattern may take over a whole run, all its searches together."""


class PatternError(ValueError):
    """A pattern that does not compile; the message says why."""


class Pattern:
    """A compiled pattern: ``search``, ``match`` and ``finditer`` as :class:`re.Pattern` has them.

    Args:
        source: The regular expression.
        flags: ``re`` flags (``re.IGNORECASE``, ``re.MULTILINE``).
        trusted: A bundled pattern (plain ``re``, no limit) rather than a user's.
        where: Where the pattern comes from, for :attr:`problem` (``config.yaml: segment.chrome_patterns[2]``).

    Raises:
        PatternError: The pattern does not compile.
    """

    def __init__(self, source: str, flags: int = 0, *, trusted: bool = False, where: str = "") -> None:
        self.source = source
        self.where = where
        self.trusted = trusted
        self.problem: str | None = None
        self._spent = 0.0
        self._flags = flags
        self._compiled: Any = None
        if not trusted:  # a user's pattern is checked at once; a bundled one when first used
            self._compile()
        self._guarded: Any = None
        if not trusted:
            import regex

            try:
                self._guarded = regex.compile(source, flags)
            except (regex.error, RecursionError, OverflowError) as exc:
                raise PatternError(f"invalid regular expression {source!r}: {exc}") from None

    def _compile(self) -> Any:
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.source, self._flags)
            except (re.error, RecursionError, OverflowError) as exc:
                raise PatternError(f"invalid regular expression {self.source!r}: {exc}") from None
            if self.trusted:  # from now on a bundled pattern is called as re's own, with no wrapper
                self.search = self._compiled.search  # type: ignore[method-assign]
                self.match = self._compiled.match  # type: ignore[method-assign]
                self.finditer = self._compiled.finditer  # type: ignore[method-assign]
        return self._compiled

    @property
    def _re(self) -> Any:
        return self._compiled if self._compiled is not None else self._compile()

    @property
    def pattern(self) -> str:
        """The regular expression, as :attr:`re.Pattern.pattern`."""
        return self.source

    @property
    def flags(self) -> int:
        """The flags given (as :attr:`re.Pattern.flags`, less the implied ``re.UNICODE``)."""
        return self._flags

    @property
    def off(self) -> bool:
        """Whether the pattern was switched off for being too slow."""
        return self.problem is not None

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """As :meth:`re.Pattern.search`; None once the pattern is switched off."""
        return cast("re.Match[str] | None", self._call("search", text, pos, endpos))

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """As :meth:`re.Pattern.match`; None once the pattern is switched off."""
        return cast("re.Match[str] | None", self._call("match", text, pos, endpos))

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """As :meth:`re.Pattern.finditer`; stops once the pattern is switched off."""
        end = len(text) if endpos is None else endpos
        if self._guarded is None:
            yield from self._re.finditer(text, pos, end)
            return
        while pos <= end and not self.off:
            found = self._call("search", text, pos, end)
            if found is None:
                return
            yield found
            pos = found.end() if found.end() > found.start() else found.end() + 1

    def _call(self, how: str, text: str, pos: int, endpos: int | None) -> Any:
        end = len(text) if endpos is None else endpos
        if self._guarded is None:
            return getattr(self._re, how)(text, pos, end)
        if self.off:
            return None
        limit = min(CALL_SECONDS, RUN_SECONDS - self._spent)
        t0 = time.perf_counter()
        try:
            return getattr(self._guarded, how)(text, pos, end, timeout=max(limit, 0.001))
        except TimeoutError:
            self.problem = (f"{self.where + ': ' if self.where else ''}pattern {self.source!r} took more than "
                            f"{CALL_SECONDS:g} s on one text (or {RUN_SECONDS:g} s in all): switched off for this run")
            return None
        finally:
            self._spent += time.perf_counter() - t0
            if self._spent > RUN_SECONDS and self.problem is None:
                self.problem = (f"{self.where + ': ' if self.where else ''}pattern {self.source!r} took more than "
                                f"{RUN_SECONDS:g} s in all: switched off for this run")
