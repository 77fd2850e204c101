"""CSV report: one row per copy of a passage, for spreadsheets and quick filtering."""

from __future__ import annotations

import csv
import io

from syndet.report.common import copy_role
from syndet.result import ScanResult

COLUMNS = ("passage", "kind", "origin", "confidence", "source_article", "role", "article", "start", "end",
           "words", "coverage", "evidence", "text")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A text cell a spreadsheet will not run: one starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return gets a leading apostrophe (OWASP's advice against CSV formula injection)."""
    return "'" + value if value.startswith(_FORMULA) else value


def to_csv(result: ScanResult) -> str:
    """The passages as CSV with a header row (columns: :data:`COLUMNS`, documented in README).

    ``evidence`` lists the evidence kinds that decided the attribution, separated by ``;``. Text
    cells go through :func:`cell`.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for passage in result.passages:
        att = passage.attribution
        kinds = ";".join(dict.fromkeys(e.kind for e in att.evidence)) if att else ""
        for span in passage.spans:
            content = result.content_chars(span.article_id)
            writer.writerow([
                cell(passage.id),
                cell(att.kind) if att else "",
                cell(att.origin or "") if att else "",
                f"{att.confidence:.2f}" if att else "",
                cell(att.source_article or "") if att else "",
                copy_role(att, span.article_id) or "",
                cell(span.article_id),
                span.start,
                span.end,
                passage.words,
                f"{result.covered(span.article_id, [span]) / content:.4f}" if content else "0.0000",
                cell(kinds),
                cell(result.article(span.article_id).text[span.start:span.end]),
            ])
    return out.getvalue()
