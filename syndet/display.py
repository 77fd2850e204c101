"""Untrusted text made safe to print and to store: file names, ids and addresses.

A file name can hold bytes that are not UTF-8 (they arrive as lone surrogates) or a line break
that would forge a line of output; an id from a JSON record can hold NUL or a lone surrogate; a
Redis URL can hold a password. Nothing of the kind reaches a terminal, a report or a message as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_PASSWORD_QUERY = re.compile(r"(?i)([?&](?:password|pass|pwd|auth|token)=)[^&#]*")
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#@]*)@")


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")


def printable(text: str) -> str:
    """``text`` with control characters, line separators and lone surrogates written as escapes
    (``\\n``, ``\\x1b``, ``\\xff`` for a byte of a non-UTF-8 file name), so it is one printable line."""
    return _UNSAFE.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """Whether :func:`printable` would change ``text``."""
    return _UNSAFE.search(text) is not None


def lone_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (it cannot be written as UTF-8)."""
    return re.search(r"[\ud800-\udfff]", text) is not None


def redact(url: str) -> str:
    """The URL with any password masked (in the user part or in the query), for messages; never fails,
    whatever the URL looks like."""
    def mask_userinfo(match: re.Match[str]) -> str:
        user, sep, _ = match.group(2).partition(":")
        return f"{match.group(1)}{user}{':***' if sep else ''}@"

    masked = _USERINFO.sub(mask_userinfo, url, count=1)
    return printable(_PASSWORD_QUERY.sub(lambda m: m.group(1) + "***", masked))


def warning_log(warn: Callable[[str], None] | None) -> tuple[list[str], Callable[[str], None]]:
    """A list that keeps a run's warnings, and the function that adds one: made printable, kept,
    and passed on to ``warn`` (the command line's printer) when there is one."""
    kept: list[str] = []

    def add(message: str) -> None:
        message = printable(message)
        kept.append(message)
        if warn:
            warn(message)

    return kept, add
