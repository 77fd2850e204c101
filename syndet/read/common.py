"""What every reader shares: the warning callback, safe byte reading, decoding and field cleaning.

Text is decoded as UTF-8 first (a BOM is honoured), then with the configured fallback encodings,
which is reported because offsets then refer to the re-decoded text.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Warn = Callable[[str], None]
_BINARY_SNIFF = 8192


class MissingExtra(Exception):
    """An optional library that a reader needs is not installed; the message says what to install."""


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


def read_bytes(path: Path, limit_mb: float, warn: Warn) -> bytes | None:
    """The file's bytes, or None (reported) when it is too large or cannot be read."""
    try:
        size = path.stat().st_size
        if size > limit_mb * 1024 * 1024:
            warn(f"{path}: {size / 1048576:.1f} MB is larger than input.max_file_mb ({limit_mb:g}), skipped")
            return None
        return path.read_bytes()
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return None


def opt_str(value: Any) -> str | None:
    """A metadata value as text (dates in ISO 8601), None when absent or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (at most 200 characters), for a one-line warning."""
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
