"""Durations written as people write them for expiry windows: ``30d``, ``12h``, ``1w2d``, ``90m``."""

from __future__ import annotations

import re

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
