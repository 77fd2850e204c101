"""The Spark engine gives the local engine's answers: the same articles, passages (offsets, kinds,
origins, sources, evidence), ids, pairs, duplicate groups and warnings, on ``local[2]``.

All tests share one Spark session (starting Spark costs seconds). They need pyspark (the ``spark``
extra, part of ``test``) and Java 17+ (``scripts/services/java.sh``); without them they fail.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from syndet.cli import main
from syndet.config import apply_overrides
from syndet.detector import Detector
from syndet.result import ScanResult
from syndet.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Any:
    from syndet.engines.spark.session import spark_session

    return spark_session("local[2]")


def _both(paths: list[Path], spark: Any, settings: Settings | None = None) -> tuple[ScanResult, ScanResult]:
    from syndet.engines.spark.engine import SparkEngine

    local = Detector(settings).scan_paths(paths)
    remote = SparkEngine(spark, settings).scan_paths([str(p) for p in paths])
    return local, remote


def _same(local: ScanResult, remote: ScanResult) -> None:
    assert remote.articles == local.articles
    assert remote.paragraphs == local.paragraphs
    assert remote.alignments == local.alignments
    assert remote.passages == local.passages  # spans, words, ids, attribution with its evidence
    assert remote.pairs == local.pairs
    assert remote.duplicates == local.duplicates
    assert remote.warnings == local.warnings
    counts = ("articles", "paragraphs", "content_paragraphs", "candidate_pairs", "article_pairs", "passages",
              "duplicate_groups")
    assert {k: remote.stats[k] for k in counts} == {k: local.stats[k] for k in counts}


def test_geneva_same_as_local(spark: Any, geneva: Path) -> None:
    local, remote = _both([geneva], spark)
    _same(local, remote)
    assert len(remote.passages) >= 8
    assert {p.attribution.origin for p in remote.passages if p.attribution} >= {"AP"}


def test_synthetic_corpus_same_as_local(spark: Any, tmp_path: Path) -> None:
    from benchmarks.synth import SynthConfig, write_corpus

    path = tmp_path / "news.jsonl"
    write_corpus(SynthConfig(articles=2000, seed=5), path)
    local, remote = _both([path], spark)
    _same(local, remote)
    # a corpus with every kind of reuse the generator makes, so the comparison covers them
    assert len(local.passages) > 200 and len(local.duplicates) > 50
    assert len({p.attribution.kind for p in local.passages if p.attribution}) >= 3


def test_a_file_is_read_in_four_parts_per_core_with_the_same_answer(spark: Any, tmp_path: Path) -> None:
    """Both cores get a share of one file to the end of a stage: it is cut into four parts per
    core (Spark does not cut below ``openCostInBytes``, lowered here for a small file), every part
    numbers its lines from where the one before ended, and the scan is the local one."""
    from benchmarks.synth import SynthConfig, write_corpus
    from syndet.engines.spark.reading import read_articles

    path = tmp_path / "news.jsonl"
    write_corpus(SynthConfig(articles=300, seed=3), path)
    path.write_text(path.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")  # a warning at the last line
    assert spark.conf.get("spark.sql.files.minPartitionNum") == str(4 * spark.sparkContext.defaultParallelism)
    spark.conf.set("spark.sql.files.openCostInBytes", "16384")
    try:
        articles, _ = read_articles(spark, [str(path)], Settings().input, lambda _: None)
        assert articles.rdd.getNumPartitions() >= 4 * spark.sparkContext.defaultParallelism
        articles.unpersist()
        local, remote = _both([path], spark)
    finally:
        spark.conf.unset("spark.sql.files.openCostInBytes")
    _same(local, remote)
    assert any(":301:" in w for w in remote.warnings)


def test_bad_lines_nested_folders_and_tables_same_as_local(spark: Any, geneva: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = sorted(geneva.glob("*.txt"))
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "z-first.txt").write_text(texts[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b" / "deeper" / "copy.md").write_text(texts[1].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a" / "empty.txt").write_text("  \n", encoding="utf-8")
    lines = ["\ufeff" + json.dumps({"id": "j1", "text": texts[2].read_text(encoding="utf-8"), "source": "AP"}),
             "{not json", "", json.dumps({"text": "no id"}), json.dumps({"id": "j1", "text": "same id again"}),
             json.dumps(["a list"]), json.dumps({"id": "j2", "text": texts[3].read_text(encoding="utf-8")})]
    (tmp_path / "a" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist([{"body": texts[4].read_text(encoding="utf-8"), "headline": "T"},
                                         {"body": "", "headline": "empty"},
                                         {"body": texts[0].read_text(encoding="utf-8"), "headline": "again"}]),
                   tmp_path / "b" / "table.parquet")
    (tmp_path / "b" / "notes.csv").write_text("text\nhello\n", encoding="utf-8")  # not read by Spark: excluded
    (tmp_path / "b" / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "b" / "blank.jsonl").write_text("\n  \n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist([{"body": " ", "headline": "blank"}]), tmp_path / "b" / "blank.parquet")
    settings = apply_overrides(Settings(), {"input.exclude": ["**/*.csv"]})
    local, remote = _both([tmp_path], spark, settings)
    _same(local, remote)
    assert [a.path for a in remote.articles][:2] == [f"{tmp_path}/z-first.txt", f"{tmp_path}/a/feed.jsonl:1"]
    assert any("duplicate article id 'j1'" in w for w in remote.warnings)
    assert any(w.startswith(f"{tmp_path}/a/feed.jsonl:2: invalid JSON") for w in remote.warnings)
    assert f"{tmp_path}/b/empty.jsonl: no articles in file" in remote.warnings
    assert f"{tmp_path}/b/blank.parquet: no articles in table" in remote.warnings
    assert remote.passages  # the parquet copy of the first text


def test_cli_spark_report_is_the_local_report(spark: Any, geneva: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    reports = {}
    for engine in ("local", "spark"):
        out = tmp_path / f"{engine}.json"
        args = ["scan", str(geneva), "--format", "json", "-o", str(out), "-q", "--engine", engine]
        if engine == "spark":
            args += ["--master", "local[2]"]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        reports[engine] = json.loads(out.read_text(encoding="utf-8"))
    for key in ("articles", "passages", "pairs", "duplicates", "warnings"):
        assert reports["spark"][key] == reports["local"][key]


def test_cli_master_needs_spark_engine(geneva: Path) -> None:
    result = CliRunner().invoke(main, ["scan", str(geneva), "--master", "local[2]"])
    assert result.exit_code == 2
    assert "--master, --spark-conf and --output-dir go with --engine spark" in result.output


def test_cli_missing_path_is_one_line(spark: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "nope"), "--engine", "spark", "-q"])
    assert result.exit_code == 3
    assert result.output.strip().endswith(f"{tmp_path / 'nope'}: no such file or directory")


def test_connected_components_match_union_find(spark: Any) -> None:
    from syndet.engines.spark.components import connected_components

    rng = random.Random(11)
    edges = [(rng.randrange(400), rng.randrange(400)) for _ in range(300)]
    edges += [(1000 + i, 1001 + i) for i in range(60)]  # a long chain: many rounds for label passing
    edges += [(2000, 2000 + i) for i in range(1, 50)]  # a star
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for u, v in edges:
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[max(ru, rv)] = min(ru, rv)
    nodes = {n for e in edges for n in e}
    expected = {n: min(m for m in nodes if find(m) == find(n)) for n in nodes}
    frame = spark.createDataFrame(edges, "u long, v long")
    got = {r.node: r.component for r in connected_components(frame).collect()}
    loops = {u for u, v in edges if u == v and all(u not in e or e == (u, u) for e in edges)}
    assert got == {n: c for n, c in expected.items() if n not in loops}


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_output_dir_parts_hold_the_report(spark: Any, geneva: Path, tmp_path: Path, fmt: str) -> None:
    runner = CliRunner()
    local = tmp_path / "local.json"
    assert runner.invoke(main, ["scan", str(geneva), "--format", "json", "-o", str(local), "-q"]).exit_code == 0
    report = json.loads(local.read_text(encoding="utf-8"))
    out = tmp_path / "parts"
    result = runner.invoke(main, ["scan", str(geneva), "--engine", "spark", "--output-dir", str(out),
                                  "--parts-format", fmt])
    assert result.exit_code == 0, result.output
    assert f"5 articles, {len(report['passages'])} passages, 0 duplicate groups: written to {out}" in result.output
    for kind in ("articles", "passages", "pairs", "duplicates"):
        assert _parts(out / kind, fmt) == [_plain(r) for r in report[kind]], kind  # parts in name order
    scan = json.loads(spark.read.text(str(out / "scan")).collect()[0].value)
    assert scan["layout"] == "syndet.scan.parts/1" and scan["stats"]["passages"] == len(report["passages"])
    again = runner.invoke(main, ["scan", str(geneva), "--engine", "spark", "--output-dir", str(out), "-q"])
    assert again.exit_code == 5 and "already exists" in again.output


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _parts(folder: Path, fmt: str) -> list[Any]:
    """The records of a folder of part files, read in name order."""
    import pyarrow.parquet as pq

    out: list[Any] = []
    for part in sorted(folder.glob("part-*")):
        if fmt == "jsonl":
            out.extend(json.loads(line) for line in part.read_text(encoding="utf-8").splitlines())
        else:
            out.extend(_plain(row) for row in pq.read_table(part).to_pylist())
    return out


def test_slow_user_patterns_switched_off_are_reported(spark: Any, geneva: Path, tmp_path: Path) -> None:
    from syndet.config import load_settings

    extra = tmp_path / "agencies.yaml"
    extra.write_text("press_phrases:\n  - '(a|aa)+$'\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(f"segment:\n  chrome_patterns: ['^(a|aa)+$']\nattribute:\n  extra_catalogues: ['{extra}']\n",
                      encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    shared = (geneva / "003_a116120311b8510c.txt").read_text(encoding="utf-8")
    for n in range(3):  # a line that makes both patterns backtrack without end, and text the articles share
        (folder / f"a{n}.txt").write_text("a" * 40 + "!\n\n" + shared, encoding="utf-8")
    local, remote = _both([folder], spark, load_settings([config]))
    assert remote.passages == local.passages
    assert remote.warnings == local.warnings == (
        "segment.chrome_patterns[0]: pattern '^(a|aa)+$' took more than 0.05 s on one text (or 5 s in all): "
        "switched off for this run",
        f"{extra}:2: press_phrases: pattern '(a|aa)+$' took more than 0.05 s on one text (or 5 s in all): "
        "switched off for this run")
