"""Durations and points in time as people and feeds write them: ``30d``, ``12h``, ``1w2d``, and ISO 8601
dates (``2022-01-10``, ``2022-01-10T09:30:00Z``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")


def parse_duration(text: str) -> float:
    """Seconds in a duration such as ``30d`` or ``1d12h`` (units s, m, h, d, w).

    Raises:
        ValueError: The text is not a positive duration in those units.
    """
    compact = text.strip().lower().replace(" ", "")
    pos, total = 0, 0.0
    while pos < len(compact):
        match = _PART.match(compact, pos)
        if match is None:
            break
        total += float(match.group(1)) * UNITS[match.group(2)]
        pos = match.end()
    if not compact or pos != len(compact):
        raise ValueError(f"'{text}' is not a duration (write e.g. 30d, 12h, 1w2d, 90m or 45s)")
    if total <= 0:
        raise ValueError(f"'{text}' is not a positive duration")
    return total


def parse_time(text: str | None) -> datetime | None:
    """A publication time in ISO 8601 (``Z`` or an offset; a date alone is midnight; no zone is
    UTC), or None when it is absent or not such a time."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
