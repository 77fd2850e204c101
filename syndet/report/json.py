"""The report as JSON or JSON Lines (schema ``syndet.scan/1``, see README)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from syndet.report.common import SCHEMA, duplicate_records, origins_record, pair_summary, passage_record
from syndet.result import ScanResult, share


def to_json(result: ScanResult, with_text: bool = False) -> dict[str, Any]:
    """The whole result as plain JSON-ready data; ``with_text`` adds each article's text."""
    articles = []
    for article in result.articles:
        paras = result.paragraphs[article.id]
        content = result.content_chars(article.id)
        shared = result.shared_chars(article.id)
        articles.append({
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "source": article.source,
            "published": article.published,
            "url": article.url,
            "author": article.author,
            "chars": len(article.text),
            "content_chars": content,
            "shared_chars": shared,
            "shared_fraction": round(share(shared, content), 4),
            "paragraphs": len(paras),
            "chrome_paragraphs": sum(1 for p in paras if p.chrome),
            "origins": origins_record(result, article.id),
            **({"text": article.text} if with_text else {}),
        })
    return {
        "schema": SCHEMA,
        "articles": articles,
        "passages": [passage_record(result, p) for p in result.passages],
        "pairs": pair_summary(result),
        "duplicates": duplicate_records(result),
        "warnings": list(result.warnings),
        **({"skipped": dict(result.skipped)} if result.skipped else {}),
        "stats": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.stats.items()},
    }


def write_json(result: ScanResult, out: TextIO, with_text: bool = False) -> None:
    """Write :func:`to_json` to ``out``: one top-level key per line, and each article, passage,
    pair and duplicate group on a line of its own, piece by piece (a large report is never held as
    one string). Each record is encoded compact, by the json module's compiled encoder: indenting
    every level goes through its Python encoder, five times slower on a report of 100,000 articles."""
    items = list(to_json(result, with_text).items())
    out.write("{\n")
    for n, (key, value) in enumerate(items):
        end = ",\n" if n + 1 < len(items) else "\n"
        if isinstance(value, list) and value:
            out.write(f"  {json.dumps(key)}: [\n")
            last = len(value) - 1
            for k, record in enumerate(value):
                out.write(f"    {json.dumps(record, ensure_ascii=False)}{',' if k < last else ''}\n")
            out.write("  ]" + end)
        else:
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{end}")
    out.write("}\n")


def jsonl_rows(result: ScanResult, with_text: bool = False) -> Iterator[dict[str, Any]]:
    """The JSON Lines records: a ``scan`` record (schema, warnings, stats), then one ``article``
    record per article, one ``pair`` record per pair of articles sharing text and one ``passage``
    record per passage, each shaped as in :func:`to_json`."""
    data = to_json(result, with_text)
    yield {"type": "scan", "schema": data["schema"], "warnings": data["warnings"], "stats": data["stats"]}
    for record in data["articles"]:
        yield {"type": "article", **record}
    for record in data["pairs"]:
        yield {"type": "pair", **record}
    for record in data["duplicates"]:
        yield {"type": "duplicates", **record}
    for record in data["passages"]:
        yield {"type": "passage", **record}


def write_jsonl(result: ScanResult, out: TextIO, with_text: bool = False) -> None:
    """Write :func:`jsonl_rows` to ``out``, one line each."""
    for row in jsonl_rows(result, with_text):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def to_jsonl(result: ScanResult) -> str:
    """The JSON Lines report as one string."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in jsonl_rows(result))
