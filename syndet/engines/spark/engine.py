"""``syndet scan --engine spark``: the local engine's stages as Spark jobs, with the same answers.

The stages and the functions they call are the local engine's (:mod:`~syndet.engines.spark.tasks`
runs them on the executors); what changes is how the work is cut:

1. read: JSON Lines / Parquet records, numbered in the local engine's order (``k``);
2. segment: chrome learnt from the whole input (one aggregation), paragraphs per article;
3. hash: shingle hashes per article; MinHash bands per content paragraph;
4. candidates: band buckets grouped by Spark, pairs cut as the local index cuts them, verified
   per article pair; articles pairs that share enough shingles anywhere (posting lists with the
   document-frequency cut-off);
5. align: each candidate article pair, both articles joined in;
6. cluster and attribute: connected components of the aligned articles (large-star/small-star,
   :mod:`~syndet.engines.spark.components`), then passages, attribution, pair figures and
   duplicate groups per component (:mod:`~syndet.engines.spark.groups`); passages are then
   numbered over all components.

Reading is :mod:`~syndet.engines.spark.reading`; the session, :mod:`~syndet.engines.spark.session`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from pyspark.accumulators import AccumulatorParam

from syndet.detector import Detector
from syndet.display import warning_log
from syndet.engines.spark import groups, tasks
from syndet.engines.spark.components import connected_components
from syndet.engines.spark.reading import read_articles
from syndet.engines.spark.session import job_error
from syndet.errors import EngineError, SyndetError
from syndet.match.candidates import MemoryIndex
from syndet.models import Article, Paragraph
from syndet.report.common import SCHEMA
from syndet.result import ScanResult
from syndet.settings import Settings
from syndet.workers import gc_paused

Progress = Callable[[str, int, int], None]
Warn = Callable[[str], None]
PARTS_LAYOUT = "syndet.scan.parts/1"
"""The layout :meth:`SparkEngine.write_parts` writes (see the README)."""


class _SetParam(AccumulatorParam[set[Any]]):
    """A set that the workers add to (patterns switched off for their cost)."""

    def zero(self, value: set[Any]) -> set[Any]:
        return set()

    def addInPlace(self, a: set[Any], b: set[Any]) -> set[Any]:  # noqa: N802 (Spark's name)
        a |= b
        return a


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
            with gc_paused():  # the gathered rows are many small acyclic objects
                found = [c for _, c in run.components.map(lambda kc: (kc[0], kc[1].light())).collect()]
                rows = sorted(run.segmented.collect(), key=lambda r: r["k"])
            run.timings["collect_s"] = time.perf_counter() - t0
            run.release()
        with gc_paused():
            return self._result(run, found, rows)

    @staticmethod
    def _result(run: _Run, found: list[Any], rows: list[Any]) -> ScanResult:
        """The scan's result from the gathered components and article rows."""
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
        passages = tuple(replace(p, id=f"P{n}") for n, (_, p) in enumerate(ranked, 1))
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
            records = run.components.leftOuterJoin(numbers).flatMap(groups.records)
            alone = (run.segmented.where(F.col("component").isNull()).drop("component").rdd
                     .map(lambda r: groups.lone_article(r.asDict())))
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
        self._detector.catalogue  # noqa: B018 (a bad catalogue is one error before any job runs)
        warnings, _warn = warning_log(warn)
        timings: dict[str, float] = {}
        switched_off = self.spark.sparkContext.accumulator(set(), _SetParam())
        keep = StorageLevel.MEMORY_AND_DISK
        t0 = time.perf_counter()
        report("read", 0, 0)
        articles, problems = read_articles(self.spark, [str(r) for r in roots], st.input, _warn)
        for message in problems:
            _warn(message)
        n_articles = articles.count()
        timings["read_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        report("segment", 0, n_articles)
        seg = st.segment
        learned: frozenset[str] = frozenset()
        if seg.learn_chrome and n_articles >= seg.learn_min_articles:
            keys = articles.mapInArrow(partial(tasks.chrome_keys, settings=st, problems=switched_off),
                                      "key string, k long")
            learned = frozenset(r.key for r in keys.groupBy("key").count()
                                .where(F.col("count") >= seg.learn_min_articles).collect())
        segmented = articles.mapInArrow(partial(tasks.segmented, settings=st, learned=learned, problems=switched_off),
                                        tasks.SEGMENTED_SCHEMA).persist(keep)
        paragraph_count = segmented.select(
            F.sum(F.length("paras") / tasks.PACKED_PARAGRAPH_BYTES).alias("p")).collect()[0]
        timings["segment_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        report("hash", 0, n_articles)
        hashed = segmented.mapInArrow(partial(tasks.hashed, settings=st), tasks.HASHED_SCHEMA).persist(keep)
        content = hashed.select(F.sum(F.length("offsets") / tasks.OFFSET_BYTES - 1).alias("c")).collect()[0]["c"] or 0
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
        timings["bands_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        grouped = pairs.groupBy("ka", "kb").agg(F.collect_list(F.struct("ja", "jb")).alias("js"))
        left = hashed.select(F.col("k").alias("ka"), F.col("flat").alias("fa"), F.col("offsets").alias("oa"))
        right = hashed.select(F.col("k").alias("kb"), F.col("flat").alias("fb"), F.col("offsets").alias("ob"))
        verified = (grouped.join(left, "ka").join(right, "kb")
                    .mapInArrow(partial(tasks.verified, settings=st), tasks.VERIFIED_SCHEMA)
                    .select("ka", "kb").persist(keep))
        verified.count()
        timings["verify_s"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        linked = verified.select("ka", "kb", F.lit(False).alias("by_shingles"))
        if st.lsh.shingle_pairs:
            run_words = st.verify.min_passage_words + st.lsh.shingle_run_extra
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
        timings["postings_s"] = time.perf_counter() - t1
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
        persisted = [articles, segmented, hashed, verified, linked, aligned]
        if n_aligned:
            edges = aligned.select(F.col("ka").alias("u"), F.col("kb").alias("v"))
            comp = connected_components(edges).persist(keep)
            by_comp = aligned.join(comp.select(F.col("node").alias("ka"), "component"), "ka")
            members = segmented.join(comp.select(F.col("node").alias("k"), "component"), "k")
            components = (by_comp.rdd.map(lambda r: (r.component, r))
                          .cogroup(members.rdd.map(lambda r: (r.component, r)))
                          .map(partial(groups.group_of, settings=st, problems=switched_off)).persist(keep))
            components.count()
            persisted += [comp, components]
            segmented = segmented.join(comp.select(F.col("node").alias("k"), "component"), "k", "left")
        else:
            segmented = segmented.withColumn("component", F.lit(None).cast("long"))
        timings["attribute_s"] = time.perf_counter() - t0
        # Patterns switched off for their cost on the workers, each once, in the order of the lists.
        problems = list(dict.fromkeys(m for _, m in sorted(switched_off.value)))
        counts = {"paragraphs": int(paragraph_count["p"] or 0), "content_paragraphs": int(content),
                  "candidate_pairs": candidates, "article_pairs": n_pairs}
        return _Run(segmented, components, warnings + problems, timings, counts, n_articles, persisted)
