"""The terminal report: each passage with its copies, offsets, shares and evidence, then a summary."""

from __future__ import annotations

import textwrap
from typing import Any

from syndet.models import Passage
from syndet.report.common import kind_counts, origin_counts, origins_text, pair_summary, passage_record
from syndet.result import ScanResult

_KIND_COLOURS = {"agency": "green", "press_release": "magenta", "quote": "blue", "republished": "red",
                 "stock_phrase": "white", "unknown": "white"}


def _style(text: str, color: bool, **kw: Any) -> str:
    if not color:
        return text
    import click  # only the terminal report needs it

    return click.style(text, **kw)


def render_text(result: ScanResult, color: bool = False, full: bool = False, width: int = 100, top: int = 0,
                summary: bool = False) -> str:
    """A readable report: each passage with its copies, offsets and shares, then a summary.

    Args:
        result: What the scan found.
        color: Colour for a terminal.
        full: Whole passages, not excerpts.
        width: Wrap excerpts at this many columns.
        top: Only the ``top`` largest passages, pairs and articles (0: all of them).
        summary: The summary only: counts by kind and origin, then the largest pairs and articles.
    """
    lines: list[str] = []
    n_art = len(result.articles)
    lines.append(_style(f"syndet scan: {n_art} articles, {len(result.passages)} shared passages", color,
                        bold=True))
    limit = top if top > 0 else None
    if summary:
        limit = limit or 10
        lines.extend(_summary(result, color))
    else:
        shown = result.passages[:limit] if limit else result.passages
        for passage in shown:
            lines.extend(_passage_lines(result, passage, color, full, width))
        if len(shown) < len(result.passages):
            lines.append("")
            lines.append(_style(f"({len(result.passages) - len(shown)} smaller passages not shown; "
                                "--top 0 shows all)", color, dim=True))
    pairs = pair_summary(result)
    if pairs:
        lines.append("")
        lines.append(_style("Article pairs", color, bold=True))
        for pair in pairs[:limit] if limit else pairs:
            a, b = pair["articles"]
            share = ""
            if "containment" in pair:
                ca, cb = pair["containment"]
                share = f" ({ca:.0%} of {a}, {cb:.0%} of {b})"
            if pair.get("edit_ratio"):
                share += f", {pair['edit_ratio']:.0%} edited"
            lines.append(f"  {a} ~ {b}: {len(pair['passages'])} passages, {pair['words']} words{share}")
        if limit and len(pairs) > limit:
            lines.append(_style(f"  ... and {len(pairs) - limit} more pairs", color, dim=True))
    if result.duplicates:
        lines.append("")
        lines.append(_style("Duplicates (the same text)", color, bold=True))
        for group in result.duplicates:
            lines.append(f"  {' = '.join(group.articles)}  (similarity {group.similarity:.0%})")
    shared = sorted((a for a in result.articles if result.shared_chars(a.id)),
                    key=lambda a: -result.shared_fraction(a.id)) if limit else \
        [a for a in result.articles if result.shared_chars(a.id)]
    if shared:
        lines.append("")
        lines.append(_style("Share of each article found elsewhere", color, bold=True))
        for article in shared[:limit] if limit else shared:
            origins = origins_text(result, article.id)
            lines.append(f"  {article.id}: {result.shared_fraction(article.id):.0%}"
                         + (f" (syndicated: {origins})" if origins else ""))
        if limit and len(shared) > limit:
            lines.append(_style(f"  ... and {len(shared) - limit} more articles", color, dim=True))
    if result.warnings:
        lines.append("")
        lines.append(_style(f"{len(result.warnings)} input problems (see warnings above)", color, fg="yellow"))
    return "\n".join(lines) + "\n"


def _summary(result: ScanResult, color: bool) -> list[str]:
    sharing = sum(1 for a in result.articles if result.shared_chars(a.id))
    lines = ["", _style("Summary", color, bold=True),
             f"  articles sharing text: {sharing} of {len(result.articles)}"]
    kinds = kind_counts(result)
    if kinds:
        lines.append("  passages by kind: " + ", ".join(f"{k} {n}" for k, n in kinds))
    origins = origin_counts(result)
    if origins:
        lines.append("  passages by origin: " + ", ".join(f"{o} {n}" for o, n in origins[:10])
                     + (f", and {len(origins) - 10} more" if len(origins) > 10 else ""))
    return lines


def _passage_lines(result: ScanResult, passage: Passage, color: bool, full: bool, width: int) -> list[str]:
    lines: list[str] = []
    record = passage_record(result, passage)
    head = f"{passage.id}  {len(passage.article_ids)} articles  {passage.words} words"
    lines.append("")
    lines.append(_style(head, color, fg="cyan", bold=True))
    att = passage.attribution
    if att is not None:
        origin = f" {att.origin}" if att.origin else ""
        lines.append("  " + _style(f"{att.kind}{origin}", color, fg=_KIND_COLOURS.get(att.kind, "white"),
                                   bold=True) + f"  confidence {att.confidence:.2f}")
    for copy in record["copies"]:
        role = f"  ({copy['role']})" if copy["role"] else ""
        lines.append(f"  {copy['article']}  [{copy['start']}:{copy['end']}]  "
                     f"{copy['coverage']:.0%} of the article{role}")
    for ev in att.evidence if att is not None else ():
        lines.append(_style(f"  · {ev.kind}  {ev.article_id}: {ev.detail}", color, fg="yellow"))
    text = " ".join(record["copies"][0]["text"].split())
    if not full and len(text) > 320:
        text = text[:300].rsplit(" ", 1)[0] + " …"
    for row in textwrap.wrap(text, width=width - 4):
        lines.append(_style(f"    {row}", color, dim=True))
    return lines
