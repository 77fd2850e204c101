"""The terminal report: each passage with its copies, offsets, shares and evidence, then a summary."""

from __future__ import annotations

import textwrap
from typing import Any

from syndet.report.common import origins_text, pair_summary, passage_record
from syndet.result import ScanResult

_KIND_COLOURS = {"agency": "green", "press_release": "magenta", "quote": "blue", "republished": "red",
                 "unknown": "white"}


def _style(text: str, color: bool, **kw: Any) -> str:
    if not color:
        return text
    import click  # only the terminal report needs it

    return click.style(text, **kw)


def render_text(result: ScanResult, color: bool = False, full: bool = False, width: int = 100) -> str:
    """A readable report: each passage with its copies, offsets and shares, then a summary."""
    lines: list[str] = []
    n_art = len(result.articles)
    lines.append(_style(f"syndet scan: {n_art} articles, {len(result.passages)} shared passages", color,
                        bold=True))
    for passage in result.passages:
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
    pairs = pair_summary(result)
    if pairs:
        lines.append("")
        lines.append(_style("Article pairs", color, bold=True))
        for pair in pairs:
            a, b = pair["articles"]
            lines.append(f"  {a} ~ {b}: {len(pair['passages'])} passages, {pair['words']} words")
    shared = [a for a in result.articles if result.shared_chars(a.id)]
    if shared:
        lines.append("")
        lines.append(_style("Share of each article found elsewhere", color, bold=True))
        for article in shared:
            origins = origins_text(result, article.id)
            lines.append(f"  {article.id}: {result.shared_fraction(article.id):.0%}"
                         + (f" (syndicated: {origins})" if origins else ""))
    if result.warnings:
        lines.append("")
        lines.append(_style(f"{len(result.warnings)} input problems (see warnings above)", color, fg="yellow"))
    return "\n".join(lines) + "\n"
