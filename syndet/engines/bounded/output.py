"""The JSON and JSON Lines reports of a bounded-memory scan, written from its sorted runs.

The files are the same, line for line, as :func:`syndet.report.json.write_json` and
:func:`~syndet.report.json.write_jsonl` write for the same scan held in memory: records come
from the same functions, merged in the order the report lists them, and passages are numbered
over the whole scan as they are merged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np

from syndet.engines.bounded.runs import Runs
from syndet.report.common import SCHEMA

_PREFIX = '{"id": "P'


class Numbers:
    """Each passage's number in the whole scan, by batch and number inside the batch."""

    def __init__(self, runs: Runs, counts: dict[int, int]) -> None:
        self._of = {batch: np.zeros(count, dtype=np.int64) for batch, count in counts.items()}
        for n, (_, batch, local) in enumerate(runs.merged("passage-keys"), 1):
            self._of[batch][int(local) - 1] = n

    def passage(self, batch: int, payload: str) -> str:
        """A passage record with its number in the whole scan."""
        if not payload.startswith(_PREFIX):
            raise ValueError("a spilled passage record does not start with its id")
        cut = payload.index('"', len(_PREFIX))
        local = int(payload[len(_PREFIX):cut])
        return f"{_PREFIX}{self._of[batch][local - 1]}{payload[cut:]}"

    def pair(self, batch: int, payload: str) -> str:
        """A pair record naming its passages by their numbers in the whole scan."""
        record = json.loads(payload)
        record["passages"] = [f"P{self._of[batch][int(p[1:]) - 1]}" for p in record["passages"]]
        return json.dumps(record, ensure_ascii=False)


def _lines(runs: Runs, kind: str, numbers: Numbers) -> Iterator[str]:
    for _, batch, payload in runs.merged(kind):
        if kind == "passages":
            yield numbers.passage(batch, payload)
        elif kind == "pairs":
            yield numbers.pair(batch, payload)
        else:
            yield payload


def _rounded(stats: dict[str, float]) -> dict[str, float]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in stats.items()}


def write_json(out: TextIO, runs: Runs, numbers: Numbers, warnings: list[str], skipped: dict[str, int],
               stats: dict[str, float]) -> None:
    """The JSON report (as :func:`syndet.report.json.write_json` lays it out)."""
    items: list[tuple[str, Any]] = [("schema", SCHEMA)]
    items += [(kind, _lines(runs, kind, numbers)) for kind in ("articles", "passages", "pairs", "duplicates")]
    items.append(("warnings", iter(warnings)))
    if skipped:
        items.append(("skipped", dict(skipped)))
    items.append(("stats", _rounded(stats)))
    out.write("{\n")
    for n, (key, value) in enumerate(items):
        end = ",\n" if n + 1 < len(items) else "\n"
        if isinstance(value, Iterator):
            first = next(value, None)
            if first is None:
                out.write(f"  {json.dumps(key)}: []{end}")
                continue
            out.write(f"  {json.dumps(key)}: [\n")
            line = first
            for following in value:
                out.write(f"    {_json_item(key, line)},\n")
                line = following
            out.write(f"    {_json_item(key, line)}\n")
            out.write("  ]" + end)
        else:
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{end}")
    out.write("}\n")


def _json_item(key: str, line: str) -> str:
    return json.dumps(line, ensure_ascii=False) if key == "warnings" else line


def write_jsonl(out: TextIO, runs: Runs, numbers: Numbers, warnings: list[str], stats: dict[str, float]) -> None:
    """The JSON Lines report (as :func:`syndet.report.json.write_jsonl` writes it)."""
    scan = {"type": "scan", "schema": SCHEMA, "warnings": warnings, "stats": _rounded(stats)}
    out.write(json.dumps(scan, ensure_ascii=False) + "\n")
    for kind, label in (("articles", "article"), ("pairs", "pair"), ("duplicates", "duplicates"),
                        ("passages", "passage")):
        head = f'{{"type": "{label}", '
        for line in _lines(runs, kind, numbers):
            out.write(head + line[1:] + "\n")
