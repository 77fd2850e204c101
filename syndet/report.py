"""Turn a scan result into a terminal report, JSON or JSON Lines (schema ``syndet.scan/1``, see README)."""

from __future__ import annotations

import json
import textwrap
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from typing import Any, TextIO

from syndet.detector import ScanResult
from syndet.models import Attribution, Evidence, Passage

SCHEMA = "syndet.scan/1"


def passage_record(result: ScanResult, passage: Passage) -> dict[str, Any]:
    """JSON form of one passage: its copies with offsets, text and share of each article."""
    copies = []
    for span in passage.spans:
        content = result.content_chars(span.article_id)
        copies.append({
            "article": span.article_id,
            "start": span.start,
            "end": span.end,
            "text": result.article(span.article_id).text[span.start:span.end],
            "coverage": round(span.length / content, 4) if content else 0.0,
            "role": copy_role(passage.attribution, span.article_id),
        })
    return {
        "id": passage.id,
        "words": passage.words,
        "articles": list(passage.article_ids),
        "copies": copies,
        "attribution": attribution_record(passage.attribution),
    }


def copy_role(attribution: Attribution | None, article_id: str) -> str | None:
    """``source`` for the copy judged original, ``copy`` for the others, None when not told apart."""
    if attribution is None or attribution.source_article is None:
        return None
    return "source" if attribution.source_article == article_id else "copy"


def evidence_record(evidence: Evidence) -> dict[str, Any]:
    """JSON form of one piece of evidence."""
    return {
        "kind": evidence.kind,
        "article": evidence.article_id,
        "detail": evidence.detail,
        "start": evidence.span.start if evidence.span else None,
        "end": evidence.span.end if evidence.span else None,
        "agency": evidence.agency,
    }


def attribution_record(attribution: Attribution | None) -> dict[str, Any] | None:
    """JSON form of an attribution."""
    if attribution is None:
        return None
    return {
        "kind": attribution.kind,
        "origin": attribution.origin,
        "source_article": attribution.source_article,
        "confidence": attribution.confidence,
        "evidence": [evidence_record(e) for e in attribution.evidence],
    }


def origins_record(result: ScanResult, article_id: str) -> list[dict[str, Any]]:
    """Per article: the share of its content syndicated from each origin."""
    return [{"origin": origin, "fraction": round(share, 4)} for origin, share in result.origin_shares(article_id)]


def origins_text(result: ScanResult, article_id: str) -> str:
    """``62% AP, 10% Reuters``; empty when nothing in the article is syndicated."""
    return ", ".join(f"{share:.0%} {origin}" for origin, share in result.origin_shares(article_id))


def pair_summary(result: ScanResult) -> list[dict[str, Any]]:
    """Per pair of articles: the passages they share and the words in them."""
    pairs: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for passage in result.passages:
        for a, b in combinations(passage.article_ids, 2):
            pairs[(a, b)].append(passage)
    out: list[dict[str, Any]] = [
        {"articles": [a, b], "passages": [p.id for p in ps], "words": sum(p.words for p in ps)}
        for (a, b), ps in pairs.items()
    ]
    out.sort(key=lambda r: (-int(r["words"]), r["articles"]))
    return out


def to_json(result: ScanResult) -> dict[str, Any]:
    """The whole result as plain JSON-ready data."""
    articles = []
    for article in result.articles:
        paras = result.paragraphs[article.id]
        articles.append({
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "source": article.source,
            "published": article.published,
            "url": article.url,
            "chars": len(article.text),
            "content_chars": result.content_chars(article.id),
            "shared_chars": result.shared_chars(article.id),
            "shared_fraction": round(result.shared_fraction(article.id), 4),
            "paragraphs": len(paras),
            "chrome_paragraphs": sum(1 for p in paras if p.chrome),
            "origins": origins_record(result, article.id),
        })
    return {
        "schema": SCHEMA,
        "articles": articles,
        "passages": [passage_record(result, p) for p in result.passages],
        "pairs": pair_summary(result),
        "warnings": list(result.warnings),
        "stats": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.stats.items()},
    }


def write_json(result: ScanResult, out: TextIO) -> None:
    """Write :func:`to_json` to ``out`` as indented JSON, piece by piece (a large report is never
    held as one string)."""
    json.dump(to_json(result), out, ensure_ascii=False, indent=2)
    out.write("\n")


def jsonl_rows(result: ScanResult) -> Iterator[dict[str, Any]]:
    """The JSON Lines records: a ``scan`` record (schema, warnings, stats), then one ``article``
    record per article and one ``passage`` record per passage, each shaped as in :func:`to_json`."""
    data = to_json(result)
    yield {"type": "scan", "schema": data["schema"], "warnings": data["warnings"], "stats": data["stats"]}
    for record in data["articles"]:
        yield {"type": "article", **record}
    for record in data["passages"]:
        yield {"type": "passage", **record}


def write_jsonl(result: ScanResult, out: TextIO) -> None:
    """Write :func:`jsonl_rows` to ``out``, one line each."""
    for row in jsonl_rows(result):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_report(result: ScanResult, fmt: str, out: TextIO, color: bool = False, full: bool = False) -> None:
    """Write the report in ``fmt`` (``text``, ``json``, ``jsonl``, ``csv`` or ``html``) to ``out``.

    Raises:
        ValueError: An unknown format.
    """
    if fmt == "json":
        write_json(result, out)
    elif fmt == "jsonl":
        write_jsonl(result, out)
    elif fmt == "csv":
        from syndet.report_csv import to_csv

        out.write(to_csv(result))
    elif fmt == "html":
        from syndet.report_html import to_html

        out.write(to_html(result))
    elif fmt == "text":
        out.write(render_text(result, color=color, full=full))
    else:
        raise ValueError(f"unknown report format {fmt!r}")


def to_jsonl(result: ScanResult) -> str:
    """The JSON Lines report as one string."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in jsonl_rows(result))


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
