"""Articles for the Spark engine: JSON Lines and Parquet from any path Spark reads, in local order.

Files are listed through Hadoop's file system (local paths, ``hdfs://``, ``s3a://``, ...), chosen
with the same include and exclude globs as the local engine, and ordered as the local engine walks
a folder (a folder's own files by name, then its sub-folders by name). Each record is read by the
local engine's own record code, so ids, paths (``file:line``, ``file:row N``) and warnings are the
same; the article number ``k`` is the record's place in that order, and the first of two records
with one id wins, as it does locally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from syndet.errors import InputError
from syndet.models import Article
from syndet.read.common import clean_article
from syndet.read.files import TEXT_SUFFIXES, glob_regex
from syndet.read.jsonl import JSONL_SUFFIXES, article_from_line
from syndet.read.tables import PARQUET_SUFFIXES, Columns, article_from_row
from syndet.read.text import text_article
from syndet.settings import InputSettings

RECORD_SCHEMA = ("file int, block long, line long, id string, text string, title string, source string, "
                 "published string, url string, path string, author string, body_start int, warning string")
_FIELDS = ("id", "text", "title", "source", "published", "url", "path", "author")


@dataclass(frozen=True)
class InputFile:
    """One file to read: its URI for Spark, the name warnings and paths give it, its format."""

    uri: str
    name: str
    rel: str
    fmt: str
    size: int


def list_inputs(spark: Any, roots: Sequence[str], settings: InputSettings, warn: Callable[[str], None]
                ) -> list[InputFile]:
    """The JSON Lines and Parquet files under ``roots``, in the local engine's order.

    Raises:
        InputError: A root does not exist.
    """
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    include = [glob_regex(p) for p in settings.include]
    exclude = [glob_regex(p) for p in settings.exclude]
    out: list[InputFile] = []
    for root in roots:
        path = jvm.org.apache.hadoop.fs.Path(root)
        fs = path.getFileSystem(conf)
        if not fs.exists(path):
            raise InputError(f"{root}: no such file or directory")
        status = fs.getFileStatus(path)
        if status.isFile():
            found = [(status.getPath().toString(), root, root.rsplit("/", 1)[-1], status.getLen())]
        else:
            base = status.getPath().toString().rstrip("/") + "/"
            found = []
            it = fs.listFiles(path, True)
            while it.hasNext():
                item = it.next()
                uri = item.getPath().toString()
                rel = uri[len(base):] if uri.startswith(base) else item.getPath().getName()
                if any(r.match(rel) for r in include) and not any(r.match(rel) for r in exclude):
                    found.append((uri, root.rstrip("/") + "/" + rel, rel, item.getLen()))
            found.sort(key=lambda f: _walk_key(f[2]))
            if not found:
                warn(f"{root}: no files match input.include ({', '.join(settings.include)}) less input.exclude")
        for uri, name, rel, size in found:
            lower = name.lower()
            if lower.endswith(TEXT_SUFFIXES):
                out.append(InputFile(uri, name, rel, "text", size))
            elif lower.endswith(JSONL_SUFFIXES):
                out.append(InputFile(uri, name, rel, "jsonl", size))
            elif lower.endswith(PARQUET_SUFFIXES):
                out.append(InputFile(uri, name, rel, "parquet", size))
            else:
                warn(f"{name}: skipped: the Spark engine reads JSON Lines (.jsonl, .ndjson), Parquet (.parquet) "
                     "and text (.txt, .md)")
    return out


def _walk_key(rel: str) -> list[tuple[int, str]]:
    """Order of a path in a top-down walk with names sorted: a folder's files before its folders."""
    parts = rel.split("/")
    return [(1, d) for d in parts[:-1]] + [(0, parts[-1])]


Row = tuple[int, int, int, Article | None, str | None]
"""file number, block, line (or row) number, the article or None, a warning or None"""


def _record_batch(rows: list[Row]) -> pa.RecordBatch:
    cols: dict[str, list[Any]] = {"file": [], "block": [], "line": []}
    for name in (*_FIELDS, "body_start", "warning"):
        cols[name] = []
    for file_no, block, line, article, warning in rows:
        cols["file"].append(file_no)
        cols["block"].append(block)
        cols["line"].append(line)
        for name in _FIELDS:
            cols[name].append(getattr(article, name) if article else None)
        cols["body_start"].append(article.body_start if article else None)
        cols["warning"].append(warning)
    types = {"file": pa.int32(), "block": pa.int64(), "line": pa.int64(), "body_start": pa.int32()}
    return pa.RecordBatch.from_arrays([pa.array(v, types.get(k, pa.string())) for k, v in cols.items()],
                                      names=list(cols))


def _checked(article: Article | None, problems: list[str]) -> Article | None:
    return clean_article(article, problems.append) if article is not None else None


def jsonl_records(batches: Iterator[pa.RecordBatch], files: Sequence[InputFile],
                  first_lines: dict[tuple[str, int], int], max_line_mb: float) -> Iterator[pa.RecordBatch]:
    """Articles (or one warning each) from lines of ``spark.read.text`` with their file and block.

    Rows arrive in file order within a task and a block is never split between tasks, so a line's
    number is the first line of its block (``first_lines``, 1 when the file has one block) plus
    the lines before it in the block.
    """
    index = {f.uri: n for n, f in enumerate(files)}
    limit = int(max_line_mb * 1024 * 1024)
    current: tuple[str, int] | None = None
    line = 0
    for batch in batches:
        rows: list[Row] = []
        for value, uri, block in zip(*(batch.column(i).to_pylist() for i in range(3)), strict=True):
            if (uri, block) != current:
                current = (uri, block)
                line = first_lines.get(current, 1) - 1
            line += 1
            file_no = index[uri]
            if not value.strip():
                continue
            where = f"{files[file_no].name}:{line}"
            if line == 1 and value.startswith("\ufeff"):
                value = value[1:]
            raw = value.encode("utf-8", "surrogatepass")
            problems: list[str] = []
            if len(raw) > limit:
                problems.append(f"{where}: line larger than input.max_file_mb ({max_line_mb:g} MB), skipped")
                article = None
            else:
                article = _checked(article_from_line(raw, where, problems.append), problems)
            rows.extend((file_no, block, line, None, p) for p in problems)
            if article is not None:
                rows.append((file_no, block, line, article, None))
        yield _record_batch(rows)


def parquet_records(batches: Iterator[pa.RecordBatch], file: InputFile, file_no: int, cols: Columns
                    ) -> Iterator[pa.RecordBatch]:
    """Articles (or one warning each) from the rows of one Parquet file (``cols`` chosen from its
    columns), each with its ``__row`` index and ``__block``."""
    for batch in batches:
        rows: list[Row] = []
        for record in batch.to_pylist():
            rowno = int(record.pop("__row")) + 1
            block = int(record.pop("__block"))
            problems: list[str] = []
            article = _checked(article_from_row(record, cols, file.rel, rowno, f"{file.name}:row {rowno}",
                                                problems.append), problems)
            rows.extend((file_no, block, rowno, None, p) for p in problems)
            if article is not None:
                rows.append((file_no, block, rowno, article, None))
        yield _record_batch(rows)


def text_records(batches: Iterator[pa.RecordBatch], files: Sequence[InputFile], settings: InputSettings
                 ) -> Iterator[pa.RecordBatch]:
    """Articles (or warnings) from whole text files (``path``, ``content`` of Spark's binary reader)."""
    index = {f.uri: n for n, f in enumerate(files)}
    for batch in batches:
        rows: list[Row] = []
        for uri, content in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True):
            file_no = index[uri]
            file = files[file_no]
            problems: list[str] = []
            article = _checked(text_article(content, file.name, file.rel, settings, problems.append), problems)
            rows.extend((file_no, 0, 0, None, p) for p in problems)
            if article is not None:
                rows.append((file_no, 0, 0, article, None))
        yield _record_batch(rows)


def numbered(batches: Iterator[pa.RecordBatch], starts: dict[tuple[int, int], int], dropped: frozenset[tuple[int, int]]
             ) -> Iterator[pa.RecordBatch]:
    """The articles with their number ``k`` (their place in input order), the records at
    ``dropped`` (file, line) left out. Rows of one block arrive together and in order, so ``k`` is
    the number of the block's first article (``starts``) plus the articles before it in the block."""
    current: tuple[int, int] | None = None
    k = 0
    for batch in batches:
        files, blocks, lines = (batch.column(n).to_pylist() for n in range(3))
        keep: list[bool] = []
        ks: list[int] = []
        for file_no, block, line in zip(files, blocks, lines, strict=True):
            if (file_no, block) != current:
                current = (file_no, block)
                k = starts[current]
            if (file_no, line) in dropped:
                keep.append(False)
                continue
            keep.append(True)
            ks.append(k)
            k += 1
        kept = batch.filter(pa.array(keep, pa.bool_()))
        yield kept.drop_columns(["file", "block", "line", "warning"]).add_column(0, "k", pa.array(ks, pa.int64()))
