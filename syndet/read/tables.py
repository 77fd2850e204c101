"""Tables of articles: CSV and TSV files with a header row, and Parquet files (read in batches).

Which column holds what comes from ``input.columns`` (``--text-column`` and the like); a column
not named there is guessed from common names (``text``/``body``/``content``, ``id``, ``title``/
``headline``, ``source``/``outlet``, ``published``/``date``, ``url``/``link``). A named column that
the table lacks, or a table with no text column to guess, is one warning naming the columns it has.
A row without an id gets ``<file>#<row>``; a cell holding HTML is turned into text.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syndet.models import Article
from syndet.read.common import MissingExtra, Warn, first_line, opt_str
from syndet.read.markup import html_to_text, looks_like_markup
from syndet.settings import ColumnSettings, InputSettings

CSV_SUFFIXES = (".csv", ".tsv", ".tab")
PARQUET_SUFFIXES = (".parquet", ".pq")
_BATCH_ROWS = 1024

GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "full_text", "fulltext", "story", "maintext"),
    "id": ("id", "article_id", "doc_id", "docid", "document_id", "guid", "uuid", "uid", "key"),
    "title": ("title", "headline", "heading"),
    "source": ("source", "outlet", "publisher", "site", "sitename", "site_name", "domain", "media", "newspaper"),
    "published": ("published", "date", "published_at", "publish_date", "pub_date", "publication_date",
                  "datetime", "timestamp", "date_publish", "time"),
    "url": ("url", "link", "canonical_url", "uri", "href"),
}
FIELDS = tuple(GUESSES)


@dataclass(frozen=True)
class Columns:
    """The column that holds each field (``None``: the table has no such column)."""

    text: str
    id: str | None
    title: str | None
    source: str | None
    published: str | None
    url: str | None

    def names(self) -> list[str]:
        """The columns to read, without repeats."""
        return list(dict.fromkeys(c for c in (self.text, self.id, self.title, self.source, self.published,
                                              self.url) if c))


def resolve_columns(header: Sequence[str], wanted: ColumnSettings) -> Columns | str:
    """Match the configured and guessed columns against a header; a message when that fails.

    Matching ignores case and surrounding spaces. A configured column must exist; a guessed one is
    used when present.
    """
    exact = {h: h for h in header}
    folded = {h.strip().lower(): h for h in header}
    chosen: dict[str, str | None] = {}
    for name in FIELDS:
        configured = getattr(wanted, name)
        if configured:
            hit = exact.get(configured) or folded.get(configured.strip().lower())
            if hit is None:
                return f"no column '{configured}' (input.columns.{name}); columns: {_list(header)}"
            chosen[name] = hit
            continue
        chosen[name] = next((folded[g] for g in GUESSES[name] if g in folded), None)
    text = chosen.pop("text")
    if text is None:
        return f"no text column found (name it with --text-column); columns: {_list(header)}"
    return Columns(text=text, **chosen)


def article_from_row(row: Mapping[str, Any], cols: Columns, rel: str, rowno: int, where: str,
                     warn: Warn) -> Article | None:
    """One table row as an article, or None (reported) when its text is missing or empty."""
    text = row.get(cols.text)
    if text is None or not isinstance(text, str):
        warn(f"{where}: no text in column '{cols.text}', row skipped")
        return None
    if looks_like_markup(text):
        text = html_to_text(text)
    if not text.strip():
        warn(f"{where}: empty text in column '{cols.text}', row skipped")
        return None
    ident = opt_str(row.get(cols.id)) if cols.id else None
    return Article(
        id=ident or f"{rel}#{rowno}",
        text=text,
        title=opt_str(row.get(cols.title)) if cols.title else None,
        source=opt_str(row.get(cols.source)) if cols.source else None,
        published=opt_str(row.get(cols.published)) if cols.published else None,
        url=opt_str(row.get(cols.url)) if cols.url else None,
        path=where,
    )


def read_delimited(path: Path, rel: str, settings: InputSettings, warn: Warn) -> Iterator[Article]:
    """Every article in a CSV or TSV file (``.tsv``/``.tab`` are tab-separated), streamed."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        warn(f"{path}: cannot read: {exc.strerror or exc}")
        return
    csv.field_size_limit(min(sys.maxsize, int(settings.max_file_mb * 1024 * 1024)))
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    count = 0
    with handle, io.TextIOWrapper(handle, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader, None)
            if header is None:
                warn(f"{path}: empty table, skipped")
                return
            cols = resolve_columns(header, settings.columns)
            if isinstance(cols, str):
                warn(f"{path}: {cols}, skipped")
                return
            for rowno, values in enumerate(reader, 1):
                if not any(v.strip() for v in values):
                    continue
                row = dict(zip(header, values, strict=False))
                article = article_from_row(row, cols, rel, rowno, f"{path}:{reader.line_num}", warn)
                if article is not None:
                    count += 1
                    yield article
        except UnicodeDecodeError as exc:
            warn(f"{path}:{reader.line_num + 1}: not valid UTF-8 (byte {exc.start} of a block), rest of table skipped")
            return
        except csv.Error as exc:
            warn(f"{path}:{reader.line_num}: malformed table ({exc}), rest of table skipped")
            return
    if count == 0:
        warn(f"{path}: no articles in table")


def read_parquet(path: Path, rel: str, settings: InputSettings, warn: Warn) -> Iterator[Article]:
    """Every article in a Parquet file, read a batch of rows at a time (only the needed columns)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra("reading Parquet needs pyarrow: pip install 'syndet[parquet]'") from None
    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own ArrowInvalid / OSError family
        warn(f"{path}: not a readable Parquet file ({first_line(exc)}), skipped")
        return
    cols = resolve_columns(table.schema_arrow.names, settings.columns)
    if isinstance(cols, str):
        warn(f"{path}: {cols}, skipped")
        return
    rowno = count = 0
    try:
        for batch in table.iter_batches(batch_size=_BATCH_ROWS, columns=cols.names()):
            for row in batch.to_pylist():
                rowno += 1
                article = article_from_row(row, cols, rel, rowno, f"{path}:row {rowno}", warn)
                if article is not None:
                    count += 1
                    yield article
    except Exception as exc:  # a damaged row group: keep what was read
        warn(f"{path}: Parquet data unreadable after row {rowno} ({first_line(exc)}), rest skipped")
        return
    if count == 0:
        warn(f"{path}: no articles in table")


def _list(header: Sequence[str]) -> str:
    names = [repr(h) for h in header[:20]]
    return ", ".join(names) + (f" and {len(header) - 20} more" if len(header) > 20 else "") if names else "none"
