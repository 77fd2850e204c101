"""``syndet scan --engine spark``: the local engine's stages as Spark jobs, with the same answers.

The stages and the functions they call are the local engine's (:mod:`syndet.engines.spark.tasks`
runs them on the executors); what changes is how the work is cut:

1. read: JSON Lines / Parquet records, numbered in the local engine's order (``k``);
2. segment: chrome learnt from the whole input (one aggregation), paragraphs per article;
3. hash: shingle hashes per article; MinHash bands per content paragraph;
4. candidates: band buckets grouped by Spark, pairs cut as the local index cuts them, verified
   per article pair; articles pairs that share enough shingles anywhere (posting lists with the
   document-frequency cut-off);
5. align: each candidate article pair, both articles joined in;
6. cluster and attribute: connected components of the aligned articles (large-star/small-star),
   then passages, attribution, pair figures and duplicate groups per component. Every step of
   those only ever relates articles that share text, so a component's answer is the whole
   input's answer restricted to it; passages are then numbered over all components.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from syndet.attribution.attribute import attribute
from syndet.attribution.evidence import Catalogue, load_catalogue
from syndet.detector import Detector
from syndet.display import printable
from syndet.engines.spark import tasks
from syndet.engines.spark.components import connected_components
from syndet.engines.spark.inputs import (
    RECORD_SCHEMA,
    InputFile,
    jsonl_records,
    list_inputs,
    numbered,
    parquet_records,
    text_records,
)
from syndet.engines.spark.session import job_error
from syndet.errors import EngineError, InputError, SyndetError
from syndet.match.candidates import MemoryIndex
from syndet.match.cluster import cluster_passages, passage_order
from syndet.match.pairs import duplicate_groups, pair_figures
from syndet.models import Alignment, Article, DuplicateGroup, Pair, Paragraph, Passage, Span
from syndet.read.tables import resolve_columns
from syndet.report.common import SCHEMA
from syndet.report.json import to_json
from syndet.result import ScanResult
from syndet.settings import Settings

Progress = Callable[[str, int, int], None]
Warn = Callable[[str], None]
PARTS_LAYOUT = "syndet.scan.parts/1"
"""The layout :meth:`SparkEngine.write_parts` writes (see the README)."""
_CATALOGUES: dict[tuple[str | None, tuple[str, ...]], Catalogue] = {}


def _catalogue(settings: Settings) -> Catalogue:
    """The evidence catalogue on an executor, read once per worker."""
    at = settings.attribute
    key = (at.catalogue, tuple(at.extra_catalogues))
    if key not in _CATALOGUES:
        _CATALOGUES[key] = load_catalogue(Path(at.catalogue) if at.catalogue else None,
                                          [Path(p) for p in at.extra_catalogues])
    return _CATALOGUES[key]


@dataclass(frozen=True)
class Component:
    """What one connected group of articles shares: its articles, alignments, passages (numbered
    inside the group, each with its global sort key), pairs and duplicate groups."""

    articles: tuple[Article, ...]
    paragraphs: dict[str, tuple[Paragraph, ...]]
    alignments: tuple[Alignment, ...]
    passages: tuple[tuple[tuple[Any, ...], Passage], ...]
    pairs: tuple[Pair, ...]
    duplicates: tuple[DuplicateGroup, ...]
    order: dict[str, int]

    def light(self) -> Component:
        """The component without its articles (the driver has them already)."""
        return Component((), {}, self.alignments, self.passages, self.pairs, self.duplicates, self.order)

    def result(self, numbers: dict[int, int] | None = None) -> ScanResult:
        """The component as a scan result, its passages numbered as ``numbers`` says (their place
        in the group -> their number in the whole scan; the group's own numbers without it)."""
        passages = tuple(Passage(f"P{numbers[n] if numbers else n + 1}", p.spans, p.words, p.attribution)
                         for n, (_, p) in enumerate(self.passages))
        return ScanResult(self.articles, self.paragraphs, passages, self.alignments, pairs=self.pairs,
                          duplicates=self.duplicates)


def _component(item: tuple[int, tuple[Iterable[Any], Iterable[Any]]], settings: Settings) -> tuple[int, Component]:
    """Passages (with their sort keys), pairs and duplicate groups of one connected component."""
    comp, (aligned_rows, article_rows) = item
    rows = sorted((r.asDict() for r in article_rows), key=lambda r: r["k"])
    articles = [tasks.article_of(r) for r in rows]
    paragraphs = {a.id: tasks.unpack_paragraphs(a.id, r["paras"]) for a, r in zip(articles, rows, strict=True)}
    ident = {r["k"]: a.id for a, r in zip(articles, rows, strict=True)}
    order = {a.id: r["k"] for a, r in zip(articles, rows, strict=True)}
    keys: list[tuple[int, int, int]] = []
    alignments: list[Alignment] = []
    words: dict[str, int] = {}
    for r in sorted(aligned_rows, key=lambda r: (r.ka, r.kb, r.n)):
        keys.append((r.ka, r.kb, r.n))
        a, b = ident[r.ka], ident[r.kb]
        alignments.append(Alignment(Span(a, r.left_start, r.left_end), Span(b, r.right_start, r.right_end),
                                    r.words, r.left_words, r.right_words))
        words[a], words[b] = r.wa, r.wb
    st = settings
    found = cluster_passages(alignments, st.verify.min_merge_overlap, order)
    ranked = sorted(((p, passage_order(p, keys[first])) for p, first in found), key=lambda pk: pk[1])
    passages = [Passage(f"P{n}", p.spans, p.words) for n, (p, _) in enumerate(ranked, 1)]
    done = attribute(passages, articles, paragraphs, _catalogue(settings), st.attribute)
    figures = pair_figures(alignments, words, order)
    groups = duplicate_groups(figures, st.verify.duplicate_at, order)
    return comp, Component(tuple(articles), paragraphs, tuple(alignments),
                           tuple((key, p) for p, (_, key) in zip(done, ranked, strict=True)),
                           tuple(figures), tuple(groups), order)


@contextmanager
def _spark_errors() -> Iterator[None]:
    """Spark's and py4j's exceptions as one :class:`EngineError` line."""
    try:
        yield
    except SyndetError:
        raise
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in ("py4j", "pyspark"):
            raise job_error(exc) from None
        raise


def _records(item: tuple[int, tuple[Component, dict[int, int] | None]]) -> list[tuple[str, Any, str]]:
    """``(kind, sort key, JSON line)`` of a component's articles, passages, pairs and duplicates."""
    _, (component, numbers) = item
    data = to_json(component.result(numbers or {}))
    order = component.order
    out: list[tuple[str, Any, str]] = []
    for record in data["articles"]:
        out.append(("articles", order[record["id"]], json.dumps(record, ensure_ascii=False)))
    for record in data["passages"]:
        out.append(("passages", int(record["id"][1:]), json.dumps(record, ensure_ascii=False)))
    for record in data["pairs"]:
        a, b = record["articles"]
        out.append(("pairs", (-record["words"], order[a], order[b]), json.dumps(record, ensure_ascii=False)))
    for record in data["duplicates"]:
        out.append(("duplicates", order[record["articles"][0]], json.dumps(record, ensure_ascii=False)))
    return out


def _lone_article(row: dict[str, Any]) -> tuple[str, Any, str]:
    """The article record of an article that shares nothing."""
    article = tasks.article_of(row)
    result = ScanResult((article,), {article.id: tasks.unpack_paragraphs(article.id, row["paras"])}, (), ())
    return "articles", row["k"], json.dumps(to_json(result)["articles"][0], ensure_ascii=False)


@dataclass
class _Run:
    """A scan run up to its components: what :meth:`SparkEngine.scan_paths` gathers and
    :meth:`SparkEngine.write_parts` writes."""

    segmented: Any
    components: Any
    warnings: list[str]
    timings: dict[str, float]
    counts: dict[str, int]
    articles: int
    persisted: list[Any]

    def stats(self, passages: int, duplicates: int) -> dict[str, float]:
        """The report's stats, in the local engine's order."""
        return {"articles": self.articles, **self.counts, "passages": passages, **self.timings,
                "duplicate_groups": duplicates}

    def release(self) -> None:
        """Drop what the stages kept in memory or on local disk."""
        for frame in self.persisted:
            frame.unpersist()


class SparkEngine:
    """Scans articles with Spark.

    Args:
        spark: The Spark session (see :func:`syndet.engines.spark.session.spark_session`).
        settings: Effective settings, as for the local engine.
    """

    def __init__(self, spark: Any, settings: Settings | None = None) -> None:
        self.spark = spark
        self.settings = settings or Settings()
        self._detector = Detector(self.settings)  # checks the chrome patterns now, not on an executor

    def scan_paths(self, roots: Sequence[str | Path], progress: Progress | None = None,
                   warn: Warn | None = None) -> ScanResult:
        """Read every article under ``roots`` (paths or URIs Spark reads) and scan them; the same
        :class:`~syndet.result.ScanResult` as :meth:`syndet.detector.Detector.scan_paths`, gathered
        on the driver (for inputs that fit in its memory; see :meth:`write_parts` for the others)."""
        with _spark_errors():
            run = self._run(roots, progress, warn)
            t0 = time.perf_counter()
            found = [c for _, c in run.components.map(lambda kc: (kc[0], kc[1].light())).collect()]
            rows = sorted(run.segmented.collect(), key=lambda r: r["k"])
            run.timings["collect_s"] = time.perf_counter() - t0
            run.release()
        articles: list[Article] = []
        paragraphs: dict[str, tuple[Paragraph, ...]] = {}
        for row in rows:
            data = row.asDict()
            article = tasks.article_of(data)
            articles.append(article)
            paragraphs[article.id] = tasks.unpack_paragraphs(article.id, data["paras"])
        alignments = tuple(al for _, al in sorted(
            ((c.order[al.left.article_id], c.order[al.right.article_id], n), al)
            for c in found for n, al in enumerate(c.alignments)))
        ranked = sorted((key, p) for c in found for key, p in c.passages)
        passages = tuple(Passage(f"P{n}", p.spans, p.words, p.attribution) for n, (_, p) in enumerate(ranked, 1))
        pairs = tuple(f for _, f in sorted(((-f.words, c.order[f.articles[0]], c.order[f.articles[1]]), f)
                                           for c in found for f in c.pairs))
        duplicates = tuple(g for _, g in sorted((c.order[g.articles[0]], g) for c in found for g in c.duplicates))
        stats = run.stats(len(passages), len(duplicates))
        return ScanResult(tuple(articles), paragraphs, passages, alignments, tuple(run.warnings), stats, {},
                          pairs, duplicates)

    def write_parts(self, roots: Sequence[str | Path], out: str, fmt: str = "jsonl", progress: Progress | None = None,
                    warn: Warn | None = None) -> dict[str, Any]:
        """Scan as :meth:`scan_paths` does, but write the report as partitioned files under ``out``
        (any path Spark writes), never gathering it on the driver:

        - ``articles/``, ``passages/``, ``pairs/``, ``duplicates/``: one record per line (``jsonl``)
          or per row (``parquet``), shaped as in the JSON report, each folder sorted as the report
          lists them (articles in input order, passages by number, pairs most shared first);
        - ``scan/``: one record with the schema, the warnings and the stats.

        Returns:
            The ``scan`` record.

        Raises:
            EngineError: ``out`` exists already.
        """
        from pyspark.sql import functions as F  # noqa: N812

        jvm = self.spark.sparkContext._jvm
        target = jvm.org.apache.hadoop.fs.Path(out)
        if target.getFileSystem(self.spark.sparkContext._jsc.hadoopConfiguration()).exists(target):
            raise EngineError(f"{out}: already exists (choose a new folder for the report's parts)")
        with _spark_errors():
            run = self._run(roots, progress, warn)
            t0 = time.perf_counter()
            keys = run.components.flatMap(lambda kc: [(key, (kc[0], n)) for n, (key, _) in enumerate(kc[1].passages)])
            numbers = (keys.sortByKey().zipWithIndex().map(lambda t: (t[0][1][0], (t[0][1][1], t[1] + 1)))
                       .groupByKey().mapValues(dict))
            records = run.components.leftOuterJoin(numbers).flatMap(_records)
            alone = (run.segmented.where(F.col("component").isNull()).drop("component").rdd
                     .map(lambda r: _lone_article(r.asDict())))
            records = records.union(alone).persist()
            counts: dict[str, int] = {}
            for kind in ("articles", "passages", "pairs", "duplicates"):
                chosen = records.filter(lambda r, kind=kind: r[0] == kind)
                lines = chosen.map(lambda r: (r[1], r[2])).sortByKey().values()
                counts[kind] = self._write_lines(lines, f"{out.rstrip('/')}/{kind}", fmt)
            records.unpersist()
            run.release()
            run.timings["write_s"] = time.perf_counter() - t0
        scan = {"type": "scan", "schema": SCHEMA, "layout": PARTS_LAYOUT, "warnings": run.warnings,
                "stats": {k: (round(v, 4) if isinstance(v, float) else v)
                          for k, v in run.stats(counts["passages"], counts["duplicates"]).items()}}
        with _spark_errors():
            self._write_lines(self.spark.sparkContext.parallelize([json.dumps(scan, ensure_ascii=False)], 1),
                              f"{out.rstrip('/')}/scan", "jsonl")
        return scan

    def _write_lines(self, lines: Any, path: str, fmt: str) -> int:
        """Write an RDD of JSON lines as text parts, or as Parquet with the schema Spark infers."""
        frame = self.spark.createDataFrame(lines.map(lambda line: (line,)), "value string")
        if fmt == "parquet":
            from pyspark.sql import functions as F  # noqa: N812

            count = frame.count()
            if count:
                schema = self.spark.read.json(frame.rdd.map(lambda r: r.value)).schema
                frame.select(F.from_json("value", schema).alias("r")).select("r.*").write.parquet(path)
            else:
                frame.write.parquet(path)
            return int(count)
        frame.write.text(path)
        return int(self.spark.read.text(path).count())

    def _run(self, roots: Sequence[str | Path], progress: Progress | None, warn: Warn | None) -> _Run:
        """Every stage up to the components, which are left as a persisted RDD of
        ``(component, Component)``."""
        from pyspark import StorageLevel
        from pyspark.sql import functions as F  # noqa: N812

        report = progress or (lambda stage, done, total: None)
        st = self.settings
        catalogue = self._detector.catalogue  # a bad catalogue is one error before any job runs
        warnings: list[str] = []

        def _warn(message: str) -> None:
            message = printable(message)
            warnings.append(message)
            if warn:
                warn(message)

        timings: dict[str, float] = {}
        keep = StorageLevel.MEMORY_AND_DISK
        t0 = time.perf_counter()
        report("read", 0, 0)
        articles, problems = self._read([str(r) for r in roots], _warn)
        for message in problems:
            _warn(message)
        n_articles = articles.count()
        timings["read_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        report("segment", 0, n_articles)
        seg = st.segment
        learned: frozenset[str] = frozenset()
        if seg.learn_chrome and n_articles >= seg.learn_min_articles:
            keys = articles.mapInArrow(partial(tasks.chrome_keys, settings=st), "key string, k long")
            learned = frozenset(r.key for r in keys.groupBy("key").count()
                                .where(F.col("count") >= seg.learn_min_articles).collect())
        segmented = articles.mapInArrow(partial(tasks.segmented, settings=st, learned=learned),
                                        tasks.SEGMENTED_SCHEMA).persist(keep)
        paragraph_count = segmented.select(F.sum(F.length("paras") / 24).alias("p")).collect()[0]
        timings["segment_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        report("hash", 0, n_articles)
        hashed = segmented.select("k", "id", "text", "title", "source", "published", "url", "path", "author",
                                  "body_start", "paras").mapInArrow(partial(tasks.hashed, settings=st),
                                                                    tasks.HASHED_SCHEMA).persist(keep)
        content = hashed.select(F.sum(F.length("offsets") / 8 - 1).alias("c")).collect()[0]["c"] or 0
        timings["hash_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        report("candidates", 0, 0)
        index = MemoryIndex(st.lsh.threshold, st.minhash.num_perm, st.minhash.seed)
        bits = tasks.PARAGRAPH_BITS
        mask = (1 << bits) - 1
        schema = tasks.band_schema(index.hashranges)
        banded = hashed.mapInArrow(partial(tasks.bands, settings=st, hashranges=index.hashranges), schema)
        bucket = [c.split()[0] for c in schema.split(", ")][:-1]
        buckets = (banded.groupBy(*bucket).agg(F.sort_array(F.collect_list("pk")).alias("members"))
                   .where(F.size("members") >= 2).select("members"))
        pairs = (buckets.mapInArrow(partial(tasks.bucket_pairs, max_bucket=st.lsh.max_bucket), tasks.PAIR_SCHEMA)
                 .distinct()
                 .select(F.shiftright("a", bits).alias("ka"), F.shiftright("b", bits).alias("kb"),
                         (F.col("a").bitwiseAND(mask)).alias("ja"), (F.col("b").bitwiseAND(mask)).alias("jb"))
                 .where(F.col("ka") != F.col("kb")).persist(keep))
        candidates = pairs.count()
        grouped = pairs.groupBy("ka", "kb").agg(F.collect_list(F.struct("ja", "jb")).alias("js"))
        left = hashed.select(F.col("k").alias("ka"), F.col("flat").alias("fa"), F.col("offsets").alias("oa"))
        right = hashed.select(F.col("k").alias("kb"), F.col("flat").alias("fb"), F.col("offsets").alias("ob"))
        verified = (grouped.join(left, "ka").join(right, "kb")
                    .mapInArrow(partial(tasks.verified, settings=st), tasks.VERIFIED_SCHEMA)
                    .select("ka", "kb").persist(keep))
        linked = verified.select("ka", "kb", F.lit(False).alias("by_shingles"))
        if st.lsh.shingle_pairs:
            run_words = st.verify.min_passage_words + 3
            min_shared = max(1, run_words - st.shingle.size + 1)
            posted = (hashed.mapInArrow(tasks.postings, tasks.POSTING_SCHEMA)
                      .groupBy("h").agg(F.count("k").alias("df"), F.sort_array(F.collect_list("k")).alias("members"))
                      .where((F.col("df") >= 2) & (F.col("df") <= st.lsh.max_shingle_df)).select("members"))
            shared = (posted.mapInArrow(tasks.posting_pairs, tasks.PAIR_SCHEMA).groupBy("a", "b").count()
                      .where(F.col("count") >= min_shared)
                      .select(F.col("a").alias("ka"), F.col("b").alias("kb")))
            linked = linked.unionByName(shared.join(verified, ["ka", "kb"], "left_anti")
                                        .select("ka", "kb", F.lit(True).alias("by_shingles")))
        linked = linked.persist(keep)
        n_pairs = linked.count()
        pairs.unpersist()
        timings["lsh_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        report("align", 0, n_pairs)
        columns = ("id", "text", "title", "source", "published", "url", "path", "author", "body_start", "paras")
        side_a = segmented.select(F.col("k").alias("ka"), *[F.col(c).alias(f"a_{c}") for c in columns])
        side_b = segmented.select(F.col("k").alias("kb"), *[F.col(c).alias(f"b_{c}") for c in columns])
        aligned = (linked.join(side_a, "ka").join(side_b, "kb")
                   .mapInArrow(partial(tasks.aligned, settings=st), tasks.ALIGNED_SCHEMA).persist(keep))
        n_aligned = aligned.count()
        timings["align_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        report("attribute", 0, 0)
        components = self.spark.sparkContext.emptyRDD()
        if n_aligned:
            edges = aligned.select(F.col("ka").alias("u"), F.col("kb").alias("v"))
            comp = connected_components(edges, self.spark).persist(keep)
            by_comp = aligned.join(comp.select(F.col("node").alias("ka"), "component"), "ka")
            members = segmented.join(comp.select(F.col("node").alias("k"), "component"), "k")
            components = (by_comp.rdd.map(lambda r: (r.component, r))
                          .cogroup(members.rdd.map(lambda r: (r.component, r)))
                          .map(partial(_component, settings=st)).persist(keep))
            components.count()
            segmented = segmented.join(comp.select(F.col("node").alias("k"), "component"), "k", "left")
        else:
            segmented = segmented.withColumn("component", F.lit(None).cast("long"))
        timings["attribute_s"] = time.perf_counter() - t0
        problems = [p.problem for p in self._detector._chrome if p.problem] + catalogue.pattern_problems()
        counts = {"paragraphs": int(paragraph_count["p"] or 0), "content_paragraphs": int(content),
                  "candidate_pairs": candidates, "article_pairs": n_pairs}
        return _Run(segmented, components, warnings + problems, timings, counts, n_articles,
                    [hashed, verified, linked, aligned, articles])

    def _read(self, roots: Sequence[str], warn: Warn) -> tuple[Any, list[str]]:
        """The articles table (``k`` and the article's fields) and the warnings of reading, in order."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F  # noqa: N812

        st = self.settings.input
        files = list_inputs(self.spark, roots, st, warn)
        parts = []
        jsonl = [f for f in files if f.fmt == "jsonl"]
        if jsonl:
            text = self.spark.read.text([f.uri for f in jsonl]).select(
                "value", F.col("_metadata.file_path").alias("uri"), F.col("_metadata.file_block_start").alias("block"))
            first = self._first_lines(text)
            parts.append(text.mapInArrow(partial(jsonl_records, files=files, first_lines=first,
                                                 max_line_mb=st.max_file_mb), RECORD_SCHEMA))
        texts = [f for f in files if f.fmt == "text"]
        limit = int(st.max_file_mb * 1024 * 1024)
        for f in texts:
            if f.size > limit:
                warn(f"{f.name}: larger than input.max_file_mb ({st.max_file_mb:g} MB), skipped")
        texts = [f for f in texts if f.size <= limit]
        if texts:
            raw = self.spark.read.format("binaryFile").load([f.uri for f in texts]).select("path", "content")
            parts.append(raw.mapInArrow(partial(text_records, files=files, settings=st), RECORD_SCHEMA))
        for n, f in enumerate(files):
            if f.fmt == "parquet":
                part = self._parquet(f, n, warn)
                if part is not None:
                    parts.append(part)
        if not parts:
            raise InputError("no JSON Lines, Parquet or text files to read under " + ", ".join(roots))
        records = parts[0]
        for part in parts[1:]:
            records = records.unionByName(part)
        records = records.persist()
        problems = [(r.file, r.line, r.warning) for r in records.where(F.col("warning").isNotNull())
                    .select("file", "line", "warning").collect()]
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

    def _first_lines(self, text: Any) -> dict[tuple[str, int], int]:
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

    def _parquet(self, file: InputFile, file_no: int, warn: Warn) -> Any:
        from pyspark.sql import functions as F  # noqa: N812

        try:
            frame = self.spark.read.parquet(file.uri)
        except Exception as exc:  # Spark's AnalysisException family
            warn(f"{file.name}: not a readable Parquet file ({str(exc).splitlines()[0][:160]}), skipped")
            return None
        cols = resolve_columns(frame.columns, self.settings.input.columns)
        if isinstance(cols, str):
            warn(f"{file.name}: {cols}, skipped")
            return None
        picked = frame.select(*[F.col(f"`{c}`") for c in cols.names()],
                              F.col("_metadata.row_index").alias("__row"),
                              F.col("_metadata.file_block_start").alias("__block"))
        return picked.mapInArrow(partial(parquet_records, file=file, file_no=file_no, cols=cols), RECORD_SCHEMA)
