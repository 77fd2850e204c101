"""How much memory a scan may use, and how the bounded-memory scan cuts its work to stay inside it."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from syndet.errors import ConfigError, SyndetError
from syndet.read.files import find_files
from syndet.settings import InputSettings

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
          "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")
MIN_BUDGET = 64 << 20
"""The smallest budget the scan accepts."""
IN_MEMORY_FACTOR = 10
"""Peak memory of the in-memory scan per byte of input (measured: 9.2 on 100,000 synthetic
articles read from JSON Lines); the scan spills to disk when this many times the input's size
exceeds the budget."""


def parse_size(text: str) -> int:
    """Bytes in ``4GB``, ``512MB``, ``1.5g`` or a plain number of bytes (units are powers of 1024).

    Raises:
        ConfigError: Not a size, or smaller than :data:`MIN_BUDGET`.
    """
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ConfigError(f"memory budget '{text}' is not a size (e.g. 4GB, 512MB)")
    size = int(float(match.group(1)) * _UNITS[unit])
    if size < MIN_BUDGET:
        raise ConfigError(f"memory budget '{text}' is below the smallest the scan works in (64MB)")
    return size


def input_bytes(paths: Iterable[Path], settings: InputSettings) -> int:
    """Bytes of the files a scan of ``paths`` reads (standard input and a missing path count as nothing)."""
    try:
        found = find_files(paths, settings)
    except SyndetError:
        return 0
    total = 0
    for _, path in found:
        if str(path) == "-":
            continue
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def fits_in_memory(paths: Iterable[Path], settings: InputSettings, budget: int) -> bool:
    """Whether the in-memory scan of ``paths`` should stay inside ``budget`` bytes."""
    return input_bytes(paths, settings) * IN_MEMORY_FACTOR <= budget


@dataclass(frozen=True)
class Plan:
    """How the bounded-memory scan cuts its work for a budget.

    Attributes:
        chunk_chars: Characters of article text read, segmented and hashed at a time.
        batch_chars: Characters of article text aligned, clustered and attributed at a time (whole
            connected groups of articles; a single group larger than this is taken alone).
        band_rows: Signature rows of one band sorted at a time.
        posting_rows: Shingle postings sorted at a time, and the article pairs made from them at a time.
        pair_rows: Candidate pairs verified at a time.
    """

    chunk_chars: int
    batch_chars: int
    band_rows: int
    posting_rows: int
    pair_rows: int

    @classmethod
    def for_budget(cls, budget: int) -> Plan:
        """The plan for ``budget`` bytes, from what each stage holds per unit of its work, with room
        to spare: about 24 bytes per character of text while hashing a chunk (articles, paragraph
        objects, shingles, signatures), 40 while aligning and attributing a batch (word streams,
        alignments, passages, their JSON records), 120 per band row sorted, 96 per shingle posting and
        4,000 per candidate pair verified (the shingles of both paragraphs, gathered and sorted)."""
        return cls(chunk_chars=max(1 << 16, budget // 24), batch_chars=max(1 << 16, budget // 40),
                   band_rows=max(1 << 12, budget // 120), posting_rows=max(1 << 12, budget // 96),
                   pair_rows=max(1 << 10, budget // 4000))

    @staticmethod
    def parts(rows: int, per_part: int) -> int:
        """How many parts (a power of two) ``rows`` rows are cut into for ``per_part`` rows each."""
        return 1 << max(0, math.ceil(math.log2(max(1, rows) / per_part))) if rows > per_part else 1
