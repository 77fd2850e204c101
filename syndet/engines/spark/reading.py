"""Read the input on Spark: every record parsed by the local engine's own code, then numbered.

Files are listed and parsed in :mod:`syndet.engines.spark.inputs`; this module builds the jobs:
one pass parses the records (JSON Lines through ``spark.read.text`` with each line's file and
block, text files whole, Parquet per file with its columns chosen as the local reader chooses
them), one gathers the warnings, and the articles are numbered in input order without moving
their text: only ids travel to find repeated ones, and each block's first number comes from a
count per block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from syndet.engines.spark import tasks
from syndet.engines.spark.inputs import (
    RECORD_SCHEMA,
    InputFile,
    jsonl_records,
    list_inputs,
    numbered,
    parquet_records,
    text_records,
)
from syndet.engines.spark.session import cause_line
from syndet.errors import InputError
from syndet.read.tables import resolve_columns
from syndet.settings import InputSettings

Warn = Callable[[str], None]


def read_articles(spark: Any, roots: Sequence[str], settings: InputSettings, warn: Warn) -> tuple[Any, list[str]]:
    """The articles table (``k`` and the article's fields) and the warnings of reading, in order."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    files = list_inputs(spark, roots, settings, warn)
    parts = []
    jsonl = [f for f in files if f.fmt == "jsonl"]
    if jsonl:
        text = spark.read.text([f.uri for f in jsonl]).select(
            "value", F.col("_metadata.file_path").alias("uri"), F.col("_metadata.file_block_start").alias("block"))
        first = _first_lines(text)
        parts.append(text.mapInArrow(partial(jsonl_records, files=files, first_lines=first,
                                             max_line_mb=settings.max_file_mb), RECORD_SCHEMA))
    texts = [f for f in files if f.fmt == "text"]
    limit = int(settings.max_file_mb * 1024 * 1024)
    for f in texts:
        if f.size > limit:
            warn(f"{f.name}: larger than input.max_file_mb ({settings.max_file_mb:g} MB), skipped")
    texts = [f for f in texts if f.size <= limit]
    if texts:
        raw = spark.read.format("binaryFile").load([f.uri for f in texts]).select("path", "content")
        parts.append(raw.mapInArrow(partial(text_records, files=files, settings=settings), RECORD_SCHEMA))
    tables: set[int] = set()  # the Parquet files read (their columns found)
    for n, f in enumerate(files):
        if f.fmt == "parquet":
            part = _parquet(spark, f, n, settings, warn)
            if part is not None:
                parts.append(part)
                tables.add(n)
    if not parts:
        raise InputError("no JSON Lines, Parquet or text files to read under " + ", ".join(roots))
    records = parts[0]
    for part in parts[1:]:
        records = records.unionByName(part)
    records = records.persist()
    problems = [(r.file, r.line, r.warning) for r in records.where(F.col("warning").isNotNull())
                .select("file", "line", "warning").collect()]
    # A file that gave no article is reported after its other warnings, as the local readers do:
    # a JSON Lines file when nothing in it was a problem either, a table in any case.
    tally = {r.file: (r.articles, r.rows) for r in records.groupBy("file").agg(
        F.count("id").alias("articles"), F.count("*").alias("rows")).collect()}
    for n, f in enumerate(files):
        articles_in, rows_in = tally.get(n, (0, 0))
        if f.fmt == "jsonl" and rows_in == 0:
            problems.append((n, 1 << 62, f"{f.name}: no articles in file"))
        elif f.fmt == "parquet" and n in tables and articles_in == 0:
            problems.append((n, 1 << 62, f"{f.name}: no articles in table"))
    found = records.where(F.col("id").isNotNull())
    # Only the keys move: the first record of an id wins, the others are reported and dropped.
    ranked = found.select("id", "file", "block", "line", "path").withColumn(
        "_rank", F.row_number().over(Window.partitionBy("id").orderBy("file", "line")))
    dups = ranked.where(F.col("_rank") > 1).select("file", "block", "line", "path", "id").collect()
    problems += [(r.file, r.line, f"{r.path}: duplicate article id '{r.id}', skipped") for r in dups]
    problems.sort(key=lambda p: (p[0], p[1]))
    per_block = {(r.file, r.block): r["count"] for r in found.groupBy("file", "block").count().collect()}
    for r in dups:
        per_block[(r.file, r.block)] -= 1
    starts, total = {}, 0
    for key in sorted(per_block):
        starts[key] = total
        total += per_block[key]
    articles = found.mapInArrow(
        partial(numbered, starts=starts, dropped=frozenset((r.file, r.line) for r in dups)),
        tasks.ARTICLE_SCHEMA).persist()
    articles.count()
    records.unpersist()
    return articles, [p[2] for p in problems]


def _first_lines(text: Any) -> dict[tuple[str, int], int]:
    """The number of the first line of each block Spark cuts the files into (a file of a few
    megabytes is cut too, to give every core a share)."""
    counts = sorted((r.uri, r.block, r["count"]) for r in text.groupBy("uri", "block").count().collect())
    first: dict[tuple[str, int], int] = {}
    line, current = 1, None
    for uri, block, count in counts:
        if uri != current:
            line, current = 1, uri
        first[(uri, block)] = line
        line += count
    return first


def _parquet(spark: Any, file: InputFile, file_no: int, settings: InputSettings, warn: Warn) -> Any:
    from pyspark.sql import functions as F  # noqa: N812

    try:
        frame = spark.read.parquet(file.uri)
    except Exception as exc:  # Spark's AnalysisException family
        warn(f"{file.name}: not a readable Parquet file ({cause_line(exc)[:160]}), skipped")
        return None
    cols = resolve_columns(frame.columns, settings.columns)
    if isinstance(cols, str):
        warn(f"{file.name}: {cols}, skipped")
        return None
    picked = frame.select(*[F.col(f"`{c}`") for c in cols.names()],
                          F.col("_metadata.row_index").alias("__row"),
                          F.col("_metadata.file_block_start").alias("__block"))
    return picked.mapInArrow(partial(parquet_records, file=file, file_no=file_no, cols=cols), RECORD_SCHEMA)
