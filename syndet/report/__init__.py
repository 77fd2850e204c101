"""Reports of a scan: terminal text, JSON, JSON Lines, CSV and a self-contained HTML page.

Each format has its module; the record shapes they share are in :mod:`syndet.report.common`.
"""

from __future__ import annotations

from typing import TextIO

from syndet.report.common import ReportOptions
from syndet.result import ScanResult
from syndet.workers import gc_paused

FORMATS = ("text", "json", "jsonl", "csv", "html")
__all__ = ["FORMATS", "ReportOptions", "write_report"]


def write_report(result: ScanResult, fmt: str, out: TextIO, options: ReportOptions | None = None) -> None:
    """Write the report in ``fmt`` (one of :data:`FORMATS`) to ``out``.

    Raises:
        ValueError: An unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    with gc_paused():  # records are plain dicts and lists: the collector only slows building them
        _write(result, fmt, out, options or ReportOptions())


def _write(result: ScanResult, fmt: str, out: TextIO, opts: ReportOptions) -> None:
    if fmt == "json":
        from syndet.report.json import write_json

        write_json(result, out, with_text=opts.with_text)
    elif fmt == "jsonl":
        from syndet.report.json import write_jsonl

        write_jsonl(result, out, with_text=opts.with_text)
    elif fmt == "csv":
        from syndet.report.csv import to_csv

        out.write(to_csv(result))
    elif fmt == "html":
        from syndet.report.html import to_html

        out.write(to_html(result))
    elif fmt == "text":
        from syndet.report.text import render_text

        out.write(render_text(result, color=opts.color, full=opts.full, top=opts.top, summary=opts.summary))
