"""What every reader shares: the warning callback, safe byte reading, decoding and field cleaning.

Text is decoded as UTF-8 first (a BOM is honoured), then with the configured fallback encodings,
which is reported because offsets then refer to the re-decoded text.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from syndet.display import has_unsafe, lone_surrogates, printable
from syndet.models import Article

Warn = Callable[[str], None]
_BINARY_SNIFF = 8192


class MissingExtra(Exception):
    """An optional library that a reader needs is not installed; the message says what to install."""


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, path: Path | str, encodings: Iterable[str], warn: Warn) -> str | None:
    """Decode bytes as UTF-8 (or the encoding of a byte-order mark: UTF-8, UTF-16, UTF-32), then as
    UTF-16 or UTF-32 when the pattern of NUL bytes says so, then the fallbacks; None if binary.
    Every guess is warned, since offsets then refer to the re-decoded text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                warn(f"{path}: starts with a {codec.upper()} byte-order mark but is not {codec.upper()} "
                     f"(byte {exc.start}), skipped")
                return None
    if b"\x00" in data[:_BINARY_SNIFF]:
        wide = _wide_codec(data[:_BINARY_SNIFF])
        if wide is not None:
            try:
                text = data.decode(wide)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _looks_binary(text):
                warn(f"{path}: no byte-order mark, read as {wide.upper()} (guessed from its NUL bytes)")
                return text
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


def _wide_codec(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 (and its byte order) when NUL bytes sit where that encoding puts them in
    mostly-ASCII text, else None."""
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    zero = [sum(1 for i in range(k, n, 4) if sample[i] == 0) / (n // 4) for k in range(4)]
    if zero[1] > 0.95 and zero[2] > 0.95 and zero[3] > 0.95 and zero[0] < 0.5:
        return "utf-32-le"
    if zero[0] > 0.95 and zero[1] > 0.95 and zero[2] > 0.95 and zero[3] < 0.5:
        return "utf-32-be"
    if zero[1] > 0.6 and zero[3] > 0.6 and zero[0] < 0.3 and zero[2] < 0.3:
        return "utf-16-le"
    if zero[0] > 0.6 and zero[2] > 0.6 and zero[1] < 0.3 and zero[3] < 0.3:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    """Whether decoded text is mostly control or unassigned characters (a wrong guess of encoding)."""
    sample = text[:_BINARY_SNIFF]
    odd = sum(1 for ch in sample
              if ch not in "\t\n\r\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    return odd > max(2, len(sample) // 50)


def read_bytes(path: Path, limit_mb: float, warn: Warn) -> bytes | None:
    """The file's bytes, or None (reported) when it is not a regular file, is too large or cannot be
    read. The limit holds on the bytes actually read, whatever the file claims to be."""
    limit = int(limit_mb * 1024 * 1024)
    try:
        if not path.is_file():
            warn(f"{path}: not a regular file, skipped")
            return None
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return None
    if len(data) > limit:
        warn(f"{path}: larger than input.max_file_mb ({limit_mb:g} MB), skipped")
        return None
    return data


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


def one_line(value: Any) -> str | None:
    """A text field (a title, an author, a site name) with its white space folded to single
    spaces; None when it is not text or is empty."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (at most 200 characters), for a one-line warning."""
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


MAX_ID_CHARS = 1000
"""Longest article id accepted."""
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_article(article: Article, warn: Warn) -> Article | None:
    """The article made safe to store and print, or None (reported) when its id cannot be used.

    An id must be 1 to :data:`MAX_ID_CHARS` characters with no NUL and no lone surrogate; other
    control characters in it are written as escapes. In the text and the metadata a lone surrogate
    (which no UTF-8 output can hold) becomes U+FFFD, one character for one, so offsets stay exact.
    """
    where = printable(article.path or article.id)
    ident = article.id
    if not ident:
        warn(f"{where}: empty id, skipped")
        return None
    if len(ident) > MAX_ID_CHARS:
        warn(f"{where}: id of {len(ident):,} characters (at most {MAX_ID_CHARS:,}), skipped")
        return None
    if "\x00" in ident:
        warn(f"{where}: id holds a NUL character, skipped")
        return None
    if lone_surrogates(ident):
        warn(f"{where}: id holds a lone surrogate (not Unicode text), skipped")
        return None
    changes: dict[str, Any] = {}
    if has_unsafe(ident):
        changes["id"] = printable(ident)
    if article.path is not None and has_unsafe(article.path):
        changes["path"] = printable(article.path)
    if lone_surrogates(article.text):
        changes["text"] = _SURROGATE.sub("\ufffd", article.text)
        warn(f"{where}: text holds lone surrogates, replaced by U+FFFD")
    for name in ("title", "source", "published", "url", "author"):
        value = getattr(article, name)
        if value is not None and has_unsafe(value):
            changes[name] = printable(value)
    return dataclasses.replace(article, **changes) if changes else article
